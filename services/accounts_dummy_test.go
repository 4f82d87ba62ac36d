package services

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Login compares the password of an unknown email against the dummy hash,
// which must cost what a real password costs (its password never matters:
// without a user the login fails anyway).
func TestDefaultDummyHashCostsTheDefault(t *testing.T) {
	if cost, err := bcrypt.Cost([]byte(defaultDummyHash)); err != nil || cost != defaultBcryptCost {
		t.Fatalf("cost %d, %v; want %d", cost, err, defaultBcryptCost)
	}
}
