// Package domain holds Qubly's entities, money, statuses and domain errors. It does no I/O.
package domain

import (
	"errors"
	"strings"
)

// Domain errors; handlers turn them into HTTP answers.
var (
	// ErrNotFound is returned for missing rows and for rows of another tenant,
	// so nothing leaks whether an ID exists.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a write clashes with existing data.
	ErrConflict = errors.New("conflict")
	// ErrForbidden is returned when the user may not do what they asked.
	ErrForbidden = errors.New("forbidden")
	// ErrRateLimited is returned when a caller tried too often.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable is returned when the database cannot be reached now
	// (down, restarting, out of connections, busy): an expected state that
	// passes, answered 503 with Retry-After, not a bug.
	ErrUnavailable = errors.New("database unavailable")
	// ErrReferralCodeTaken is returned when a new business's referral code
	// was taken meanwhile by another (sign-up picks another and retries).
	ErrReferralCodeTaken = errors.New("referral code taken")
)

// FieldError is one invalid field; Key is an i18n message ID so the error
// can be shown in the user's language.
type FieldError struct {
	Field string
	Key   string
	Args  map[string]any
}

// ValidationError collects invalid fields of one request.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the invalid fields.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Key)
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// Add records an invalid field; only the first error per field is kept.
func (e *ValidationError) Add(field, key string, args map[string]any) {
	if e.Has(field) {
		return
	}
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Args: args})
}

// Has reports whether field already has an error.
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns e when it holds errors, nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// NewFieldError is a shortcut for a ValidationError with one field.
func NewFieldError(field, key string) error {
	v := &ValidationError{}
	v.Add(field, key, nil)
	return v
}

// AuthError is a failed authentication step; Key is an i18n message ID.
type AuthError struct{ Key string }

func (e *AuthError) Error() string { return "auth: " + e.Key }
