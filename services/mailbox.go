package services

import (
	"context"

	"github.com/qubly/qubly/domain"
)

// MailboxStore is what Mailbox needs of the outbox repository.
type MailboxStore interface {
	Recent(ctx context.Context, limit int) ([]domain.OutboxEmail, error)
	Get(ctx context.Context, id int64) (*domain.OutboxEmail, error)
}

// Mailbox reads the emails the app wrote to its outbox, for the development
// mailbox at /dev/mail.
type Mailbox struct{ store MailboxStore }

// NewMailbox returns the outbox reader.
func NewMailbox(store MailboxStore) *Mailbox { return &Mailbox{store: store} }

// Recent returns the newest limit emails, newest first.
func (m *Mailbox) Recent(ctx context.Context, limit int) ([]domain.OutboxEmail, error) {
	return m.store.Recent(ctx, limit)
}

// Get loads one email.
func (m *Mailbox) Get(ctx context.Context, id int64) (*domain.OutboxEmail, error) {
	return m.store.Get(ctx, id)
}
