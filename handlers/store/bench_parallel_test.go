package store_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/scripts/storeseed"
	"github.com/qubly/qubly/testkit"
)

// BenchmarkStoreHomeMiss200Parallel renders 200-product store homes from the
// database on GOMAXPROCS goroutines at once (-cpu 2,8 for 2 and 8
// concurrent renders). Each goroutine has its own store and purges it before
// each request, so every request is a miss and renders run side by side.
// Each store is rendered once first, unmeasured (see warmUp).
func BenchmarkStoreHomeMiss200Parallel(b *testing.B) {
	a := testkit.NewApp(b)
	n := runtime.GOMAXPROCS(0)
	type target struct {
		slug string
		id   int64
	}
	stores := make([]target, n)
	for i := range stores {
		o := a.CreateOwner(fmt.Sprintf("paralela-%d", i+1))
		if _, err := storeseed.Catalog(context.Background(), a.DB, o.Business.ID, budgetProducts); err != nil {
			b.Fatal(err)
		}
		stores[i] = target{o.Business.Slug, o.Business.ID}
	}
	h := a.Fiber.Handler()
	for _, t := range stores {
		warmUp(b, a, h, newRequestCtx(), t.slug, t.id)
	}
	// Then once more, all at once: the buffers and compressors that the
	// pools keep between renders are made for n renders at a time here, as
	// warmUp makes them for one in the serial benchmark, rather than during
	// the first measured renders.
	var wg sync.WaitGroup
	for _, t := range stores {
		wg.Go(func() {
			a.Cache.PurgeStore(context.Background(), t.id)
			if r := serve(b, h, newRequestCtx(), "GET", "/"+t.slug, nil, "Accept-Encoding", "gzip"); r.StatusCode() != 200 {
				b.Errorf("warm-up: status %d", r.StatusCode())
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1)-1) % n
		t := stores[i]
		ctx := newRequestCtx()
		for pb.Next() {
			a.Cache.PurgeStore(context.Background(), t.id)
			r := serve(b, h, ctx, "GET", "/"+t.slug, nil, "Accept-Encoding", "gzip")
			if r.StatusCode() != 200 || string(r.Header.Peek(web.HeaderPageCache)) != "miss" {
				b.Errorf("status %d, X-Cache %q", r.StatusCode(), r.Header.Peek(web.HeaderPageCache))
				return
			}
		}
	})
}
