// Command loadseed prepares a database for scripts/loadtest.sh: it applies
// the migrations, creates the store "carga" with -products products (the
// page measured) and -order-stores small stores that take the orders, and
// writes the load plan (paths and order bodies) as JSON for cmd loadgen.
//
//	go run ./scripts/loadseed -db sqlite:/tmp/x/qubly.db -plan /tmp/x/plan.json
//
// With a postgres:// URL and -schema NAME it works in a new schema NAME and
// prints the URL the server must use (with search_path); -drop-schema NAME
// removes such a schema afterwards.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/scripts/storeseed"
	"github.com/qubly/qubly/services"
)

// Plan is what loadgen sends.
type Plan struct {
	// Home is the path of the store page measured ("/carga").
	Home string `json:"home"`
	// Orders are POST /{slug}/orders requests, one store each.
	Orders []Order `json:"orders"`
}

// Order is one store's order request.
type Order struct {
	Path string          `json:"path"`
	Body json.RawMessage `json:"body"`
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,40}$`)

func main() {
	dbURL := flag.String("db", "", "database: sqlite:PATH or postgres://…")
	planPath := flag.String("plan", "plan.json", "where to write the load plan")
	products := flag.Int("products", 200, "products of the measured store")
	orderStores := flag.Int("order-stores", 10, "stores that take the orders")
	schema := flag.String("schema", "", "PostgreSQL only: create this schema and seed it")
	drop := flag.String("drop-schema", "", "PostgreSQL only: drop this schema and exit")
	flag.Parse()
	if err := run(*dbURL, *planPath, *products, *orderStores, *schema, *drop); err != nil {
		fmt.Fprintln(os.Stderr, "loadseed:", err)
		os.Exit(1)
	}
}

func run(dbURL, planPath string, products, orderStores int, schema, drop string) error {
	ctx := context.Background()
	driver, dsn, err := config.ParseDatabaseURL(dbURL)
	if err != nil {
		return fmt.Errorf("-db: %w", err)
	}
	for _, s := range []string{schema, drop} {
		if s != "" && (driver != "postgres" || !schemaName.MatchString(s)) {
			return fmt.Errorf("schema %q: needs a postgres:// URL and a lower-case name", s)
		}
	}
	if drop != "" {
		return dropSchema(driver, dsn, drop)
	}
	if schema != "" {
		if dsn, err = createSchema(driver, dsn, schema); err != nil {
			return err
		}
		dbURL = dsn
	}
	db, err := repositories.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer closeDB(db)
	plan, err := seed(ctx, db, dbURL, products, orderStores)
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(plan, "", "  ")
	if err := os.WriteFile(planPath, b, 0o644); err != nil {
		return err
	}
	if schema != "" {
		fmt.Println(dbURL)
	}
	return nil
}

// dropSchema removes a schema made by createSchema.
func dropSchema(driver, dsn, name string) error {
	admin, err := repositories.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer closeDB(admin)
	return admin.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE").Error
}

// createSchema makes schema name and returns dsn with it as search_path.
func createSchema(driver, dsn, name string) (string, error) {
	admin, err := repositories.Open(driver, dsn)
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	if err := admin.Exec("CREATE SCHEMA " + name).Error; err != nil {
		return "", err
	}
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// seed migrates db, creates the measured store and the order stores, and
// returns the load plan.
func seed(ctx context.Context, db *gorm.DB, dbURL string, products, orderStores int) (*Plan, error) {
	if err := migrations.Run(ctx, db); err != nil {
		return nil, err
	}
	env := map[string]string{"DATABASE_URL": dbURL, "APP_ENV": "development"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, app.Options{
		Config: cfg, DB: db, BcryptCost: bcrypt.MinCost, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, err
	}
	plan := &Plan{Home: "/carga"}
	id, err := signUp(ctx, a, "carga")
	if err != nil {
		return nil, err
	}
	if _, err := storeseed.Catalog(ctx, db, id, products); err != nil {
		return nil, err
	}
	for i := 1; i <= orderStores; i++ {
		o, err := orderStore(ctx, a, db, fmt.Sprintf("carga-pedidos-%d", i))
		if err != nil {
			return nil, err
		}
		plan.Orders = append(plan.Orders, o)
	}
	return plan, nil
}

// signUp creates the store slug with its owner and returns its ID.
func signUp(ctx context.Context, a *app.App, slug string) (int64, error) {
	res, err := a.Accounts.Signup(ctx, services.SignupInput{
		OwnerName: "Carga " + slug, Email: slug + "@carga.test", Password: "carga-" + slug + "-password",
		BusinessName: "Tienda " + slug, Slug: slug, WhatsApp: "55 1234 5678", Lang: "es",
	})
	if err != nil {
		return 0, fmt.Errorf("sign up %s: %w", slug, err)
	}
	if !res.Created || res.User.BusinessID == nil {
		return 0, fmt.Errorf("sign up %s: not created (seeded already?)", slug)
	}
	return *res.User.BusinessID, nil
}

// orderStore creates a 12-product store slug and the order loadgen sends it.
func orderStore(ctx context.Context, a *app.App, db *gorm.DB, slug string) (Order, error) {
	id, err := signUp(ctx, a, slug)
	if err != nil {
		return Order{}, err
	}
	ids, err := storeseed.Catalog(ctx, db, id, 12)
	if err != nil {
		return Order{}, err
	}
	body, _ := json.Marshal(map[string]any{
		"items":       []map[string]any{{"product_id": ids[0], "quantity": 2}, {"product_id": ids[5], "quantity": 1}},
		"customer":    map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
		"fulfillment": "pickup", "payment_method": "cash", "notes": "Sin cebolla",
	})
	return Order{Path: "/" + slug + "/orders", Body: body}, nil
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
