package services

import (
	"context"
	"errors"
	"strings"

	"github.com/qubly/qubly/domain"
)

// The shopper's side of orders beyond Create: the tracking page's lookup by
// code, and pricing a single item for the checkout page without JavaScript.

// OrderCodeRepo finds an order by its public code. repositories.Orders
// implements it; Orders uses it when its OrderRepo does.
type OrderCodeRepo interface {
	GetByCode(ctx context.Context, businessID int64, code string) (*domain.Order, error)
}

// ValidOrderCode reports whether code looks like an order code (8 symbols of
// the code alphabet), so lookups of junk never reach the database.
func ValidOrderCode(code string) bool {
	if len(code) != orderCodeLen {
		return false
	}
	for i := 0; i < len(code); i++ {
		if strings.IndexByte(orderCodeAlphabet, code[i]) < 0 {
			return false
		}
	}
	return true
}

// GetByCode loads businessID's order by its public code (case-insensitive),
// with its items. An unknown code or another store's is domain.ErrNotFound.
func (s *Orders) GetByCode(ctx context.Context, businessID int64, code string) (*domain.Order, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ValidOrderCode(code) {
		return nil, domain.ErrNotFound
	}
	st, ok := s.repo.(OrderCodeRepo)
	if !ok {
		return nil, errors.New("orders: the order store cannot look orders up by code")
	}
	return st.GetByCode(ctx, businessID, code)
}

// QuoteItem prices one line of a cart against product p (loaded with its
// options) exactly as Create will: p must be available, the quantity within
// 1..OrderMaxQuantity and p's stock as loaded, and the options valid for p's
// groups. Field errors use
// the keys of line 0 (items[0].quantity, items[0].options, …), as a one-item
// order would. It stores nothing and takes no stock: Create checks it all
// again, against the stock left then, when the order is placed.
func QuoteItem(p *domain.Product, in OrderItemInput) (domain.OrderItem, error) {
	v := &domain.ValidationError{}
	if p == nil || p.ID != in.ProductID {
		v.Add(orderItemField(0, "product_id"), orderKeyUnknownProduct, nil)
		return domain.OrderItem{}, v
	}
	if !p.Available() {
		v.Add(orderItemField(0, "product_id"), orderKeySoldOut, map[string]any{"Name": p.Name})
		return domain.OrderItem{}, v
	}
	if checkQuantity(v, 0, in.Quantity) && p.Stock != nil && in.Quantity > *p.Stock {
		v.Add(orderItemField(0, "quantity"), orderKeyInsufficientStock, map[string]any{"Name": p.Name, "Count": *p.Stock})
	}
	opts, unit, ok := orderPriceOptions(v, 0, p, in.OptionIDs)
	if !ok || v.Err() != nil {
		return domain.OrderItem{}, v
	}
	return domain.OrderItem{
		ProductID: p.ID, ProductName: p.Name, Quantity: in.Quantity,
		UnitPriceCents: unit, LineTotalCents: unit * domain.Money(in.Quantity), Options: opts,
	}, nil
}
