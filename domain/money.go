package domain

import (
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
	whole := strconv.FormatInt(int64(m)/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	cents := int64(m) % 100
	b.WriteByte('.')
	if cents < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatInt(cents, 10))
	return b.String()
}
