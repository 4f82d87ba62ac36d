package web_test

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// PageCacheFront answers, before Fiber, exactly the hits PageCacheHits
// answers, with the same response bytes, and hands everything else to
// Fiber.
func TestPageCacheFrontAnswersHitsLikeTheChain(t *testing.T) {
	cache := services.NewStoreCache(time.Minute)
	f := fiber.New()
	inFiber := 0
	f.Use(func(c *fiber.Ctx) error { inFiber++; return c.Next() })
	f.Use(web.SecurityHeaders(true))
	f.Use(web.PageCacheHits(cache, nil))
	f.Use(web.PageCache(cache, web.PageCacheConfig{}))
	f.Get("/:slug", func(c *fiber.Ctx) error {
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		c.Type("html")
		return c.SendString(strings.Repeat("<p>Tacos</p>", 50))
	})
	chain := f.Handler()
	stats := &web.PageCacheStats{}
	front := web.PageCacheFront(cache, stats, true, chain)

	do := func(h fasthttp.RequestHandler, method, uri string, header ...string) *fasthttp.Response {
		ctx := &fasthttp.RequestCtx{}
		ctx.Init(&fasthttp.Request{}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
		ctx.Request.Header.SetMethod(method)
		ctx.Request.SetRequestURI(uri)
		ctx.Request.Header.SetHost("qubly.test")
		for i := 0; i+1 < len(header); i += 2 {
			ctx.Request.Header.Set(header[i], header[i+1])
		}
		h(ctx)
		resp := &fasthttp.Response{}
		ctx.Response.CopyTo(resp)
		return resp
	}
	// Fill the cache through the chain.
	for _, uri := range []string{"/tacos", "/tacos?x=1"} {
		if r := do(front, "GET", uri); string(r.Header.Peek(web.HeaderPageCache)) != "miss" {
			t.Fatalf("%s: X-Cache %q", uri, r.Header.Peek(web.HeaderPageCache))
		}
	}
	hits := uint64(0)
	for _, tc := range []struct {
		method, uri string
		header      []string
		hit         bool
	}{
		{"GET", "/tacos", nil, true},
		{"GET", "/TACOS", nil, false}, // another path, as in the chain: a miss there
		{"HEAD", "/tacos", nil, true},
		{"GET", "/tacos?x=1", []string{"Accept-Encoding", "gzip"}, true},
		{"GET", "/tacos", []string{"Accept-Encoding", "br, gzip"}, true},
		{"GET", "/tacos", []string{"If-None-Match", "*"}, true},
		{"GET", "/tacos?x=2", nil, false},
		{"GET", "/tacos", []string{"Cookie", "qubly_flash=x"}, false},
		{"POST", "/tacos", nil, false},
		{"GET", "http://qubly.test/tacos", nil, false},
		{"GET", "//tacos", nil, false},
	} {
		before := inFiber
		got := do(front, tc.method, tc.uri, tc.header...)
		if entered := inFiber > before; entered == tc.hit {
			t.Errorf("%s %s: went through Fiber %v, want %v", tc.method, tc.uri, entered, !tc.hit)
		}
		if !tc.hit {
			continue
		}
		hits++
		if n := stats.Hits.Load(); n != hits {
			t.Errorf("%s %s: %d hits counted, want %d", tc.method, tc.uri, n, hits)
		}
		want := do(chain, tc.method, tc.uri, tc.header...)
		if string(want.Header.Peek(web.HeaderPageCache)) != "hit" {
			t.Fatalf("%s %s: the chain did not hit", tc.method, tc.uri)
		}
		got.Header.Del(fiber.HeaderDate)
		want.Header.Del(fiber.HeaderDate)
		if g, w := got.Header.String(), want.Header.String(); g != w {
			t.Errorf("%s %s: headers\n%s\nwant\n%s", tc.method, tc.uri, g, w)
		}
		if !bytes.Equal(got.Body(), want.Body()) {
			t.Errorf("%s %s: bodies differ", tc.method, tc.uri)
		}
	}
}
