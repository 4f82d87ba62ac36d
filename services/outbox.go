package services

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/qubly/qubly/domain"
)

// OutboxStore is the outbox storage the sender needs.
type OutboxStore interface {
	// ClaimDue returns pending emails due at now, locked for the caller's
	// transaction where the engine can (PostgreSQL: FOR UPDATE SKIP LOCKED).
	ClaimDue(ctx context.Context, now time.Time, limit int) ([]domain.OutboxEmail, error)
	MarkSent(ctx context.Context, id int64, providerID string, at time.Time) error
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time, dead bool) error
}

// EmailSender delivers one email and returns the provider's message ID.
type EmailSender interface {
	Send(ctx context.Context, e domain.OutboxEmail) (providerID string, err error)
}

// OutboxSender sends due outbox emails, retrying failures with exponential
// backoff until MaxAttempts tries, after which the email is marked dead.
type OutboxSender struct {
	store  OutboxStore
	tx     Transactor
	sender EmailSender
	clock  Clock
	log    *slog.Logger

	// MaxAttempts is the number of tries before an email is dead (default 8).
	MaxAttempts int
	// BaseDelay is the wait after the first failure; it doubles on each
	// further failure (default 30s).
	BaseDelay time.Duration
	// MaxDelay caps the wait between tries (default 6h).
	MaxDelay time.Duration
	// BatchSize is the most emails one RunOnce sends (default 20).
	BatchSize int
}

// NewOutboxSender returns a sender with the default retry policy.
func NewOutboxSender(store OutboxStore, tx Transactor, sender EmailSender, clock Clock, log *slog.Logger) *OutboxSender {
	if clock == nil {
		clock = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &OutboxSender{
		store: store, tx: tx, sender: sender, clock: clock, log: log,
		MaxAttempts: 8, BaseDelay: 30 * time.Second, MaxDelay: 6 * time.Hour, BatchSize: 20,
	}
}

// RunOnce sends up to BatchSize due emails and reports how many were sent and
// how many failed (failures are scheduled for a retry or marked dead). err is
// a storage or context error; it stops the run.
//
// Each email is claimed, sent and marked in a transaction of its own: the row
// lock taken by the claim is what keeps another instance from sending the same
// email, so it must be held across the API call, and one email per transaction
// keeps that lock (and, on SQLite, the database write lock) to a single call
// rather than a whole batch. A mark that fails after a successful send rolls
// back and the email is tried again with the same idempotency key, which the
// provider deduplicates.
func (s *OutboxSender) RunOnce(ctx context.Context) (sent, failed int, err error) {
	seen := make(map[int64]bool)
	for sent+failed < s.BatchSize {
		var (
			done    bool // nothing (new) is due
			ok      bool // this email was delivered
			claimed int64
		)
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			now := s.clock()
			es, err := s.store.ClaimDue(ctx, now, 1)
			if err != nil {
				return fmt.Errorf("claim due emails: %w", err)
			}
			// A zero BaseDelay makes a failed email due again at once: do
			// not retry it within the same run.
			if len(es) == 0 || seen[es[0].ID] {
				done = true
				return nil
			}
			e := es[0]
			claimed = e.ID
			ok, err = s.sendOne(ctx, e, now)
			return err
		})
		if err != nil {
			return sent, failed, err
		}
		if done {
			break
		}
		seen[claimed] = true
		if ok {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// sendOne tries e once and records the outcome; the error is a storage error.
func (s *OutboxSender) sendOne(ctx context.Context, e domain.OutboxEmail, now time.Time) (bool, error) {
	attempt := e.Attempts + 1
	providerID, sendErr := s.sender.Send(ctx, e)
	if sendErr == nil {
		if err := s.store.MarkSent(ctx, e.ID, providerID, s.clock()); err != nil {
			return false, fmt.Errorf("mark email %d sent: %w", e.ID, err)
		}
		return true, nil
	}
	if ctx.Err() != nil {
		// Shutting down: leave the email as it was for the next run.
		return false, ctx.Err()
	}
	dead := attempt >= s.MaxAttempts
	next := now.Add(s.backoff(e.Attempts))
	s.log.LogAttrs(ctx, slog.LevelWarn, "outbox: send failed",
		slog.Int64("email_id", e.ID), slog.String("template", e.Template),
		slog.Int("attempt", attempt), slog.Bool("dead", dead), slog.String("error", sendErr.Error()))
	if err := s.store.MarkFailed(ctx, e.ID, sendErr.Error(), next, dead); err != nil {
		return false, fmt.Errorf("mark email %d failed: %w", e.ID, err)
	}
	return false, nil
}

// backoff is the wait after a failed try when attempts tries had failed
// before it: BaseDelay·2^attempts, at most MaxDelay.
func (s *OutboxSender) backoff(attempts int) time.Duration {
	d := s.BaseDelay
	for i := 0; i < attempts && d < s.MaxDelay; i++ {
		d *= 2
	}
	return min(d, s.MaxDelay)
}
