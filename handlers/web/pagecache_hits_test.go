package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// PageCacheHits answers what PageCache keeps without running what follows
// it (here a middleware standing for language, CSRF and session), and
// passes misses, other methods and flash-carrying requests on.
func TestPageCacheHitsSkipTheRestOfTheChain(t *testing.T) {
	cache := services.NewStoreCache(time.Minute)
	f := fiber.New()
	stats := &web.PageCacheStats{}
	f.Use(web.PageCacheHits(cache, stats))
	behind := 0
	f.Use(func(c *fiber.Ctx) error { behind++; return c.Next() })
	f.Use(web.PageCache(cache, web.PageCacheConfig{Stats: stats}))
	f.Get("/:slug", func(c *fiber.Ctx) error {
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		c.Type("html")
		return c.SendString(strings.Repeat("<p>Tacos</p>", 50))
	})
	get := func(path string, header ...string) string {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := f.Test(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		return resp.Header.Get(web.HeaderPageCache)
	}
	for i, tc := range []struct {
		path, cookie, want string
		behind             int
	}{
		{"/tacos", "", "miss", 1},
		{"/tacos", "", "hit", 1},
		{"/tacos?x=1", "", "miss", 2},
		{"/tacos?x=1", "", "hit", 2},
		{"/tacos", "qubly_flash=x", "", 3},
	} {
		var h []string
		if tc.cookie != "" {
			h = []string{"Cookie", tc.cookie}
		}
		if got := get(tc.path, h...); got != tc.want || behind != tc.behind {
			t.Errorf("%d %s: X-Cache %q, %d requests behind; want %q, %d", i, tc.path, got, behind, tc.want, tc.behind)
		}
	}
	// The flash-carrying request is rendered but not cached: neither.
	if h, m := stats.Hits.Load(), stats.Misses.Load(); h != 2 || m != 2 {
		t.Errorf("stats: %d hits, %d misses; want 2, 2", h, m)
	}
}
