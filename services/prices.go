package services

import (
	"strings"

	"github.com/qubly/qubly/domain"
)

// ParsePrice reads a price typed in pesos ("25", "25.50", "$1,250.00") into
// centavos, exactly. It returns the i18n key of what is wrong, or "".
// A comma is only a thousands separator: "25,50" is refused rather than
// read as $2,550.
func ParsePrice(s string) (domain.Money, string) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	s = strings.ReplaceAll(s, " ", "")
	if strings.HasPrefix(s, "-") {
		return 0, "catalog.validation.price_negative"
	}
	if s == "" {
		return 0, "validation.required"
	}
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 && strings.Trim(frac, "0123456789") == "" {
		return 0, "catalog.validation.price_decimals"
	}
	m, ok := domain.ParsePesos(s)
	if !ok {
		return 0, "catalog.validation.price_format"
	}
	if m > domain.MaxPriceCents {
		return 0, "catalog.validation.price_max"
	}
	return m, ""
}

// parseDelta reads an option's price change: "15", "+15", "-5.50"; empty is 0.
func parseDelta(s string) (domain.Money, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s = strings.TrimSpace(s); s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, "catalog.validation.price_format"
	}
	m, key := ParsePrice(s)
	if key != "" {
		return 0, key
	}
	if neg {
		m = -m
	}
	return m, ""
}
