package app

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/integrations/llm"
	"github.com/qubly/qubly/integrations/metrics"
	"github.com/qubly/qubly/integrations/resend"
	"github.com/qubly/qubly/integrations/stripe"
	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// wiring is what every step of New shares: the config, the clock, the
// repositories and the per-store cache.
type wiring struct {
	cfg   *config.Config
	db    *gorm.DB
	log   *slog.Logger
	clock services.Clock
	repos *repositories.Set // only the services get them
	tx    *repositories.Transactor
	// cache holds short-lived per-store values, purged on every store change.
	cache  *services.StoreCache
	purges *repositories.StorePurges
	secret []byte
	bundle *i18n.Bundle
	// metrics are the app's own Prometheus metrics; pages counts the page
	// cache's hits and misses, which metrics reads at each scrape.
	metrics *metrics.Metrics
	pages   *web.PageCacheStats
	// media keeps uploaded images: local disk or an S3 bucket (storage.go).
	media mediaStorage

	templatesFS, staticFS fs.FS
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
	w.repos = repositories.NewSet(w.db)
	w.pages = &web.PageCacheStats{}
	w.metrics = metrics.New(metrics.PageCounts{Hits: &w.pages.Hits, Misses: &w.pages.Misses})
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
	if w.media, err = newMediaStorage(ctx, w.cfg.Storage); err != nil {
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
	categories *services.Categories
	products   *services.Products
	options    *services.ProductOptions
	media      mediaStorage
	images     *services.Images
	demo       *services.Demo
	orders     *services.Orders
	reviews    *services.Reviews
	storefront *services.Storefront
	// subscriptions and referrals are billing (part 6).
	subscriptions *services.Subscriptions
	referrals     *services.Referrals
	billing       *services.Billing
	trials        *services.Trials
	// rewards is nil without STRIPE_SECRET_KEY.
	rewards *services.ReferralRewards
	chat    *services.Chat
	// cleanup removes junk businesses (its job, and `qubly cleanup`).
	cleanup *services.Cleanup
	// platform holds the settings an admin changes at /admin/settings
	// (trial, grace, referral reward, robots.txt), read from a snapshot.
	platform *services.PlatformSettings
	audit    *services.Audit
}

// newServices builds the services over the repositories.
func (w *wiring) newServices(o Options) (*svcs, error) {
	cfg, repos, tx, clock, log := w.cfg, w.repos, w.tx, w.clock, w.log
	// Every change to what a store's shoppers see goes through writes, which
	// purges the store's cached pages after the commit.
	writes := services.NewStoreWrites(tx, w.cache)
	s := &svcs{}
	var err error
	if s.emails, err = services.NewEmails(w.templatesFS, repos.Outbox, w.bundle, cfg.BaseURL, clock); err != nil {
		return nil, err
	}
	if err := w.newPlatform(s); err != nil {
		return nil, err
	}
	s.subscriptions = services.NewSubscriptions(services.SubscriptionsDeps{
		Repo: repos.Subscriptions, Owners: repos.Users, Emails: s.emails, Referrals: repos.Referrals, Writes: writes,
		Rules: s.platform.BillingRules,
		Clock: clock, Log: log, BaseURL: cfg.BaseURL,
	})
	s.trials = services.NewTrials(s.subscriptions, repos.Subscriptions)
	if cfg.StripeSecretKey != "" {
		s.rewards = services.NewReferralRewards(services.ReferralRewardsDeps{
			Subscriptions: s.subscriptions, Repo: repos.Referrals, Tx: tx,
			Credits:        stripe.New(cfg.StripeSecretKey, cfg.StripeAPIBase),
			PlanPriceCents: cfg.PlanPriceCents, RewardPercent: s.platform.RewardPercent,
		})
	}
	s.referrals = services.NewReferrals(services.ReferralsDeps{Repo: repos.Referrals, Codes: repos.Businesses})
	s.billing = w.newBilling(s.platform)
	s.accounts = services.NewAccounts(services.AccountsDeps{
		Users: repos.Users, Businesses: repos.Businesses, Sessions: repos.Sessions, Tokens: repos.Tokens,
		Attempts: repos.Attempts, Emails: s.emails, Tx: tx, Signer: services.NewSigner(w.secret),
		Referrals: s.referrals, Subscriptions: s.subscriptions,
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
	s.stats = services.NewStats(repositories.NewStats(w.db), w.cache, writes, clock)
	s.settings = services.NewStoreSettings(repos.Businesses, writes, clock)
	catalog := services.CatalogDeps{
		Categories: repos.Catalog.Categories, Products: repos.Catalog.Products, Options: repos.Catalog.ProductOptions,
		Writes: writes, Clock: clock,
	}
	s.categories = services.NewCategories(catalog)
	s.products = services.NewProducts(catalog)
	s.options = services.NewProductOptions(catalog)
	s.media = w.media
	s.images = services.NewImages(services.ImagesDeps{
		Repo: repos.Images, Storage: s.media, Writes: writes, Log: log,
	})
	s.demo = services.NewDemo(services.DemoDeps{
		Users: repos.Users, Businesses: repos.Businesses, Catalog: repos.Catalog, Reviews: repos.Reviews,
		Images: s.images, OrderRepo: repos.Orders, OrderBusinessRepo: repos.Businesses,
		Tx: tx, Writes: writes, Clock: clock, BcryptCost: o.BcryptCost,
	})
	s.orders = services.NewOrders(services.OrdersDeps{
		Repo: repos.Orders, Businesses: repos.Businesses, Emails: s.emails, Writes: writes,
		Translator: w.bundle, Clock: clock, Log: log, BaseURL: cfg.BaseURL,
	})
	s.reviews = services.NewReviews(repos.Reviews, writes, clock)
	s.storefront = services.NewStorefront(repositories.NewStorefront(w.db), repos.Reviews, w.cache, clock)
	s.cleanup = services.NewCleanup(services.CleanupDeps{
		Repo: repositories.NewCleanup(w.db), Files: s.images, Writes: writes,
		Audit: s.audit, Clock: clock, Log: log,
		TestData: cfg.IsProduction(), UnverifiedDays: cfg.CleanupUnverifiedDays,
	})
	s.chat = services.NewChat(services.ChatDeps{
		Stores: s.storefront, LLM: w.newChatLLM(o), Exchanges: repos.ChatExchanges, Cache: w.cache,
		Translator: w.bundle, Clock: clock, Log: log, BaseURL: cfg.BaseURL, DailyTokens: cfg.ChatDailyTokens,
	})
	return s, nil
}

// newChatLLM is the chatbot's LLM client (Options.ChatLLM, or one built
// from the config), or nil when none is configured: the chatbot then
// answers with its fallback.
func (w *wiring) newChatLLM(o Options) services.ChatLLM {
	if o.ChatLLM != nil {
		return o.ChatLLM
	}
	if !w.cfg.LLMEnabled() {
		return nil
	}
	return llm.New(llm.Config{
		BaseURL: w.cfg.LLMBaseURL, APIKey: w.cfg.LLMAPIKey, Model: w.cfg.LLMModel, Logger: w.log,
	})
}

// newBilling builds the owner's side of billing; without STRIPE_SECRET_KEY
// it has no Stripe client and says payments are not configured.
func (w *wiring) newBilling(platform *services.PlatformSettings) *services.Billing {
	cfg, repos := w.cfg, w.repos
	d := services.BillingDeps{
		Repo: repos.Subscriptions, Owners: repos.Users, Referrals: repos.Referrals, Tx: w.tx,
		Translator: w.bundle, Rules: platform.BillingRules, Clock: w.clock, BaseURL: cfg.BaseURL,
		PriceID: cfg.StripePriceID, PriceCents: domain.Money(cfg.PlanPriceCents),
		RewardPercent: platform.RewardPercent,
	}
	if cfg.StripeSecretKey != "" {
		d.Stripe = stripe.New(cfg.StripeSecretKey, cfg.StripeAPIBase)
	}
	return services.NewBilling(d)
}

// newPlatform builds the audit log and the platform settings (defaults from
// the config) and loads the stored values. A change of the grace period
// drops every cached store page here, since it may take a store offline;
// other instances do the same when their reload finds it.
func (w *wiring) newPlatform(s *svcs) error {
	cfg := w.cfg
	s.audit = services.NewAudit(w.repos.AuditLog, w.clock)
	s.platform = services.NewPlatformSettings(services.PlatformSettingsDeps{
		Repo: w.repos.Settings, Tx: w.tx, Audit: s.audit, Clock: w.clock, Log: w.log,
		Defaults: services.PlatformValues{
			TrialDays: cfg.TrialDays, GraceDays: cfg.GraceDays, RewardPercent: cfg.ReferralRewardPercent,
		},
		OnChange: func(old, cur services.PlatformValues) {
			if old.GraceDays != cur.GraceDays {
				w.cache.PurgeAll()
			}
		},
	})
	return s.platform.Reload(context.Background())
}

// jobs are the scheduled jobs StartJobs runs.
func (w *wiring) jobs(s *svcs) []jobs.Job {
	js := []jobs.Job{
		jobs.Outbox(s.outbox, 5*time.Second, w.log),
		{Name: "auth-cleanup", Every: time.Hour, Run: s.accounts.DeleteExpired},
		{Name: "trials", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
			return errors.Join(s.trials.ExpireTrials(ctx), s.trials.RemindTrials(ctx))
		}},
	}
	if s.rewards != nil {
		js = append(js, jobs.Job{Name: "referral-rewards", Every: 10 * time.Minute, Run: s.rewards.RewardReferrers})
	}
	js = append(js, jobs.Job{Name: "cleanup", Every: time.Hour, Run: func(ctx context.Context) error {
		_, err := s.cleanup.Run(ctx, w.cfg.CleanupDryRun)
		return err
	}})
	return js
}
