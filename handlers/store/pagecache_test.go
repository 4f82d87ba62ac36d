package store_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// cacheStore is a store with one product, "Taco de pastor" at $25.50.
type cacheStore struct {
	a       *testkit.App
	owner   *testkit.Owner
	product *domain.Product
}

func newCacheStore(t *testing.T, a *testkit.App) *cacheStore {
	t.Helper()
	o := a.CreateOwner("tacos-lupe")
	p := a.Product(o.Business.ID, "Taco de pastor", testkit.Price(2550))
	return &cacheStore{a: a, owner: o, product: p}
}

// setPriceBehindTheCache changes the price in the database without purging
// any cache, as if another program did it.
func (s *cacheStore) setPriceBehindTheCache(t *testing.T, cents int64) {
	t.Helper()
	err := s.a.DB.Model(&domain.Product{}).Where("id = ?", s.product.ID).Update("price_cents", cents).Error
	if err != nil {
		t.Fatal(err)
	}
}

// editPriceInDashboard changes the price the way the owner does.
func (s *cacheStore) editPriceInDashboard(t *testing.T, price string) {
	t.Helper()
	c := s.a.Client()
	c.Login(s.owner.Email, s.owner.Password)
	r := c.PostForm(fmt.Sprintf("/dashboard/products/%d", s.product.ID), url.Values{
		"name": {s.product.Name}, "slug": {s.product.Slug}, "price": {price}, "active": {"on"},
	})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit product: %d\n%s", r.StatusCode, r.Body)
	}
}

type page struct {
	status  int
	header  http.Header
	body    string // decoded
	rawSize int    // bytes on the wire
}

func fetch(t *testing.T, a *testkit.App, path string, header ...string) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, testkit.BaseURL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.Fiber.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := raw
	switch enc := resp.Header.Get("Content-Encoding"); enc {
	case "gzip":
		body, err = fasthttp.AppendGunzipBytes(nil, raw)
	case "br":
		body, err = fasthttp.AppendUnbrotliBytes(nil, raw)
	case "":
	default:
		t.Fatalf("%s: encoding %q", path, enc)
	}
	if err != nil {
		t.Fatalf("%s: decode: %v", path, err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(body), rawSize: len(raw)}
}

func TestStorePagesAreServedFromCacheWithoutTheDatabase(t *testing.T) {
	a := testkit.NewApp(t)
	s := newCacheStore(t, a)
	paths := []string{"/tacos-lupe", "/tacos-lupe/p/taco-de-pastor", "/tacos-lupe/reviews"}
	first := map[string]page{}
	for _, p := range paths {
		r := fetch(t, a, p)
		if r.status != http.StatusOK || r.header.Get(web.HeaderPageCache) != "miss" {
			t.Fatalf("%s: %d, X-Cache %q", p, r.status, r.header.Get(web.HeaderPageCache))
		}
		if r.header.Get("Set-Cookie") != "" {
			t.Fatalf("%s sets a cookie: %q", p, r.header.Get("Set-Cookie"))
		}
		if !strings.Contains(r.body, `<meta name="csrf-token" content="">`) {
			t.Fatalf("%s carries a CSRF token", p)
		}
		first[p] = r
	}
	s.setPriceBehindTheCache(t, 9900)
	queries := testkit.CountQueries(t, a.DB)
	for _, p := range paths {
		r := fetch(t, a, p)
		if r.header.Get(web.HeaderPageCache) != "hit" || r.body != first[p].body {
			t.Fatalf("%s: X-Cache %q, same body %v", p, r.header.Get(web.HeaderPageCache), r.body == first[p].body)
		}
		if r.header.Get("ETag") != first[p].header.Get("ETag") || r.header.Get("Content-Type") != first[p].header.Get("Content-Type") {
			t.Fatalf("%s: headers differ", p)
		}
	}
	if n := queries.Load(); n != 0 {
		t.Fatalf("cache hits ran %d queries", n)
	}
	if !strings.Contains(first["/tacos-lupe"].body, "$25.50") {
		t.Fatal("price not on the store page")
	}
	// The price changed in the database without a purge is not visible:
	// the page really is cached. A purge shows it.
	a.Cache.PurgeStore(context.Background(), s.owner.Business.ID)
	if r := fetch(t, a, "/tacos-lupe"); r.header.Get(web.HeaderPageCache) != "miss" || !strings.Contains(r.body, "$99.00") {
		t.Fatalf("after purge: X-Cache %q, new price shown %v", r.header.Get(web.HeaderPageCache), strings.Contains(r.body, "$99.00"))
	}
}

func TestStorePageShowsADashboardEditAtOnce(t *testing.T) {
	a := testkit.NewApp(t)
	s := newCacheStore(t, a)
	for _, p := range []string{"/tacos-lupe", "/tacos-lupe/p/taco-de-pastor"} {
		fetch(t, a, p)
		if r := fetch(t, a, p); r.header.Get(web.HeaderPageCache) != "hit" || !strings.Contains(r.body, "$25.50") {
			t.Fatalf("%s not cached: %q", p, r.header.Get(web.HeaderPageCache))
		}
	}
	s.editPriceInDashboard(t, "31.00")
	for _, p := range []string{"/tacos-lupe", "/tacos-lupe/p/taco-de-pastor"} {
		r := fetch(t, a, p)
		if !strings.Contains(r.body, "$31.00") || strings.Contains(r.body, "$25.50") {
			t.Fatalf("%s after the edit: X-Cache %q, shows new price %v", p, r.header.Get(web.HeaderPageCache), strings.Contains(r.body, "$31.00"))
		}
	}
}

func TestStorePageETagAndNotModified(t *testing.T) {
	a := testkit.NewApp(t)
	s := newCacheStore(t, a)
	r := fetch(t, a, "/tacos-lupe")
	etag := r.header.Get("ETag")
	if etag == "" || r.header.Get("Cache-Control") != web.PageCacheControl {
		t.Fatalf("ETag %q, Cache-Control %q", etag, r.header.Get("Cache-Control"))
	}
	for _, enc := range []string{"", "gzip", "br"} {
		r := fetch(t, a, "/tacos-lupe", "If-None-Match", etag, "Accept-Encoding", enc)
		if r.status != http.StatusNotModified || r.rawSize != 0 {
			t.Fatalf("%q: %d with %d bytes", enc, r.status, r.rawSize)
		}
	}
	// The ETag of a miss is the ETag of the hit that follows.
	a.Cache.PurgeStore(context.Background(), s.owner.Business.ID)
	if r := fetch(t, a, "/tacos-lupe", "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Fatalf("miss revalidation: %d", r.status)
	}
}

func TestStorePageCompressionDecodesToTheSameBody(t *testing.T) {
	a := testkit.NewApp(t)
	s := newCacheStore(t, a)
	a.Cache.PurgeStore(context.Background(), s.owner.Business.ID)
	plain := fetch(t, a, "/tacos-lupe")
	for _, enc := range []string{"gzip", "br"} {
		for _, round := range []string{"hit", "miss"} {
			if round == "miss" {
				a.Cache.PurgeStore(context.Background(), s.owner.Business.ID)
			}
			r := fetch(t, a, "/tacos-lupe", "Accept-Encoding", enc)
			if r.header.Get(web.HeaderPageCache) != round || r.header.Get("Content-Encoding") != enc ||
				r.body != plain.body || r.header.Get("ETag") != plain.header.Get("ETag") {
				t.Fatalf("%s %s: X-Cache %q, encoding %q, same body %v, ETag %q vs %q", enc, round,
					r.header.Get(web.HeaderPageCache), r.header.Get("Content-Encoding"),
					r.body == plain.body, r.header.Get("ETag"), plain.header.Get("ETag"))
			}
		}
	}
}

func TestStorePagesWithFlashOrErrorsAreNotCached(t *testing.T) {
	a := testkit.NewApp(t)
	// A visitor with a flash message is answered by the handler, and what
	// it renders is not kept. The cache is warmed first, so the flash
	// request must go past a cached page. (Store pages have no flash area
	// to look for; the flash request bypasses the cache with no X-Cache.)
	s := newCacheStore(t, a)
	fetch(t, a, "/tacos-lupe")
	if r := fetch(t, a, "/tacos-lupe"); r.header.Get(web.HeaderPageCache) != "hit" {
		t.Fatalf("plain page not cached: %q", r.header.Get(web.HeaderPageCache))
	}
	r := fetch(t, a, "/tacos-lupe", "Cookie", "qubly_flash=success%3Astore.review.sent")
	if r.header.Get(web.HeaderPageCache) == "hit" {
		t.Fatal("flash request served from the cache")
	}
	if r.status != http.StatusOK || !strings.Contains(r.body, "Taco de pastor") {
		t.Fatalf("flash request: %d, X-Cache %q, product shown %v", r.status, r.header.Get(web.HeaderPageCache), strings.Contains(r.body, "Taco de pastor"))
	}
	// With the cache empty, a page rendered for a flash request is not kept.
	a.Cache.PurgeStore(context.Background(), s.owner.Business.ID)
	if r := fetch(t, a, "/tacos-lupe", "Cookie", "qubly_flash=success%3Astore.review.sent"); r.header.Get(web.HeaderPageCache) == "hit" || r.status != http.StatusOK {
		t.Fatalf("flash request after a purge: %d, X-Cache %q", r.status, r.header.Get(web.HeaderPageCache))
	}
	if r := fetch(t, a, "/tacos-lupe"); r.header.Get(web.HeaderPageCache) != "miss" {
		t.Fatalf("page with a flash was cached: %q", r.header.Get(web.HeaderPageCache))
	}
	// A review form with errors (400) is not cached, nor are 404s, search
	// results or the page shown after sending a review.
	c := a.Client()
	c.Header.Set("Sec-Fetch-Site", "same-origin")
	bad := c.PostFormRaw("/tacos-lupe/reviews", url.Values{"name": {""}, "rating": {"9"}})
	if bad.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad review: %d", bad.StatusCode)
	}
	const formError = "Revisa los campos marcados."
	if !strings.Contains(bad.Body, formError) {
		t.Fatalf("bad review answer has no form error:\n%s", bad.Body)
	}
	if r := fetch(t, a, "/tacos-lupe/reviews"); r.status != http.StatusOK || strings.Contains(r.body, formError) {
		t.Fatalf("reviews page after a bad review: %d, form error shown %v", r.status, strings.Contains(r.body, formError))
	}
	for _, p := range []string{"/tacos-lupe/p/no-such-product", "/tacos-lupe?q=pastor", "/tacos-lupe/reviews?sent=1"} {
		fetch(t, a, p)
		if r := fetch(t, a, p); r.header.Get(web.HeaderPageCache) == "hit" {
			t.Fatalf("%s cached (%d)", p, r.status)
		}
	}
}

func TestStorePostsAreCheckedByOrigin(t *testing.T) {
	a := testkit.NewApp(t)
	newCacheStore(t, a)
	c := a.Client()
	// A cross-site form post is refused…
	c.Header.Set("Origin", "https://evil.example")
	if r := c.PostFormRaw("/tacos-lupe/reviews", url.Values{"name": {"Ana"}, "rating": {"5"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site review: %d", r.StatusCode)
	}
	// …a same-origin one without any token is accepted.
	c.Header.Set("Origin", testkit.BaseURL)
	c.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := c.PostFormRaw("/tacos-lupe/reviews", url.Values{"name": {"Ana"}, "rating": {"5"}, "comment": {"Muy ricos"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin review: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestStorePageCachePurgeReachesOtherInstances(t *testing.T) {
	db := testkit.NewDB(t)
	if db.Driver != "postgres" {
		t.Skip("cross-instance purges use PostgreSQL LISTEN/NOTIFY (TEST_DATABASE_URL)")
	}
	a := testkit.NewAppOn(t, db)
	b := testkit.NewAppOn(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); a.WaitJobs(); b.WaitJobs() })
	for _, app := range []*testkit.App{a, b} {
		select {
		case <-app.ListenPurges(ctx):
		case <-time.After(10 * time.Second):
			t.Fatal("purge listener not ready")
		}
	}
	s := newCacheStore(t, a)

	// Instance B caches the page…
	fetch(t, b, "/tacos-lupe")
	s.setPriceBehindTheCache(t, 9900)
	if r := fetch(t, b, "/tacos-lupe"); r.header.Get(web.HeaderPageCache) != "hit" || !strings.Contains(r.body, "$25.50") {
		t.Fatalf("B did not cache the page: %q", r.header.Get(web.HeaderPageCache))
	}
	// …the owner edits the price on instance A, and B shows it.
	s.editPriceInDashboard(t, "31.00")
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := fetch(t, b, "/tacos-lupe")
		if strings.Contains(r.body, "$31.00") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance B still serves the old page (X-Cache %q)", r.header.Get(web.HeaderPageCache))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
