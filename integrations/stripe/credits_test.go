package stripe_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/integrations/stripe"
)

func TestCreditBalanceSendsANegativeTransactionWithItsKey(t *testing.T) {
	mock := newRecorder(t)
	c := stripe.New("sk_test_123", mock.URL)
	id, err := c.CreditBalance(context.Background(), "cus_abc", 12450, "mxn", "Qubly: recompensa por referido Tacos", "qubly-referral-7")
	if err != nil || id == "" {
		t.Fatalf("CreditBalance = %q, %v", id, err)
	}
	reqs := mock.requests("POST", "/v1/customers/cus_abc/balance_transactions")
	if len(reqs) != 1 {
		t.Fatalf("%d balance transaction requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Form.Get("amount") != "-12450" || r.Form.Get("currency") != "mxn" ||
		r.Form.Get("description") != "Qubly: recompensa por referido Tacos" || r.IdempotencyKey != "qubly-referral-7" {
		t.Fatalf("request = %+v", r)
	}
	if _, err := c.CreditBalance(context.Background(), "cus_abc", 0, "mxn", "x", "k"); err == nil {
		t.Fatal("a zero credit was sent")
	}
}
