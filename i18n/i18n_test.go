package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"strings"
	"testing"
)

func TestLocalesHaveTheSameKeys(t *testing.T) {
	keys := map[string]map[string]string{}
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
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if keys[lang] == nil {
			keys[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := keys[lang][k]; dup {
				t.Errorf("%s: %q defined twice for %s", p, k, lang)
			}
			keys[lang][k] = v
		}
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
