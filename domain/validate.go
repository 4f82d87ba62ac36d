package domain

import (
	"regexp"
	"unicode/utf8"
)

// Message keys of the common rules.
const (
	KeyRequired = "validation.required"
	KeyTooLong  = "validation.too_long"
)

// The rules below record an error on the field when the value breaks them
// and report whether it passed. Only a field's first error is kept (see
// Add), so rules chain: v.Required("name", s); v.MaxLen("name", s, Max).

// Required records KeyRequired when val is empty.
func (e *ValidationError) Required(field, val string) bool {
	return e.RequiredAs(field, val, KeyRequired)
}

// RequiredAs is Required with the message key of the caller's form.
func (e *ValidationError) RequiredAs(field, val, key string) bool {
	return e.Check(field, val != "", key, nil)
}

// MaxLen records KeyTooLong with {"Max": max} when val has more than max
// characters (runes).
func (e *ValidationError) MaxLen(field, val string, max int) bool {
	return e.MaxLenAs(field, val, max, KeyTooLong)
}

// MaxLenAs is MaxLen with the message key of the caller's form.
func (e *ValidationError) MaxLenAs(field, val string, max int, key string) bool {
	return e.Check(field, utf8.RuneCountInString(val) <= max, key, map[string]any{"Max": max})
}

// Range records key with args when n is outside [lo, hi].
func (e *ValidationError) Range(field string, n, lo, hi int, key string, args map[string]any) bool {
	return e.Check(field, n >= lo && n <= hi, key, args)
}

// OneOf records key when val is none of allowed.
func (e *ValidationError) OneOf(field, val string, allowed []string, key string) bool {
	for _, a := range allowed {
		if val == a {
			return true
		}
	}
	return e.Check(field, false, key, nil)
}

// Match records key when val does not match re.
func (e *ValidationError) Match(field, val string, re *regexp.Regexp, key string) bool {
	return e.Check(field, re.MatchString(val), key, nil)
}

// Check records key with args when ok is false: the rule written by the
// caller, for checks the named rules do not cover.
func (e *ValidationError) Check(field string, ok bool, key string, args map[string]any) bool {
	if !ok {
		e.Add(field, key, args)
	}
	return ok
}
