package domain

import (
	"regexp"
	"strconv"
	"strings"
)

// Money is an amount in centavos (1/100 MXN). Never a float.
type Money int64

// Pesos formats m for es-MX: "$1,234.50".
func (m Money) Pesos() string {
	neg := m < 0
	if neg {
		m = -m
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	b.WriteString(Thousands(int64(m) / 100))
	cents := int64(m) % 100
	b.WriteByte('.')
	if cents < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatInt(cents, 10))
	return b.String()
}

// Thousands writes n with comma separators, as es-MX and English both do
// ("12,345").
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
		s = s[1:]
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var thousandsPattern = regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d*)?$`)

// ParsePesos reads an amount typed by a person in pesos ("25", "25.5",
// "1,250.00", "$99.90") into centavos, exactly (no floats). It refuses
// negative amounts and more than two decimals.
func ParsePesos(s string) (Money, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	s = strings.ReplaceAll(s, " ", "")
	if strings.Contains(s, ",") {
		// A comma only groups thousands: "25,50" is refused, not read as 2550.
		if !thousandsPattern.MatchString(s) {
			return 0, false
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	if s == "" {
		return 0, false
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasFrac && (len(frac) == 0 || len(frac) > 2) {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	if len(whole) > 12 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return Money(w*100 + f), true
}

// Input formats m for a form field: "25.50", "1250.00" (no symbol or commas).
func (m Money) Input() string {
	s := m.Pesos()
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "$")
	s = strings.ReplaceAll(s, ",", "")
	if m < 0 {
		return "-" + s
	}
	return s
}
