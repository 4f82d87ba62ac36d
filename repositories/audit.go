package repositories

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// AuditLog keeps the platform admins' actions. It is platform data, not a
// tenant's: only the admin pages read it.
type AuditLog struct{ db *gorm.DB }

// NewAuditLog returns the audit log.
func NewAuditLog(db *gorm.DB) *AuditLog { return &AuditLog{db: db} }

// Add appends e (its ID and CreatedAt are filled). Inside a transaction
// (ctx from Transactor) it commits or rolls back with the action it records.
func (r *AuditLog) Add(ctx context.Context, e *domain.AuditEntry) error {
	if err := conn(ctx, r.db).Create(e).Error; err != nil {
		return fmt.Errorf("add audit entry %s: %w", e.Action, mapErr(err))
	}
	return nil
}

// List returns one page of entries matching f, newest first, and how many
// match in all.
func (r *AuditLog) List(ctx context.Context, f domain.AuditFilter, offset, limit int) ([]domain.AuditEntry, int64, error) {
	q := conn(ctx, r.db).Model(&domain.AuditEntry{})
	if f.TargetType != "" {
		q = q.Where("target_type = ?", f.TargetType)
	}
	if f.TargetID != 0 {
		q = q.Where("target_id = ?", f.TargetID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	var out []domain.AuditEntry
	if err := q.Order("created_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	return out, total, nil
}
