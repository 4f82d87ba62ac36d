package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/qubly/qubly/domain"
)

// Placing an order: the shopper's cart and details in, a priced order out.

// OrderItemInput is one line of a shopper's cart.
type OrderItemInput struct {
	ProductID int64
	Quantity  int
	OptionIDs []int64
}

// CreateOrderInput is a shopper's order as sent by the store front. Prices
// are never taken from it: they are read from the catalog.
type CreateOrderInput struct {
	Items         []OrderItemInput
	CustomerName  string
	CustomerPhone string
	Fulfillment   domain.Fulfillment
	Address       string
	PaymentMethod domain.PaymentMethod
	Notes         string
	Language      string
	// CashTendered is what a shopper paying cash pays with, in pesos as
	// typed ("500"); optional, ignored for other payment methods.
	CashTendered string
	// IdempotencyKey, when set, makes a repeat of the same checkout (a
	// retry after a lost answer) return the order already placed with it
	// instead of placing a second one. See ValidIdempotencyKey.
	IdempotencyKey string
}

// Validation message keys of orders.
const (
	orderKeyPhone              = "orders.error.phone"
	orderKeyNoItems            = "orders.error.no_items"
	orderKeyTooManyItems       = "orders.error.too_many_items"
	orderKeyQuantity           = "orders.error.quantity"
	orderKeyUnknownProduct     = "orders.error.unknown_product"
	orderKeySoldOut            = "orders.error.sold_out"
	orderKeyInsufficientStock  = "orders.error.insufficient_stock"
	orderKeyBadOption          = "orders.error.bad_option"
	orderKeyOptionMin          = "orders.error.option_min"
	orderKeyOptionMax          = "orders.error.option_max"
	orderKeyFulfillment        = "orders.error.fulfillment"
	orderKeyPayment            = "orders.error.payment_method"
	orderKeyFulfillmentMissing = "orders.error.fulfillment_missing"
	orderKeyPaymentMissing     = "orders.error.payment_method_missing"
	orderKeyBelowMinimum       = "orders.error.below_minimum"
	orderKeyStatus             = "orders.error.status"
	orderKeyIdempotency        = "orders.error.idempotency_key"
	orderKeyCashTendered       = "orders.error.cash_tendered"
	orderKeyCashShort          = "orders.error.cash_short"
	orderKeyCashTooMuch        = "orders.error.cash_too_much"
	orderKeyStoreClosed        = "orders.error.store_closed"
)

// OrderFieldStore is the field of the error that refuses every order: the
// store is closed and takes none until it opens.
const OrderFieldStore = "store"

// Create validates and records a shopper's order in businessID's store:
// products must be the store's, active and available; options must belong to
// the product and respect each group's minimum and maximum; prices, delivery
// fee and total come from the database. Counted stock is taken with
// conditional updates in the transaction that stores the order, so
// concurrent orders never oversell; the owner's email is written to the
// outbox in that same transaction. Bad input is a *domain.ValidationError and
// nothing is stored; so is an order to a store that takes none now (field
// OrderFieldStore, see domain.Business.TakesOrders). With an idempotency key
// already used in the store, Create returns that order (Replayed set) and
// stores nothing, even when repeats arrive at once.
//
// The steps: check the shopper's input and price the cart from the catalog
// (reads, outside any transaction), render the owner's email, then one short
// transaction that only writes (stock, order, lines, outbox), then the cache
// purge. The idempotency key is checked by the order's unique index: a
// repeat is looked up only when placing it fails.
func (s *Orders) Create(ctx context.Context, businessID int64, in CreateOrderInput) (*domain.Order, error) {
	biz, err := s.businesses.Get(ctx, businessID)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" && !ValidIdempotencyKey(in.IdempotencyKey) {
		return nil, domain.NewFieldError("idempotency_key", orderKeyIdempotency)
	}
	o, err := s.create(ctx, biz, in)
	if err != nil && in.IdempotencyKey != "" && orderMayBeRepeat(err) {
		// A repeat of an order already placed (perhaps at the same
		// moment, or one that took the last units): answer with it.
		if prev, rerr := s.replay(ctx, businessID, in.IdempotencyKey); prev != nil || rerr != nil {
			return prev, rerr
		}
	}
	return o, err
}

// orderMayBeRepeat reports whether placing an order failed in a way a
// repeat of an order already placed would: its key clashed, or the cart no
// longer validates (the first order took the stock, the store closed since).
func orderMayBeRepeat(err error) bool {
	var v *domain.ValidationError
	return errors.Is(err, domain.ErrConflict) || errors.As(err, &v)
}

// create validates and stores a new order of store biz (see Create).
func (s *Orders) create(ctx context.Context, biz *domain.Business, in CreateOrderInput) (*domain.Order, error) {
	o, wanted, err := s.priceOrder(ctx, biz, in)
	if err != nil {
		return nil, err
	}
	mail, err := s.ownerEmail(ctx, biz, o)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	o.CreatedAt, o.UpdatedAt = now, now
	err = s.writes.Write(ctx, biz.ID, func(ctx context.Context) error {
		if err := s.takeStock(ctx, biz.ID, in.Items, wanted, now); err != nil {
			return err
		}
		if err := s.repo.Create(ctx, biz.ID, o, s.newCode); err != nil {
			return err
		}
		if mail == nil {
			return nil
		}
		mail.fill(o)
		return s.emails.Add(ctx, mail.email)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// priceOrder checks the shopper's input against store biz and prices the
// cart from the catalog; it returns the order to store and the units wanted
// of each product that counts its stock.
func (s *Orders) priceOrder(ctx context.Context, biz *domain.Business, in CreateOrderInput) (*domain.Order, map[int64]int, error) {
	v := &domain.ValidationError{}
	if !biz.TakesOrders(s.clock()) {
		v.Add(OrderFieldStore, orderKeyStoreClosed, nil)
		return nil, nil, v
	}
	o := newOrder(biz, in, v)
	if !v.Check("items", len(in.Items) > 0, orderKeyNoItems, nil) ||
		!v.Check("items", len(in.Items) <= domain.OrderMaxItems, orderKeyTooManyItems, map[string]any{"Max": domain.OrderMaxItems}) {
		return nil, nil, v
	}
	for i, it := range in.Items {
		checkQuantity(v, i, it.Quantity)
	}
	wanted, err := s.priceCart(ctx, biz.ID, in.Items, o, v)
	if err != nil {
		return nil, nil, err
	}
	if len(v.Fields) > 0 {
		return nil, nil, v
	}
	if o.Fulfillment == domain.FulfillmentDelivery {
		o.DeliveryFeeCents = biz.DeliveryFeeCents
		if biz.DeliveryMinCents > 0 && o.SubtotalCents < biz.DeliveryMinCents {
			v.Add("items", orderKeyBelowMinimum, map[string]any{"Min": biz.DeliveryMinCents.Pesos()})
			return nil, nil, v
		}
	}
	o.TotalCents = o.SubtotalCents + o.DeliveryFeeCents
	if err := checkCashTendered(o); err != nil {
		return nil, nil, err
	}
	return o, wanted, nil
}

// takeStock takes the wanted units of each counted product with one
// conditional UPDATE per product, always in product ID order so two orders
// never wait on each other's rows.
func (s *Orders) takeStock(ctx context.Context, businessID int64, items []OrderItemInput, wanted map[int64]int, now time.Time) error {
	pids := make([]int64, 0, len(wanted))
	for id := range wanted {
		pids = append(pids, id)
	}
	slices.Sort(pids)
	for _, id := range pids {
		ok, err := s.repo.DecrementStock(ctx, businessID, id, wanted[id], now)
		if err != nil {
			return fmt.Errorf("take stock of product %d: %w", id, err)
		}
		if !ok {
			return s.stockError(ctx, businessID, items, id)
		}
	}
	return nil
}

// stockError explains why taking the stock of product id failed: it ran out
// (sold out) or has fewer units than asked.
func (s *Orders) stockError(ctx context.Context, businessID int64, items []OrderItemInput, id int64) error {
	left, err := s.repo.ProductStock(ctx, businessID, id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	v := &domain.ValidationError{}
	for i, it := range items {
		if it.ProductID != id {
			continue
		}
		if left == nil || *left <= 0 {
			v.Add(orderItemField(i, "product_id"), orderKeySoldOut, nil)
		} else {
			v.Add(orderItemField(i, "quantity"), orderKeyInsufficientStock, map[string]any{"Count": *left})
		}
	}
	return v
}

// checkQuantity records on line i's quantity a count outside
// 1..OrderMaxQuantity.
func checkQuantity(v *domain.ValidationError, i, qty int) bool {
	return v.Range(orderItemField(i, "quantity"), qty, 1, domain.OrderMaxQuantity, orderKeyQuantity, map[string]any{"Max": domain.OrderMaxQuantity})
}
