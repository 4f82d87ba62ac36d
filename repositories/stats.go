package repositories

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Stats reads the figures of a store's dashboard home (orders, sales, active
// products) and records the owner's checklist steps. It only reads the
// orders tables.
type Stats struct{ db *gorm.DB }

// NewStats returns the stats repository.
func NewStats(db *gorm.DB) *Stats { return &Stats{db: db} }

// OrderFigures counts businessID's non-cancelled orders (all, and those
// created at or after since7 and since30) and sums its completed orders.
func (r *Stats) OrderFigures(ctx context.Context, businessID int64, since7, since30 time.Time) (domain.OrderFigures, error) {
	var row struct {
		Orders, Last7, Last30, Revenue int64
	}
	err := conn(ctx, r.db).Model(&domain.Order{}).Select(
		"COUNT(*) AS orders, "+
			"CAST(COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS last7, "+
			"CAST(COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS last30, "+
			"CAST(COALESCE(SUM(CASE WHEN status = ? THEN total_cents ELSE 0 END), 0) AS BIGINT) AS revenue",
		since7.UTC(), since30.UTC(), domain.OrderCompleted,
	).Where("business_id = ? AND status <> ?", businessID, domain.OrderCancelled).Scan(&row).Error
	if err != nil {
		return domain.OrderFigures{}, fmt.Errorf("order figures of business %d: %w", businessID, err)
	}
	return domain.OrderFigures{
		Orders: row.Orders, Last7Days: row.Last7, Last30Days: row.Last30, Revenue: domain.Money(row.Revenue),
	}, nil
}

// TopProducts returns businessID's limit best-selling products by units in
// non-cancelled orders, most first (ties by product ID). The name is the
// product's current one, or the name it had when ordered once deleted.
func (r *Stats) TopProducts(ctx context.Context, businessID int64, limit int) ([]domain.ProductSales, error) {
	var rows []domain.ProductSales
	err := conn(ctx, r.db).Table("order_items AS oi").
		Select("oi.product_id AS product_id, "+
			"COALESCE(MAX(p.name), MAX(oi.product_name)) AS name, "+
			"CAST(SUM(oi.quantity) AS BIGINT) AS units").
		Joins("JOIN orders AS o ON o.id = oi.order_id AND o.business_id = oi.business_id").
		Joins("LEFT JOIN products AS p ON p.id = oi.product_id AND p.business_id = oi.business_id AND p.deleted_at IS NULL").
		Where("oi.business_id = ? AND o.status <> ?", businessID, domain.OrderCancelled).
		Group("oi.product_id").
		Order("units DESC, oi.product_id ASC").
		Limit(limit).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("top products of business %d: %w", businessID, err)
	}
	return rows, nil
}

// CountActiveProducts counts businessID's live products shown in the store.
func (r *Stats) CountActiveProducts(ctx context.Context, businessID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND active = ?", businessID, true).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count active products of business %d: %w", businessID, err)
	}
	return n, nil
}

// CountOrders returns how many of businessID's orders have status.
func (r *Stats) CountOrders(ctx context.Context, businessID int64, status domain.OrderStatus) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Order{}).Where("business_id = ? AND status = ?", businessID, status).Count(&n).Error
	return n, err
}

// MarkWhatsAppTested records when businessID's owner first tried their
// order WhatsApp; later tries keep the first time.
func (r *Stats) MarkWhatsAppTested(ctx context.Context, businessID int64, at time.Time) error {
	err := conn(ctx, r.db).Model(&domain.Business{}).
		Where("id = ? AND whatsapp_tested_at IS NULL", businessID).
		UpdateColumn("whatsapp_tested_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("mark whatsapp tested for business %d: %w", businessID, err)
	}
	return nil
}
