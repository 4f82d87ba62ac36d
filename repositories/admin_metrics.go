package repositories

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// AdminMetrics reads the aggregates of the platform admin's metrics pages.
// Every query counts only real stores: not the demo store and not
// soft-deleted ones. Time buckets are given by the caller as boundaries and
// turned into a CASE expression, so the same SQL runs on SQLite and
// PostgreSQL (no dialect date functions).
type AdminMetrics struct{ db *gorm.DB }

// NewAdminMetrics returns the admin metrics repository.
func NewAdminMetrics(db *gorm.DB) *AdminMetrics { return &AdminMetrics{db: db} }

// counted is the condition on a businesses table aliased b for a store the
// metrics count.
const counted = "b.deleted_at IS NULL AND b.demo = ?"

// Businesses returns every counted business with its subscription state.
func (r *AdminMetrics) Businesses(ctx context.Context) ([]domain.MetricsBusiness, error) {
	var rows []domain.MetricsBusiness
	err := conn(ctx, r.db).Table("businesses AS b").
		Select("b.id, b.subscription_status, b.trial_ends_at, b.suspended_at, b.created_at").
		Where(counted, false).Order("b.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("metrics businesses: %w", err)
	}
	return rows, nil
}

// Changes returns the subscription history of every counted business,
// oldest first.
func (r *AdminMetrics) Changes(ctx context.Context) ([]domain.SubscriptionChange, error) {
	var rows []domain.SubscriptionChange
	err := conn(ctx, r.db).Table("subscription_changes AS sc").
		Select("sc.id, sc.business_id, sc.from_status, sc.to_status, sc.cause, sc.created_at").
		Joins("JOIN businesses AS b ON b.id = sc.business_id").
		Where(counted, false).Order("sc.created_at, sc.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("metrics subscription changes: %w", err)
	}
	return rows, nil
}

// bucketCase is "CASE WHEN col < bounds[1] THEN 0 WHEN col < bounds[2]
// THEN 1 … END" with its arguments: the index of the period [bounds[i],
// bounds[i+1]) col falls in. Rows must already be limited to
// [bounds[0], bounds[len-1]).
func bucketCase(col string, bounds []time.Time) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(bounds)-1)
	b.WriteString("CASE")
	for i := 1; i < len(bounds); i++ {
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", col, i-1)
		args = append(args, bounds[i].UTC())
	}
	b.WriteString(" END")
	return b.String(), args
}

// buckets runs "SELECT bucket, COUNT(*), SUM(amount)" over q grouped by
// the period of col among bounds.
func buckets(q *gorm.DB, col, amount string, bounds []time.Time) ([]domain.MetricsBucket, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	expr, args := bucketCase(col, bounds)
	var rows []domain.MetricsBucket
	err := q.Select(expr+" AS idx, COUNT(*) AS count, CAST(COALESCE(SUM("+amount+"), 0) AS BIGINT) AS cents", args...).
		Where(col+" >= ? AND "+col+" < ?", bounds[0].UTC(), bounds[len(bounds)-1].UTC()).
		Group("idx").Order("idx").Scan(&rows).Error
	return rows, err
}

// RevenueBuckets sums the paid MXN invoices by the period their
// PeriodStart falls in (all invoices, also of stores deleted since: the
// money was received).
func (r *AdminMetrics) RevenueBuckets(ctx context.Context, bounds []time.Time) ([]domain.MetricsBucket, error) {
	q := conn(ctx, r.db).Table("invoices AS i").
		Where("i.status = ? AND LOWER(i.currency) = ?", domain.InvoicePaid, "mxn")
	rows, err := buckets(q, "i.period_start", "i.amount_cents", bounds)
	if err != nil {
		return nil, fmt.Errorf("metrics revenue: %w", err)
	}
	return rows, nil
}

// OrderBuckets counts the counted stores' orders that were not cancelled,
// and sums their totals, by the period they were placed in.
func (r *AdminMetrics) OrderBuckets(ctx context.Context, bounds []time.Time) ([]domain.MetricsBucket, error) {
	q := conn(ctx, r.db).Table("orders AS o").
		Joins("JOIN businesses AS b ON b.id = o.business_id").
		Where(counted+" AND o.status <> ?", false, domain.OrderCancelled)
	rows, err := buckets(q, "o.created_at", "o.total_cents", bounds)
	if err != nil {
		return nil, fmt.Errorf("metrics orders: %w", err)
	}
	return rows, nil
}

// Referrals counts every referral by status, and those whose referrer was
// rewarded.
func (r *AdminMetrics) Referrals(ctx context.Context) (domain.ReferralCounts, error) {
	var row domain.ReferralCounts
	err := conn(ctx, r.db).Model(&domain.Referral{}).Select(
		"COUNT(*) AS made, "+
			"CAST(COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, "+
			"CAST(COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS successful, "+
			"CAST(COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed, "+
			"CAST(COALESCE(SUM(CASE WHEN referrer_rewarded_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS rewarded",
		domain.ReferralPending, domain.ReferralSuccessful, domain.ReferralFailed,
	).Scan(&row).Error
	if err != nil {
		return row, fmt.Errorf("metrics referrals: %w", err)
	}
	return row, nil
}

// TopStores returns the limit counted stores with the most orders (not
// cancelled) placed at or after since, then the highest value.
func (r *AdminMetrics) TopStores(ctx context.Context, since time.Time, limit int) ([]domain.StoreSales, error) {
	var rows []domain.StoreSales
	err := conn(ctx, r.db).Table("orders AS o").
		Select("b.id AS business_id, MAX(b.name) AS name, MAX(b.slug) AS slug, COUNT(*) AS orders, "+
			"CAST(COALESCE(SUM(o.total_cents), 0) AS BIGINT) AS cents").
		Joins("JOIN businesses AS b ON b.id = o.business_id").
		Where(counted+" AND o.status <> ? AND o.created_at >= ?", false, domain.OrderCancelled, since.UTC()).
		Group("b.id").Order("orders DESC, cents DESC, b.id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("metrics top stores: %w", err)
	}
	return rows, nil
}

// ActiveStores counts the counted stores, and those active since: with an
// order placed (any status) or an owner's session used at or after since.
func (r *AdminMetrics) ActiveStores(ctx context.Context, since time.Time) (active, total int64, err error) {
	var row struct{ Active, Total int64 }
	err = conn(ctx, r.db).Table("businesses AS b").Select(
		"COUNT(*) AS total, CAST(COALESCE(SUM(CASE WHEN "+
			"EXISTS (SELECT 1 FROM orders AS o WHERE o.business_id = b.id AND o.created_at >= ?) OR "+
			"EXISTS (SELECT 1 FROM sessions AS s JOIN users AS u ON u.id = s.user_id "+
			"WHERE u.business_id = b.id AND s.last_seen_at >= ?) "+
			"THEN 1 ELSE 0 END), 0) AS BIGINT) AS active", since.UTC(), since.UTC(),
	).Where(counted, false).Scan(&row).Error
	if err != nil {
		return 0, 0, fmt.Errorf("metrics active stores: %w", err)
	}
	return row.Active, row.Total, nil
}

// Products counts the counted stores' products (not deleted), and those
// shown in the store (active).
func (r *AdminMetrics) Products(ctx context.Context) (total, active int64, err error) {
	var row struct{ Total, Active int64 }
	err = conn(ctx, r.db).Table("products AS p").Select(
		"COUNT(*) AS total, CAST(COALESCE(SUM(CASE WHEN p.active = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS active", true,
	).Joins("JOIN businesses AS b ON b.id = p.business_id").
		Where("p.deleted_at IS NULL AND "+counted, false).Scan(&row).Error
	if err != nil {
		return 0, 0, fmt.Errorf("metrics products: %w", err)
	}
	return row.Total, row.Active, nil
}

// ChatSources counts the counted stores' chatbot questions asked at or
// after since, by the source of the reply.
func (r *AdminMetrics) ChatSources(ctx context.Context, since time.Time) ([]domain.ChatSourceCount, error) {
	var rows []domain.ChatSourceCount
	err := conn(ctx, r.db).Table("chat_exchanges AS e").
		Select("e.source, COUNT(*) AS count").
		Joins("JOIN businesses AS b ON b.id = e.business_id").
		Where(counted+" AND e.created_at >= ?", false, since.UTC()).
		Group("e.source").Order("e.source").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("metrics chatbot sources: %w", err)
	}
	return rows, nil
}
