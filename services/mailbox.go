package services

import (
	"context"

	"github.com/qubly/qubly/domain"
)

// MailboxRepo is what Mailbox needs of the outbox repository.
type MailboxRepo interface {
	Recent(ctx context.Context, limit int) ([]domain.OutboxEmail, error)
	Get(ctx context.Context, id int64) (*domain.OutboxEmail, error)
}

// Mailbox reads the emails the app wrote to its outbox, for the development
// mailbox at /dev/mail.
type Mailbox struct{ repo MailboxRepo }

// NewMailbox returns the outbox reader.
func NewMailbox(repo MailboxRepo) *Mailbox { return &Mailbox{repo: repo} }

// Recent returns the newest limit emails, newest first.
func (m *Mailbox) Recent(ctx context.Context, limit int) ([]domain.OutboxEmail, error) {
	return m.repo.Recent(ctx, limit)
}

// Get loads one email.
func (m *Mailbox) Get(ctx context.Context, id int64) (*domain.OutboxEmail, error) {
	return m.repo.Get(ctx, id)
}
