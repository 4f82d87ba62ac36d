package services

import (
	"context"
	"fmt"

	"github.com/qubly/qubly/domain"
)

// Pricing a cart: every line from the catalog, with its options.

// priceCart loads the cart's products (the store's live ones, with their
// options) and adds a priced line to o for each item; problems go to v. It
// returns the units wanted of each product that counts its stock.
func (s *Orders) priceCart(ctx context.Context, businessID int64, items []OrderItemInput, o *domain.Order, v *domain.ValidationError) (map[int64]int, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ProductID)
	}
	products, err := s.repo.ProductsForOrder(ctx, businessID, ids)
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	byID := make(map[int64]*domain.Product, len(products))
	for i := range products {
		byID[products[i].ID] = &products[i]
	}
	o.Items = make([]domain.OrderItem, 0, len(items))
	wanted := map[int64]int{} // units per counted product
	for i, it := range items {
		p := byID[it.ProductID]
		if p == nil {
			v.Add(orderItemField(i, "product_id"), orderKeyUnknownProduct, nil)
			continue
		}
		if !p.Available() { // shown: ProductsForOrder loads with the shopperVisible scope
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
	for i, it := range items {
		p := byID[it.ProductID]
		if p == nil || p.Stock == nil || v.Has(orderItemField(i, "product_id")) || v.Has(orderItemField(i, "quantity")) {
			continue
		}
		if wanted[p.ID] > *p.Stock {
			v.Add(orderItemField(i, "quantity"), orderKeyInsufficientStock, map[string]any{"Name": p.Name, "Count": *p.Stock})
		}
	}
	return wanted, nil
}

// orderPriceOptions checks the chosen options of line i against p's groups and
// returns their snapshot (a group's error names it in its args: Group, and
// GroupID for a form to place the message) and the unit price (product price plus deltas,
// never below zero).
func orderPriceOptions(v *domain.ValidationError, i int, p *domain.Product, chosen []int64) ([]domain.OrderItemOption, domain.Money, bool) {
	field := orderItemField(i, "options")
	type pick struct {
		group  *domain.OptionGroup
		choice *domain.OptionChoice
	}
	index := map[int64]pick{}
	for gi := range p.Options {
		g := &p.Options[gi]
		for ci := range g.Choices {
			index[g.Choices[ci].ID] = pick{g, &g.Choices[ci]}
		}
	}
	seen := map[int64]bool{}
	perGroup := map[int64]int{}
	for _, id := range chosen {
		if seen[id] {
			continue
		}
		seen[id] = true
		pk, ok := index[id]
		if !ok {
			v.Add(field, orderKeyBadOption, nil)
			return nil, 0, false
		}
		perGroup[pk.group.ID]++
	}
	for _, g := range p.Options {
		n := perGroup[g.ID]
		if n < g.MinSelect {
			v.Add(field, orderKeyOptionMin, map[string]any{"Group": g.Name, "Min": g.MinSelect, "GroupID": g.ID})
			return nil, 0, false
		}
		if g.MaxSelect > 0 && n > g.MaxSelect {
			v.Add(field, orderKeyOptionMax, map[string]any{"Group": g.Name, "Max": g.MaxSelect, "GroupID": g.ID})
			return nil, 0, false
		}
	}
	unit := p.PriceCents
	var opts []domain.OrderItemOption
	// Snapshot in the catalog's display order, not the cart's.
	for _, g := range p.Options {
		for _, c := range g.Choices {
			if seen[c.ID] {
				opts = append(opts, domain.OrderItemOption{Group: g.Name, Name: c.Name, DeltaCents: c.DeltaCents})
				unit += c.DeltaCents
			}
		}
	}
	if unit < 0 {
		unit = 0
	}
	return opts, unit, true
}

func orderItemField(i int, name string) string { return fmt.Sprintf("items[%d].%s", i, name) }

func orderAcceptsPayment(b *domain.Business, m domain.PaymentMethod) bool {
	switch m {
	case domain.PaymentCash:
		return b.PayCash
	case domain.PaymentTransfer:
		return b.PayTransfer
	case domain.PaymentCardOnDelivery:
		return b.PayCardOnDelivery
	}
	return false
}
