package toon

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

const hexDigits = "0123456789abcdef"

// maxExp bounds the exponent of a json.Number the encoder accepts.
const maxExp = 1 << 53

var (
	errSyntax = errors.New("toon: invalid number")
	// errNumberRange reports a json.Number whose exponent exceeds ±2^53.
	errNumberRange = errors.New("toon: number exponent out of range")
)

// appendString appends s as a TOON string value, quoted and escaped when
// §7.2 requires it for the delimiter delim.
func appendString(b []byte, s string, delim byte) []byte {
	if !needsQuote(s, delim) {
		return append(b, s...)
	}
	return appendQuoted(b, s)
}

// appendKey appends an object key or field name per §7.3.
func appendKey(b []byte, k string) []byte {
	if isBareKey(k) {
		return append(b, k...)
	}
	return appendQuoted(b, k)
}

// appendQuoted appends s in double quotes, escaped per §7.1.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !escapeByte[c] {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// isBareKey reports whether k matches ^[A-Za-z_][A-Za-z0-9_.]*$.
func isBareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// needsQuote applies the quoting rules of §7.2.
func needsQuote(s string, delim byte) bool {
	if s == "" {
		return true
	}
	switch s[0] {
	case ' ', '\t', '-', '#':
		return true
	}
	if last := s[len(s)-1]; last == ' ' || last == '\t' {
		return true
	}
	if s == "true" || s == "false" || s == "null" || isNumericLike(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; quoteByte[c] || c == delim {
			return true
		}
	}
	return false
}

// quoteByte marks the bytes that force quotes whatever the delimiter;
// escapeByte those that appendQuoted escapes.
var quoteByte, escapeByte = func() (q, e [256]bool) {
	for c := 0; c < 0x20; c++ {
		q[c], e[c] = true, true
	}
	for _, c := range []byte(`:"\[]{}`) {
		q[c] = true
	}
	e['"'], e['\\'] = true, true
	return q, e
}()

// isNumericLike matches /^[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/i.
func isNumericLike(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s)
}

// appendFloat appends f in canonical form (§2); NaN and ±Inf become null (§3).
func appendFloat(b []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		return append(b, '0')
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	var tmp [32]byte
	out, _ := appendNumber(b, strconv.AppendFloat(tmp[:0], f, 'e', -1, bits))
	return out
}

// appendNumber appends the JSON number literal s in canonical form, keeping
// every digit: within 1e-6 ≤ |n| < 1e21 as a plain decimal, outside it in
// exponent form with an explicit sign (1e+21, 1.5e-7).
func appendNumber[T string | []byte](b []byte, s T) ([]byte, error) {
	var digits [64]byte
	d, neg, exp, err := splitNumber(s, digits[:0])
	if err != nil {
		return b, fmt.Errorf("%w: %q", err, string(s))
	}
	if len(d) == 0 {
		return append(b, '0'), nil
	}
	if neg {
		b = append(b, '-')
	}
	// The value is d[0].d[1:] × 10^exp.
	n := len(d)
	switch {
	case exp < -6 || exp > 20:
		b = append(b, d[0])
		if n > 1 {
			b = append(b, '.')
			b = append(b, d[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		return strconv.AppendInt(b, int64(exp), 10), nil
	case exp >= n-1:
		b = append(b, d...)
		for i := 0; i < exp-(n-1); i++ {
			b = append(b, '0')
		}
	case exp >= 0:
		b = append(b, d[:exp+1]...)
		b = append(b, '.')
		b = append(b, d[exp+1:]...)
	default:
		b = append(b, '0', '.')
		for i := 0; i < -exp-1; i++ {
			b = append(b, '0')
		}
		b = append(b, d...)
	}
	return b, nil
}

// splitNumber parses a JSON number into its sign, significant digits (no
// leading or trailing zeros, appended to d) and the decimal exponent of the
// first digit. A zero value yields no digits.
func splitNumber[T string | []byte](s T, d []byte) (_ []byte, neg bool, exp int, err error) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	intDigits, seen := 0, false
	point := false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' && !point {
			point = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		seen = true
		if c == '0' && len(d) == 0 {
			if point {
				exp-- // a leading zero after the point shifts the first digit
			}
			continue
		}
		if !point {
			intDigits++
		}
		d = append(d, c)
	}
	if !seen {
		return d, false, 0, errSyntax
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return d, false, 0, errSyntax
		}
		e, err := parseExp(s[i+1:])
		if err != nil {
			return d, false, 0, err
		}
		exp += e
	}
	for len(d) > 0 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	if len(d) == 0 {
		return d, false, 0, nil
	}
	// Digits before the point (intDigits) put the first at 10^(intDigits-1);
	// leading fractional zeros were already counted into exp.
	if intDigits > 0 {
		exp += intDigits - 1
	} else {
		exp--
	}
	return d, neg, exp, nil
}

// parseExp parses an exponent: an optional sign and digits, at most maxExp.
func parseExp[T string | []byte](s T) (int, error) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		i++
	}
	if i == len(s) {
		return 0, errSyntax
	}
	e := 0
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errSyntax
		}
		if e = e*10 + int(s[i]-'0'); e > maxExp {
			return 0, errNumberRange
		}
	}
	if neg {
		e = -e
	}
	return e, nil
}

// appendJSONNumber appends a json.Number canonically.
func appendJSONNumber(b []byte, n json.Number) ([]byte, error) {
	return appendNumber(b, string(n))
}
