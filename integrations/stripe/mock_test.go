package stripe_test

import (
	"testing"

	"github.com/qubly/qubly/testkit"
)

// recorder is stripe-mock behind testkit's recorder of the requests sent.
type recorder struct{ *testkit.StripeCalls }

func newRecorder(t *testing.T) *recorder { return &recorder{testkit.NewStripeCalls(t)} }

// requests returns the requests of method to path.
func (r *recorder) requests(method, path string) []testkit.StripeCall { return r.To(method, path) }
