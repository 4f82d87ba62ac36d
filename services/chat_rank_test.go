package services

import "testing"

// TestFoldWordsIsFold checks the fast path of foldWords against
// domain.Fold on the text stores write and on other scripts.
func TestFoldWordsIsFold(t *testing.T) {
	for _, s := range []string{
		"", "Café de Olla", "ÁÉÍÓÚÜÑ áéíóúüñ ¿Qué? ¡Sí!", "Pingüino «ñandú» — 1½ × 2 … ‘x’ “y”",
		"Straße Æsir Øl Łódź Œuvre Ĳ ſ ŉ", "Crème brûlée, jalapeño & piña", "Ｃａｆé 東京 Ελλάδα Кофе",
		"e\u0301 decomposed", "tab\tnew\nline", "\xff bad",
	} {
		if got, want := foldWords(s), slowFoldWords(s); got != want {
			t.Errorf("foldWords(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0); r < 0x2100; r++ {
		if got, want := foldWords(string(r)), slowFoldWords(string(r)); got != want {
			t.Errorf("foldWords(%U) = %q, want %q", r, got, want)
		}
	}
}
