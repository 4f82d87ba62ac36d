package services

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
)

// takenCodes is a ReferralCodeRepo over a set of taken codes.
type takenCodes map[string]bool

func (t takenCodes) ReferralCodeTaken(_ context.Context, code string) (bool, error) {
	return t[code], nil
}
func (t takenCodes) GetByReferralCode(context.Context, string) (*domain.Business, error) {
	return nil, domain.ErrNotFound
}

// draws returns a random source that answers ns in turn, then the last one.
func draws(ns ...int64) func(int64) int64 {
	return func(n int64) int64 {
		v := ns[0]
		if len(ns) > 1 {
			ns = ns[1:]
		}
		return v % n
	}
}

func TestNewReferralCodeRetriesACollision(t *testing.T) {
	s := NewReferrals(ReferralsDeps{Codes: takenCodes{"QUBLY0001": true, "QUBLY0002": true}, RandN: draws(1, 2, 1, 3)})
	code, err := s.NewCode(context.Background())
	if err != nil || code != "QUBLY0003" {
		t.Fatalf("NewCode = %q, %v; want QUBLY0003 after three taken draws", code, err)
	}
}

func TestNewReferralCodeWidensWhenFull(t *testing.T) {
	// Every 4-digit draw lands on a taken code: after codeDrawsPerWidth
	// draws the code gets a fifth digit rather than sign-up failing.
	taken := takenCodes{"QUBLY0042": true}
	s := NewReferrals(ReferralsDeps{Codes: taken, RandN: draws(42)})
	code, err := s.NewCode(context.Background())
	if err != nil || code != "QUBLY00042" {
		t.Fatalf("NewCode = %q, %v; want the 5-digit QUBLY00042", code, err)
	}
}
