package store_test

// Benchmarks of the public store (go test -run '^$' -bench . ./handlers/store/),
// on SQLite or, with TEST_DATABASE_URL, PostgreSQL. They call the Fiber
// handler directly (no sockets); scripts/loadtest.sh measures over HTTP.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/scripts/storeseed"
	"github.com/qubly/qubly/testkit"
)

// serve runs one request through the app's handler and returns the response.
func serve(b *testing.B, h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx, method, uri string, body []byte, header ...string) *fasthttp.Response {
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(uri)
	ctx.Request.Header.SetHost("qubly.test")
	for i := 0; i+1 < len(header); i += 2 {
		ctx.Request.Header.Set(header[i], header[i+1])
	}
	if body != nil {
		ctx.Request.SetBody(body)
	}
	h(ctx)
	return &ctx.Response
}

func newRequestCtx() *fasthttp.RequestCtx {
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&fasthttp.Request{}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
	return ctx
}

// reportPercentiles adds p50 and p99 of the per-request times.
func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(d[min(len(d)-1, len(d)*99/100)].Nanoseconds()), "p99-ns")
}

// BenchmarkStoreHomeCached is a cache hit of a 200-product store home,
// gzip-encoded like a phone asks for it.
func BenchmarkStoreHomeCached(b *testing.B) {
	a := testkit.NewApp(b)
	slug, _ := newBudgetStore(b, a)
	h := a.Fiber.Handler()
	ctx := newRequestCtx()
	if r := serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", "gzip"); r.StatusCode() != 200 {
		b.Fatalf("status %d", r.StatusCode())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", "gzip")
		if string(r.Header.Peek(web.HeaderPageCache)) != "hit" {
			b.Fatalf("not a hit: %d", r.StatusCode())
		}
	}
}

// BenchmarkStoreHomeMiss200 renders a 200-product store home from the
// database each time (the store is purged before each request, so the
// catalog is read again too), after a first render that is not measured.
func BenchmarkStoreHomeMiss200(b *testing.B) {
	a := testkit.NewApp(b)
	slug, id := newBudgetStore(b, a)
	h := a.Fiber.Handler()
	ctx := newRequestCtx()
	warmUp(b, a, h, ctx, slug, id)
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		a.Cache.PurgeStore(context.Background(), id)
		b.StartTimer()
		start := time.Now()
		r := serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", "gzip")
		times = append(times, time.Since(start))
		if r.StatusCode() != 200 || string(r.Header.Peek(web.HeaderPageCache)) != "miss" {
			b.Fatalf("status %d, X-Cache %q", r.StatusCode(), r.Header.Peek(web.HeaderPageCache))
		}
	}
	reportPercentiles(b, times)
}

// BenchmarkOrderPOST places a JSON order of two products. Orders rotate over
// stores and client IPs so the per-store and per-IP limits are not reached.
func BenchmarkOrderPOST(b *testing.B) {
	a := testkit.NewApp(b, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	type target struct {
		path string
		body []byte
	}
	var targets []target
	addStore := func() {
		o := a.CreateOwner(fmt.Sprintf("pedidos-%d", len(targets)+1))
		ids, err := storeseed.Catalog(context.Background(), a.DB, o.Business.ID, 12)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := json.Marshal(map[string]any{
			"items":       []map[string]any{{"product_id": ids[0], "quantity": 2}, {"product_id": ids[5], "quantity": 1}},
			"customer":    map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
			"fulfillment": "pickup", "payment_method": "cash", "notes": "Sin cebolla",
		})
		targets = append(targets, target{path: "/" + o.Business.Slug + "/orders", body: body})
	}
	addStore()
	h := a.Fiber.Handler()
	ctx := newRequestCtx()
	var times []time.Duration
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n++
		if n > len(targets)*250 { // the store limit is 300 a minute
			b.StopTimer()
			addStore()
			b.StartTimer()
		}
		t := targets[(n-1)/250]
		ip := fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
		start := time.Now()
		r := serve(b, h, ctx, "POST", t.path, t.body, "Content-Type", "application/json", "Accept", "application/json",
			"Origin", testkit.BaseURL, "Sec-Fetch-Site", "same-origin", "X-Client-IP", ip)
		times = append(times, time.Since(start))
		if r.StatusCode() != 201 {
			b.Fatalf("order %d: %d %s", n, r.StatusCode(), r.Body())
		}
	}
	reportPercentiles(b, times)
}

// warmUp renders the store once, unmeasured: a new app's first render
// composes and escapes its templates (~3.4 MB, ~25,000 allocations once per
// process), which would otherwise be spread over the measured renders.
func warmUp(b *testing.B, a *testkit.App, h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx, slug string, id int64) {
	b.Helper()
	a.Cache.PurgeStore(context.Background(), id)
	if r := serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", "gzip"); r.StatusCode() != 200 {
		b.Fatalf("warm-up: status %d", r.StatusCode())
	}
}
