package services

import (
	"strings"
	"unicode"

	"github.com/qubly/qubly/domain"
)

// chatLogQuestion is the question as the owner's page lists it: lower case,
// spaces collapsed, accents kept, so repeats of one question count together.
func chatLogQuestion(message string) string {
	return strings.Join(strings.Fields(strings.ToLower(message)), " ")
}

// chatCacheKey is the question as the reply cache compares it: folded
// (no case, no accents), punctuation dropped, spaces collapsed, so "¿Qué
// tienen?" and "que tienen" share a reply.
func chatCacheKey(message string) string {
	folded := domain.Fold(message)
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}
