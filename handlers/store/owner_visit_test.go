package store_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/qubly/qubly/testkit"
)

// An owner previewing their store is served from the page cache without a
// session lookup, like any shopper.
func TestOwnerVisitToStoreHitsTheCacheWithoutQueries(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	if r := c.Get("/tienda-a"); r.StatusCode != http.StatusOK {
		t.Fatalf("first visit: %d", r.StatusCode)
	}
	var queries atomic.Int64
	count := func(*gorm.DB) { queries.Add(1) }
	cb := a.DB.Callback()
	cb.Query().Before("gorm:query").Register("test:owner_visit", count)
	cb.Update().Before("gorm:update").Register("test:owner_visit", count)
	cb.Raw().Before("gorm:raw").Register("test:owner_visit", count)
	t.Cleanup(func() {
		cb.Query().Remove("test:owner_visit")
		cb.Update().Remove("test:owner_visit")
		cb.Raw().Remove("test:owner_visit")
	})
	r := c.Get("/tienda-a")
	if r.StatusCode != http.StatusOK || r.Header.Get("X-Cache") != "hit" {
		t.Fatalf("second visit: %d, X-Cache %q", r.StatusCode, r.Header.Get("X-Cache"))
	}
	if n := queries.Load(); n != 0 {
		t.Fatalf("cached visit by a logged-in owner ran %d queries", n)
	}
	// The dashboard still knows the owner.
	if r := c.Get("/dashboard"); r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
}
