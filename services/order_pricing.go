package services

import (
	"fmt"

	"github.com/qubly/qubly/domain"
)

// Pricing a cart: every line from the catalog, with its options.

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
