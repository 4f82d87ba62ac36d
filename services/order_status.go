package services

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// The dashboard's side of orders: the list, status changes and the reply
// to the customer.

// OrderFilter selects orders in the dashboard list.
type OrderFilter struct {
	// Status is "" for every status.
	Status domain.OrderStatus
	// Query matches the code, the customer's name or phone.
	Query string
	// Page counts from 1.
	Page int
}

// OrderPage is one page of the dashboard list.
type OrderPage struct {
	Orders []domain.Order
	// Counts is how many orders matching Query are in each status.
	Counts map[domain.OrderStatus]int64
	// All is the sum of Counts.
	All   int64
	Total int64
	Page  int
	Pages int
}

// List returns a page of businessID's orders, newest first.
func (s *Orders) List(ctx context.Context, businessID int64, f OrderFilter) (*OrderPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		f.Status = ""
	}
	q := strings.TrimSpace(f.Query)
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	counts, err := s.repo.StatusCounts(ctx, businessID, q)
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	list, pg, err := domain.Paginate(f.Page, OrderPageSize, func(limit, offset int) ([]domain.Order, int64, error) {
		return s.repo.List(ctx, businessID, f.Status, q, limit, offset)
	})
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	p := &OrderPage{Orders: list, Counts: counts, Total: pg.Total, Page: pg.Page, Pages: pg.Pages}
	for _, n := range counts {
		p.All += n
	}
	return p, nil
}

// Transition moves businessID's order to status to, as the status machine
// allows (pending→confirmed→completed, pending|confirmed→cancelled), and
// stamps the matching time. A refused change returns an error that is both
// domain.ErrConflict and *domain.ErrBadTransition, and changes nothing.
// Cancelling gives the order's units back to products that count stock, in
// the same transaction.
func (s *Orders) Transition(ctx context.Context, businessID, orderID int64, to domain.OrderStatus) (*domain.Order, error) {
	if !to.Valid() {
		return nil, domain.NewFieldError("status", orderKeyStatus)
	}
	now := s.clock()
	var o *domain.Order
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		var err error
		o, err = s.repo.Get(ctx, businessID, orderID)
		if err != nil {
			return err
		}
		if !o.Status.CanTransition(to) {
			return orderBadTransition(o.Status, to)
		}
		changed, err := s.repo.SetStatus(ctx, businessID, orderID, o.Status, to, now)
		if err != nil {
			return fmt.Errorf("set order %d status: %w", orderID, err)
		}
		if !changed {
			// Someone else moved it between our read and write.
			cur, err := s.repo.Get(ctx, businessID, orderID)
			if err != nil {
				return err
			}
			return orderBadTransition(cur.Status, to)
		}
		if to == domain.OrderCancelled {
			units := map[int64]int{}
			for _, it := range o.Items {
				if it.StockTaken {
					units[it.ProductID] += it.Quantity
				}
			}
			pids := make([]int64, 0, len(units))
			for id := range units {
				pids = append(pids, id)
			}
			sort.Slice(pids, func(a, b int) bool { return pids[a] < pids[b] })
			for _, id := range pids {
				if err := s.repo.RestoreStock(ctx, businessID, id, units[id], now); err != nil {
					return fmt.Errorf("restore stock of product %d: %w", id, err)
				}
			}
		}
		o, err = s.repo.Get(ctx, businessID, orderID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func orderBadTransition(from, to domain.OrderStatus) error {
	return fmt.Errorf("%w: %w", domain.ErrConflict, &domain.ErrBadTransition{From: from, To: to})
}

// WhatsAppReplyURL is a wa.me link to the order's customer with a message
// about the order's current status, in lang ("" means the language the
// shopper ordered in).
func (s *Orders) WhatsAppReplyURL(o *domain.Order, b *domain.Business, lang string) string {
	if lang == "" {
		lang = o.Language
	}
	lang = normLang(lang)
	key := "orders.wa." + string(o.Status)
	if o.Status == domain.OrderConfirmed {
		key += "." + string(o.Fulfillment)
	}
	name, _, _ := strings.Cut(strings.TrimSpace(o.CustomerName), " ")
	msg := s.tr.Translate(lang, key, map[string]any{
		"Name": name, "Code": o.Code, "Store": b.Name, "Total": o.TotalCents.Pesos(),
	})
	return WhatsAppURL(strings.TrimPrefix(o.CustomerPhone, "+"), msg)
}
