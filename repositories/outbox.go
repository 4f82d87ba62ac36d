package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Outbox stores outgoing emails until the outbox job sends them.
type Outbox struct{ db *gorm.DB }

// NewOutbox returns the outbox repository.
func NewOutbox(db *gorm.DB) *Outbox { return &Outbox{db: db} }

// Enqueue inserts e; call it inside the transaction of the change that causes it.
func (r *Outbox) Enqueue(ctx context.Context, e *domain.OutboxEmail) error {
	return mapErr(conn(ctx, r.db).Create(e).Error)
}

// ClaimDue returns up to limit pending emails due at now and leases them
// until leaseUntil (their next_attempt_at moves there), so no other run or
// instance takes them while the caller sends them outside any transaction;
// MarkSent or MarkFailed ends the lease. On PostgreSQL the rows are read
// with FOR UPDATE SKIP LOCKED, so two instances claiming at once never take
// the same email. Call it inside a transaction.
func (r *Outbox) ClaimDue(ctx context.Context, now, leaseUntil time.Time, limit int) ([]domain.OutboxEmail, error) {
	db := conn(ctx, r.db)
	q := db.Where("status = ? AND next_attempt_at <= ?", domain.OutboxPending, now).Order("next_attempt_at, id").Limit(limit)
	if db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var es []domain.OutboxEmail
	if err := q.Find(&es).Error; err != nil || len(es) == 0 {
		return nil, err
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	err := db.Model(&domain.OutboxEmail{}).Where("id IN ?", ids).Update("next_attempt_at", leaseUntil).Error
	return es, err
}

// Release makes a claimed email due at next again without counting a try
// (a send interrupted by shutdown).
func (r *Outbox) Release(ctx context.Context, id int64, next time.Time) error {
	return conn(ctx, r.db).Model(&domain.OutboxEmail{}).Where("id = ?", id).Update("next_attempt_at", next).Error
}

// MarkSent records a delivered email.
func (r *Outbox) MarkSent(ctx context.Context, id int64, providerID string, at time.Time) error {
	return conn(ctx, r.db).Model(&domain.OutboxEmail{}).Where("id = ?", id).Updates(map[string]any{
		"status": domain.OutboxSent, "provider_id": providerID, "sent_at": at,
		"attempts": gorm.Expr("attempts + 1"), "last_error": "",
	}).Error
}

// MarkFailed records a failed try: pending again at next, or dead when dead is set.
func (r *Outbox) MarkFailed(ctx context.Context, id int64, errText string, next time.Time, dead bool) error {
	status := domain.OutboxPending
	if dead {
		status = domain.OutboxDead
	}
	if len(errText) > 1000 {
		errText = errText[:1000]
	}
	return conn(ctx, r.db).Model(&domain.OutboxEmail{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "last_error": errText, "next_attempt_at": next,
		"attempts": gorm.Expr("attempts + 1"),
	}).Error
}

// Get loads one email.
func (r *Outbox) Get(ctx context.Context, id int64) (*domain.OutboxEmail, error) {
	var e domain.OutboxEmail
	if err := conn(ctx, r.db).First(&e, id).Error; err != nil {
		return nil, mapErr(err)
	}
	return &e, nil
}

// Recent returns the newest emails, newest first (for the dev mailbox).
func (r *Outbox) Recent(ctx context.Context, limit int) ([]domain.OutboxEmail, error) {
	var es []domain.OutboxEmail
	err := conn(ctx, r.db).Order("id DESC").Limit(limit).Find(&es).Error
	return es, err
}
