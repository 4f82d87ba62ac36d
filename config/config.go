// Package config reads Qubly's typed configuration from environment variables.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Environments accepted in APP_ENV.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// DefaultLLMBaseURL is Groq's OpenAI-compatible endpoint.
const DefaultLLMBaseURL = "https://api.groq.com/openai/v1"

// Config is the application's configuration. Load fills it from the environment.
type Config struct {
	Port          int
	Env           string
	BaseURL       string
	DatabaseURL   string
	AdminEmail    string
	AdminPassword string
	DemoPassword  string
	// SecretKey signs links and CSRF tokens. When empty, a key generated once and
	// stored in the database is used, so every instance shares it.
	SecretKey string

	ResendAPIKey string
	EmailFrom    string

	StripeSecretKey     string
	StripeWebhookSecret string
	StripePriceID       string
	StripeAPIBase       string

	// TrialDays is the free trial's length (TRIAL_DAYS, default 14);
	// GraceDays how long a store with a failed payment stays online
	// (GRACE_DAYS, default 7).
	TrialDays int
	GraceDays int
	// PlanPriceCents is the monthly price STRIPE_PRICE_ID charges, in
	// centavos (PLAN_PRICE_CENTS, default 24900: $249 MXN); referral rewards
	// are a share of it.
	PlanPriceCents int64
	// ReferralRewardPercent of one month is each side's referral reward
	// (REFERRAL_REWARD_PERCENT, default 50).
	ReferralRewardPercent int

	// The store chatbot's LLM, any OpenAI-compatible chat API: on with
	// LLM_API_KEY, or with an LLM_BASE_URL that needs no key (a local
	// Ollama); see LLMEnabled. ChatDailyTokens is each store's daily token
	// budget (CHAT_DAILY_TOKENS, default 200000; 0 never calls the LLM).
	LLMAPIKey       string
	LLMBaseURL      string
	LLMModel        string
	ChatDailyTokens int64

	// DataDir holds files the app writes besides the database; uploaded
	// images go to DataDir/media (DATA_DIR, default ./data).
	DataDir string
	// Storage is where uploaded images live (STORAGE_URL, S3_*; see
	// storage.go): DataDir/media unless a bucket is configured.
	Storage Storage

	// ProxyHeader names the header carrying the client IP set by a trusted
	// proxy (Fly.io: Fly-Client-IP). Empty means the connection's address.
	ProxyHeader string

	// MetricsToken guards /metrics (METRICS_TOKEN, sent as "Authorization:
	// Bearer <token>"); in production without one /metrics answers 404, in
	// development it is open.
	MetricsToken string

	// CleanupUnverifiedDays is how old an account whose owner never
	// verified their email must be for the cleanup job to remove it
	// (CLEANUP_UNVERIFIED_DAYS, default 7; 0 keeps them). CleanupDryRun
	// (CLEANUP_DRY_RUN=1) makes the job only log what it would remove.
	CleanupUnverifiedDays int
	CleanupDryRun         bool

	// DevAssets reads templates and static files from disk instead of the
	// embedded copies, for live editing (QUBLY_DEV_ASSETS=1, development only).
	DevAssets bool
}

// Load reads the configuration through getenv (os.Getenv in main). It returns
// one clear error naming the first invalid variable.
func Load(getenv func(string) string) (*Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		Env:                 get("APP_ENV", EnvDevelopment),
		DatabaseURL:         get("DATABASE_URL", "sqlite:./data/qubly.db"),
		AdminEmail:          get("ADMIN_EMAIL", ""),
		AdminPassword:       getenv("ADMIN_PASSWORD"),
		SecretKey:           get("SECRET_KEY", ""),
		ResendAPIKey:        get("RESEND_API_KEY", ""),
		EmailFrom:           get("EMAIL_FROM", "Qubly <hola@qubly.mx>"),
		StripeSecretKey:     get("STRIPE_SECRET_KEY", ""),
		StripeWebhookSecret: get("STRIPE_WEBHOOK_SECRET", ""),
		StripePriceID:       get("STRIPE_PRICE_ID", ""),
		StripeAPIBase:       get("STRIPE_API_BASE", ""),
		LLMAPIKey:           get("LLM_API_KEY", ""),
		LLMBaseURL:          get("LLM_BASE_URL", DefaultLLMBaseURL),
		LLMModel:            get("LLM_MODEL", "llama-3.1-8b-instant"),
		ProxyHeader:         get("PROXY_HEADER", ""),
		DataDir:             get("DATA_DIR", "./data"),
		MetricsToken:        get("METRICS_TOKEN", ""),
	}
	if c.Env != EnvDevelopment && c.Env != EnvProduction {
		return nil, fmt.Errorf("APP_ENV: must be %q or %q, got %q", EnvDevelopment, EnvProduction, c.Env)
	}

	port, err := strconv.Atoi(get("PORT", "3000"))
	if err != nil || port < 1 || port > 65535 {
		return nil, fmt.Errorf("PORT: must be a number from 1 to 65535, got %q", getenv("PORT"))
	}
	c.Port = port

	c.BaseURL = strings.TrimRight(get("BASE_URL", fmt.Sprintf("http://localhost:%d", port)), "/")
	if err := checkHTTPURL(c.BaseURL); err != nil {
		return nil, fmt.Errorf("BASE_URL: %w", err)
	}
	if _, _, err := c.Database(); err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if c.StripeAPIBase != "" {
		if err := checkHTTPURL(c.StripeAPIBase); err != nil {
			return nil, fmt.Errorf("STRIPE_API_BASE: %w", err)
		}
	}
	if err := checkHTTPURL(c.LLMBaseURL); err != nil {
		return nil, fmt.Errorf("LLM_BASE_URL: %w", err)
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return nil, errors.New("ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither")
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 8 {
		return nil, errors.New("ADMIN_PASSWORD: must be at least 8 characters")
	}
	c.DemoPassword = getenv("DEMO_PASSWORD")
	if c.DemoPassword == "" && c.Env == EnvDevelopment {
		c.DemoPassword = "demo12345"
	}
	if c.DemoPassword != "" && len(c.DemoPassword) < 8 {
		return nil, errors.New("DEMO_PASSWORD: must be at least 8 characters")
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		return nil, errors.New("SECRET_KEY: must be at least 32 characters")
	}
	if err := c.loadFigures(get); err != nil {
		return nil, err
	}
	switch v := get("CLEANUP_DRY_RUN", "0"); v {
	case "0", "false":
	case "1", "true":
		c.CleanupDryRun = true
	default:
		return nil, fmt.Errorf("CLEANUP_DRY_RUN: must be 1 or 0, got %q", v)
	}
	if c.Storage, err = loadStorage(get, c.DataDir); err != nil {
		return nil, err
	}
	c.DevAssets = c.Env == EnvDevelopment && getenv("QUBLY_DEV_ASSETS") == "1"
	return c, nil
}

// loadFigures reads the subscription, referral and chatbot figures.
func (c *Config) loadFigures(get func(k, def string) string) error {
	ints := []struct {
		name     string
		def      string
		min, max int64
		set      func(int64)
	}{
		{"TRIAL_DAYS", "14", 1, 365, func(v int64) { c.TrialDays = int(v) }},
		{"GRACE_DAYS", "7", 0, 60, func(v int64) { c.GraceDays = int(v) }},
		{"PLAN_PRICE_CENTS", "24900", 100, 100_000_00, func(v int64) { c.PlanPriceCents = v }},
		{"REFERRAL_REWARD_PERCENT", "50", 0, 100, func(v int64) { c.ReferralRewardPercent = int(v) }},
		{"CHAT_DAILY_TOKENS", "200000", 0, 1_000_000_000, func(v int64) { c.ChatDailyTokens = v }},
		{"CLEANUP_UNVERIFIED_DAYS", "7", 0, 3650, func(v int64) { c.CleanupUnverifiedDays = int(v) }},
	}
	for _, f := range ints {
		raw := get(f.name, f.def)
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v < f.min || v > f.max {
			return fmt.Errorf("%s: must be a whole number from %d to %d, got %q", f.name, f.min, f.max, raw)
		}
		f.set(v)
	}
	return nil
}

// LLMEnabled reports whether the chatbot calls an LLM: with an API key, or
// with a base URL other than Groq's (a local server that needs no key).
// Without one, the chatbot answers with its fallback.
func (c *Config) LLMEnabled() bool {
	return c.LLMAPIKey != "" || c.LLMBaseURL != DefaultLLMBaseURL
}

// IsProduction reports whether APP_ENV is production.
func (c *Config) IsProduction() bool { return c.Env == EnvProduction }

// Database splits DATABASE_URL into a driver name ("sqlite" or "postgres") and
// the DSN that driver takes.
func (c *Config) Database() (driver, dsn string, err error) {
	return ParseDatabaseURL(c.DatabaseURL)
}

// ParseDatabaseURL accepts "sqlite:PATH" or a postgres:// (postgresql://) URL.
func ParseDatabaseURL(raw string) (driver, dsn string, err error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(raw, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", errors.New(`sqlite needs a path, e.g. "sqlite:./data/qubly.db"`)
		}
		return "sqlite", path, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "", "", errors.New("not a valid postgres:// URL")
		}
		return "postgres", raw, nil
	default:
		return "", "", fmt.Errorf(`must start with "sqlite:" or "postgres://", got %q`, redact(raw))
	}
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL, got %q", raw)
	}
	return nil
}

// redact hides anything that may be a password in a connection string.
func redact(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		return "…" + s[i:]
	}
	return s
}
