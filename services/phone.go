package services

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone parses a phone number as written in Mexico ("55 1234 5678",
// "+52 1 55 1234 5678", "(55) 1234-5678") and returns it in E.164
// ("+525512345678"). ok is false for anything that is not a valid number.
func NormalizePhone(raw string) (e164 string, ok bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 32 {
		return "", false
	}
	n, err := phonenumbers.Parse(raw, "MX")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}
