package services_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/testkit"
)

// TestCreateOrderStatementCount pins how many SQL statements placing an
// order runs, so a change that adds a round trip per order is a decision, not
// an accident: five reads before the transaction (store, products, their
// option groups and choices, owner) and four writes in it (one stock UPDATE
// per counted product, the order, its lines in one INSERT, the outbox
// email); BEGIN and COMMIT are not counted, and no savepoint is taken. The order has two lines, one of them of a product that
// counts its stock, and an idempotency key.
func TestCreateOrderStatementCount(t *testing.T) {
	e := newOrderEnv(t)
	in := e.pickupInput()
	in.Items = append(in.Items, e.pickupInput().Items[0])
	in.Items[1].ProductID = e.bulk.ID
	in.IdempotencyKey = "roundtrips-0123456789"
	queries := testkit.CountQueries(t, e.a.DB)
	o, err := e.svc.Create(context.Background(), e.biz, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Items) != 3 {
		t.Fatalf("items = %d", len(o.Items))
	}
	const want = 9
	if n := queries.Load(); n != want {
		t.Fatalf("placing an order ran %d statements, want %d", n, want)
	}
}
