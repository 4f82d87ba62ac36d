package domain

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Pérez":               "perez",
		"PÉREZ":               "perez",
		"Pe\u0301rez":         "perez", // decomposed, as some keyboards send it
		"Niño":                "nino",
		"Café con Leche":      "cafe con leche",
		"Ñandú":               "nandu",
		"Über Größe":          "uber große",
		"ÀÉÎÕÜ çÇ":            "aeiou cc",
		"Ｔａｃｏ":                "ｔａｃｏ",
		"한국":                  "한국",
		"100% algodón_azul\\": "100% algodon_azul\\",
		"":                    "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// FoldTable gives, rune by rune, what Fold gives, so a database that only
// translates characters folds text the same way.
func TestFoldTableMatchesFold(t *testing.T) {
	from, to := FoldTable()
	fromRunes, toRunes := []rune(from), []rune(to)
	m := map[rune]string{}
	for i, r := range fromRunes {
		if i < len(toRunes) {
			m[r] = string(toRunes[i])
		} else {
			m[r] = ""
		}
	}
	apply := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if f, ok := m[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	for _, rg := range foldRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if got, want := apply(string(r)), Fold(string(r)); got != want {
				t.Errorf("table folds %U %q to %q, Fold to %q", r, string(r), got, want)
			}
		}
	}
	for _, s := range []string{"José Pérez Niño", "CAFÉ", "Pe\u0301rez", "Ελληνικά ΆΈΉ", "Ёлка Й"} {
		if got, want := apply(s), Fold(s); got != want {
			t.Errorf("table folds %q to %q, Fold to %q", s, got, want)
		}
	}
}
