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

// chatProductWords are the words of a product's name, category and
// description as foldWords leaves them, without stop words (no query word
// is one).
type chatProductWords struct {
	name, category, description []string
}

// appendContentWords appends the words of folded text that are not stop
// words to dst.
func appendContentWords(dst []string, text string) []string {
	forEachWord(text, func(w string) bool {
		if !stopWords[w] {
			dst = append(dst, w)
		}
		return true
	})
	return dst
}

// productWords returns the folded words of every product, in display
// order, computed once per catalog: the catalog is read-only and replaced
// on every store write. The words of all products share one slice.
func (c *StoreCatalog) productWords() []chatProductWords {
	c.chatOnce.Do(func() {
		type span struct{ name, cat, desc [2]int }
		spans := make([]span, len(c.Products))
		words := make([]string, 0, 16*len(c.Products))
		cats := map[*domain.Category][2]int{}
		for i, p := range c.Products {
			sp := &spans[i]
			sp.name[0] = len(words)
			words = appendContentWords(words, foldWords(p.Name))
			sp.name[1], sp.desc[0] = len(words), len(words)
			words = appendContentWords(words, foldWords(p.Description))
			sp.desc[1] = len(words)
			if cat := c.Category(p); cat != nil {
				if _, ok := cats[cat]; !ok {
					start := len(words)
					words = appendContentWords(words, foldWords(cat.Name))
					cats[cat] = [2]int{start, len(words)}
				}
				sp.cat = cats[cat]
			}
		}
		c.chatWords = make([]chatProductWords, len(c.Products))
		for i, sp := range spans {
			c.chatWords[i] = chatProductWords{
				name:        words[sp.name[0]:sp.name[1]:sp.name[1]],
				category:    words[sp.cat[0]:sp.cat[1]:sp.cat[1]],
				description: words[sp.desc[0]:sp.desc[1]:sp.desc[1]],
			}
		}
	})
	return c.chatWords
}

// rankProducts picks up to limit of the catalog's products for the query
// words, best match first and display order between equals. matched is
// false when no product matched, and the first products are returned
// instead; fill tops up a short list of matches with the first unmatched
// products (for browsing).
func rankProducts(cat *StoreCatalog, query []string, limit int, fill bool) (_ []*domain.Product, matched bool) {
	type scored struct {
		i, score int
	}
	products := cat.Products
	var hits []scored
	if len(query) > 0 {
		catScores := map[*domain.Category]int{}
		for i, w := range cat.productWords() {
			s := nameScore(w.name, query)
			if c := cat.Category(products[i]); c != nil {
				cs, ok := catScores[c]
				if !ok {
					cs = fieldScore(w.category, query, rankCategory, rankCategory)
					catScores[c] = cs
				}
				s += cs
			}
			s += fieldScore(w.description, query, rankDescription, 0)
			if s > 0 {
				hits = append(hits, scored{i, s})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return b.score - a.score })
	out := make([]*domain.Product, 0, min(limit, len(products)))
	taken := make(map[int]bool, min(limit, len(hits)))
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		out = append(out, products[h.i])
		taken[h.i] = true
	}
	matched = len(out) > 0
	if matched && !fill {
		return out, true
	}
	for i, p := range products {
		if len(out) == limit {
			break
		}
		if !taken[i] {
			out = append(out, p)
		}
	}
	return out, matched
}

// nameScore scores the words of a product's name: each query word found
// in it, the bonus for all of them, the cost of the name's other words.
func nameScore(name []string, query []string) int {
	var found uint64
	score, extra := 0, 0
	for _, w := range name {
		hit := false
		for i, q := range query {
			if i >= 64 {
				break
			}
			bit := uint64(1) << i
			switch {
			case sameWord(q, w):
				if found&bit == 0 {
					score += rankName
				}
				found |= bit
				hit = true
			case found&bit == 0 && similarWord(q, w):
				score += rankNameTypo
				found |= bit
				hit = true
			}
		}
		if !hit {
			extra++
		}
	}
	if score == 0 {
		return 0
	}
	if n := min(len(query), 64); found == 1<<n-1 {
		score += rankAllInName
	}
	return score - extra*rankExtraWord
}

// fieldScore gives exact points for each query word the words hold, and
// typo points (0: none) for one within a typo's reach.
func fieldScore(words []string, query []string, exact, typo int) int {
	var found uint64
	score := 0
	for _, w := range words {
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
	}
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
