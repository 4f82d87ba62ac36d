package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A flash is shown once, on the page the redirect leads to, and a page that
// refuses a form never shows an earlier success beside its errors.
func TestFlashIsShownOnce(t *testing.T) {
	s := newCatalogSetup(t)
	const saved = "Cambios guardados."
	r := s.c.PostForm("/dashboard/products", url.Values{"name": {"Taco"}, "price": {"20"}, "active": {"on"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.StatusCode, r.Body)
	}
	edit := r.Header.Get("Location")
	if r := s.c.Get(edit); !strings.Contains(r.Body, saved) {
		t.Fatalf("the page after the redirect does not show the flash")
	}
	for _, p := range []string{edit, "/dashboard/products", "/dashboard"} {
		if r := s.c.Get(p); strings.Contains(r.Body, saved) {
			t.Fatalf("%s shows the flash again", p)
		}
	}

	// A success not yet shown, then a refused form: its page shows only the errors.
	if r := s.c.PostForm(edit, url.Values{"name": {"Taco"}, "price": {"21"}, "active": {"on"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", r.StatusCode)
	}
	r = s.c.PostForm(edit, url.Values{"name": {""}, "price": {"21"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Revisa los campos marcados.") {
		t.Fatalf("refused form: %d", r.StatusCode)
	}
	if strings.Contains(r.Body, saved) {
		t.Fatalf("a refused form shows an old success flash")
	}
	if r := s.c.Get(edit); strings.Contains(r.Body, saved) {
		t.Fatalf("the flash outlived the page that refused the form")
	}
}
