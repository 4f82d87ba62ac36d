package store_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/store"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

const imageNS = "http://www.google.com/schemas/sitemap-image/1.1"

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	Images  []struct {
		Loc string `xml:"loc"`
	} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

// catalogFixture is two live stores and a deleted one, with products of
// every kind a shopper may or may not see.
type catalogFixture struct {
	a          *testkit.App
	storeA     *domain.Business
	storeB     *domain.Business
	taco, agua *domain.Product
	torta      *domain.Product
	tacoPhoto  *domain.Image
	logo       *domain.Image
}

func newCatalogFixture(t *testing.T) *catalogFixture {
	t.Helper()
	a := testkit.NewApp(t)
	f := &catalogFixture{a: a}
	f.storeA = a.CreateOwner("tienda-a").Business
	f.storeB = a.CreateOwner("tienda-b").Business
	gone := a.CreateOwner("tienda-c").Business

	f.taco = a.Product(f.storeA.ID, "taco")
	second := a.Image(f.storeA.ID, "b1/00000000000000aa", "jpeg", 1600, 1200)
	f.tacoPhoto = a.Image(f.storeA.ID, "b1/00000000000000bb", "jpeg", 1600, 1200)
	a.Photo(f.taco, second, 1)
	a.Photo(f.taco, f.tacoPhoto, 0)
	f.agua = a.Product(f.storeA.ID, "agua")

	a.Product(f.storeA.ID, "secreto", testkit.Inactive())
	deleted := a.Product(f.storeA.ID, "viejo")
	if err := a.DB.Delete(deleted).Error; err != nil {
		t.Fatal(err)
	}
	cat := a.Category(f.storeA.ID, "Temporada", testkit.HiddenCategory())
	a.Product(f.storeA.ID, "en-categoria-oculta", testkit.InCategory(cat))
	f.logo = a.Image(f.storeA.ID, "b1/00000000000000cc", "jpeg", 1600, 1200)
	if err := a.DB.Model(f.storeA).Update("logo_image_id", f.logo.ID).Error; err != nil {
		t.Fatal(err)
	}

	f.torta = a.Product(f.storeB.ID, "torta")
	if err := a.DB.Model(f.storeB).Updates(map[string]any{"rating_count": 1, "rating_sum": 5}).Error; err != nil {
		t.Fatal(err)
	}

	a.Product(gone.ID, "fantasma")
	if err := a.DB.Delete(gone).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// want is every URL the sitemap must list, in order.
func (f *catalogFixture) want() []string {
	b := testkit.BaseURL
	return []string{
		b + "/tienda-a", b + "/tienda-a/p/taco", b + "/tienda-a/p/agua",
		b + "/tienda-b", b + "/tienda-b/reviews", b + "/tienda-b/p/torta",
	}
}

// platformLocs are the landing and legal pages the app's sitemap lists first.
func platformLocs() []string {
	var out []string
	for _, p := range store.PlatformPages {
		out = append(out, testkit.BaseURL+p)
	}
	return out
}

func locs(urls []sitemapURL) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = u.Loc
	}
	return out
}

func parseURLSet(t *testing.T, body string) urlset {
	t.Helper()
	var set urlset
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("sitemap is not a urlset: %v\n%s", err, body)
	}
	return set
}

func TestSitemapListsVisibleStoresAndProducts(t *testing.T) {
	f := newCatalogFixture(t)
	r := f.a.Client().Get("/sitemap.xml")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Fatalf("content type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Fatalf("cache control %q", cc)
	}
	if len(r.Cookies()) > 0 {
		t.Fatalf("public file sets cookies: %v", r.Cookies())
	}
	if !strings.Contains(r.Body, `xmlns:image="`+imageNS+`"`) {
		t.Fatal("image namespace missing")
	}
	set := parseURLSet(t, r.Body)
	// The landing and legal pages first, each served.
	for _, p := range store.PlatformPages {
		if r := f.a.Client().Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("%s listed in the sitemap: status %d", p, r.StatusCode)
		}
	}
	want := append(platformLocs(), f.want()...)
	if got := locs(set.URLs); !reflect.DeepEqual(got, want) {
		t.Fatalf("URLs:\n got %q\nwant %q", got, want)
	}
	byLoc := map[string]sitemapURL{}
	for _, u := range set.URLs[len(store.PlatformPages):] {
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("%s: lastmod %q: %v", u.Loc, u.LastMod, err)
		}
		byLoc[u.Loc] = u
	}
	base := testkit.BaseURL
	taco := byLoc[base+"/tienda-a/p/taco"]
	if want := f.taco.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"); taco.LastMod != want {
		t.Errorf("taco lastmod %q, want %q", taco.LastMod, want)
	}
	if len(taco.Images) != 1 || taco.Images[0].Loc != base+f.tacoPhoto.URL(1200) {
		t.Errorf("taco images %+v, want the first photo %s", taco.Images, base+f.tacoPhoto.URL(1200))
	}
	if imgs := byLoc[base+"/tienda-a/p/agua"].Images; len(imgs) != 0 {
		t.Errorf("agua has no photo, got %+v", imgs)
	}
	if imgs := byLoc[base+"/tienda-a"].Images; len(imgs) != 1 || imgs[0].Loc != base+f.logo.URL(1200) {
		t.Errorf("store image %+v, want the logo", imgs)
	}
	// The store changes when its products do.
	storeMod, _ := time.Parse(time.RFC3339, byLoc[base+"/tienda-a"].LastMod)
	if tacoMod, _ := time.Parse(time.RFC3339, taco.LastMod); storeMod.Before(tacoMod) {
		t.Errorf("store lastmod %s before its product's %s", storeMod, tacoMod)
	}
	if r := f.a.Client().Get("/sitemap-1.xml"); r.StatusCode != http.StatusNotFound {
		t.Errorf("page of a sitemap without index: %d", r.StatusCode)
	}
}

// seoApp mounts only RegisterSEO, with a sitemap of pageSize URLs per page.
func seoApp(t *testing.T, a *testkit.App, pageSize int) *fiber.App {
	t.Helper()
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	h := store.New(store.Deps{
		Stores: services.NewStorefront(repositories.NewStorefront(a.DB), a.Repos.Reviews, a.Cache, a.Clock.Now),
		Cache:  a.Cache, Bundle: bundle, BaseURL: testkit.BaseURL, Clock: a.Clock.Now,
	})
	f := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler})
	h.RegisterSEO(f, store.SEODeps{
		Sitemap: services.NewSitemap(repositories.NewSitemap(a.DB), pageSize),
		Robots:  services.NewRobots(a.Repos.Settings, a.Clock.Now, testkit.BaseURL),
	})
	return f
}

func get(t *testing.T, f *fiber.App, path string) (int, string) {
	t.Helper()
	resp, err := f.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestSitemapIndexWhenLarge(t *testing.T) {
	f := newCatalogFixture(t)
	app := seoApp(t, f.a, 3)

	status, body := get(t, app, "/sitemap.xml")
	if status != http.StatusOK {
		t.Fatalf("index: %d\n%s", status, body)
	}
	var idx sitemapIndex
	if err := xml.Unmarshal([]byte(body), &idx); err != nil {
		t.Fatalf("not a sitemap index: %v\n%s", err, body)
	}
	base := testkit.BaseURL
	var pages []string
	for _, s := range idx.Sitemaps {
		pages = append(pages, s.Loc)
	}
	if want := []string{base + "/sitemap-1.xml", base + "/sitemap-2.xml"}; !reflect.DeepEqual(pages, want) {
		t.Fatalf("index pages %q, want %q", pages, want)
	}
	var all []string
	for _, p := range pages {
		status, body := get(t, app, strings.TrimPrefix(p, base))
		if status != http.StatusOK {
			t.Fatalf("%s: %d", p, status)
		}
		set := parseURLSet(t, body)
		if len(set.URLs) == 0 || len(set.URLs) > 3 {
			t.Fatalf("%s lists %d URLs", p, len(set.URLs))
		}
		all = append(all, locs(set.URLs)...)
	}
	if !reflect.DeepEqual(all, f.want()) {
		t.Fatalf("pages list:\n got %q\nwant %q", all, f.want())
	}
	for _, p := range []string{"/sitemap-3.xml", "/sitemap-0.xml", "/sitemap-01.xml"} {
		if status, _ := get(t, app, p); status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, status)
		}
	}
}

func TestRobotsTxt(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	sitemapLine := "Sitemap: " + testkit.BaseURL + "/sitemap.xml\n"

	r := c.Get("/robots.txt")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(r.Body, "User-agent: *\n") || !strings.Contains(r.Body, "Disallow: /dashboard") ||
		!strings.Contains(r.Body, "Disallow: /admin") || !strings.Contains(r.Body, "Disallow: /api") {
		t.Fatalf("default robots.txt:\n%s", r.Body)
	}
	if !strings.HasSuffix(r.Body, "\n"+sitemapLine) || strings.Count(r.Body, "Sitemap:") != 1 {
		t.Fatalf("default robots.txt does not end with the sitemap:\n%s", r.Body)
	}
	// Blocking app paths must not block stores whose slug starts the same.
	if strings.Contains(r.Body, "Disallow: /admin\n") || strings.Contains(r.Body, "Disallow: /api\n") {
		t.Fatalf("a prefix rule would hide stores like /admin-tacos:\n%s", r.Body)
	}

	robots := services.NewRobots(a.Repos.Settings, a.Clock.Now, testkit.BaseURL)
	ctx := context.Background()
	if err := robots.Set(ctx, "User-agent: *\r\nDisallow: /\r\n"); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/robots.txt"); r.Body != "User-agent: *\nDisallow: /\n"+sitemapLine {
		t.Fatalf("custom robots.txt:\n%q", r.Body)
	}
	// A stored sitemap line moves to the end, once.
	if err := robots.Set(ctx, sitemapLine+"User-agent: *\nAllow: /"); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/robots.txt"); r.Body != "User-agent: *\nAllow: /\n"+sitemapLine {
		t.Fatalf("custom robots.txt with sitemap:\n%q", r.Body)
	}
	if got, _ := a.Repos.Settings.Get(ctx, services.RobotsKey); got != sitemapLine+"User-agent: *\nAllow: /" {
		t.Fatalf("stored %q", got)
	}
	// Empty restores the default.
	if err := robots.Set(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/robots.txt"); !strings.Contains(r.Body, "Disallow: /dashboard") || !strings.HasSuffix(r.Body, sitemapLine) {
		t.Fatalf("reset robots.txt:\n%s", r.Body)
	}
	if err := robots.Set(ctx, strings.Repeat("a", services.MaxRobotsLen+1)); err == nil {
		t.Fatal("an oversized robots.txt was stored")
	}
}

func TestSitemapSkipsUnavailableStores(t *testing.T) {
	restore := store.SetUnavailable(func(b *domain.Business) bool { return b.Slug == "tienda-b" })
	defer restore()
	f := newCatalogFixture(t)
	c := f.a.Client()
	set := parseURLSet(t, c.Get("/sitemap.xml").Body)
	want := append(platformLocs(), f.want()[:3]...) // tienda-a only
	if got := locs(set.URLs); !reflect.DeepEqual(got, want) {
		t.Fatalf("URLs:\n got %q\nwant %q", got, want)
	}
	if r := c.Get("/tienda-b/manifest.webmanifest"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("manifest of an unavailable store: %d", r.StatusCode)
	}
	if r := c.Get("/tienda-b/icon-192.png"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("icon of an unavailable store: %d", r.StatusCode)
	}
}
