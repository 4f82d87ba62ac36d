package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"strings"
	"testing"
)

func TestLocalesHaveTheSameKeys(t *testing.T) {
	keys := map[string]map[string]any{}
	paths, _ := fs.Glob(files, "locales/*.json")
	if len(paths) < 2 {
		t.Fatalf("locale files: %v", paths)
	}
	for _, p := range paths {
		parts := strings.Split(strings.TrimSuffix(path.Base(p), ".json"), ".")
		lang := parts[len(parts)-1]
		if !Supported(lang) {
			t.Fatalf("%s: unknown language %q", p, lang)
		}
		raw, err := files.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// A message is a string, or its CLDR plural forms: "one" and "other".
		m := map[string]any{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if keys[lang] == nil {
			keys[lang] = map[string]any{}
		}
		for k, v := range m {
			if _, dup := keys[lang][k]; dup {
				t.Errorf("%s: %q defined twice for %s", p, k, lang)
			}
			if forms, ok := v.(map[string]any); ok {
				if len(forms) != 2 || forms["one"] == nil || forms["other"] == nil {
					t.Errorf("%s: %q: plural forms must be exactly one and other, got %v", p, k, forms)
				}
			} else if _, ok := v.(string); !ok {
				t.Errorf("%s: %q is neither a string nor plural forms", p, k)
			}
			keys[lang][k] = v
		}
	}
	for _, a := range Languages {
		for _, b := range Languages {
			for k := range keys[a] {
				if _, plural := keys[a][k].(map[string]any); plural {
					if _, ok := keys[b][k].(map[string]any); !ok {
						t.Errorf("%q has plural forms in %s, not in %s", k, a, b)
					}
				}
				if _, ok := keys[b][k]; !ok {
					t.Errorf("%s has %q, %s does not", a, k, b)
				}
			}
		}
	}
}

func TestMatch(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ cookie, accept, want string }{
		{"", "", "es"},
		{"en", "es-MX", "en"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "es-MX,es;q=0.9,en;q=0.5", "es"},
		{"", "fr-FR", "es"},
		{"xx", "en", "en"},
	}
	for _, c := range cases {
		if got := b.Match(c.cookie, c.accept); got != c.want {
			t.Errorf("Match(%q, %q) = %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
	if got := b.For("en").T("validation.too_long", "Max", 5); got != "At most 5 characters." {
		t.Errorf("T = %q", got)
	}
}

func TestPluralForms(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	es, en := b.For("es"), b.For("en")
	cases := []struct {
		l    *Localizer
		id   string
		n    any
		want string
	}{
		{es, "store.rating.count", 1, "1 reseña"},
		{es, "store.rating.count", 0, "0 reseñas"},
		{es, "store.rating.count", int64(2), "2 reseñas"},
		{es, "store.rating.count", 1_000_000, "1000000 reseñas"}, // CLDR "many": falls back to other
		{en, "home.checklist.remaining", 1, "1 step to go. This list goes away once you are done."},
		{en, "home.checklist.remaining", 3, "3 steps to go. This list goes away once you are done."},
		{es, "home.top.units", uint(1), "1 vendido"},
		{es, "catalog.products.deleted", 1, "Producto eliminado."},
		{es, "catalog.products.deleted", 3, "3 productos eliminados."},
		// A plain message with a count is shown as is.
		{es, "reviews.stars", 1, "1 de 5 estrellas"},
	}
	for _, c := range cases {
		if got := c.l.Plural(c.id, c.n); got != c.want {
			t.Errorf("%s Plural(%s, %v) = %q, want %q", c.l.Lang(), c.id, c.n, got, c.want)
		}
	}
	if got := es.T("store.search.results", "Count", 1, "Query", "taco"); got != "1 resultado para “taco”" {
		t.Errorf("T with Count = %q", got)
	}
	if got := es.Plural("no.such.key", 1); got != "no.such.key" {
		t.Errorf("missing message: %q", got)
	}
}

func TestDataAttrsHoldAFeaturesPlainMessages(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	got := string(b.For("en").DataAttrs("chat_widget"))
	for _, want := range []string{` data-s-rate-soon="`, ` data-s-q1="What do you sell?"`, ` data-s-load-failed="`} {
		if !strings.Contains(got, want) {
			t.Errorf("DataAttrs lacks %s:\n%s", want, got)
		}
	}
	// A message that takes template data is left to the page (.L.T).
	if strings.Contains(got, "data-s-title=") || strings.Contains(got, "{{") {
		t.Errorf("DataAttrs holds a message with template data:\n%s", got)
	}
	if es := string(b.For("es").DataAttrs("chat_widget")); !strings.Contains(es, `data-s-q1="¿Qué tienen?"`) || es == got {
		t.Errorf("Spanish DataAttrs:\n%s", es)
	}
	if b.For("en").DataAttrs("chat_widget") != b.For("en").DataAttrs("chat_widget") {
		t.Error("DataAttrs changed between calls")
	}
}
