package domain

import (
	"strings"
	"unicode"
)

// CleanText cleans what a person typed into a multi-line field (a
// description, an address, order notes, a review): see cleanTyped. Line
// breaks become "\n" and tabs stay.
func CleanText(s string) string { return cleanTyped(s, true) }

// CleanLine cleans what a person typed into a one-line field (a name, a
// title): see cleanTyped. Line breaks and tabs become spaces.
func CleanLine(s string) string { return cleanTyped(s, false) }

const zeroWidthJoiner = '\u200D'

// cleanTyped is the one rule for text people type, applied before it is
// checked and stored. It drops invalid UTF-8, NUL and every other control
// character (Unicode Cc), and every invisible format character (Cf): bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks
// (U+200E, U+200F), zero-width spaces and joiners, the BOM, soft hyphens.
// Those are stored and shown as sent otherwise, and can reverse or hide
// what an owner reads. Two kinds of Cf are kept because emoji need them: a
// zero-width joiner between two emoji ("👩‍💻", "🏳️‍🌈") and the tag
// characters of a subdivision flag ("🏴󠁧󠁢󠁳󠁣󠁴󠁿"). The result is trimmed.
func cleanTyped(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	flagTags := false
	for i, r := range rs {
		isTag := r >= 0xE0020 && r <= 0xE007F
		switch {
		case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' && multiline:
			b.WriteByte('\t')
		case r == '\t' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r == zeroWidthJoiner:
			if joinsEmoji(rs, i) {
				b.WriteRune(r)
			}
		case isTag:
			if flagTags {
				b.WriteRune(r)
			}
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
		switch {
		case r == 0x1F3F4: // black flag, which tag characters may follow
			flagTags = true
		case !isTag || r == 0xE007F: // cancel tag ends the sequence
			flagTags = false
		}
	}
	return strings.TrimSpace(b.String())
}

// joinsEmoji reports whether the zero-width joiner at rs[i] stands between
// two emoji (skipping a variation selector or skin tone before it).
func joinsEmoji(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && (rs[j] == '\uFE0F' || rs[j] == '\uFE0E') {
		j--
	}
	return j >= 0 && i+1 < len(rs) && isEmoji(rs[j]) && isEmoji(rs[i+1])
}

// isEmoji reports whether r is a pictograph that emoji sequences join.
func isEmoji(r rune) bool {
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || unicode.Is(unicode.So, r)
}
