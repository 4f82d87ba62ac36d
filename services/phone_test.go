package services_test

import (
	"strings"
	"testing"

	"github.com/qubly/qubly/services"
)

func TestNormalizePhoneAcceptsEveryMexicanWay(t *testing.T) {
	const want = "+525512345678"
	for _, in := range []string{
		"+52 1 55 1234 5678",  // how WhatsApp shows many mobiles
		"+5215512345678",      // the same, without spaces
		"52 1 55 1234 5678",   // no plus
		"521 55 1234 5678",    // country code and mobile 1 run together
		"0052 1 55 1234 5678", // international prefix and mobile 1
		"045 55 1234 5678",    // old mobile from long distance
		"044 55 1234 5678",    // old mobile, local
		"04455 1234 5678",     // the same, run together
		"01 55 1234 5678",     // old long distance
		"1 55 1234 5678",      // old mobile 1 alone
		"(55) 1234-5678",
		"55.1234.5678",
		"55-1234-5678",
		"55/1234/5678",
		"5512345678",
		"55 1234 5678",
		"+52 (55) 1234 5678",
		"+52 1 (55) 1234-5678",
		"+52-1-55-1234-5678",
		"0052 55 1234 5678",
		"+525512345678",
		"  55 1234 5678  ",
		"５５ １２３４ ５６７８", // full-width digits
		"＋５２ １ ５５ １２３４ ５６７８",     // full-width plus and digits
		"55\u00a01234\u00a05678", // non-breaking spaces
		"55\u202f1234\u20075678", // narrow no-break and figure spaces
		"+52\u00a01\u00a055 1234 5678",
		"\u202a+52 1 55 1234 5678\u202c", // bidi marks pasted with a contact
		"\u200e55 1234 5678",
		"55\t1234\n5678",
	} {
		got, ok := services.NormalizePhone(in)
		if !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNormalizePhoneOtherNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"33 1234 5678":        "+523312345678",
		"+52 1 33 1234 5678":  "+523312345678",
		"045 33 1234 5678":    "+523312345678",
		"01 33 1234 5678":     "+523312345678",
		"(999) 123 4567":      "+529991234567",
		"+52 1 999 123 4567":  "+529991234567",
		"01 999 123 4567":     "+529991234567",
		"+1 415 555 2671":     "+14155552671",
		"001 415 555 2671":    "+14155552671",
		"+34 612 345 678":     "+34612345678",
		"+44 7400 123456":     "+447400123456",
		"+52 55 1234 5678   ": "+525512345678",
	} {
		got, ok := services.NormalizePhone(in)
		if !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNormalizePhoneRefusesInvalid(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"12345",
		"55 1234 567",          // nine digits
		"551234567890",         // twelve digits
		"+52 1 55 1234 567",    // mobile 1 but nine digits after it
		"2 55 1234 5678",       // no such prefix
		"046 55 1234 5678",     // no such prefix
		"02 55 1234 5678",      // no such prefix
		"55 1234 ABCD",         // letters are not read as a keypad
		"55 1234 5678 ext 12",  // an extension is no WhatsApp number
		"tel 55 1234 5678",     // words
		"55 1234 5678\x00",     // NUL
		"+52 1 55 1234 5678 9", // one digit too many
		"0000000000",
		"+",
		"()",
		strings.Repeat("5", 41),
		"55 1234 5678" + strings.Repeat(" ", 40),
		"\xff55 1234 5678",
	} {
		if got, ok := services.NormalizePhone(in); ok {
			t.Errorf("NormalizePhone(%q) = %q, accepted; want refused", in, got)
		}
	}
}

func TestFormatPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+523312345678": "33 1234 5678",
		"+525512345678": "55 1234 5678",
		"+529991234567": "999 123 4567",
		"+14155552671":  "+1 415-555-2671",
		"+34612345678":  "+34 612 34 56 78",
		"":              "",
		"not a phone":   "not a phone",
	} {
		if got := services.FormatPhone(in); got != want {
			t.Errorf("FormatPhone(%q) = %q, want %q", in, got, want)
		}
		// What is shown parses back to the same number.
		if in != "" && in[0] == '+' {
			if back, ok := services.NormalizePhone(services.FormatPhone(in)); !ok || back != in {
				t.Errorf("NormalizePhone(FormatPhone(%q)) = %q, %v", in, back, ok)
			}
		}
	}
}
