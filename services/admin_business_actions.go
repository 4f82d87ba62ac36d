package services

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// Errors of the admin's business actions, answered with a message and
// nothing changed.
var (
	// ErrTrialNotExtendable: the business is not in a trial, nor in a trial
	// that ended unpaid (see ExtendTrial).
	ErrTrialNotExtendable = errors.New("trial cannot be extended")
	// ErrSuspensionUnchanged: suspending a suspended store, or lifting the
	// suspension of one that has none (a stale page, a second tab).
	ErrSuspensionUnchanged = errors.New("suspension unchanged")
)

// Message keys of the actions' field errors.
const (
	keyTrialDays     = "admin.businesses.error.days"
	keySuspendReason = "admin.businesses.error.reason_required"
	keyReasonTooLong = "admin.businesses.error.reason_too_long"
)

// ExtendTrial gives businessID's trial daysText more days (a whole number
// in [domain.TrialExtendMinDays, domain.TrialExtendMaxDays]), as actor:
//   - a running trial ends days later than it would;
//   - a trial that ended and is still recorded as trial (the trial job has
//     not run yet) ends days from now;
//   - a trial the trial job recorded as cancelled (its last change's cause is
//     domain.CauseTrialExpired) and that never paid an invoice goes back to
//     trial (cancelled → trial in the state machine, cause
//     domain.CauseTrialReopened, kept in its history) ending days from now.
//
// Anything else (active, past_due, a subscription cancelled after paying,
// the demo store) is ErrTrialNotExtendable. The trial reminder is sent again
// before the new end. Bad days is a *domain.ValidationError on "days". The
// audit entry says the days and the old and new end.
func (s *AdminBusinesses) ExtendTrial(ctx context.Context, actor *domain.User, businessID int64, daysText string) error {
	days, err := strconv.Atoi(strings.TrimSpace(daysText))
	if err != nil || days < domain.TrialExtendMinDays || days > domain.TrialExtendMaxDays {
		v := &domain.ValidationError{}
		v.Add("days", keyTrialDays, map[string]any{"Min": domain.TrialExtendMinDays, "Max": domain.TrialExtendMaxDays})
		return v
	}
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		biz, err := s.repo.Lock(ctx, businessID)
		if err != nil {
			return err
		}
		history, err := s.subs.History(ctx, businessID)
		if err != nil {
			return err
		}
		paid, err := s.subs.repo.PaidInvoices(ctx, businessID)
		if err != nil {
			return err
		}
		if !trialExtendable(biz, history, paid > 0) {
			return ErrTrialNotExtendable
		}
		now := s.clock()
		old, from := biz.TrialEndsAt, now
		if old != nil && old.After(now) {
			from = *old
		}
		end := from.Add(time.Duration(days) * 24 * time.Hour)
		biz.TrialEndsAt, biz.TrialRemindedAt = &end, nil
		detail := fmt.Sprintf("+%d d: %s → %s", days, auditTime(old), auditTime(&end))
		if biz.SubscriptionStatus == domain.SubscriptionCancelled {
			detail += " (" + string(domain.SubscriptionCancelled) + " → " + string(domain.SubscriptionTrial) + ")"
			err = s.subs.transition(ctx, biz, Change{To: domain.SubscriptionTrial, Cause: domain.CauseTrialReopened, At: now})
		} else {
			err = s.subs.repo.SaveBilling(ctx, businessID, biz.Billing)
		}
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditTrialExtended, domain.AuditTargetBusiness, businessID, detail)
	})
}

// trialExtendable reports whether ExtendTrial accepts biz, given its
// subscription history (newest first) and whether it ever paid.
func trialExtendable(biz *domain.Business, history []domain.SubscriptionChange, paid bool) bool {
	if biz.Demo {
		return false
	}
	switch biz.SubscriptionStatus {
	case domain.SubscriptionTrial:
		return true
	case domain.SubscriptionCancelled:
		return !paid && len(history) > 0 && history[0].Cause == domain.CauseTrialExpired
	}
	return false
}

// auditTime writes t for an audit detail: UTC, to the minute; "–" for nil.
func auditTime(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Suspend takes businessID's store offline as actor, for reason (required,
// at most domain.SuspendReasonMax characters): shoppers get the unavailable
// page, its cached pages are purged, and the audit entry keeps the reason.
// A store suspended already is ErrSuspensionUnchanged.
func (s *AdminBusinesses) Suspend(ctx context.Context, actor *domain.User, businessID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	v := &domain.ValidationError{}
	if v.RequiredAs("reason", reason, keySuspendReason) {
		v.MaxLenAs("reason", reason, domain.SuspendReasonMax, keyReasonTooLong)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		biz, err := s.repo.Lock(ctx, businessID)
		if err != nil {
			return err
		}
		if biz.Suspended() {
			return ErrSuspensionUnchanged
		}
		now := s.clock()
		if err := s.repo.SetSuspension(ctx, businessID, &now, reason); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditStoreSuspended, domain.AuditTargetBusiness, businessID, reason)
	})
}

// Unsuspend puts businessID's store back online as actor (as far as its
// subscription allows); the audit entry keeps the reason it was suspended
// for. A store not suspended is ErrSuspensionUnchanged.
func (s *AdminBusinesses) Unsuspend(ctx context.Context, actor *domain.User, businessID int64) error {
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		biz, err := s.repo.Lock(ctx, businessID)
		if err != nil {
			return err
		}
		if !biz.Suspended() {
			return ErrSuspensionUnchanged
		}
		if err := s.repo.SetSuspension(ctx, businessID, nil, ""); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditStoreRestored, domain.AuditTargetBusiness, businessID, biz.SuspendedReason)
	})
}
