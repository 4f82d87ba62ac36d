package store_test

// Performance budgets of the public store, checked as sizes and markup, not
// times: shoppers are on cheap phones and slow mobile data.

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/scripts/storeseed"
	"github.com/qubly/qubly/testkit"
)

const (
	// budgetProducts is the size of the store the page budget is checked on.
	budgetProducts = 200
	// homeBudget bounds the gzip-compressed store home of budgetProducts
	// products, as transferred (photos are separate requests).
	homeBudget = 100 << 10
	// jsBudget bounds the first-party JavaScript a store page loads.
	jsBudget = 30 << 10
)

// newBudgetStore is the store "presupuesto" with budgetProducts products.
func newBudgetStore(t testing.TB, a *testkit.App) (slug string, businessID int64) {
	t.Helper()
	o := a.CreateOwner("presupuesto")
	if _, err := storeseed.Catalog(context.Background(), a.DB, o.Business.ID, budgetProducts); err != nil {
		t.Fatal(err)
	}
	return o.Business.Slug, o.Business.ID
}

func TestStoreHomeOf200ProductsFitsTheBudget(t *testing.T) {
	a := testkit.NewApp(t)
	slug, id := newBudgetStore(t, a)
	purge := func() { a.Cache.PurgeStore(context.Background(), id) }
	plain := fetch(t, a, "/"+slug)
	if plain.status != http.StatusOK {
		t.Fatalf("store home: %d", plain.status)
	}
	if n := strings.Count(plain.body, "/media/"); n < budgetProducts {
		t.Fatalf("the page shows %d photos, want the %d products", n, budgetProducts)
	}
	purge()
	for _, tc := range []struct{ enc, round string }{{"gzip", "miss"}, {"gzip", "hit"}, {"br", "hit"}} {
		if tc.round == "miss" {
			purge()
		}
		r := fetch(t, a, "/"+slug, "Accept-Encoding", tc.enc)
		if r.header.Get("Content-Encoding") != tc.enc || r.header.Get(web.HeaderPageCache) != tc.round {
			t.Fatalf("%s %s: Content-Encoding %q, X-Cache %q", tc.enc, tc.round, r.header.Get("Content-Encoding"), r.header.Get(web.HeaderPageCache))
		}
		t.Logf("store home, %d products: %d bytes HTML, %s (%s) %d bytes", budgetProducts, len(plain.body), tc.enc, tc.round, r.rawSize)
		if r.rawSize > homeBudget {
			t.Errorf("%s (%s) store home is %d bytes, budget %d", tc.enc, tc.round, r.rawSize, homeBudget)
		}
	}
}

// The budget bounds what a shopper's phone downloads: the first-party
// scripts each store page loads (the dashboard's scripts never reach a
// shopper). The cart page loads the most: the cart plus the checkout.
func TestStorePagesJavaScriptFitsTheBudget(t *testing.T) {
	a := testkit.NewApp(t)
	slug, _ := newBudgetStore(t, a)
	var product string
	if m := regexp.MustCompile(`href="(/` + slug + `/p/[^"]+)"`).FindStringSubmatch(fetch(t, a, "/"+slug).body); m != nil {
		product = m[1]
	}
	srcRe := regexp.MustCompile(`<script\b[^>]*\bsrc="/static/([^"?]+)`)
	seen := map[string]bool{}
	for _, p := range []string{"/" + slug, product, "/" + slug + "/reviews", "/" + slug + "/cart"} {
		r := fetch(t, a, p)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", p, r.status)
		}
		total := 0
		for _, m := range srcRe.FindAllStringSubmatch(r.body, -1) {
			b, err := fs.ReadFile(qubly.Static, "static/"+m[1])
			if err != nil || len(b) == 0 {
				t.Fatalf("%s loads %s, which is missing or empty", p, m[1])
			}
			seen[m[1]] = true
			total += len(b)
		}
		t.Logf("%s: %d bytes of first-party JavaScript", p, total)
		if total > jsBudget {
			t.Errorf("%s loads %d bytes of JavaScript, budget %d", p, total, jsBudget)
		}
	}
	for _, f := range []string{"js/cart.js", "js/checkout.js", "js/pwa.js"} {
		if !seen[f] {
			t.Errorf("%s was not counted: no store page loads it", f)
		}
	}
}

var (
	scriptTag = regexp.MustCompile(`(?is)<script\b[^>]*>`)
	attrRe    = regexp.MustCompile(`(?i)\b(src|type|defer|async)\b(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?`)
)

// blockingScripts lists the <script src> tags of html that block rendering:
// classic scripts without defer or async.
func blockingScripts(html string) []string {
	var out []string
	for _, tag := range scriptTag.FindAllString(html, -1) {
		attrs := map[string]string{}
		for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
			attrs[strings.ToLower(m[1])] = strings.Trim(m[2], `"'`)
		}
		if _, ok := attrs["src"]; !ok {
			continue // inline data (JSON-LD); CSP forbids inline code
		}
		_, deferred := attrs["defer"]
		_, async := attrs["async"]
		if strings.EqualFold(attrs["type"], "module") || deferred || async {
			continue
		}
		out = append(out, tag)
	}
	return out
}

func TestStorePagesHaveNoRenderBlockingScript(t *testing.T) {
	a := testkit.NewApp(t)
	slug, _ := newBudgetStore(t, a)
	var product string
	if m := regexp.MustCompile(`href="(/` + slug + `/p/[^"]+)"`).FindStringSubmatch(fetch(t, a, "/"+slug).body); m != nil {
		product = m[1]
	}
	if product == "" {
		t.Fatal("no product link on the store home")
	}
	for _, p := range []string{"/" + slug, product, "/" + slug + "/reviews", "/" + slug + "/cart"} {
		r := fetch(t, a, p)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", p, r.status)
		}
		if !strings.Contains(r.body, "<script") {
			continue
		}
		if bad := blockingScripts(r.body); len(bad) > 0 {
			t.Errorf("%s has render-blocking scripts: %v", p, bad)
		}
	}
	// The layout itself, whatever page it wraps.
	layout, err := fs.ReadFile(qubly.Templates, "templates/layouts/store.html")
	if err != nil {
		t.Fatal(err)
	}
	if bad := blockingScripts(string(layout)); len(bad) > 0 {
		t.Errorf("layouts/store.html has render-blocking scripts: %v", bad)
	}
}

func TestBlockingScriptsDetector(t *testing.T) {
	html := `<script type="module" src="/a.js"></script><script src="/b.js" defer></script>
<script async src=/c.js></script><script type="application/ld+json">{}</script><script src="/d.js"></script>`
	if got := blockingScripts(html); len(got) != 1 || !strings.Contains(got[0], "/d.js") {
		t.Fatal(fmt.Sprint(got))
	}
}
