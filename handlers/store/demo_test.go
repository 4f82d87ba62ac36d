package store_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

var demoCardImg = regexp.MustCompile(`<img src="(/media/[^"]+-400\.jpg)" srcset="[^"]+-1200\.jpg 1200w"[^>]* alt="([^"]*)"`)

// The demo store shows a picture on every product card (from the same
// media files and srcset as an uploaded photo), in the product's JSON-LD,
// its approved reviews only, and credits the illustrations in its footer.
func TestDemoStoreShowsPicturesReviewsAndCredits(t *testing.T) {
	ctx := context.Background()
	a := testkit.NewApp(t)
	biz := sfDemo(t, a)
	c := a.Client()

	home := sfGet(t, c, "/demo", http.StatusOK)
	pictured := map[string]string{}
	for _, m := range demoCardImg.FindAllStringSubmatch(home.Body, -1) {
		pictured[html.UnescapeString(m[2])] = m[1]
	}
	prods, err := a.Repos.Catalog.Products.List(ctx, biz.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prods {
		if pictured[p.Name] == "" {
			t.Errorf("no picture on the card of %q", p.Name)
		}
	}
	for name, src := range pictured {
		r := c.Get(src)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" || len(r.Body) < 2000 {
			t.Fatalf("picture of %q, GET %s: %d %s, %d bytes", name, src, r.StatusCode, r.Header.Get("Content-Type"), len(r.Body))
		}
	}
	for _, want := range []string{"data-demo-credits", "Twemoji", "https://creativecommons.org/licenses/by/4.0/"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("the demo store's footer lacks %q", want)
		}
	}

	page := sfGet(t, c, "/demo/p/taco-al-pastor", http.StatusOK)
	ld := sfLD(t, sfJSONLD(t, page.Body), "Product")
	imgs, _ := ld["image"].([]any)
	if len(imgs) == 0 || !strings.HasPrefix(imgs[0].(string), testkit.BaseURL+"/media/") {
		t.Fatalf("Product JSON-LD image = %v", ld["image"])
	}

	reviews := sfGet(t, c, "/demo/reviews", http.StatusOK)
	if !strings.Contains(reviews.Body, "la piña en su punto") || !strings.Contains(reviews.Body, "Mariana G.") {
		t.Error("an approved review is missing from the store's reviews")
	}
	if strings.Contains(reviews.Body, "Hacen pedidos para fiestas") {
		t.Error("a pending review shows on the store")
	}
}

// Another store's footer carries no demo credit.
func TestOnlyTheDemoStoreCreditsTwemoji(t *testing.T) {
	a := testkit.NewApp(t)
	sfDemo(t, a)
	o := a.CreateOwner("tienda-a")
	r := sfGet(t, a.Client(), "/"+o.Business.Slug, http.StatusOK)
	if strings.Contains(r.Body, "data-demo-credits") || strings.Contains(r.Body, "Twemoji") {
		t.Fatalf("GET /%s (%d) credits Twemoji", o.Business.Slug, r.StatusCode)
	}
}
