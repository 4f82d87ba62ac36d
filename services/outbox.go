package services

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/qubly/qubly/domain"
)

// OutboxRepo is the outbox storage the sender needs.
type OutboxRepo interface {
	// ClaimDue returns pending emails due at now and leases them until
	// leaseUntil, so no other run takes them meanwhile.
	ClaimDue(ctx context.Context, now, leaseUntil time.Time, limit int) ([]domain.OutboxEmail, error)
	MarkSent(ctx context.Context, id int64, providerID string, at time.Time) error
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time, dead bool) error
	// Release makes a claimed email due at next without counting a try.
	Release(ctx context.Context, id int64, next time.Time) error
}

// EmailSender delivers one email and returns the provider's message ID.
type EmailSender interface {
	Send(ctx context.Context, e domain.OutboxEmail) (providerID string, err error)
}

// OutboxSender sends due outbox emails, retrying failures with exponential
// backoff until MaxAttempts tries, after which the email is marked dead.
type OutboxSender struct {
	repo   OutboxRepo
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
	// Lease is how long a claimed email is kept from other runs while it is
	// sent (default 5m, well over the provider call's timeout); an instance
	// that dies mid-send leaves it to be sent again after the lease.
	Lease time.Duration
}

// NewOutboxSender returns a sender with the default retry policy.
func NewOutboxSender(repo OutboxRepo, tx Transactor, sender EmailSender, clock Clock, log *slog.Logger) *OutboxSender {
	if clock == nil {
		clock = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &OutboxSender{
		repo: repo, tx: tx, sender: sender, clock: clock, log: log,
		MaxAttempts: 8, BaseDelay: 30 * time.Second, MaxDelay: 6 * time.Hour, BatchSize: 20, Lease: 5 * time.Minute,
	}
}

// RunOnce sends up to BatchSize due emails and reports how many were sent and
// how many failed (failures are scheduled for a retry or marked dead). err is
// a storage or context error; it stops the run.
//
// Each email is claimed in a short transaction that leases it (see Lease),
// sent outside any transaction, then marked sent or failed. No lock is held
// during the provider's API call, so on SQLite orders and sign-ups never wait
// for an email to go out. A mark that fails after a successful send leaves
// the email leased; it is tried again after the lease with the same
// idempotency key, which the provider deduplicates.
func (s *OutboxSender) RunOnce(ctx context.Context) (sent, failed int, err error) {
	seen := make(map[int64]bool)
	for sent+failed < s.BatchSize {
		e, now, err := s.claim(ctx)
		if err != nil {
			return sent, failed, err
		}
		// A zero BaseDelay makes a failed email due again at once: do not
		// retry it within the same run.
		if e == nil || seen[e.ID] {
			if e != nil {
				err = s.tx.InTx(ctx, func(ctx context.Context) error { return s.repo.Release(ctx, e.ID, e.NextAttemptAt) })
			}
			return sent, failed, err
		}
		seen[e.ID] = true
		ok, err := s.sendOne(ctx, *e, now)
		if err != nil {
			return sent, failed, err
		}
		if ok {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// claim leases the next due email in a transaction of its own; nil when
// none is due.
func (s *OutboxSender) claim(ctx context.Context) (*domain.OutboxEmail, time.Time, error) {
	now := s.clock()
	var es []domain.OutboxEmail
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		es, err = s.repo.ClaimDue(ctx, now, now.Add(s.Lease), 1)
		return err
	})
	if err != nil {
		return nil, now, fmt.Errorf("claim due emails: %w", err)
	}
	if len(es) == 0 {
		return nil, now, nil
	}
	return &es[0], now, nil
}

// sendOne tries the claimed email e once and records the outcome; the error
// is a storage or context error.
func (s *OutboxSender) sendOne(ctx context.Context, e domain.OutboxEmail, now time.Time) (bool, error) {
	attempt := e.Attempts + 1
	providerID, sendErr := s.sender.Send(ctx, e)
	if sendErr == nil {
		err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.repo.MarkSent(ctx, e.ID, providerID, s.clock()) })
		if err != nil {
			return false, fmt.Errorf("mark email %d sent: %w", e.ID, err)
		}
		return true, nil
	}
	if ctx.Err() != nil {
		// Shutting down: make the email due as it was, for the next run.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := s.tx.InTx(rctx, func(ctx context.Context) error { return s.repo.Release(ctx, e.ID, e.NextAttemptAt) }); err != nil {
			s.log.Warn("outbox: release email", "email_id", e.ID, "error", err)
		}
		return false, ctx.Err()
	}
	dead := attempt >= s.MaxAttempts
	next := now.Add(s.backoff(e.Attempts))
	s.log.LogAttrs(ctx, slog.LevelWarn, "outbox: send failed",
		slog.Int64("email_id", e.ID), slog.String("template", e.Template),
		slog.Int("attempt", attempt), slog.Bool("dead", dead), slog.String("error", sendErr.Error()))
	err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.repo.MarkFailed(ctx, e.ID, sendErr.Error(), next, dead) })
	if err != nil {
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
