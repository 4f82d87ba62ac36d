package services_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

type demoEnv struct {
	users      *repositories.Users
	businesses *repositories.Businesses
	catalog    *repositories.Catalog
	reviews    *repositories.Reviews
	images     *repositories.Images
	orders     *repositories.Orders
	files      *storage.Local
	mediaRoot  string
	db         *testkit.TestDB
	now        time.Time
	demo       *services.Demo
}

func newDemoEnv(t *testing.T) *demoEnv {
	t.Helper()
	db := testkit.NewDB(t)
	env := &demoEnv{
		users:      repositories.NewUsers(db.DB),
		businesses: repositories.NewBusinesses(db.DB),
		catalog:    repositories.NewCatalog(db.DB),
		reviews:    repositories.NewReviews(db.DB),
		images:     repositories.NewImages(db.DB),
		orders:     repositories.NewOrders(db.DB),
		mediaRoot:  t.TempDir(),
		db:         db,
		now:        time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC),
	}
	env.files = storage.NewLocal(env.mediaRoot)
	tx := repositories.NewTransactor(db.DB)
	images := services.NewImages(services.ImagesDeps{
		Repo: env.images, Storage: env.files, Writes: (&testkit.Purges{}).Writes(env.db.DB), Log: testkit.Logger(t),
	})
	env.demo = services.NewDemo(services.DemoDeps{
		Users: env.users, Businesses: env.businesses, Catalog: env.catalog, Reviews: env.reviews,
		Images: images, OrderRepo: env.orders, OrderBusinessRepo: env.businesses,
		Tx: tx, Writes: (&testkit.Purges{}).Writes(env.db.DB), Clock: func() time.Time { return env.now }, BcryptCost: bcrypt.MinCost,
	})
	return env
}

type demoCounts struct {
	categories, products, active, approved, pending int
	images, orders, orderItems, files               int
}

func (env *demoEnv) counts(t *testing.T, businessID int64) demoCounts {
	t.Helper()
	ctx := context.Background()
	cats, err := env.catalog.Categories.List(ctx, businessID)
	if err != nil {
		t.Fatal(err)
	}
	prods, err := env.catalog.Products.List(ctx, businessID)
	if err != nil {
		t.Fatal(err)
	}
	active, err := env.catalog.CountActive(ctx, businessID)
	if err != nil {
		t.Fatal(err)
	}
	approved, err := env.reviews.CountByStatus(ctx, businessID, domain.ReviewApproved)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := env.reviews.CountByStatus(ctx, businessID, domain.ReviewPending)
	if err != nil {
		t.Fatal(err)
	}
	var images, orders, items int64
	for model, n := range map[any]*int64{&domain.Image{}: &images, &domain.Order{}: &orders, &domain.OrderItem{}: &items} {
		if err := env.db.DB.Model(model).Where("business_id = ?", businessID).Count(n).Error; err != nil {
			t.Fatal(err)
		}
	}
	files := 0
	filepath.WalkDir(env.mediaRoot, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	return demoCounts{len(cats), len(prods), int(active), int(approved), int(pending),
		int(images), int(orders), int(items), files}
}

func TestDemoSeedCreatesTheStore(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)

	exists, err := env.demo.Exists(ctx)
	if err != nil || exists {
		t.Fatalf("Exists before seeding = %v, %v; want false", exists, err)
	}
	created, err := env.demo.Seed(ctx, "demo12345")
	if err != nil || !created {
		t.Fatalf("Seed = %v, %v; want created", created, err)
	}
	if exists, err := env.demo.Exists(ctx); err != nil || !exists {
		t.Fatalf("Exists after seeding = %v, %v; want true", exists, err)
	}

	biz, err := env.businesses.GetBySlug(ctx, "demo")
	if err != nil {
		t.Fatalf("demo store: %v", err)
	}
	if biz.Name != "Tacos Doña Lupe" || !biz.Demo || biz.WhatsApp != "+525512345678" ||
		biz.TimeZone != "America/Mexico_City" || biz.Language != "es" || biz.City != "Ciudad de México" ||
		biz.Description == "" {
		t.Fatalf("demo store = %+v", biz)
	}

	owner, err := env.users.GetByEmail(ctx, "demo@qubly.mx")
	if err != nil {
		t.Fatalf("demo owner: %v", err)
	}
	if owner.Role != domain.RoleOwner || !owner.Verified() || owner.Locale != "es" ||
		owner.BusinessID == nil || *owner.BusinessID != biz.ID || owner.Name != "Lupe Hernández" {
		t.Fatalf("demo owner = %+v", owner)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(owner.PasswordHash), []byte("demo12345")); err != nil {
		t.Fatalf("demo password does not verify: %v", err)
	}

	c := env.counts(t, biz.ID)
	if c.categories < 3 || c.active < 20 || c.approved < 12 || c.pending != 2 ||
		c.images != c.products || c.files != c.images*len(domain.ImageWidths) || c.orders < 12 || c.orderItems < c.orders {
		t.Fatalf("demo counts = %+v", c)
	}

	prods, err := env.catalog.Products.List(ctx, biz.ID)
	if err != nil {
		t.Fatal(err)
	}
	var soldOut, stocked, discounted int
	for _, p := range prods {
		if !p.Active || p.Description == "" || p.PriceCents <= 0 || p.CategoryID == nil {
			t.Errorf("product %q: active=%v price=%d description=%q category=%v",
				p.Name, p.Active, p.PriceCents, p.Description, p.CategoryID)
		}
		if p.Slug != domain.Slugify(p.Name, 120) {
			t.Errorf("product %q has slug %q", p.Name, p.Slug)
		}
		if p.SoldOut {
			soldOut++
		}
		if p.Stock != nil {
			stocked++
		}
		if p.CompareAtCents != nil {
			discounted++
			if *p.CompareAtCents <= p.PriceCents {
				t.Errorf("product %q compares at %d, not above its price %d", p.Name, *p.CompareAtCents, p.PriceCents)
			}
		}
	}
	if soldOut != 1 || stocked != 1 || discounted == 0 {
		t.Fatalf("sold out %d, stocked %d, discounted %d", soldOut, stocked, discounted)
	}
	// The al pastor taco has a required tortilla choice and optional extras.
	for _, p := range prods {
		if p.Name != "Taco al pastor" {
			continue
		}
		groups, err := env.catalog.ListOptionGroups(ctx, biz.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || groups[0].Name != "Tortilla" || groups[0].MinSelect != 1 || len(groups[0].Choices) != 2 ||
			groups[1].Name != "Extras" || groups[1].MaxSelect != 2 || groups[1].Choices[1].DeltaCents != 1200 {
			t.Fatalf("options = %+v", groups)
		}
	}
	if !biz.DeliveryEnabled || biz.DeliveryFeeCents != 3500 || !biz.PayTransfer || biz.Hours.IsEmpty() {
		t.Fatalf("demo store not ready to order: %+v", biz)
	}
	// The demo shows a day with a break at midday, and hours an owner could save.
	if len(biz.Hours[time.Tuesday].Ranges()) != 2 || len(biz.Hours.Validate()) != 0 || biz.AccentColor != domain.DefaultAccentColor {
		t.Errorf("demo hours %+v (%v), accent %s", biz.Hours, biz.Hours.Validate(), biz.AccentColor)
	}
}

func TestDemoSeedTwiceIsANoOp(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)
	if created, err := env.demo.Seed(ctx, "demo12345"); err != nil || !created {
		t.Fatalf("first Seed = %v, %v", created, err)
	}
	biz, err := env.businesses.GetBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	before := env.counts(t, biz.ID)
	users, err := env.users.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}

	created, err := env.demo.Seed(ctx, "another-password")
	if err != nil || created {
		t.Fatalf("second Seed = %v, %v; want a no-op", created, err)
	}
	if after := env.counts(t, biz.ID); after != before {
		t.Fatalf("counts changed: %+v → %+v", before, after)
	}
	if n, err := env.users.Count(ctx); err != nil || n != users {
		t.Fatalf("users = %d, %v; want %d", n, err, users)
	}
	owner, err := env.users.GetByEmail(ctx, "demo@qubly.mx")
	if err != nil {
		t.Fatal(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(owner.PasswordHash), []byte("demo12345")) != nil {
		t.Fatal("second Seed changed the demo password")
	}
}

func TestDemoSeedRefusesWhenOwnerExistsWithoutStore(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)
	if err := env.users.Create(ctx, &domain.User{
		Email: "demo@qubly.mx", Name: "Alguien", PasswordHash: "x", Role: domain.RoleOwner,
	}); err != nil {
		t.Fatal(err)
	}
	created, err := env.demo.Seed(ctx, "demo12345")
	if err == nil || created || !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("Seed = %v, %v; want a conflict error", created, err)
	}
	if exists, err := env.demo.Exists(ctx); err != nil || exists {
		t.Fatalf("Exists = %v, %v; the failed seed left a store behind", exists, err)
	}
}
