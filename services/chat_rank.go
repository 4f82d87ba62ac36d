package services

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// Points a query word earns a product, by where it matches; a typo'd
// match earns less than an exact one.
const (
	rankName        = 100
	rankNameTypo    = 60
	rankCategory    = 30
	rankDescription = 10
	// rankAllInName rewards a name holding every query word;
	// rankExtraWord costs each name word the query does not hold, so
	// "Taco al pastor" comes before "Orden de 5 tacos al pastor".
	rankAllInName = 50
	rankExtraWord = 5
)

// rankProducts picks up to limit products for the query words, best match
// first and display order between equals. matched is false when no product
// matched, and the first products are returned instead; fill tops up a
// short list of matches with the first unmatched products (for browsing).
func rankProducts(products []*domain.Product, cat *StoreCatalog, query []string, limit int, fill bool) (_ []*domain.Product, matched bool) {
	type scored struct {
		p     *domain.Product
		score int
	}
	var hits []scored
	if len(query) > 0 {
		catScores := map[*domain.Category]int{}
		for _, p := range products {
			s := nameScore(p.Name, query)
			if c := cat.Category(p); c != nil {
				cs, ok := catScores[c]
				if !ok {
					cs = fieldScore(c.Name, query, rankCategory, rankCategory)
					catScores[c] = cs
				}
				s += cs
			}
			s += fieldScore(p.Description, query, rankDescription, 0)
			if s > 0 {
				hits = append(hits, scored{p, s})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return b.score - a.score })
	out := make([]*domain.Product, 0, min(limit, len(products)))
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		out = append(out, h.p)
	}
	matched = len(out) > 0
	if matched && !fill {
		return out, true
	}
	for _, p := range products {
		if len(out) == limit {
			break
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, matched
}

// nameScore scores a product name: each query word found in it, the bonus
// for all of them, the cost of the name's other words.
func nameScore(name string, query []string) int {
	found := make([]bool, len(query))
	score, extra := 0, 0
	forEachWord(foldWords(name), func(w string) bool {
		hit := false
		for i, q := range query {
			switch {
			case sameWord(q, w):
				if !found[i] {
					score += rankName
				}
				found[i], hit = true, true
			case !found[i] && similarWord(q, w):
				score += rankNameTypo
				found[i], hit = true, true
			}
		}
		if !hit && !stopWords[w] {
			extra++
		}
		return true
	})
	if score == 0 {
		return 0
	}
	if !slices.Contains(found, false) {
		score += rankAllInName
	}
	return score - extra*rankExtraWord
}

// fieldScore gives exact points for each query word text holds, and typo
// points (0: none) for one within a typo's reach.
func fieldScore(text string, query []string, exact, typo int) int {
	if text == "" {
		return 0
	}
	var found uint64
	score := 0
	forEachWord(foldWords(text), func(w string) bool {
		for i, q := range query {
			if i >= 64 || found&(1<<i) != 0 {
				continue
			}
			if sameWord(q, w) {
				score += exact
				found |= 1 << i
			} else if typo > 0 && similarWord(q, w) {
				score += typo
				found |= 1 << i
			}
		}
		return true
	})
	return score
}

// sameWord reports whether a query word and a text word are the same
// word, singular or plural ("taco" and "tacos", "flor" and "flores").
func sameWord(q, w string) bool {
	if q == w {
		return true
	}
	short, long := q, w
	if len(short) > len(long) {
		short, long = long, short
	}
	return len(short) >= 3 && len(long)-len(short) <= 2 && strings.HasPrefix(long, short) &&
		(long[len(short)] == 's' || long[len(short):] == "es")
}

// similarWord reports whether q is w with a typo ("pastro", "orchata").
func similarWord(q, w string) bool {
	k := typoBudget(min(len(q), len(w)))
	return k > 0 && editDistanceWithin(q, w, k)
}

// forEachWord calls fn with each word of text as foldWords leaves it
// (words split by spaces) until fn returns false.
func forEachWord(text string, fn func(w string) bool) {
	start := -1
	for i := 0; i <= len(text); i++ {
		word := i < len(text) && text[i] != ' '
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			if !fn(text[start:i]) {
				return
			}
			start = -1
		}
	}
}

// foldWords is domain.Fold for matching words: letters folded, digits
// kept, anything else a space. Latin text, what stores write, goes
// through a table built from domain.Fold; other scripts through Fold.
func foldWords(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				b = append(b, c)
			default:
				b = append(b, ' ')
			}
		case r < latinFoldEnd:
			b = append(b, latinFold[r-utf8.RuneSelf]...)
		case r >= 0x2000 && r <= 0x206F: // general punctuation: – — ‘ ’ “ ” …
			b = append(b, ' ')
		default:
			return slowFoldWords(s)
		}
	}
	return string(b)
}

// latinFoldEnd ends the runes latinFold covers: Latin-1 and Latin
// Extended-A.
const latinFoldEnd = 0x180

// latinFold maps each rune from U+0080 to latinFoldEnd to what
// slowFoldWords makes of it.
var latinFold = func() []string {
	t := make([]string, latinFoldEnd-utf8.RuneSelf)
	for r := rune(utf8.RuneSelf); r < latinFoldEnd; r++ {
		t[r-utf8.RuneSelf] = slowFoldWords(string(r))
	}
	return t
}()

// slowFoldWords is foldWords through domain.Fold, for any script.
func slowFoldWords(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, domain.Fold(s))
}
