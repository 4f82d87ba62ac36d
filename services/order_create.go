package services

import (
	"context"
	"errors"
	"fmt"
	"sort"

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
	orderKeyRequired           = "validation.required"
	orderKeyTooLong            = "validation.too_long"
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
// conditional updates in the same transaction, so concurrent orders never
// oversell. The owner is notified by email in the same transaction. Bad
// input is a *domain.ValidationError and nothing is stored; so is an order
// to a store that takes none now (field OrderFieldStore, see
// domain.Business.TakesOrders). With an idempotency key already used in the store, Create returns that order
// (Replayed set) and stores nothing, even when repeats arrive at once.
func (s *Orders) Create(ctx context.Context, businessID int64, in CreateOrderInput) (*domain.Order, error) {
	biz, err := s.businesses.Get(ctx, businessID)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		if !ValidIdempotencyKey(in.IdempotencyKey) {
			return nil, domain.NewFieldError("idempotency_key", orderKeyIdempotency)
		}
		if prev, err := s.replay(ctx, businessID, in.IdempotencyKey); prev != nil || err != nil {
			return prev, err
		}
	}
	o, err := s.create(ctx, biz, in)
	if err != nil && in.IdempotencyKey != "" && errors.Is(err, domain.ErrConflict) {
		// A concurrent repeat stored it first: answer with that order.
		if prev, rerr := s.replay(ctx, businessID, in.IdempotencyKey); prev != nil || rerr != nil {
			return prev, rerr
		}
	}
	return o, err
}

// create validates and stores a new order of store biz (see Create).
func (s *Orders) create(ctx context.Context, biz *domain.Business, in CreateOrderInput) (*domain.Order, error) {
	businessID := biz.ID
	v := &domain.ValidationError{}
	if !biz.TakesOrders(s.clock()) {
		v.Add(OrderFieldStore, orderKeyStoreClosed, nil)
		return nil, v
	}
	o := newOrder(biz, in, v)
	switch {
	case len(in.Items) == 0:
		v.Add("items", orderKeyNoItems, nil)
	case len(in.Items) > OrderMaxItems:
		v.Add("items", orderKeyTooManyItems, map[string]any{"Max": OrderMaxItems})
	}
	if v.Has("items") {
		return nil, v
	}
	for i, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > OrderMaxQuantity {
			v.Add(orderItemField(i, "quantity"), orderKeyQuantity, map[string]any{"Max": OrderMaxQuantity})
		}
	}

	now := s.clock()
	var owner *domain.User
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		ids := make([]int64, 0, len(in.Items))
		for _, it := range in.Items {
			ids = append(ids, it.ProductID)
		}
		products, err := s.store.ProductsForOrder(ctx, businessID, ids)
		if err != nil {
			return fmt.Errorf("load products: %w", err)
		}
		byID := make(map[int64]*domain.Product, len(products))
		for i := range products {
			byID[products[i].ID] = &products[i]
		}

		// Price every line from the catalog.
		wanted := map[int64]int{} // units per counted product
		for i, it := range in.Items {
			p := byID[it.ProductID]
			if p == nil {
				v.Add(orderItemField(i, "product_id"), orderKeyUnknownProduct, nil)
				continue
			}
			if !p.Active || p.SoldOut || (p.Stock != nil && *p.Stock <= 0) {
				v.Add(orderItemField(i, "product_id"), orderKeySoldOut, map[string]any{"Name": p.Name})
				continue
			}
			opts, unit, ok := orderPriceOptions(v, i, p, it.OptionIDs)
			if !ok || v.Has(orderItemField(i, "quantity")) {
				continue
			}
			line := unit * domain.Money(it.Quantity)
			o.Items = append(o.Items, domain.OrderItem{
				ProductID: p.ID, ProductName: p.Name, Quantity: it.Quantity,
				UnitPriceCents: unit, LineTotalCents: line, Options: opts, StockTaken: p.Stock != nil,
			})
			o.SubtotalCents += line
			if p.Stock != nil {
				wanted[p.ID] += it.Quantity
			}
		}
		for i, it := range in.Items {
			p := byID[it.ProductID]
			if p == nil || p.Stock == nil || v.Has(orderItemField(i, "product_id")) || v.Has(orderItemField(i, "quantity")) {
				continue
			}
			if wanted[p.ID] > *p.Stock {
				v.Add(orderItemField(i, "quantity"), orderKeyInsufficientStock, map[string]any{"Name": p.Name, "Count": *p.Stock})
			}
		}
		if len(v.Fields) > 0 {
			return v
		}

		if o.Fulfillment == domain.FulfillmentDelivery {
			o.DeliveryFeeCents = biz.DeliveryFeeCents
			if biz.DeliveryMinCents > 0 && o.SubtotalCents < biz.DeliveryMinCents {
				v.Add("items", orderKeyBelowMinimum, map[string]any{"Min": biz.DeliveryMinCents.Pesos()})
				return v
			}
		}
		o.TotalCents = o.SubtotalCents + o.DeliveryFeeCents
		if err := checkCashTendered(o); err != nil {
			return err
		}

		// Take counted stock, always in product ID order so two orders
		// never wait on each other's rows.
		pids := make([]int64, 0, len(wanted))
		for id := range wanted {
			pids = append(pids, id)
		}
		sort.Slice(pids, func(a, b int) bool { return pids[a] < pids[b] })
		for _, id := range pids {
			ok, err := s.store.DecrementStock(ctx, businessID, id, wanted[id], now)
			if err != nil {
				return fmt.Errorf("take stock of product %d: %w", id, err)
			}
			if !ok {
				return s.stockError(ctx, businessID, in.Items, id)
			}
		}

		o.CreatedAt, o.UpdatedAt = now, now
		if err := s.store.Create(ctx, businessID, o, s.newCode); err != nil {
			return err
		}
		owner, err = s.store.Owner(ctx, businessID)
		if errors.Is(err, domain.ErrNotFound) {
			s.log.Warn("new order: store has no owner to notify", "business_id", businessID, "order_id", o.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("load store owner: %w", err)
		}
		return s.emails.Enqueue(ctx, owner.Email, owner.Locale, orderEmailTemplate, s.emailData(biz, o, owner.Name))
	})
	if err != nil {
		return nil, err
	}
	s.purge(ctx, businessID)
	return o, nil
}

// stockError explains why taking the stock of product id failed: it ran out
// (sold out) or has fewer units than asked.
func (s *Orders) stockError(ctx context.Context, businessID int64, items []OrderItemInput, id int64) error {
	left, err := s.store.ProductStock(ctx, businessID, id)
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
