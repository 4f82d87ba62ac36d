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
	// Cache holds short-lived per-store values, purged on every store change.
	Cache *services.StoreCache

	runner *jobs.Runner
	jobs   []jobs.Job

	purges   *repositories.StorePurges
	purgesWG sync.WaitGroup
}

// New builds the app; it does not listen nor start jobs.
func New(ctx context.Context, o Options) (*App, error) {
	w, err := newWiring(ctx, o)
	if err != nil {
		return nil, err
	}
	svc, err := w.newServices(o)
	if err != nil {
		return nil, err
	}
	f, err := w.newFiber()
	if err != nil {
		return nil, err
	}
	if err := w.useMiddleware(f, svc); err != nil {
		return nil, err
	}
	w.registerRoutes(f, svc)
	return &App{
		Fiber: f, DB: w.db, Config: w.cfg, Log: w.log, Accounts: svc.accounts, Outbox: svc.outbox, Demo: svc.demo, Cache: w.cache,
		runner: jobs.NewRunner(repositories.NewLocker(w.db), w.log),
		jobs:   w.jobs(svc),
		purges: w.purges,
	}, nil
}

// wiring is what every step of New shares: the config, the clock, the
// repositories and the per-store cache.
type wiring struct {
	cfg   *config.Config
	db    *gorm.DB
	log   *slog.Logger
	clock services.Clock
	repos *repos
	tx    *repositories.Transactor
	// cache holds short-lived per-store values, purged on every store change.
	cache  *services.StoreCache
	purges *repositories.StorePurges
	secret []byte
	bundle *i18n.Bundle

	templatesFS, staticFS fs.FS
}

// repos groups the repositories; only the services get them.
type repos struct {
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

// newRepos builds the repositories over db.
func newRepos(db *gorm.DB) *repos {
	return &repos{
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
}

// newWiring fills the defaults of o, stamps the database's times with the
// one clock, and loads the secret key, translations and files.
func newWiring(ctx context.Context, o Options) (*wiring, error) {
	w := &wiring{cfg: o.Config, log: o.Log, clock: o.Clock}
	if w.log == nil {
		w.log = slog.Default()
	}
	if w.clock == nil {
		w.clock = func() time.Time { return time.Now().UTC() }
	}
	// created_at/updated_at that GORM fills come from the same clock as the
	// services' times.
	w.db = repositories.WithClock(o.DB, w.clock)
	w.repos = newRepos(w.db)
	w.tx = repositories.NewTransactor(w.db)
	w.cache = services.NewStoreCache(5 * time.Minute)
	// Purges reach the other instances through PostgreSQL NOTIFY.
	w.purges = repositories.NewStorePurges(w.db, w.log)
	w.cache.SetPublisher(func(ctx context.Context, businessID int64) {
		if err := w.purges.Publish(ctx, businessID); err != nil {
			level := slog.LevelError
			if errors.Is(err, domain.ErrUnavailable) {
				level = slog.LevelWarn
			}
			w.log.Log(ctx, level, "store purge not published", "business_id", businessID, "err", err)
		}
	})

	var err error
	if w.secret, err = secretKey(ctx, w.cfg, w.repos.Settings); err != nil {
		return nil, err
	}
	if w.bundle, err = i18n.New(); err != nil {
		return nil, err
	}
	w.templatesFS, w.staticFS = subFS(qubly.Templates, "templates"), subFS(qubly.Static, "static")
	if w.cfg.DevAssets {
		w.templatesFS, w.staticFS = os.DirFS("templates"), os.DirFS("static")
	}
	return w, nil
}

// svcs are the services the handlers and jobs call.
type svcs struct {
	emails     *services.Emails
	accounts   *services.Accounts
	outbox     *services.OutboxSender
	mailbox    *services.Mailbox
	stats      *services.Stats
	settings   *services.StoreSettings
	catalog    *services.Catalog
	media      *storage.Local
	images     *services.Images
	demo       *services.Demo
	orders     *services.Orders
	reviews    *services.Reviews
	storefront *services.Storefront
}

// newServices builds the services over the repositories.
func (w *wiring) newServices(o Options) (*svcs, error) {
	cfg, repos, tx, clock, log := w.cfg, w.repos, w.tx, w.clock, w.log
	s := &svcs{}
	var err error
	if s.emails, err = services.NewEmails(w.templatesFS, repos.Outbox, w.bundle, cfg.BaseURL, clock); err != nil {
		return nil, err
	}
	s.accounts = services.NewAccounts(services.AccountsDeps{
		Users: repos.Users, Businesses: repos.Businesses, Sessions: repos.Sessions, Tokens: repos.Tokens,
		Attempts: repos.Attempts, Emails: s.emails, Tx: tx, Signer: services.NewSigner(w.secret),
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
	s.outbox = services.NewOutboxSender(repos.Outbox, tx, sender, clock, log)
	s.mailbox = services.NewMailbox(repos.Outbox)
	s.stats = services.NewStats(repositories.NewStats(w.db), w.cache, clock)
	s.settings = services.NewStoreSettings(repos.Businesses, tx, w.cache, clock)
	s.catalog = services.NewCatalog(repos.Catalog, tx, w.cache)
	s.media = storage.NewLocal(filepath.Join(cfg.DataDir, "media"))
	s.images = services.NewImages(services.ImagesDeps{
		Repo: repos.Images, Storage: s.media, Tx: tx, Purger: w.cache, Log: log,
	})
	s.demo = services.NewDemo(services.DemoDeps{
		Users: repos.Users, Businesses: repos.Businesses, Catalog: repos.Catalog, Reviews: repos.Reviews,
		Images: s.images, OrderStore: repos.Orders, OrderBusinesses: repos.Businesses,
		Tx: tx, Clock: clock, BcryptCost: o.BcryptCost,
	})
	s.orders = services.NewOrders(services.OrdersDeps{
		Store: repos.Orders, Businesses: repos.Businesses, Emails: s.emails, Purger: w.cache,
		Translator: w.bundle, Tx: tx, Clock: clock, Log: log, BaseURL: cfg.BaseURL,
	})
	s.reviews = services.NewReviews(repos.Reviews, tx, w.cache, clock)
	s.storefront = services.NewStorefront(repositories.NewStorefront(w.db), repos.Reviews, w.cache, clock)
	return s, nil
}

// newFiber builds the Fiber app with its template engine and error page.
func (w *wiring) newFiber() (*fiber.App, error) {
	cfg := w.cfg
	engine, err := newEngine(w.templatesFS, w.staticFS, cfg.DevAssets)
	if err != nil {
		return nil, err
	}
	f := fiber.New(fiber.Config{
		AppName:               "qubly",
		Views:                 engine,
		ErrorHandler:          web.NewErrorHandler(w.bundle),
		DisableStartupMessage: true,
		BodyLimit:             10 << 20,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		ProxyHeader:           cfg.ProxyHeader,
	})
	return f, nil
}

// useMiddleware mounts what runs in front of every route, in this order.
func (w *wiring) useMiddleware(f *fiber.App, s *svcs) error {
	cfg, log, bundle, secret, staticFS := w.cfg, w.log, w.bundle, w.secret, w.staticFS
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
	// Load tests only (scripts/loadtest.sh): QUBLY_BENCH_STATIC_DIR is served
	// at /bench-static/ to compare a cached store page with a static file
	// served by the same server. Never in production.
	if dir := os.Getenv("QUBLY_BENCH_STATIC_DIR"); dir != "" && !cfg.IsProduction() {
		f.Use("/bench-static", filesystem.New(filesystem.Config{Root: http.Dir(dir)}))
	}
	f.Use(web.Language(bundle))
	// Public store pages carry no CSRF token (they are cached and shared);
	// their POSTs are checked by origin instead (see web.PublicOrigins).
	publicCSRF, err := web.PublicOrigins(cfg.BaseURL, web.IsStoreRequest)
	if err != nil {
		return err
	}
	f.Use(web.CSRF(secret, cfg.IsProduction(), func(c *fiber.Ctx) bool {
		return strings.HasPrefix(c.Path(), "/webhooks/")
	}, publicCSRF))
	f.Use(web.Session(s.accounts))
	return nil
}

// registerRoutes mounts the handlers, in this order: the page cache sits
// between the app's own paths and the public stores at /{slug}.
func (w *wiring) registerRoutes(f *fiber.App, s *svcs) {
	cfg, db, storeCache, clock, log, bundle := w.cfg, w.db, w.cache, w.clock, w.log, w.bundle
	system.New(pinger(db, cfg), cfg.IsProduction()).Register(f)
	if !cfg.IsProduction() && cfg.ResendAPIKey == "" {
		system.NewDevMail(s.mailbox).Register(f)
	}
	auth.New(s.accounts, cfg.IsProduction(), cfg.BaseURL).Register(f)
	dash := f.Group("/dashboard", web.RequireRole(domain.RoleOwner), dashboard.Context(s.settings, s.stats))
	dashboard.NewHome(s.stats, cfg.BaseURL).Register(dash)
	dashboard.NewAccount(s.accounts).Register(dash)
	dashboard.NewSettings(s.settings, s.images).Register(dash)
	dashboard.NewCategories(s.catalog).Register(dash)
	dashboard.NewProducts(s.catalog).Register(dash)
	dashboard.NewImages(s.images).Register(dash)
	media.New(s.media).Register(f)
	dashboard.NewOrders(s.orders).Register(dash)
	dashboard.NewReviews(s.reviews).Register(dash)
	admin.New().Register(f.Group("/admin", web.RequireRole(domain.RoleSuperAdmin, domain.RoleAdminViewer)))
	public := store.New(store.Deps{
		Stores: s.storefront,
		Orders: s.orders, Cache: storeCache, Bundle: bundle,
		BaseURL: cfg.BaseURL, Clock: clock, Log: log,
	})
	public.Register(f)
	public.RegisterSEO(f, store.SEODeps{
		Sitemap: services.NewSitemap(repositories.NewSitemap(db), 0), Robots: services.NewRobots(w.repos.Settings, clock, cfg.BaseURL),
		Icons: services.NewStoreIcons(w.repos.Images, s.media, storeCache),
	})
	f.Use(web.PageCache(storeCache, web.PageCacheConfig{}))
	public.RegisterStores(f)
	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// jobs are the scheduled jobs StartJobs runs.
func (w *wiring) jobs(s *svcs) []jobs.Job {
	return []jobs.Job{
		jobs.Outbox(s.outbox, 5*time.Second, w.log),
		{Name: "auth-cleanup", Every: time.Hour, Run: s.accounts.DeleteExpired},
	}
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
