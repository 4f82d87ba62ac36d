package store

import "github.com/qubly/qubly/domain"

// SetUnavailable makes handlers built from now on treat the stores f
// reports as unavailable; the returned function restores the default.
func SetUnavailable(f func(*domain.Business) bool) (restore func()) {
	defaultUnavailable = f
	return func() { defaultUnavailable = nil }
}
