// Command qubly runs the Qubly web app: `qubly` (or `qubly serve`) serves it,
// `qubly migrate` applies migrations, `qubly seed-demo` creates the demo store,
// `qubly stripe-setup` prepares a Stripe account, `qubly cleanup` removes
// junk businesses, `qubly toon` turns JSON into TOON.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // store time zones work on a minimal container too

	"gorm.io/gorm"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/repositories"
)

const usage = `Qubly: a WhatsApp storefront for small businesses.

Usage:
  qubly [command]

Commands:
  serve       run the web server and scheduled jobs (default)
  migrate     apply pending database migrations and exit
  seed-demo   create the demo store "Tacos Doña Lupe" at /demo if it is missing
  stripe-setup
              prepare the Stripe account of STRIPE_SECRET_KEY, creating what
              is missing: the monthly price (lookup key qubly_monthly_mxn),
              the webhook endpoint at BASE_URL/webhooks/stripe and the customer
              portal; prints the STRIPE_* variables to set (STRIPE_API_BASE
              points it at another API, e.g. stripe-mock)
  cleanup [--dry-run]
              remove junk businesses once, as the hourly cleanup job does
              (see README): demo copies and test-domain owners in
              production, unverified sign-ups older than
              CLEANUP_UNVERIFIED_DAYS; --dry-run (or CLEANUP_DRY_RUN=1)
              only lists them
  toon [--delimiter D] [--indent N]
              read JSON on stdin and print it as TOON (Token-Oriented Object
              Notation) on stdout; D is "," (default), "|" or a tab ("\t" or
              "tab"), N the spaces per level (default 2)
  help        show this help

Configuration comes from environment variables; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	case "toon":
		return toonCmd(args[1:], os.Stdin, stdout, stderr)
	case "serve", "migrate", "seed-demo", "stripe-setup", "cleanup":
	default:
		fmt.Fprintf(stderr, "qubly: unknown command %q\n\n%s", cmd, usage)
		return 2
	}

	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "qubly: configuration error: %v\n", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cmd == "stripe-setup" {
		return stripeSetup(ctx, cfg, stdout, stderr)
	}

	db, err := openDB(ctx, cfg)
	if err != nil {
		log.Error("database", "err", err)
		return 1
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()

	switch cmd {
	case "migrate":
		ids, _ := migrations.Applied(db)
		log.Info("migrations applied", "count", len(ids))
		return 0
	case "seed-demo":
		a, err := app.New(ctx, app.Options{Config: cfg, DB: db, Log: log})
		if err != nil {
			log.Error("build app", "err", err)
			return 1
		}
		if err := seedDemo(ctx, a, log); err != nil {
			log.Error("seed demo", "err", err)
			return 1
		}
		return 0
	case "cleanup":
		return cleanupCmd(ctx, cfg, db, log, args[1:], stdout, stderr)
	}
	if err := serve(ctx, cfg, db, log); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var h slog.Handler
	if cfg.IsProduction() {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})
	} else {
		h = slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}

// openDB connects and applies pending migrations.
func openDB(ctx context.Context, cfg *config.Config) (*gorm.DB, error) {
	driver, dsn, err := cfg.Database()
	if err != nil {
		return nil, err
	}
	db, err := repositories.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	if err := migrations.Run(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

func serve(ctx context.Context, cfg *config.Config, db *gorm.DB, log *slog.Logger) error {
	a, err := app.New(ctx, app.Options{Config: cfg, DB: db, Log: log})
	if err != nil {
		return err
	}
	if cfg.AdminEmail != "" {
		if err := a.Accounts.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword); err != nil {
			return fmt.Errorf("ensure admin: %w", err)
		}
		log.Info("super admin ready", "email", cfg.AdminEmail)
	}
	if !cfg.IsProduction() {
		n, err := a.Accounts.UserCount(ctx)
		if err != nil {
			return err
		}
		exists, err := a.Demo.Exists(ctx)
		if err != nil {
			return err
		}
		if !exists && n == 0 {
			if err := seedDemo(ctx, a, log); err != nil {
				return err
			}
		}
	}

	jobsCtx, stopJobs := context.WithCancel(context.Background())
	a.StartJobs(jobsCtx)

	errc := make(chan error, 1)
	addr := fmt.Sprintf(":%d", cfg.Port)
	go func() { errc <- a.Fiber.Listen(addr) }()
	log.Info("qubly is listening", "url", cfg.BaseURL, "addr", addr, "env", cfg.Env)
	if !cfg.IsProduction() {
		log.Info("try it", "store", cfg.BaseURL+"/demo", "login", cfg.BaseURL+"/login",
			"user", "demo@qubly.mx", "password", cfg.DemoPassword, "mailbox", cfg.BaseURL+"/dev/mail")
	}

	select {
	case err := <-errc:
		stopJobs()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	if err := a.Fiber.ShutdownWithTimeout(25 * time.Second); err != nil {
		log.Error("shutdown", "err", err)
	}
	stopJobs()
	a.WaitJobs()
	log.Info("stopped")
	return nil
}

// seedDemo creates the demo store; outside development without
// DEMO_PASSWORD, it picks a random password and prints it once.
func seedDemo(ctx context.Context, a *app.App, log *slog.Logger) error {
	password := a.Config.DemoPassword
	generated := false
	if password == "" {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password = base64.RawURLEncoding.EncodeToString(b)
		generated = true
	}
	start := time.Now()
	created, err := a.Demo.Seed(ctx, password)
	if err != nil {
		return err
	}
	if !created {
		log.Info("demo store already exists", "url", a.Config.BaseURL+"/demo")
		return nil
	}
	if generated {
		log.Info("demo store created; this password is shown only once",
			"url", a.Config.BaseURL+"/demo", "email", "demo@qubly.mx", "password", password, "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	log.Info("demo store created", "url", a.Config.BaseURL+"/demo", "email", "demo@qubly.mx", "took", time.Since(start).Round(time.Millisecond))
	return nil
}
