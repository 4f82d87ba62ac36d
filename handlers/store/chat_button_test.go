package store_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/store"
	"github.com/qubly/qubly/testkit"
)

// The store assistant's button is on every page of an online store, in the
// store's language, and names its script and style by versioned URL without
// loading either: they are fetched on the first tap (cart.js).
func TestStorePagesCarryTheChatButtonNotItsFiles(t *testing.T) {
	s := newShop(t)
	assetRe := regexp.MustCompile(`\bdata-(js|css)="(/static/(?:js/chat\.js|css/chat\.css)\?v=[0-9a-f]{10})"`)
	for _, tc := range []struct{ lang, label string }{
		{"es", "Preguntar al asistente de la tienda"},
		{"en", "Ask the store&#39;s assistant"},
	} {
		s.update(t, map[string]any{"language": tc.lang})
		for _, p := range []string{"/tacos", "/tacos/p/" + s.taco.Slug, "/tacos/reviews", "/tacos/cart"} {
			r := fetch(t, s.a, p)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", p, r.status)
			}
			if n := strings.Count(r.body, "data-chat-open"); n != 1 {
				t.Fatalf("%s (%s) has %d chat buttons", p, tc.lang, n)
			}
			if !strings.Contains(r.body, `<span class="sr-only">`+tc.label+`</span>`) {
				t.Errorf("%s (%s): the chat button is not labelled %q", p, tc.lang, tc.label)
			}
			if regexp.MustCompile(`<(script|link)\b[^>]*chat\.(js|css)`).MatchString(r.body) {
				t.Errorf("%s loads the chat's files with the page", p)
			}
			urls := assetRe.FindAllStringSubmatch(r.body, -1)
			if len(urls) != 2 {
				t.Fatalf("%s: the chat button's file URLs: %q", p, urls)
			}
			for _, u := range urls {
				res := fetch(t, s.a, html.UnescapeString(u[2]))
				want := map[string]string{"js": "text/javascript", "css": "text/css"}[u[1]]
				if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), want) ||
					!strings.Contains(res.header.Get("Cache-Control"), "max-age=31536000") {
					t.Errorf("%s: %d, %q, %q", u[2], res.status, res.header.Get("Content-Type"), res.header.Get("Cache-Control"))
				}
			}
		}
	}
}

func TestUnavailableStoreHasNoChatButton(t *testing.T) {
	restore := store.SetUnavailable(func(b *domain.Business) bool { return b.Slug == "cerrada" })
	defer restore()
	a := testkit.NewApp(t)
	a.CreateOwner("cerrada")
	r := fetch(t, a, "/cerrada")
	if r.status != http.StatusServiceUnavailable || strings.Contains(r.body, "data-chat-open") {
		t.Fatalf("unavailable store: %d, chat button shown: %v", r.status, strings.Contains(r.body, "data-chat-open"))
	}
}
