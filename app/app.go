// Package app wires repositories → services → handlers into the Fiber app.
// main and the tests build the app through New, so tests run exactly what
// production runs.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"gorm.io/gorm"

	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/admin"
	"github.com/qubly/qubly/handlers/auth"
	"github.com/qubly/qubly/handlers/chat"
	"github.com/qubly/qubly/handlers/dashboard"
	"github.com/qubly/qubly/handlers/media"
	"github.com/qubly/qubly/handlers/store"
	"github.com/qubly/qubly/handlers/system"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/handlers/webhooks"
	"github.com/qubly/qubly/integrations/stripe"
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
	// ChatLLM overrides the chatbot's LLM client built from the config
	// (tests give one with short timeouts).
	ChatLLM services.ChatLLM
	// ExtraJobs run with the app's own scheduled jobs (tests).
	ExtraJobs []jobs.Job
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
	// Cleanup removes junk businesses (the cleanup job, `qubly cleanup`).
	Cleanup *services.Cleanup
	// Platform holds the settings of /admin/settings; StartJobs reloads them
	// every PlatformReloadEvery.
	Platform *services.PlatformSettings

	runner *jobs.Runner
	jobs   []jobs.Job

	purges   *repositories.StorePurges
	purgesWG sync.WaitGroup
}

// PlatformReloadEvery is how often each instance rereads the platform
// settings, so that a save on another instance applies here within it.
const PlatformReloadEvery = 30 * time.Second

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
	// Page-cache hits are answered in front of Fiber (web.PageCacheFront):
	// the server, timeouts included, stays Fiber's.
	srv := f.Server()
	srv.Handler = web.PageCacheFront(w.cache, w.pages, w.cfg.IsProduction(), srv.Handler)
	return &App{
		Fiber: f, DB: w.db, Config: w.cfg, Log: w.log, Accounts: svc.accounts, Outbox: svc.outbox, Demo: svc.demo, Cache: w.cache,
		Cleanup:  svc.cleanup,
		Platform: svc.platform,
		runner:   jobs.NewRunner(repositories.NewLocker(w.db), w.log).WithMetrics(w.metrics),
		jobs:     append(w.jobs(svc), o.ExtraJobs...),
		purges:   w.purges,
	}, nil
}

// newFiber builds the Fiber app with its template engine and error page.
func (w *wiring) newFiber() (*fiber.App, error) {
	cfg := w.cfg
	var engine *views
	var err error
	if cfg.DevAssets {
		engine, err = newEngine(w.templatesFS, w.staticFS, true)
	} else {
		engine, err = embeddedEngine()
	}
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
	f.Use(recover.New())
	f.Use(web.SecurityHeaders(cfg.IsProduction()))
	// A cached store page is served with its security headers and nothing
	// else it does not need: no request ID nor request log (serving bytes
	// from memory cannot fail; X-Cache: hit tells them), no compression (it
	// keeps its own compressed copies), no language, CSRF, session or routing.
	// PageCache below keeps the pages. On the server, web.PageCacheFront
	// answers the same hits before Fiber (see New); this one serves those
	// that reach the app's handler directly (tests).
	f.Use(web.PageCacheHits(w.cache, w.pages))
	f.Use(requestid.New(requestid.Config{ContextKey: web.LocalRequestID}))
	// Outside RequestLogger, which lets the error handler write the answer:
	// the status counted is the real one. Hits above are counted apart.
	f.Use(web.RequestMetrics(w.metrics))
	f.Use(web.RequestLogger(log))
	f.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	maxAge := 365 * 24 * 3600
	if cfg.DevAssets {
		maxAge = 0
	}
	f.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(staticFS), MaxAge: maxAge}))
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
	system.NewMetrics(w.metrics.Handler(), cfg.MetricsToken, cfg.IsProduction()).Register(f)
	if !cfg.IsProduction() && cfg.ResendAPIKey == "" {
		system.NewDevMail(s.mailbox).Register(f)
	}
	auth.New(s.accounts, cfg.IsProduction(), cfg.BaseURL).WithReferralDiscount(s.platform.RewardPercent).Register(f)
	webhooks.NewStripe(func(payload []byte, sig string) (domain.BillingEvent, error) {
		return stripe.ParseEvent(payload, sig, cfg.StripeWebhookSecret)
	}, s.subscriptions).WithMetrics(w.metrics).Register(f)
	// A cancelled subscription leaves the dashboard read-only (Subscription).
	dash := f.Group("/dashboard", web.RequireRole(domain.RoleOwner), dashboard.Context(s.settings, s.stats),
		dashboard.Subscription(s.billing))
	dashboard.NewHome(s.stats, cfg.BaseURL).Register(dash)
	dashboard.NewAccount(s.accounts).Register(dash)
	dashboard.NewSettings(s.settings, s.images).Register(dash)
	dashboard.NewCategories(s.categories).Register(dash)
	dashboard.NewProducts(s.products, s.options, s.categories).Register(dash)
	dashboard.NewImages(s.images).Register(dash)
	media.New(s.media).Register(f)
	dashboard.NewOrders(s.orders).Register(dash)
	dashboard.NewReviews(s.reviews).Register(dash)
	dashboard.NewChatbot(services.NewChatStats(repositories.NewChatStats(db), clock), cfg.BaseURL).Register(dash)
	dashboard.NewBilling(s.billing).Register(dash)
	dashboard.NewReferrals(services.NewReferralSummaries(w.repos.Referrals, clock), cfg.BaseURL, func() (int, domain.Money) {
		pct := s.platform.RewardPercent()
		return pct, services.ReferralRewardAmount(cfg.PlanPriceCents, pct)
	}).Register(dash)
	adm := f.Group("/admin", web.RequireRole(domain.RoleSuperAdmin, domain.RoleAdminViewer), admin.Guard)
	admin.New(services.NewAdminMetrics(repositories.NewAdminMetrics(db), clock, domain.Money(cfg.PlanPriceCents))).Register(adm)
	admin.NewUsers(services.NewAdminUsers(s.accounts, w.repos.Users, s.audit)).Register(adm)
	admin.NewSettings(s.platform).Register(adm)
	admin.NewBusinesses(w.adminBusinesses(s), clock).Register(adm)
	public := store.New(store.Deps{
		Stores: s.storefront,
		Orders: s.orders, Cache: storeCache, Bundle: bundle,
		BaseURL: cfg.BaseURL, Clock: clock, Log: log, Billing: s.subscriptions.Rules,
		Metrics: w.metrics, PlanPrice: domain.Money(cfg.PlanPriceCents),
	})
	public.Register(f)
	public.RegisterSEO(f, store.SEODeps{
		Sitemap: services.NewSitemap(repositories.NewSitemap(db), 0, store.PlatformPages...), Robots: services.NewRobots(w.repos.Settings, clock, cfg.BaseURL),
		Icons: services.NewStoreIcons(w.repos.Images, s.media, storeCache),
	})
	chat.New(s.storefront, s.chat, bundle, clock, s.subscriptions.Rules).WithMetrics(w.metrics).Register(f)
	f.Use(web.PageCache(storeCache, web.PageCacheConfig{Stats: w.pages}))
	public.RegisterStores(f)
	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// StartJobs runs the scheduled jobs, and the listener of other instances'
// store purges, until ctx is done. The channel is closed once the listener
// listens (see ListenPurges).
func (a *App) StartJobs(ctx context.Context) <-chan struct{} {
	a.runner.Start(ctx, a.jobs...)
	a.purgesWG.Add(1)
	go func() {
		defer a.purgesWG.Done()
		a.Platform.Run(ctx, PlatformReloadEvery)
	}()
	return a.ListenPurges(ctx)
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
