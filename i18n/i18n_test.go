package i18n

import (
	"encoding/json"
	"testing"
)

func TestLocalesHaveTheSameKeys(t *testing.T) {
	keys := map[string]map[string]string{}
	for _, l := range Languages {
		raw, err := files.ReadFile("locales/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		keys[l] = m
	}
	for _, a := range Languages {
		for _, b := range Languages {
			for k := range keys[a] {
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
