package system_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestHealthz(t *testing.T) {
	a := testkit.NewApp(t)
	r := a.Client().Get("/healthz")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"ok"`) {
		t.Fatalf("healthz: %d %s", r.StatusCode, r.Body)
	}
}

// TestReadyzFollowsTheDatabase takes the database away and brings it back
// without restarting the app.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	db := testkit.NewDB(t)
	var down, up func()
	if db.Driver == "sqlite" {
		// The file disappears (a detached volume) and comes back.
		down = func() {
			if err := os.Rename(db.DSN, db.DSN+".away"); err != nil {
				t.Fatal(err)
			}
		}
		up = func() {
			if err := os.Rename(db.DSN+".away", db.DSN); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		// The app reaches PostgreSQL through a proxy that goes down and up.
		proxy := testkit.NewProxy(t, testkit.PostgresHost(db.DSN))
		dsn := testkit.ViaProxy(db.DSN, proxy.Addr())
		viaProxy, err := repositories.Open("postgres", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := viaProxy.DB(); err == nil {
				s.Close()
			}
		})
		db = &testkit.TestDB{DB: viaProxy, Driver: "postgres", DSN: dsn, Schema: db.Schema}
		down, up = proxy.Down, proxy.Up
	}
	a := testkit.NewAppOn(t, db)
	c := a.Client()

	ready := func() (int, map[string]string) {
		r := c.Get("/readyz")
		var body map[string]string
		json.Unmarshal([]byte(r.Body), &body)
		return r.StatusCode, body
	}
	if code, _ := ready(); code != http.StatusOK {
		t.Fatalf("ready at start: %d", code)
	}
	down()
	if code, body := ready(); code != http.StatusServiceUnavailable || body["database"] != "unreachable" {
		t.Fatalf("database gone: %d %v", code, body)
	}
	if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Fatalf("healthz while database gone: %d", r.StatusCode)
	}
	up()
	// The pool may hold a broken connection; the first check after the
	// return may fail, the next must pass.
	code, _ := ready()
	if code != http.StatusOK {
		code, _ = ready()
	}
	if code != http.StatusOK {
		t.Fatalf("database back: %d", code)
	}
}

func TestLanguageSwitch(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	if r := c.Get("/login"); !strings.Contains(r.Body, "Inicia sesión") {
		t.Fatal("default is not Spanish")
	}
	r := c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("lang: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/login"); !strings.Contains(r.Body, `<html lang="en">`) || !strings.Contains(r.Body, "Forgot your password?") {
		t.Fatal("language not switched")
	}
}

func TestSecurityHeadersAndErrorPages(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	r := c.Get("/login")
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(r.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, r.Header.Get(h), want)
		}
	}
	if strings.Contains(r.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS in development")
	}
	if r.Header.Get("X-Request-ID") == "" {
		t.Error("no request ID")
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " onclick=") {
		t.Error("inline script in page")
	}

	r = c.Get("/no-such-store")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "No encontramos esta página") {
		t.Fatalf("404 page: %d", r.StatusCode)
	}

	// A failing database gives the friendly 500 page with the request ID.
	sqlDB, _ := a.DB.DB()
	sqlDB.Close()
	r = c.Get("/demo")
	id := r.Header.Get("X-Request-ID")
	if r.StatusCode != http.StatusInternalServerError || id == "" || !strings.Contains(r.Body, id) {
		t.Fatalf("500 page: %d\n%s", r.StatusCode, r.Body)
	}
	if strings.Contains(r.Body, "database is closed") || strings.Contains(r.Body, ".go:") {
		t.Fatal("500 page leaks the cause")
	}
}

func TestHSTSInProduction(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("APP_ENV", "production"), testkit.WithEnv("BASE_URL", "https://qubly.test"))
	r := a.Client().Get("/healthz")
	if !strings.Contains(r.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatal("no HSTS in production")
	}
	if r := a.Client().Get("/dev/mail"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("dev mailbox in production: %d", r.StatusCode)
	}
}

func TestDevMailboxListsLinks(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	c.PostForm("/password/forgot", url.Values{"email": {"nobody@example.com"}})
	o := a.CreateOwner("tienda-a")
	c.PostForm("/password/forgot", url.Values{"email": {o.Email}})
	r := c.Get("/dev/mail")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, testkit.BaseURL+"/password/reset?token=") {
		t.Fatalf("mailbox: %d\n%s", r.StatusCode, r.Body)
	}
}
