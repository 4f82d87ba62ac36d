package services

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// phoneMaxRunes bounds what NormalizePhone reads: a number written with
// full-width digits and spaces is still well under it.
const phoneMaxRunes = 40

// mexicoLegacyPrefixes are the prefixes Mexico dialled before the 2019
// numbering reform, still written by many people and shown by WhatsApp
// ("+52 1 55 …"): the mobile "1" after the country code, the mobile
// "044"/"045" and the long-distance "01". The current metadata no longer
// strips them, so NormalizePhone does, keyed on the national number's
// length so that a real ten-digit number is never cut.
var mexicoLegacyPrefixes = []struct {
	prefix string
	length int
}{
	{"1", 11},
	{"044", 13},
	{"045", 13},
	{"01", 12},
}

// NormalizePhone parses a phone number as written in Mexico ("55 1234 5678",
// "+52 1 55 1234 5678", "045 55 1234 5678", "01 55 1234 5678",
// "(55) 1234-5678", "55.1234.5678", "0052 55 1234 5678", full-width digits,
// any kind of space) and returns it in E.164 ("+525512345678"). Numbers of
// other countries are accepted with their "+" or "00" prefix. ok is false
// for anything that is not a valid number, has letters in it or an
// extension.
func NormalizePhone(raw string) (e164 string, ok bool) {
	s, ok := phoneDigitsAndPunct(raw)
	if !ok {
		return "", false
	}
	n, err := phonenumbers.Parse(s, "MX")
	if err != nil || n.GetExtension() != "" {
		return "", false
	}
	if !phonenumbers.IsValidNumber(n) {
		if n.GetCountryCode() != 52 {
			return "", false
		}
		if n, ok = stripMexicoLegacyPrefix(n); !ok {
			return "", false
		}
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// phoneDigitsAndPunct turns every kind of space into a plain one, drops
// invisible format characters (bidi marks pasted with a contact) and
// refuses anything but digits, spaces and the marks people write in a
// number: + ( ) - . /
func phoneDigitsAndPunct(raw string) (string, bool) {
	if utf8.RuneCountInString(raw) > phoneMaxRunes || !utf8.ValidString(raw) {
		return "", false
	}
	var b strings.Builder
	digits := 0
	for _, r := range raw {
		switch {
		case unicode.IsDigit(r):
			digits++
			b.WriteRune(r)
		case unicode.IsSpace(r) || unicode.In(r, unicode.Zs):
			b.WriteByte(' ')
		case unicode.In(r, unicode.Cf):
		case strings.ContainsRune("+()-./", r), r == '＋', r == '（', r == '）', r == '－':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if digits == 0 {
		return "", false
	}
	return strings.TrimSpace(b.String()), true
}

// stripMexicoLegacyPrefix retries a Mexican number without the prefix it
// was dialled with before 2019.
func stripMexicoLegacyPrefix(n *phonenumbers.PhoneNumber) (*phonenumbers.PhoneNumber, bool) {
	nsn := phonenumbers.GetNationalSignificantNumber(n)
	for _, p := range mexicoLegacyPrefixes {
		if len(nsn) != p.length || !strings.HasPrefix(nsn, p.prefix) {
			continue
		}
		m, err := phonenumbers.Parse("+52"+nsn[len(p.prefix):], "MX")
		if err == nil && phonenumbers.IsValidNumber(m) {
			return m, true
		}
	}
	return nil, false
}

// FormatPhone writes a stored E.164 number the way people read it: a
// Mexican one in national form ("33 1234 5678"), a foreign one in
// international form ("+1 415-555-2671"). Both forms parse back to the
// same number, so a form can show it and save it unchanged. Anything that
// does not parse is returned as it is.
func FormatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "MX")
	if err != nil {
		return e164
	}
	if n.GetCountryCode() == 52 {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
