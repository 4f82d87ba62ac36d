package services_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

// Cancelling gives back only the units the order took: a product that began
// counting stock after the order keeps its count.
func TestCancelGivesBackOnlyStockTheOrderTook(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	o := e.mustCreate(t, services.CreateOrderInput{
		Items:        []services.OrderItemInput{{ProductID: e.agua.ID, Quantity: 3}, {ProductID: e.limited.ID, Quantity: 2}},
		CustomerName: "Ana", CustomerPhone: "55 9876 5432", Fulfillment: domain.FulfillmentPickup,
		PaymentMethod: domain.PaymentCash, Language: "es",
	})
	if got := e.stock(t, e.limited.ID); got != 3 {
		t.Fatalf("limited stock after order = %d, want 3", got)
	}
	// The owner starts counting the agua after the order.
	if err := e.a.DB.Model(&domain.Product{}).Where("id = ?", e.agua.ID).Update("stock", 10).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Transition(ctx, e.biz, o.ID, domain.OrderCancelled); err != nil {
		t.Fatal(err)
	}
	if got := e.stock(t, e.agua.ID); got != 10 {
		t.Fatalf("agua stock after cancel = %d, want 10 (the order took none)", got)
	}
	if got := e.stock(t, e.limited.ID); got != 5 {
		t.Fatalf("limited stock after cancel = %d, want 5", got)
	}
}
