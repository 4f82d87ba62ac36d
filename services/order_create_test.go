package services_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

// TestRepeatOfAnOrderThatTookTheLastUnits checks that a repeat (same
// idempotency key) of an order gets that order back even though the cart no
// longer validates: the first order took every unit, and the store closed
// since. The key is checked only when placing fails, so this is the path.
func TestRepeatOfAnOrderThatTookTheLastUnits(t *testing.T) {
	e := newOrderEnv(t)
	in := services.CreateOrderInput{
		Items:        []services.OrderItemInput{{ProductID: e.limited.ID, Quantity: 5}},
		CustomerName: "Ana", CustomerPhone: "5512345678", Fulfillment: domain.FulfillmentPickup,
		PaymentMethod: domain.PaymentCash, IdempotencyKey: "last-units-0123456789",
	}
	first := e.mustCreate(t, in)
	if e.stock(t, e.limited.ID) != 0 {
		t.Fatalf("stock %d, want 0", e.stock(t, e.limited.ID))
	}
	again := e.mustCreate(t, in)
	if !again.Replayed || again.ID != first.ID || again.Code != first.Code {
		t.Fatalf("repeat = %+v, want order %d replayed", again, first.ID)
	}
	e.updateBusiness(t, map[string]any{"closed_now": true})
	if o, err := e.svc.Create(context.Background(), e.biz, in); err != nil || !o.Replayed || o.ID != first.ID {
		t.Fatalf("repeat to a closed store = %+v, %v", o, err)
	}
	in.IdempotencyKey = "other-key-0123456789"
	if _, err := e.svc.Create(context.Background(), e.biz, in); err == nil {
		t.Fatal("a new order of a closed store was placed")
	}
	if n := e.count(t, &domain.Order{}); n != 1 {
		t.Fatalf("%d orders stored, want 1", n)
	}
}
