package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold is the one rule every search compares text by: lower case with the
// accents stripped ("Pérez" and "PÉREZ" fold to "perez", "Niño" to "nino").
// It decomposes s (NFD), drops the combining marks, lowers what is left
// and composes it again (NFC, so scripts such as Hangul stay as written).
// The database applies the same rule through FoldTable (repositories).
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// foldRanges are the code points FoldTable covers: Latin, Greek, Cyrillic,
// Armenian and their extensions, the combining marks, and full-width Latin
// letters. Fold leaves every other letter people type in a store as it is.
var foldRanges = [][2]rune{
	{'A', 'Z'}, {0x00C0, 0x024F}, {0x0300, 0x036F}, {0x0370, 0x058F},
	{0x1E00, 0x1FFF}, {0xFF21, 0xFF3A},
}

// FoldTable returns Fold as a character map, for a database that can only
// translate characters (PostgreSQL's translate(s, from, to)): each rune of
// from becomes the rune of to at the same place, and the runes of from past
// the end of to (combining marks) are dropped. Runes outside the covered
// ranges, or that Fold turns into more than one rune, are left out.
func FoldTable() (from, to string) {
	var f, t, drop strings.Builder
	for _, rg := range foldRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			folded := Fold(string(r))
			switch n := utf8.RuneCountInString(folded); {
			case folded == string(r):
			case n == 0:
				drop.WriteRune(r)
			case n == 1:
				f.WriteRune(r)
				t.WriteString(folded)
			}
		}
	}
	return f.String() + drop.String(), t.String()
}
