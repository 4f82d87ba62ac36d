package repositories

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Orders stores shoppers' orders and their items, and the few catalog reads
// and stock writes that placing and cancelling an order needs.
type Orders struct{ db *gorm.DB }

// NewOrders returns the orders repository.
func NewOrders(db *gorm.DB) *Orders { return &Orders{db: db} }

// orderCodeAttempts bounds how many codes Create tries before giving up.
const orderCodeAttempts = 5

// Create inserts o and its items for businessID: the order in one INSERT,
// its lines in one more. The order gets a code from newCode; on the
// (unlikely) clash with an existing code it retries with a fresh one. When o
// carries an idempotency key that another order of the store already has, it
// returns domain.ErrConflict. A clash is an INSERT … ON CONFLICT DO NOTHING
// that inserts nothing (no savepoint, no aborted transaction on PostgreSQL),
// so Create runs as it is inside the caller's transaction.
func (r *Orders) Create(ctx context.Context, businessID int64, o *domain.Order, newCode func() string) error {
	o.BusinessID = businessID
	db := conn(ctx, r.db)
	inserted := false
	for range orderCodeAttempts {
		o.ID = 0
		o.Code = newCode()
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(o)
		if res.Error != nil {
			return fmt.Errorf("insert order: %w", mapErr(res.Error))
		}
		if inserted = res.RowsAffected == 1; inserted {
			break
		}
		if o.IdempotencyKey != nil {
			var n int64
			if err := db.Model(&domain.Order{}).Where("business_id = ? AND idempotency_key = ?", businessID, *o.IdempotencyKey).
				Count(&n).Error; err != nil {
				return fmt.Errorf("check order idempotency key: %w", err)
			}
			if n > 0 {
				return fmt.Errorf("order idempotency key already used: %w", domain.ErrConflict)
			}
		}
	}
	if !inserted {
		return fmt.Errorf("insert order: no free code after %d tries: %w", orderCodeAttempts, domain.ErrConflict)
	}
	for i := range o.Items {
		it := &o.Items[i]
		it.ID = 0
		it.BusinessID = businessID
		it.OrderID = o.ID
	}
	if len(o.Items) > 0 {
		if err := db.Create(&o.Items).Error; err != nil {
			return fmt.Errorf("insert order items: %w", mapErr(err))
		}
	}
	return nil
}

// Get loads businessID's order orderID with its items; another store's order
// is domain.ErrNotFound.
func (r *Orders) Get(ctx context.Context, businessID, orderID int64) (*domain.Order, error) {
	db := conn(ctx, r.db)
	var o domain.Order
	if err := db.Where("business_id = ? AND id = ?", businessID, orderID).First(&o).Error; err != nil {
		return nil, mapErr(err)
	}
	if err := db.Where("business_id = ? AND order_id = ?", businessID, o.ID).Order("id").Find(&o.Items).Error; err != nil {
		return nil, err
	}
	return &o, nil
}

// searchScope narrows orders to those whose code or customer name contains
// query, folded by domain.Fold (case and accents ignored, the same on both
// engines), or whose phone contains its digits.
func searchScope(query string) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		q := strings.TrimSpace(query)
		if q == "" {
			return db
		}
		cond, args := foldedContains(db, q, "code", "customer_name")
		var digits strings.Builder
		for _, r := range q {
			if r >= '0' && r <= '9' {
				digits.WriteRune(r)
			}
		}
		if digits.Len() >= 3 {
			cond += " OR customer_phone LIKE ?"
			args = append(args, "%"+digits.String()+"%")
		}
		return db.Where("("+cond+")", args...)
	}
}

// List returns a page of businessID's orders, newest first, with status ""
// meaning every status, and how many orders match in total.
func (r *Orders) List(ctx context.Context, businessID int64, status domain.OrderStatus, query string, limit, offset int) ([]domain.Order, int64, error) {
	base := func() *gorm.DB {
		q := conn(ctx, r.db).Model(&domain.Order{}).Where("business_id = ?", businessID).Scopes(searchScope(query))
		if status != "" {
			q = q.Where("status = ?", status)
		}
		return q
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var list []domain.Order
	err := base().Order("created_at DESC, id DESC").Limit(limit).Offset(offset).Find(&list).Error
	return list, total, err
}

// StatusCounts returns how many of businessID's orders matching query are in
// each status.
func (r *Orders) StatusCounts(ctx context.Context, businessID int64, query string) (map[domain.OrderStatus]int64, error) {
	var rows []struct {
		Status domain.OrderStatus
		N      int64
	}
	err := conn(ctx, r.db).Model(&domain.Order{}).Select("status, COUNT(*) AS n").
		Where("business_id = ?", businessID).Scopes(searchScope(query)).Group("status").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[domain.OrderStatus]int64, len(rows))
	for _, row := range rows {
		out[row.Status] = row.N
	}
	return out, nil
}

// SetStatus moves businessID's order from one status to another, stamping
// the matching time column, only if it is still in from. It reports whether
// the order changed (false: it is not there or was changed meanwhile).
func (r *Orders) SetStatus(ctx context.Context, businessID, orderID int64, from, to domain.OrderStatus, at time.Time) (bool, error) {
	set := map[string]any{"status": to, "updated_at": at}
	switch to {
	case domain.OrderConfirmed:
		set["confirmed_at"] = at
	case domain.OrderCompleted:
		set["completed_at"] = at
	case domain.OrderCancelled:
		set["cancelled_at"] = at
	}
	res := conn(ctx, r.db).Model(&domain.Order{}).
		Where("business_id = ? AND id = ? AND status = ?", businessID, orderID, from).Updates(set)
	return res.RowsAffected == 1, res.Error
}

// ProductsForOrder loads businessID's products among ids that a shopper
// can see (the shopperVisible scope, as on the store page) with their option
// groups and choices, by ID. Products of other stores, deleted, hidden or in
// a hidden category are simply missing from the result.
func (r *Orders) ProductsForOrder(ctx context.Context, businessID int64, ids []int64) ([]domain.Product, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	db := conn(ctx, r.db)
	var ps []domain.Product
	err := db.Select("products.*").Scopes(shopperVisible).
		Where("products.business_id = ? AND products.id IN ?", businessID, ids).
		Order("products.id").Find(&ps).Error
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return ps, nil
	}
	pids := make([]int64, len(ps))
	for i, p := range ps {
		pids[i] = p.ID
	}
	options, err := loadOptionGroups(db, businessID, pids)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].Options = options[ps[i].ID]
	}
	return ps, nil
}

// DecrementStock takes qty units of a counted product of businessID in one
// conditional UPDATE, so concurrent orders can never take more units than
// there are. It reports false when fewer than qty units are left.
func (r *Orders) DecrementStock(ctx context.Context, businessID, productID int64, qty int, at time.Time) (bool, error) {
	res := conn(ctx, r.db).Exec(
		"UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ? AND business_id = ? AND stock IS NOT NULL AND stock >= ? AND deleted_at IS NULL",
		qty, at, productID, businessID, qty)
	return res.RowsAffected == 1, res.Error
}

// RestoreStock gives qty units back to a product of businessID that counts
// its stock (products that do not count stock are left alone).
func (r *Orders) RestoreStock(ctx context.Context, businessID, productID int64, qty int, at time.Time) error {
	return conn(ctx, r.db).Exec(
		"UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ? AND business_id = ? AND stock IS NOT NULL",
		qty, at, productID, businessID).Error
}

// ProductStock returns the units left of businessID's product (nil when it
// does not count stock).
func (r *Orders) ProductStock(ctx context.Context, businessID, productID int64) (*int, error) {
	var p domain.Product
	err := conn(ctx, r.db).Unscoped().Select("id", "stock").Where("business_id = ? AND id = ?", businessID, productID).First(&p).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return p.Stock, nil
}

// Owner returns the owner account of businessID (the first one when, some
// day, a store has several), to notify them of new orders.
func (r *Orders) Owner(ctx context.Context, businessID int64) (*domain.User, error) {
	return (&Users{db: r.db}).Owner(ctx, businessID)
}
