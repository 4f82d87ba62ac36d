// Package app wires repositories → services → handlers into the Fiber app.
// main and the tests build the app through New, so tests run exactly what
// production runs.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"gorm.io/gorm"

	"github.com/qubly/qubly"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/admin"
	"github.com/qubly/qubly/handlers/auth"
	"github.com/qubly/qubly/handlers/dashboard"
	"github.com/qubly/qubly/handlers/media"
	"github.com/qubly/qubly/handlers/store"
	"github.com/qubly/qubly/handlers/system"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/integrations/resend"
	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// Options are what New needs beyond the config.
type Options struct {
	Config *config.Config
	DB     *gorm.DB
	Log    *slog.Logger
	// Clock defaults to UTC wall time.
	Clock services.Clock
	// BcryptCost defaults to 12; tests lower it.
	BcryptCost int
	// EmailSender overrides the Resend client / dev mailbox choice.
	EmailSender services.EmailSender
}

// App is the wired application.
type App struct {
	Fiber    *fiber.App
	DB       *gorm.DB
	Config   *config.Config
	Log      *slog.Logger
	Accounts *services.Accounts
	Outbox   *services.OutboxSender
	Demo     *services.Demo
	Repos    *Repos
	// Cache holds short-lived per-store values, purged on every store change.
	Cache *services.StoreCache

	runner *jobs.Runner
	jobs   []jobs.Job

	purges   *repositories.StorePurges
	purgesWG sync.WaitGroup
}

// Repos groups the repositories.
type Repos struct {
	Users      *repositories.Users
	Sessions   *repositories.Sessions
	Tokens     *repositories.EmailTokens
	Attempts   *repositories.AuthAttempts
	Settings   *repositories.Settings
	Businesses *repositories.Businesses
	Catalog    *repositories.Catalog
	Reviews    *repositories.Reviews
	Outbox     *repositories.Outbox
	Orders     *repositories.Orders
	Images     *repositories.Images
}

// New builds the app; it does not listen nor start jobs.
func New(ctx context.Context, o Options) (*App, error) {
	cfg, db := o.Config, o.DB
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	clock := o.Clock
	if clock == nil {
		clock = func() time.Time { return time.Now().UTC() }
	}

	repos := &Repos{
		Users:      repositories.NewUsers(db),
		Sessions:   repositories.NewSessions(db),
		Tokens:     repositories.NewEmailTokens(db),
		Attempts:   repositories.NewAuthAttempts(db),
		Settings:   repositories.NewSettings(db),
		Businesses: repositories.NewBusinesses(db),
		Catalog:    repositories.NewCatalog(db),
		Reviews:    repositories.NewReviews(db),
		Outbox:     repositories.NewOutbox(db),
		Orders:     repositories.NewOrders(db),
		Images:     repositories.NewImages(db),
	}
	tx := repositories.NewTransactor(db)
	storeCache := services.NewStoreCache(5 * time.Minute)
	// Purges reach the other instances through PostgreSQL NOTIFY.
	storePurges := repositories.NewStorePurges(db, log)
	storeCache.SetPublisher(func(ctx context.Context, businessID int64) {
		if err := storePurges.Publish(ctx, businessID); err != nil {
			level := slog.LevelError
			if errors.Is(err, domain.ErrUnavailable) {
				level = slog.LevelWarn
			}
			log.Log(ctx, level, "store purge not published", "business_id", businessID, "err", err)
		}
	})

	secret, err := secretKey(ctx, cfg, repos.Settings)
	if err != nil {
		return nil, err
	}
	bundle, err := i18n.New()
	if err != nil {
		return nil, err
	}

	templatesFS, staticFS := subFS(qubly.Templates, "templates"), subFS(qubly.Static, "static")
	if cfg.DevAssets {
		templatesFS, staticFS = os.DirFS("templates"), os.DirFS("static")
	}
	emails, err := services.NewEmails(templatesFS, repos.Outbox, bundle, cfg.BaseURL, clock)
	if err != nil {
		return nil, err
	}
	accounts := services.NewAccounts(services.AccountsDeps{
		Users: repos.Users, Businesses: repos.Businesses, Sessions: repos.Sessions, Tokens: repos.Tokens,
		Attempts: repos.Attempts, Emails: emails, Tx: tx, Signer: services.NewSigner(secret),
		Clock: clock, Log: log, BaseURL: cfg.BaseURL, BcryptCost: o.BcryptCost,
	})
	sender := o.EmailSender
	if sender == nil {
		if cfg.ResendAPIKey != "" {
			sender = resend.New(cfg.ResendAPIKey, cfg.EmailFrom, "")
		} else {
			sender = resend.DevMailbox{}
		}
	}
	outbox := services.NewOutboxSender(repos.Outbox, tx, sender, clock, log)

	engine, err := newEngine(templatesFS, staticFS, cfg.DevAssets)
	if err != nil {
		return nil, err
	}
	f := fiber.New(fiber.Config{
		AppName:               "qubly",
		Views:                 engine,
		ErrorHandler:          web.NewErrorHandler(bundle),
		DisableStartupMessage: true,
		BodyLimit:             10 << 20,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		ProxyHeader:           cfg.ProxyHeader,
	})

	f.Use(requestid.New(requestid.Config{ContextKey: web.LocalRequestID}))
	f.Use(web.RequestLogger(log))
	f.Use(recover.New())
	f.Use(web.SecurityHeaders(cfg.IsProduction()))
	f.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	maxAge := 365 * 24 * 3600
	if cfg.DevAssets {
		maxAge = 0
	}
	f.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(staticFS), MaxAge: maxAge}))
	// Cached store pages are served before what they do not need (language,
	// CSRF, session, routing); PageCache below keeps them.
	f.Use(web.PageCacheHits(storeCache))
	f.Use(web.Language(bundle))
	// Public store pages carry no CSRF token (they are cached and shared);
	// their POSTs are checked by origin instead (see web.PublicOrigins).
	publicCSRF, err := web.PublicOrigins(cfg.BaseURL, web.IsStoreRequest)
	if err != nil {
		return nil, err
	}
	f.Use(web.CSRF(secret, cfg.IsProduction(), func(c *fiber.Ctx) bool {
		return strings.HasPrefix(c.Path(), "/webhooks/")
	}, publicCSRF))
	f.Use(web.Session(accounts))

	system.New(pinger(db, cfg), cfg.IsProduction()).Register(f)
	if !cfg.IsProduction() && cfg.ResendAPIKey == "" {
		system.NewDevMail(repos.Outbox).Register(f)
	}
	auth.New(accounts, cfg.IsProduction(), cfg.BaseURL).Register(f)
	dash := f.Group("/dashboard", web.RequireRole(domain.RoleOwner), dashboard.Context(dashboardContext{repos.Businesses, repos.Orders}))
	dashboard.NewHome(services.NewStats(repositories.NewStats(db), storeCache, clock), cfg.BaseURL).Register(dash)
	dashboard.NewAccount(accounts).Register(dash)
	dashboard.NewSettings(services.NewStoreSettings(repos.Businesses, tx, storeCache, clock), repos.Images).Register(dash)
	catalog := services.NewCatalog(repos.Catalog, tx, storeCache)
	dashboard.NewCategories(catalog).Register(dash)
	dashboard.NewProducts(catalog).Register(dash)
	mediaStorage := storage.NewLocal(filepath.Join(cfg.DataDir, "media"))
	images := services.NewImages(services.ImagesDeps{
		Repo: repos.Images, Storage: mediaStorage, Tx: tx, Purger: storeCache, Log: log,
	})
	dashboard.NewImages(images).Register(dash)
	demo := services.NewDemo(services.DemoDeps{
		Users: repos.Users, Businesses: repos.Businesses, Catalog: repos.Catalog, Reviews: repos.Reviews,
		Images: images, OrderStore: repos.Orders, OrderBusinesses: repos.Businesses,
		Tx: tx, Clock: clock, BcryptCost: o.BcryptCost,
	})
	media.New(mediaStorage).Register(f)
	orders := services.NewOrders(services.OrdersDeps{
		Store: repos.Orders, Businesses: repos.Businesses, Emails: emails, Purger: storeCache,
		Translator: bundle, Tx: tx, Clock: clock, Log: log, BaseURL: cfg.BaseURL,
	})
	dashboard.NewOrders(orders).Register(dash)
	dashboard.NewReviews(services.NewReviews(repos.Reviews, tx, storeCache, clock)).Register(dash)
	admin.New().Register(f.Group("/admin", web.RequireRole(domain.RoleSuperAdmin, domain.RoleAdminViewer)))
	public := store.New(store.Deps{
		Stores: services.NewStorefront(repositories.NewStorefront(db), repos.Reviews, storeCache, clock),
		Orders: orders, Cache: storeCache, Images: repos.Images, Bundle: bundle,
		BaseURL: cfg.BaseURL, Clock: clock, Log: log,
	})
	public.Register(f)
	public.RegisterSEO(f, store.SEODeps{
		Sitemap: services.NewSitemap(repositories.NewSitemap(db), 0), Robots: services.NewRobots(repos.Settings, clock, cfg.BaseURL),
		Icons: services.NewStoreIcons(repos.Images, mediaStorage, storeCache),
	})
	f.Use(web.PageCache(storeCache, web.PageCacheConfig{}))
	public.RegisterStores(f)
	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	a := &App{
		Fiber: f, DB: db, Config: cfg, Log: log, Accounts: accounts, Outbox: outbox, Demo: demo, Repos: repos, Cache: storeCache,
		runner: jobs.NewRunner(repositories.NewLocker(db), log),
		purges: storePurges,
	}
	a.jobs = []jobs.Job{
		jobs.Outbox(outbox, 5*time.Second, log),
		{Name: "auth-cleanup", Every: time.Hour, Run: func(ctx context.Context) error {
			now := clock()
			if _, err := repos.Sessions.DeleteExpired(ctx, now); err != nil {
				return err
			}
			return repos.Attempts.DeleteBefore(ctx, now.Add(-24*time.Hour))
		}},
	}
	return a, nil
}

// StartJobs runs the scheduled jobs, and the listener of other instances'
// store purges, until ctx is done.
func (a *App) StartJobs(ctx context.Context) {
	a.runner.Start(ctx, a.jobs...)
	a.ListenPurges(ctx)
}

// WaitJobs waits for running jobs after their ctx was cancelled.
func (a *App) WaitJobs() {
	a.runner.Wait()
	a.purgesWG.Wait()
}

// ListenPurges applies the store purges of the other instances (PostgreSQL
// LISTEN) to this one's cache until ctx is done; StartJobs calls it. The
// channel is closed once it listens (at once on SQLite).
func (a *App) ListenPurges(ctx context.Context) <-chan struct{} {
	ready := make(chan struct{})
	a.purgesWG.Add(1)
	go func() {
		defer a.purgesWG.Done()
		a.purges.Listen(ctx, a.Cache.PurgeLocal, a.Cache.PurgeAll, ready)
	}()
	return ready
}

// dashboardContext joins the reads every dashboard page needs.
type dashboardContext struct {
	businesses *repositories.Businesses
	orders     *repositories.Orders
}

func (d dashboardContext) Get(ctx context.Context, id int64) (*domain.Business, error) {
	return d.businesses.Get(ctx, id)
}

func (d dashboardContext) CountByStatus(ctx context.Context, businessID int64, s domain.OrderStatus) (int64, error) {
	return d.orders.CountByStatus(ctx, businessID, s)
}

// pinger checks the database for /readyz. On SQLite the file must also still
// be there (a detached volume leaves open handles that still answer).
func pinger(db *gorm.DB, cfg *config.Config) system.Pinger {
	driver, path, _ := cfg.Database()
	return func(ctx context.Context) error {
		if err := repositories.Ping(ctx, db); err != nil {
			return err
		}
		if driver == "sqlite" {
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("database file: %w", err)
			}
		}
		return db.WithContext(ctx).Exec("SELECT 1").Error
	}
}

// secretKey is SECRET_KEY, or a key generated once and kept in the database
// so every instance shares it.
func secretKey(ctx context.Context, cfg *config.Config, settings *repositories.Settings) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey), nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	v, err := settings.GetOrCreate(ctx, "secret_key", hex.EncodeToString(b))
	if err != nil {
		return nil, fmt.Errorf("load secret key: %w", err)
	}
	return []byte(v), nil
}

func subFS(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
