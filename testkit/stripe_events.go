package testkit

// Builders of Stripe events shaped like API version 2023-10-16 sends them
// (only the fields billing reads, and a few around them), for the webhook
// and browser tests; sign them with SignStripe.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/qubly/qubly/domain"
)

// stripeAPIVersion is the API version of the events the builders make.
const stripeAPIVersion = "2023-10-16"

var stripeEventSeq atomic.Int64

// StripeEvent is one Stripe event to deliver: its ID, type and JSON body.
type StripeEvent struct {
	ID, Type string
	Body     []byte
}

// NewStripeEvent wraps object in an event envelope of typ created at
// created, of the API version Qubly speaks.
func NewStripeEvent(typ string, created time.Time, object map[string]any) StripeEvent {
	return NewStripeEventVersion(typ, created, object, stripeAPIVersion)
}

// NewStripeEventVersion is NewStripeEvent of API version version.
func NewStripeEventVersion(typ string, created time.Time, object map[string]any, version string) StripeEvent {
	id := fmt.Sprintf("evt_test%06d", stripeEventSeq.Add(1))
	body, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": version, "created": created.Unix(),
		"data": map[string]any{"object": object}, "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil}, "type": typ,
	})
	if err != nil {
		panic(err)
	}
	return StripeEvent{ID: id, Type: typ, Body: body}
}

// CheckoutCompleted is a Checkout session in subscription mode for biz.
func CheckoutCompleted(created time.Time, bizID int64, customer, sub string) StripeEvent {
	ref := strconv.FormatInt(bizID, 10)
	return NewStripeEvent(domain.EventCheckoutCompleted, created, map[string]any{
		"id": "cs_test_" + ref + sub, "object": "checkout.session", "mode": "subscription",
		"client_reference_id": ref, "metadata": map[string]any{"business_id": ref},
		"customer": customer, "subscription": sub, "payment_status": "paid", "status": "complete",
		"amount_total": 24900, "currency": "mxn", "created": created.Unix(), "livemode": false,
	})
}

// SubscriptionEvent is customer.subscription.<verb> with sub in status.
func SubscriptionEvent(verb string, created time.Time, customer, sub, status string, periodEnd time.Time) StripeEvent {
	return NewStripeEvent("customer.subscription."+verb, created, map[string]any{
		"id": sub, "object": "subscription", "customer": customer, "status": status,
		"current_period_start": periodEnd.AddDate(0, -1, 0).Unix(), "current_period_end": periodEnd.Unix(),
		"cancel_at_period_end": false, "canceled_at": nil, "created": created.Unix(), "livemode": false,
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_" + sub, "object": "subscription_item",
			"price": map[string]any{"id": "price_qubly", "object": "price", "unit_amount": 24900, "currency": "mxn"},
		}}},
	})
}

// InvoiceEvent is invoice.payment_succeeded (paid) or invoice.payment_failed
// of invoice id of sub, for the month ending at periodEnd.
func InvoiceEvent(paid bool, created time.Time, customer, sub, id string, periodEnd time.Time) StripeEvent {
	typ, status, amountPaid := domain.EventPaymentFailed, "open", 0
	if paid {
		typ, status, amountPaid = domain.EventPaymentSucceeded, "paid", 24900
	}
	start := periodEnd.AddDate(0, -1, 0)
	return NewStripeEvent(typ, created, map[string]any{
		"id": id, "object": "invoice", "customer": customer, "subscription": sub, "status": status,
		"number": "QB-" + id, "amount_due": 24900, "amount_paid": amountPaid, "amount_remaining": 24900 - amountPaid,
		"currency": "mxn", "billing_reason": "subscription_cycle", "hosted_invoice_url": "https://invoice.stripe.com/i/" + id,
		// An invoice's own period is the month before the one it charges.
		"period_start": start.AddDate(0, -1, 0).Unix(), "period_end": start.Unix(),
		"created": created.Unix(), "livemode": false, "paid": paid,
		"lines": map[string]any{"object": "list", "has_more": false, "data": []any{map[string]any{
			"id": "il_" + id, "object": "line_item", "type": "subscription", "subscription": sub,
			"amount": 24900, "currency": "mxn",
			"period": map[string]any{"start": start.Unix(), "end": periodEnd.Unix()},
		}}},
	})
}
