package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// staleApp is the page cache in front of a fake store page that fails with
// the error in fail (the database is down) when one is set.
type staleApp struct {
	f     *fiber.App
	cache *services.StoreCache
	fail  atomic.Pointer[error]
	price atomic.Int64
}

func newStaleApp(t *testing.T, cfg web.PageCacheConfig) *staleApp {
	t.Helper()
	a := &staleApp{cache: services.NewStoreCache(time.Minute)}
	a.price.Store(25)
	a.f = fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		if errors.Is(err, domain.ErrUnavailable) {
			return c.Status(fiber.StatusServiceUnavailable).SendString("unavailable")
		}
		return c.Status(fiber.StatusInternalServerError).SendString("error")
	}})
	a.f.Use(web.PageCache(a.cache, cfg))
	a.f.Get("/:slug/*", func(c *fiber.Ctx) error {
		if err := a.fail.Load(); err != nil {
			return *err
		}
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		c.Type("html")
		return c.SendString(fmt.Sprintf("<html>%s $%d %s</html>", c.Path(), a.price.Load(), strings.Repeat("x", 1000)))
	})
	return a
}

func (a *staleApp) down(err error) { a.fail.Store(&err) }
func (a *staleApp) up()            { a.fail.Store(nil) }

func (a *staleApp) get(t *testing.T, path string, cookie ...string) (status int, xcache, body string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for _, c := range cookie {
		req.Header.Add("Cookie", c)
	}
	resp, err := a.f.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get(web.HeaderPageCache), string(b)
}

func TestPageCacheServesStaleWhileTheDatabaseIsDown(t *testing.T) {
	a := newStaleApp(t, web.PageCacheConfig{})
	if _, x, _ := a.get(t, "/tacos/menu"); x != "miss" {
		t.Fatalf("first: %q", x)
	}
	// Purged (or expired), then the database goes away: the last rendering
	// is served, marked stale.
	a.cache.PurgeStore(context.Background(), storeID)
	a.down(fmt.Errorf("load store: %w: connection refused", domain.ErrUnavailable))
	for range 3 {
		if s, x, body := a.get(t, "/tacos/menu"); s != 200 || x != "stale" || !strings.Contains(body, "$25") {
			t.Fatalf("while down: %d %q %q", s, x, body[:min(len(body), 40)])
		}
	}
	// So does a visitor the cache otherwise skips (a one-time message pending).
	if s, x, _ := a.get(t, "/tacos/menu", "qubly_flash=info%3Alogout.done"); s != 200 || x != "stale" {
		t.Fatalf("with a flash cookie while down: %d %q", s, x)
	}
	// A page never rendered has nothing stale: the error stands.
	if s, _, _ := a.get(t, "/tacos/other"); s != fiber.StatusServiceUnavailable {
		t.Fatalf("uncached page while down: %d", s)
	}
	// Other errors are not hidden behind a stale page.
	a.down(errors.New("template bug"))
	if s, _, _ := a.get(t, "/tacos/menu"); s != fiber.StatusInternalServerError {
		t.Fatalf("other error: %d", s)
	}
	// Back up: rendered afresh.
	a.up()
	a.price.Store(30)
	if s, x, body := a.get(t, "/tacos/menu"); s != 200 || x != "miss" || !strings.Contains(body, "$30") {
		t.Fatalf("after: %d %q", s, x)
	}
}

func TestStalePagesAreBounded(t *testing.T) {
	// In age: past StaleFor, the copy is gone.
	a := newStaleApp(t, web.PageCacheConfig{StaleFor: 50 * time.Millisecond})
	a.get(t, "/tacos/menu")
	a.cache.PurgeStore(context.Background(), storeID)
	time.Sleep(100 * time.Millisecond)
	a.down(domain.ErrUnavailable)
	if s, _, _ := a.get(t, "/tacos/menu"); s != fiber.StatusServiceUnavailable {
		t.Fatalf("stale past StaleFor: %d", s)
	}

	// In bytes: the oldest copy goes first.
	a = newStaleApp(t, web.PageCacheConfig{MaxStaleBytes: 2500})
	for _, p := range []string{"/tacos/a", "/tacos/b", "/tacos/c"} {
		a.get(t, p)
		time.Sleep(time.Millisecond)
	}
	a.cache.PurgeStore(context.Background(), storeID)
	a.down(domain.ErrUnavailable)
	for p, want := range map[string]int{"/tacos/a": 503, "/tacos/b": 200, "/tacos/c": 200} {
		if s, _, _ := a.get(t, p); s != want {
			t.Errorf("%s: %d, want %d", p, s, want)
		}
	}
}
