package services

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/qubly/qubly/domain"
)

// The shopper's part of placing an order: the details they type (checked
// against the store's options), what a cash payer pays with, and the
// idempotency key that makes a repeat of one checkout return the order
// already placed.

// NewIdempotencyKey returns a random idempotency key (128 bits, hex), for a
// checkout page that places an order without JavaScript.
func NewIdempotencyKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ValidIdempotencyKey reports whether key can be an order's idempotency key:
// 16 to 64 letters, digits, "-" or "_" (a UUID fits).
func ValidIdempotencyKey(key string) bool {
	if len(key) < 16 || len(key) > 64 {
		return false
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// replay returns businessID's order placed with key, marked Replayed, or
// nil when there is none.
func (s *Orders) replay(ctx context.Context, businessID int64, key string) (*domain.Order, error) {
	o, err := s.repo.GetByIdempotencyKey(ctx, businessID, key)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up order by idempotency key: %w", err)
	}
	o.Replayed = true
	return o, nil
}

// newOrder starts an order from the shopper's details in in, checked
// against store b's fulfilment and payment options; problems go to v.
func newOrder(b *domain.Business, in CreateOrderInput, v *domain.ValidationError) *domain.Order {
	o := &domain.Order{
		Status:        domain.OrderPending,
		CustomerName:  domain.CleanLine(in.CustomerName),
		Fulfillment:   in.Fulfillment,
		Address:       domain.CleanText(in.Address),
		PaymentMethod: in.PaymentMethod,
		Notes:         domain.CleanText(in.Notes),
		Language:      normLang(in.Language),
	}
	if in.IdempotencyKey != "" {
		key := in.IdempotencyKey
		o.IdempotencyKey = &key
	}
	_ = v.Required("customer.name", o.CustomerName) && v.MaxLen("customer.name", o.CustomerName, domain.OrderNameMax)
	if v.Required("customer.phone", strings.TrimSpace(in.CustomerPhone)) {
		phone, ok := NormalizePhone(in.CustomerPhone)
		if v.Check("customer.phone", ok, orderKeyPhone, nil) {
			o.CustomerPhone = phone
		}
	}
	switch {
	case o.Fulfillment == domain.FulfillmentPickup && b.PickupEnabled:
		o.Address = ""
	case o.Fulfillment == domain.FulfillmentDelivery && b.DeliveryEnabled:
		_ = v.Required("address", o.Address) && v.MaxLen("address", o.Address, domain.OrderAddressMax)
	case strings.TrimSpace(string(o.Fulfillment)) == "":
		v.Add("fulfillment", orderKeyFulfillmentMissing, nil)
	default:
		v.Add("fulfillment", orderKeyFulfillment, nil)
	}
	switch {
	case strings.TrimSpace(string(o.PaymentMethod)) == "":
		v.Add("payment_method", orderKeyPaymentMissing, nil)
	case !orderAcceptsPayment(b, o.PaymentMethod):
		v.Add("payment_method", orderKeyPayment, nil)
	}
	if cash := strings.TrimSpace(in.CashTendered); cash != "" && o.PaymentMethod == domain.PaymentCash {
		if m, ok := domain.ParsePesos(cash); v.Check("cash_tendered", ok && m > 0, orderKeyCashTendered, nil) {
			o.CashTenderedCents = &m
		}
	}
	v.MaxLen("notes", o.Notes, domain.OrderNotesMax)
	return o
}

// cashOverTotalMax bounds how far above the total a cash payment may be
// (two $1,000 bills for a small order are fine; a typo of 50000 is not).
const cashOverTotalMax domain.Money = 200000

// checkCashTendered refuses a cash amount that does not cover o's total or
// is far above it.
func checkCashTendered(o *domain.Order) error {
	m := o.CashTenderedCents
	if m == nil {
		return nil
	}
	args := map[string]any{"Amount": m.Pesos(), "Total": o.TotalCents.Pesos()}
	v := &domain.ValidationError{}
	switch {
	case *m < o.TotalCents:
		v.Add("cash_tendered", orderKeyCashShort, args)
	case *m > o.TotalCents+cashOverTotalMax:
		v.Add("cash_tendered", orderKeyCashTooMuch, args)
	}
	return v.Err()
}

// cashWith is what a cash order is paid with, "$500.00", or "".
func cashWith(o *domain.Order) string {
	if o.CashTenderedCents == nil || o.PaymentMethod != domain.PaymentCash {
		return ""
	}
	return o.CashTenderedCents.Pesos()
}
