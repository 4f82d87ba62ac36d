package testkit

import (
	"context"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// BaseURL is the app's BASE_URL in tests.
const BaseURL = "http://qubly.test"

// Clock is a settable clock for tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at a fixed time.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// App is the real application on a fresh test database.
type App struct {
	*app.App
	TestDB *TestDB
	Clock  *Clock
	// Repos reach the app's rows directly, for test set-up and checks.
	Repos *repositories.Set
	// Rows builds categories, products, images, orders and reviews
	// (fixtures.go).
	*Rows
	t testing.TB
}

// AppOption changes the environment or options before the app is built.
type AppOption func(env map[string]string, o *app.Options)

// WithEnv sets an environment variable for the app's config.
func WithEnv(k, v string) AppOption {
	return func(env map[string]string, _ *app.Options) { env[k] = v }
}

// WithEmailSender replaces the dev mailbox sender.
func WithEmailSender(s services.EmailSender) AppOption {
	return func(_ map[string]string, o *app.Options) { o.EmailSender = s }
}

// WithChatLLM gives the chatbot this LLM client (e.g. integrations/llm
// pointed at a FakeLLM with short timeouts).
func WithChatLLM(c services.ChatLLM) AppOption {
	return func(_ map[string]string, o *app.Options) { o.ChatLLM = c }
}

// NewApp builds the app on a fresh migrated database with a test clock.
func NewApp(t testing.TB, opts ...AppOption) *App {
	t.Helper()
	return NewAppOn(t, NewDB(t), opts...)
}

// NewAppOn builds the app on db.
func NewAppOn(t testing.TB, db *TestDB, opts ...AppOption) *App {
	t.Helper()
	// Uploaded and seeded images go to a fresh folder, never the package's.
	env := map[string]string{
		"APP_ENV": "development", "BASE_URL": BaseURL, "DATA_DIR": t.TempDir(),
		"STRIPE_WEBHOOK_SECRET": StripeWebhookSecret,
	}
	if db.Driver == "sqlite" {
		env["DATABASE_URL"] = "sqlite:" + db.DSN
	} else {
		env["DATABASE_URL"] = db.DSN
	}
	clock := NewClock()
	o := app.Options{DB: db.DB, Clock: clock.Now, BcryptCost: bcrypt.MinCost, Log: Logger(t)}
	for _, opt := range opts {
		opt(env, &o)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	o.Config = cfg
	a, err := app.New(context.Background(), o)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	repos := repositories.NewSet(a.DB)
	return &App{App: a, TestDB: db, Clock: clock, Repos: repos, Rows: &Rows{t: t, db: a.DB, repos: repos}, t: t}
}

// Logger discards logs unless QUBLY_TEST_LOG=1, when it writes them, from
// debug level up, to the test's log (shown with -v or when the test fails).
// Lines logged after the test has finished are dropped.
func Logger(t testing.TB) *slog.Logger {
	if os.Getenv("QUBLY_TEST_LOG") != "1" {
		return slog.New(slog.DiscardHandler)
	}
	w := &testLogWriter{t: t}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// testLogWriter writes each log line through t.Log until the test ends (a
// t.Log after that panics, and background jobs may still log).
type testLogWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testLogWriter) close() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}

// Owner is a shop owner created for a test.
type Owner struct {
	User     *domain.User
	Business *domain.Business
	Email    string
	Password string
}

// CreateOwner signs up a verified owner with a store at slug.
func (a *App) CreateOwner(slug string) *Owner {
	a.t.Helper()
	ctx := context.Background()
	email := slug + "@example.com"
	password := "secret-" + slug
	res, err := a.Accounts.Signup(ctx, services.SignupInput{
		OwnerName: "Owner " + slug, Email: email, Password: password,
		BusinessName: "Store " + slug, Slug: slug, WhatsApp: "55 1234 5678", Lang: "es",
	})
	if err != nil || !res.Created {
		a.t.Fatalf("create owner %s: %v", slug, err)
	}
	if err := a.Repos.Users.MarkVerified(ctx, res.User.ID, a.Clock.Now()); err != nil {
		a.t.Fatal(err)
	}
	u, _ := a.Repos.Users.Get(ctx, res.User.ID)
	b, err := a.Repos.Businesses.Get(ctx, *u.BusinessID)
	if err != nil {
		a.t.Fatal(err)
	}
	return &Owner{User: u, Business: b, Email: email, Password: password}
}

// CreateUser inserts a verified user with role and password.
func (a *App) CreateUser(email, password string, role domain.Role) *domain.User {
	a.t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	now := a.Clock.Now()
	u := &domain.User{Email: email, Name: string(role), PasswordHash: string(hash), Role: role, Locale: "es", EmailVerifiedAt: &now}
	if err := a.Repos.Users.Create(context.Background(), u); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// Emails returns the outbox emails sent to address, oldest first.
func (a *App) Emails(address string) []domain.OutboxEmail {
	a.t.Helper()
	var es []domain.OutboxEmail
	if err := a.DB.Where("to_address = ?", strings.ToLower(address)).Order("id").Find(&es).Error; err != nil {
		a.t.Fatal(err)
	}
	return es
}

var linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// LastLink returns the newest link in the newest email to address whose
// path starts with prefix (e.g. "/verify").
func (a *App) LastLink(address, prefix string) string {
	a.t.Helper()
	es := a.Emails(address)
	for i := len(es) - 1; i >= 0; i-- {
		for _, l := range linkRe.FindAllString(es[i].TextBody, -1) {
			if strings.HasPrefix(l, BaseURL+prefix) {
				return strings.TrimPrefix(l, BaseURL)
			}
		}
	}
	a.t.Fatalf("no %s link in emails to %s", prefix, address)
	return ""
}

// Client returns a new browser-like client with its own cookies.
func (a *App) Client() *Client { return newClient(a.t, a.Fiber) }
