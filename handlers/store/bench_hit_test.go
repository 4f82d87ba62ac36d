package store_test

import (
	"testing"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/scripts/bareserver/bare"
	"github.com/qubly/qubly/testkit"
)

// BenchmarkCachedVsBare runs, side by side in one run, a page-cache hit of
// the 200-product store home through the app's handler ("app") and the same
// bytes through the bare Fiber app of scripts/bareserver ("bare"), with and
// without gzip. Neither goes through a socket; scripts/hitcost.sh counts
// the instructions of both servers over HTTP.
func BenchmarkCachedVsBare(b *testing.B) {
	a := testkit.NewApp(b)
	slug, _ := newBudgetStore(b, a)
	h := a.Fiber.Handler()
	ctx := newRequestCtx()
	encodings := []string{"identity", "gzip"}
	bodies := map[string][]byte{}
	for _, enc := range encodings {
		serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", enc)
		r := serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", enc)
		if string(r.Header.Peek(web.HeaderPageCache)) != "hit" {
			b.Fatalf("%s: not a hit: %d", enc, r.StatusCode())
		}
		bodies[enc] = append([]byte(nil), r.Body()...)
	}
	bareHandler := bare.New(bodies["identity"], bodies["gzip"]).Handler()
	for _, enc := range encodings {
		for _, s := range []struct {
			name string
			run  func()
		}{
			{"app", func() { serve(b, h, ctx, "GET", "/"+slug, nil, "Accept-Encoding", enc) }},
			{"bare", func() { serve(b, bareHandler, ctx, "GET", "/"+slug, nil, "Accept-Encoding", enc) }},
		} {
			b.Run(s.name+"/"+enc, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s.run()
				}
				if len(ctx.Response.Body()) != len(bodies[enc]) {
					b.Fatalf("%d bytes sent, want %d", len(ctx.Response.Body()), len(bodies[enc]))
				}
			})
		}
	}
}
