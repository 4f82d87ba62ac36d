package services

import (
	"context"
	"fmt"
	"time"

	"github.com/qubly/qubly/domain"
)

// TrialRepo is what Trials needs of the subscriptions repository.
type TrialRepo interface {
	TrialsEndedBy(ctx context.Context, now time.Time, limit int) ([]int64, error)
	TrialsEndingBy(ctx context.Context, by time.Time, limit int) ([]int64, error)
	MarkTrialReminded(ctx context.Context, businessID int64, at time.Time) (bool, error)
}

// TrialReminderLead is how long before a trial ends its owner is reminded.
const TrialReminderLead = 3 * 24 * time.Hour

// trialBatch is how many businesses a trial job loads at a time.
const trialBatch = 100

// Trials ends the free trials that ran out and reminds owners before they
// do; its two jobs are safe to run twice, and at once on two instances.
type Trials struct {
	subs *Subscriptions
	repo TrialRepo
}

// NewTrials returns the trial jobs over subs, whose transitions they use.
func NewTrials(subs *Subscriptions, repo TrialRepo) *Trials {
	return &Trials{subs: subs, repo: repo}
}

// ExpireTrials moves every live, non-demo business still in trial whose
// trial ended to cancelled (cause domain.CauseTrialExpired): the owner gets
// the trial_ended email and the store's pages are purged. A business that
// fails is logged and the others go on; only a failure to list them is
// returned.
func (t *Trials) ExpireTrials(ctx context.Context) error {
	now := t.subs.clock()
	list := func(ctx context.Context, limit int) ([]int64, error) { return t.repo.TrialsEndedBy(ctx, now, limit) }
	return eachNew(ctx, trialBatch, list, sameID, func(ctx context.Context, id int64) {
		if err := t.expire(ctx, id, now); err != nil {
			t.subs.log.ErrorContext(ctx, "trial expiry failed", "business_id", id, "err", err)
		}
	})
}

// expire cancels businessID's trial if, in the transaction, it is still a
// live non-demo trial that ended by now: another run, or a payment that
// came in meanwhile, leaves it alone.
func (t *Trials) expire(ctx context.Context, businessID int64, now time.Time) error {
	s := t.subs
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		biz, err := s.repo.Business(ctx, businessID)
		if err != nil {
			return err
		}
		if !trialEnded(biz, now) {
			return errNoChange
		}
		return s.transition(ctx, biz, Change{To: domain.SubscriptionCancelled, Cause: domain.CauseTrialExpired, At: now})
	})
}

// trialEnded reports whether biz is a live, non-demo business whose trial
// ended by now and is still recorded as a trial.
func trialEnded(biz *domain.Business, now time.Time) bool {
	return biz.SubscriptionStatus == domain.SubscriptionTrial && !biz.Demo && !biz.DeletedAt.Valid &&
		biz.TrialEndsAt != nil && !biz.TrialEndsAt.After(now)
}

// RemindTrials queues the trial_ending email (data Days: the days left) to
// the owners of live, non-demo trials that end within TrialReminderLead,
// once per business: the reminder is recorded in the email's transaction,
// on the condition that none was before. Trials that ended already are left
// to ExpireTrials. A business that fails is logged and the others go on.
func (t *Trials) RemindTrials(ctx context.Context) error {
	now := t.subs.clock()
	list := func(ctx context.Context, limit int) ([]int64, error) {
		return t.repo.TrialsEndingBy(ctx, now.Add(TrialReminderLead), limit)
	}
	return eachNew(ctx, trialBatch, list, sameID, func(ctx context.Context, id int64) {
		if err := t.remind(ctx, id, now); err != nil {
			t.subs.log.ErrorContext(ctx, "trial reminder failed", "business_id", id, "err", err)
		}
	})
}

// remind queues businessID's reminder if no run did yet. Shoppers see no
// change, so the store's pages are not purged.
func (t *Trials) remind(ctx context.Context, businessID int64, now time.Time) error {
	s := t.subs
	return s.writes.tx.InTx(ctx, func(ctx context.Context) error {
		biz, err := s.repo.Business(ctx, businessID)
		if err != nil {
			return err
		}
		days := biz.TrialDaysLeft(now)
		if biz.SubscriptionStatus != domain.SubscriptionTrial || biz.Demo || biz.DeletedAt.Valid || days == 0 ||
			biz.TrialEndsAt.After(now.Add(TrialReminderLead)) {
			return nil
		}
		marked, err := t.repo.MarkTrialReminded(ctx, businessID, now)
		if err != nil {
			return fmt.Errorf("mark trial of business %d reminded: %w", businessID, err)
		}
		if !marked {
			return nil
		}
		return s.notify(ctx, biz, "trial_ending", map[string]any{"Days": days})
	})
}

func sameID(id int64) int64 { return id }

// eachNew calls do for every row list returns, batch by batch, until list
// has nothing it has not seen: rows that do leaves in place (a failure, or
// one another run holds) are asked for again with a larger limit but not
// done twice, so one bad row never stops the rest.
func eachNew[T any](ctx context.Context, batch int, list func(ctx context.Context, limit int) ([]T, error),
	key func(T) int64, do func(ctx context.Context, row T)) error {
	seen := map[int64]bool{}
	for {
		rows, err := list(ctx, batch+len(seen))
		if err != nil {
			return err
		}
		fresh := 0
		for _, row := range rows {
			if seen[key(row)] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			seen[key(row)] = true
			fresh++
			do(ctx, row)
		}
		if fresh == 0 || len(rows) < batch+len(seen)-fresh {
			return nil
		}
	}
}
