package services

import (
	"context"
	"fmt"

	"github.com/qubly/qubly/domain"
)

// AuditRepo keeps the audit log (repositories.AuditLog).
type AuditRepo interface {
	Add(ctx context.Context, e *domain.AuditEntry) error
	List(ctx context.Context, f domain.AuditFilter, offset, limit int) ([]domain.AuditEntry, int64, error)
}

// AuditPageSize is how many entries one page of the audit log shows.
const AuditPageSize = 50

// Audit records what platform admins do and lists it. Every admin action
// calls Record in the same transaction as the change (pass the ctx of
// Transactor.InTx), so a change is never made without its entry.
type Audit struct {
	repo  AuditRepo
	clock Clock
}

// NewAudit returns the audit log service.
func NewAudit(repo AuditRepo, clock Clock) *Audit { return &Audit{repo: repo, clock: clock} }

// Record appends an entry: actor did action on the target, with a detail
// (cut to domain.AuditDetailMax characters). A nil actor is the system.
func (a *Audit) Record(ctx context.Context, actor *domain.User, action domain.AuditAction, targetType string, targetID int64, detail string) error {
	e := &domain.AuditEntry{
		Action: action, TargetType: targetType, TargetID: targetID,
		Detail: domain.AuditDetail(detail), CreatedAt: a.clock(),
	}
	if actor != nil {
		id := actor.ID
		e.ActorUserID, e.ActorEmail = &id, actor.Email
	}
	if err := a.repo.Add(ctx, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Page returns page (from 1) of the entries matching f, newest first.
func (a *Audit) Page(ctx context.Context, f domain.AuditFilter, page int) ([]domain.AuditEntry, domain.Pager, error) {
	_, total, err := a.repo.List(ctx, f, 0, 0)
	if err != nil {
		return nil, domain.Pager{}, err
	}
	p := domain.NewPager(page, total, AuditPageSize)
	entries, _, err := a.repo.List(ctx, f, p.Offset(), p.Size)
	if err != nil {
		return nil, domain.Pager{}, err
	}
	return entries, p, nil
}
