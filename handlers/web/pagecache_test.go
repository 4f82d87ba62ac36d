package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// cacheApp is a Fiber app with the page cache in front of a fake store page
// whose content the test changes as if it edited the database.
type cacheApp struct {
	f       *fiber.App
	cache   *services.StoreCache
	content atomic.Value // string
	renders atomic.Int64
	// mod, when set, changes the fake handler's response.
	mod func(c *fiber.Ctx)
}

const storeID int64 = 7

func newCacheApp(t *testing.T, cfg web.PageCacheConfig) *cacheApp {
	t.Helper()
	a := &cacheApp{cache: services.NewStoreCache(time.Minute)}
	a.content.Store(strings.Repeat("<p>Tacos al pastor $25.00</p>\n", 40))
	a.f = fiber.New()
	a.f.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	a.f.Use(web.PageCache(a.cache, cfg))
	page := func(c *fiber.Ctx) error {
		a.renders.Add(1)
		if c.Params("slug") != "tacos" {
			return fiber.ErrNotFound
		}
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		if a.mod != nil {
			a.mod(c)
		}
		c.Type("html")
		return c.SendString("<html>" + c.Path() + "?" + string(c.Request().URI().QueryString()) + a.content.Load().(string) + "</html>")
	}
	a.f.Get("/:slug", page)
	a.f.Get("/:slug/reviews", page)
	a.f.Post("/:slug", page)
	a.f.Get("/login", func(c *fiber.Ctx) error {
		a.renders.Add(1)
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		return c.SendString("login")
	})
	return a
}

type answer struct {
	status  int
	header  http.Header
	body    string // decoded
	rawSize int
}

func (a *cacheApp) do(t *testing.T, method, target string, header ...string) answer {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.f.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := raw
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		if body, err = fasthttp.AppendGunzipBytes(nil, raw); err != nil {
			t.Fatalf("gunzip: %v", err)
		}
	case "br":
		if body, err = fasthttp.AppendUnbrotliBytes(nil, raw); err != nil {
			t.Fatalf("unbrotli: %v", err)
		}
	case "":
	default:
		t.Fatalf("unexpected encoding %q", resp.Header.Get("Content-Encoding"))
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(body), rawSize: len(raw)}
}

func (a *cacheApp) get(t *testing.T, target string, header ...string) answer {
	t.Helper()
	return a.do(t, http.MethodGet, target, header...)
}

func TestPageCacheServesHitsWithoutRendering(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	first := a.get(t, "/tacos")
	if first.status != 200 || first.header.Get(web.HeaderPageCache) != "miss" || !strings.Contains(first.body, "$25.00") {
		t.Fatalf("first: %d %q", first.status, first.header.Get(web.HeaderPageCache))
	}
	// The "database" changes without a purge: the cached page is served.
	a.content.Store("<p>Tacos al pastor $30.00</p>")
	second := a.get(t, "/tacos")
	if second.header.Get(web.HeaderPageCache) != "hit" || second.body != first.body || a.renders.Load() != 1 {
		t.Fatalf("second: %q, renders %d", second.header.Get(web.HeaderPageCache), a.renders.Load())
	}
	for _, h := range []string{fiber.HeaderContentType, fiber.HeaderETag, fiber.HeaderCacheControl} {
		if second.header.Get(h) != first.header.Get(h) || second.header.Get(h) == "" {
			t.Errorf("%s: hit %q, miss %q", h, second.header.Get(h), first.header.Get(h))
		}
	}
	if cc := second.header.Get(fiber.HeaderCacheControl); cc != web.PageCacheControl {
		t.Errorf("Cache-Control %q", cc)
	}
	// HEAD is answered from the cache too.
	if h := a.do(t, http.MethodHead, "/tacos"); h.status != 200 || h.header.Get(web.HeaderPageCache) != "hit" {
		t.Errorf("HEAD: %d %q", h.status, h.header.Get(web.HeaderPageCache))
	}
	// Another query is another page.
	if r := a.get(t, "/tacos?q=pastor"); r.header.Get(web.HeaderPageCache) != "miss" || !strings.Contains(r.body, "$30.00") {
		t.Fatalf("other query: %q", r.header.Get(web.HeaderPageCache))
	}
	// After the purge the new content shows at once.
	a.cache.PurgeStore(context.Background(), storeID)
	third := a.get(t, "/tacos")
	if third.header.Get(web.HeaderPageCache) != "miss" || !strings.Contains(third.body, "$30.00") {
		t.Fatalf("after purge: %q %q", third.header.Get(web.HeaderPageCache), third.body)
	}
	if third.header.Get(fiber.HeaderETag) == first.header.Get(fiber.HeaderETag) {
		t.Fatal("ETag unchanged after the content changed")
	}
}

func TestPageCacheETagAndNotModified(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	miss := a.get(t, "/tacos")
	etag := miss.header.Get(fiber.HeaderETag)
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("ETag %q", etag)
	}
	// A hit with the ETag: 304 without a body.
	r := a.get(t, "/tacos", "If-None-Match", etag, "Accept-Encoding", "gzip")
	if r.status != http.StatusNotModified || r.rawSize != 0 || r.header.Get(fiber.HeaderETag) != etag {
		t.Fatalf("hit revalidation: %d, %d bytes, %q", r.status, r.rawSize, r.header.Get(fiber.HeaderETag))
	}
	// The strong form and a list work as well; another ETag gets the page.
	if r := a.get(t, "/tacos", "If-None-Match", `"x", `+strings.TrimPrefix(etag, "W/")); r.status != http.StatusNotModified {
		t.Fatalf("list: %d", r.status)
	}
	if r := a.get(t, "/tacos", "If-None-Match", `W/"other"`); r.status != 200 || r.body != miss.body {
		t.Fatalf("other ETag: %d", r.status)
	}
	// A miss (after a purge, same content) revalidates too.
	a.cache.PurgeStore(context.Background(), storeID)
	r = a.get(t, "/tacos", "If-None-Match", etag)
	if r.status != http.StatusNotModified || r.header.Get(web.HeaderPageCache) != "miss" || r.rawSize != 0 {
		t.Fatalf("miss revalidation: %d %q", r.status, r.header.Get(web.HeaderPageCache))
	}
}

func TestPageCacheCompressedHitsDecodeToTheSameBody(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	plain := a.get(t, "/tacos")
	for _, enc := range []string{"gzip", "br", "gzip, deflate, br, zstd", "br;q=0, gzip"} {
		want := "br"
		if !strings.Contains(enc, "br") || strings.Contains(enc, "br;q=0") {
			want = "gzip"
		}
		for _, round := range []string{"hit", "miss"} {
			if round == "miss" {
				a.cache.PurgeStore(context.Background(), storeID)
			}
			r := a.get(t, "/tacos", "Accept-Encoding", enc)
			if r.header.Get(web.HeaderPageCache) != round {
				t.Fatalf("%s %s: X-Cache %q", enc, round, r.header.Get(web.HeaderPageCache))
			}
			if got := r.header.Get("Content-Encoding"); got != want {
				t.Fatalf("%s %s: Content-Encoding %q, want %q", enc, round, got, want)
			}
			if r.body != plain.body {
				t.Fatalf("%s %s: decoded body differs", enc, round)
			}
			if r.rawSize >= len(plain.body) {
				t.Fatalf("%s %s: %d bytes is not compressed (%d plain)", enc, round, r.rawSize, len(plain.body))
			}
			if r.header.Get(fiber.HeaderETag) != plain.header.Get(fiber.HeaderETag) {
				t.Fatalf("%s %s: ETag %q differs from %q", enc, round, r.header.Get(fiber.HeaderETag), plain.header.Get(fiber.HeaderETag))
			}
			if !strings.Contains(r.header.Get(fiber.HeaderVary), "Accept-Encoding") {
				t.Fatalf("%s %s: Vary %q", enc, round, r.header.Get(fiber.HeaderVary))
			}
		}
	}
	// Without Accept-Encoding a hit is sent as is.
	if r := a.get(t, "/tacos"); r.header.Get("Content-Encoding") != "" || r.body != plain.body {
		t.Fatalf("identity hit: %q", r.header.Get("Content-Encoding"))
	}
}

func TestPageCacheStoresOnlySharedPages(t *testing.T) {
	cases := []struct {
		name   string
		mod    func(c *fiber.Ctx)
		header []string
		path   string
	}{
		{name: "sets a cookie", mod: func(c *fiber.Ctx) { c.Cookie(&fiber.Cookie{Name: "k", Value: "v"}) }},
		{name: "not cacheable", mod: func(c *fiber.Ctx) { c.Locals(web.LocalStoreCacheable, nil) }},
		{name: "no business", mod: func(c *fiber.Ctx) { c.Locals(web.LocalStoreBusinessID, nil) }},
		{name: "not 200", mod: func(c *fiber.Ctx) { c.Status(http.StatusServiceUnavailable) }},
		{name: "flash cookie", header: []string{"Cookie", "qubly_flash=success%3Areview.sent"}},
		{name: "app path", path: "/login"},
		{name: "unknown store", path: "/otra-tienda"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newCacheApp(t, web.PageCacheConfig{})
			a.mod = tc.mod
			path := tc.path
			if path == "" {
				path = "/tacos"
			}
			a.get(t, path, tc.header...)
			r := a.get(t, path, tc.header...)
			if a.renders.Load() != 2 || r.header.Get(web.HeaderPageCache) == "hit" {
				t.Fatalf("cached: renders %d, X-Cache %q", a.renders.Load(), r.header.Get(web.HeaderPageCache))
			}
		})
	}
	t.Run("POST", func(t *testing.T) {
		a := newCacheApp(t, web.PageCacheConfig{})
		a.do(t, http.MethodPost, "/tacos")
		a.do(t, http.MethodPost, "/tacos")
		if r := a.get(t, "/tacos"); r.header.Get(web.HeaderPageCache) != "miss" || a.renders.Load() != 3 {
			t.Fatalf("POST was cached: %q", r.header.Get(web.HeaderPageCache))
		}
	})
	t.Run("HEAD miss", func(t *testing.T) {
		a := newCacheApp(t, web.PageCacheConfig{})
		a.do(t, http.MethodHead, "/tacos")
		if r := a.get(t, "/tacos"); r.header.Get(web.HeaderPageCache) != "miss" || !strings.Contains(r.body, "Tacos") {
			t.Fatalf("HEAD stored a page: %q", r.header.Get(web.HeaderPageCache))
		}
	})
}

func TestPageCacheKeepsAHandlersLongCacheControl(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	a.mod = func(c *fiber.Ctx) { c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable") }
	a.get(t, "/tacos")
	r := a.get(t, "/tacos")
	if r.header.Get(fiber.HeaderCacheControl) != "public, max-age=31536000, immutable" {
		t.Fatalf("Cache-Control %q", r.header.Get(fiber.HeaderCacheControl))
	}
	if r.header.Get(web.HeaderPageCache) != "hit" || a.renders.Load() != 1 {
		t.Fatalf("second GET: X-Cache %q, renders %d, want a hit and one render", r.header.Get(web.HeaderPageCache), a.renders.Load())
	}
}

func TestPageCacheDropsPagesRenderedDuringAPurge(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	// The store is edited (and purged) while its page renders from the
	// old data: that page must not be kept.
	a.mod = func(c *fiber.Ctx) { a.cache.PurgeStore(context.Background(), storeID) }
	a.get(t, "/tacos")
	a.mod = nil
	if r := a.get(t, "/tacos"); r.header.Get(web.HeaderPageCache) != "miss" {
		t.Fatalf("page rendered during a purge was cached")
	}
	if r := a.get(t, "/tacos"); r.header.Get(web.HeaderPageCache) != "hit" {
		t.Fatalf("X-Cache %q", r.header.Get(web.HeaderPageCache))
	}
}

func TestPageCacheForgetsARenamedSlug(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{})
	a.get(t, "/tacos")
	if id, ok := a.cache.StoreID("tacos"); !ok || id != storeID {
		t.Fatalf("slug not remembered: %d %v", id, ok)
	}
	// Settings changes purge the store: its old slug no longer resolves.
	a.cache.PurgeStore(context.Background(), storeID)
	if _, ok := a.cache.StoreID("tacos"); ok {
		t.Fatal("old slug still resolves after the purge")
	}
}

func TestPageCacheBoundsPagesPerStore(t *testing.T) {
	a := newCacheApp(t, web.PageCacheConfig{MaxPagesPerStore: 2})
	for i := range 4 {
		a.get(t, fmt.Sprintf("/tacos?q=%d", i))
	}
	for i, want := range []string{"hit", "hit", "miss", "miss"} {
		if r := a.get(t, fmt.Sprintf("/tacos?q=%d", i)); r.header.Get(web.HeaderPageCache) != want {
			t.Fatalf("q=%d: X-Cache %q, want %q", i, r.header.Get(web.HeaderPageCache), want)
		}
	}
	// A purge starts the count again.
	a.cache.PurgeStore(context.Background(), storeID)
	a.get(t, "/tacos?q=3")
	if r := a.get(t, "/tacos?q=3"); r.header.Get(web.HeaderPageCache) != "hit" {
		t.Fatalf("after purge: %q", r.header.Get(web.HeaderPageCache))
	}
}

func TestIsStorePath(t *testing.T) {
	for path, want := range map[string]bool{
		"/tacos": true, "/tacos/p/pastor": true, "/Tacos/reviews": true, "/tacos-dona-lupe/catalog.json": true,
		"/": false, "/login": false, "/dashboard/products": false, "/static/js/app.js": false,
		"/sitemap.xml": false, "/sw.js": false, "/ab": false, "/a_b": false,
	} {
		if got := web.IsStorePath(path); got != want {
			t.Errorf("IsStorePath(%q) = %v, want %v", path, got, want)
		}
	}
}
