package repositories

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Cleanup finds the businesses the cleanup job may remove and hard-deletes
// one business with every row that belongs to it. Call DeleteBusiness in a
// transaction (Transactor.InTx), so a business goes whole or not at all.
type Cleanup struct{ db *gorm.DB }

// NewCleanup returns the cleanup repository.
func NewCleanup(db *gorm.DB) *Cleanup { return &Cleanup{db: db} }

// Candidates lists the businesses (soft-deleted ones too) that q selects,
// by ID, each with its owner. A business with several owner rows appears
// once per owner.
func (r *Cleanup) Candidates(ctx context.Context, q domain.CleanupQuery) ([]domain.CleanupCandidate, error) {
	var conds []string
	var args []any
	if q.TestData {
		conds = append(conds, "b.demo = ?")
		args = append(args, true)
		for _, d := range q.EmailDomains {
			d = strings.ToLower(d)
			conds = append(conds, "LOWER(u.email) LIKE ?", "LOWER(u.email) LIKE ?")
			args = append(args, "%@"+d, "%."+d)
		}
	}
	if q.UnverifiedBefore != nil {
		conds = append(conds, "(u.id IS NOT NULL AND u.email_verified_at IS NULL AND u.created_at < ?)")
		args = append(args, q.UnverifiedBefore.UTC())
	}
	if len(conds) == 0 {
		return nil, nil
	}
	where := "(" + strings.Join(conds, " OR ") + ")"
	if q.BusinessID != 0 {
		where += " AND b.id = ?"
		args = append(args, q.BusinessID)
	}
	var out []domain.CleanupCandidate
	err := conn(ctx, r.db).Raw(
		"SELECT b.id AS business_id, b.slug, b.demo, b.stripe_subscription_id, u.email AS owner_email, "+
			"u.email_verified_at AS owner_verified_at, u.created_at AS owner_created_at, "+
			"(SELECT COUNT(*) FROM referrals AS r JOIN businesses AS rb ON rb.id = r.referred_id "+
			"AND rb.deleted_at IS NULL WHERE r.referrer_id = b.id) AS referred_live "+
			"FROM businesses AS b LEFT JOIN users AS u ON u.business_id = b.id AND u.role = ? "+
			"WHERE "+where+" ORDER BY b.id",
		append([]any{domain.RoleOwner}, args...)...,
	).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("cleanup candidates: %w", err)
	}
	return out, nil
}

// Images returns every image row of businessID.
func (r *Cleanup) Images(ctx context.Context, businessID int64) ([]domain.Image, error) {
	var imgs []domain.Image
	if err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("id").Find(&imgs).Error; err != nil {
		return nil, fmt.Errorf("images of business %d: %w", businessID, err)
	}
	return imgs, nil
}

// businessRows are the rows of one business, children before parents, each
// with the count it adds to. There are no foreign keys, but the order
// still leaves no row pointing at a deleted one if a delete stops midway.
var businessRows = []struct {
	table, where string
	count        func(*domain.CleanupCounts) *int64
}{
	{"product_images", "business_id = ?", other},
	{"option_choices", "business_id = ?", other},
	{"option_groups", "business_id = ?", other},
	{"order_items", "business_id = ?", other},
	{"orders", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Orders }},
	{"reviews", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Reviews }},
	{"chat_exchanges", "business_id = ?", other},
	{"slug_redirects", "business_id = ?", other},
	{"subscription_changes", "business_id = ?", other},
	{"invoices", "business_id = ?", other},
	{"stripe_events", "business_id = ?", other},
	{"referrals", "(referrer_id = @id OR referred_id = @id)", other},
	{"products", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Products }},
	{"categories", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Categories }},
	{"images", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Images }},
	{"sessions", "user_id IN (SELECT id FROM users WHERE business_id = ?)", other},
	{"email_tokens", "user_id IN (SELECT id FROM users WHERE business_id = ?)", other},
	// Emails not sent yet to the owner go too; sent ones are the outbox's log.
	{"outbox_emails", "status = '" + string(domain.OutboxPending) + "' AND to_address IN (SELECT LOWER(email) FROM users WHERE business_id = ?)", other},
	{"users", "business_id = ?", func(c *domain.CleanupCounts) *int64 { return &c.Users }},
	{"businesses", "id = ?", other},
}

func other(c *domain.CleanupCounts) *int64 { return &c.Other }

// whereArgs binds businessID to a businessRows condition.
func whereArgs(where string, businessID int64) []any {
	if strings.Contains(where, "@id") {
		return []any{map[string]any{"id": businessID}}
	}
	return []any{businessID}
}

// Count counts the rows DeleteBusiness would remove, changing nothing.
func (r *Cleanup) Count(ctx context.Context, businessID int64) (domain.CleanupCounts, error) {
	var c domain.CleanupCounts
	db := conn(ctx, r.db)
	for _, t := range businessRows {
		var n int64
		if err := db.Table(t.table).Where(t.where, whereArgs(t.where, businessID)...).Count(&n).Error; err != nil {
			return c, fmt.Errorf("count %s of business %d: %w", t.table, businessID, err)
		}
		*t.count(&c) += n
	}
	return c, nil
}

// DeleteBusiness hard-deletes businessID (even soft-deleted) and every row
// that belongs to it: its owner users with their sessions and email links,
// catalog, images (rows only: the files are the caller's), orders,
// reviews, chat log, billing history and referrals. It returns what it
// removed. Call it in a transaction.
func (r *Cleanup) DeleteBusiness(ctx context.Context, businessID int64) (domain.CleanupCounts, error) {
	var c domain.CleanupCounts
	db := conn(ctx, r.db)
	for _, t := range businessRows {
		res := db.Exec("DELETE FROM "+t.table+" WHERE "+t.where, whereArgs(t.where, businessID)...)
		if res.Error != nil {
			return c, fmt.Errorf("delete %s of business %d: %w", t.table, businessID, res.Error)
		}
		*t.count(&c) += res.RowsAffected
	}
	return c, nil
}
