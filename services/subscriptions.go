package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/qubly/qubly/domain"
)

// SubscriptionRepo is what Subscriptions needs of the subscriptions repository.
type SubscriptionRepo interface {
	Business(ctx context.Context, businessID int64) (*domain.Business, error)
	BusinessByCustomer(ctx context.Context, customerID string) (*domain.Business, error)
	BusinessByStripe(ctx context.Context, customerID, subscriptionID string) (*domain.Business, error)
	SaveBilling(ctx context.Context, businessID int64, b domain.Billing) error
	AddChange(ctx context.Context, c *domain.SubscriptionChange) error
	History(ctx context.Context, businessID int64) ([]domain.SubscriptionChange, error)
	MarkEvent(ctx context.Context, e *domain.StripeEvent) (bool, error)
	SaveInvoice(ctx context.Context, inv *domain.Invoice) error
	Invoices(ctx context.Context, businessID int64, limit int) ([]domain.Invoice, error)
	PaidInvoices(ctx context.Context, businessID int64) (int64, error)
	TrialsEndedBy(ctx context.Context, now time.Time, limit int) ([]int64, error)
	TrialsEndingBy(ctx context.Context, by time.Time, limit int) ([]int64, error)
}

// OwnerRepo finds a store's owner, whom billing emails go to.
type OwnerRepo interface {
	Owner(ctx context.Context, businessID int64) (*domain.User, error)
}

// SubscriptionEmails writes billing emails to the outbox.
type SubscriptionEmails interface {
	Enqueue(ctx context.Context, to, lang, name string, data map[string]any) error
}

// Subscriptions owns each business's subscription: the state machine of
// domain.SubscriptionStatus, its history, what the owner is told, and the
// store going on or off line (every change purges the store's pages).
type Subscriptions struct {
	repo    SubscriptionRepo
	owners  OwnerRepo
	emails  SubscriptionEmails
	writes  *StoreWrites
	rules   func() domain.BillingRules
	clock   Clock
	log     *slog.Logger
	baseURL string

	// referrals decides a referred business's referral when it first pays.
	referrals ReferralDecisionRepo
}

// SubscriptionsDeps groups what NewSubscriptions needs.
type SubscriptionsDeps struct {
	Repo   SubscriptionRepo
	Owners OwnerRepo
	Emails SubscriptionEmails
	// Writes runs each change and purges the store's cached pages after it.
	Writes *StoreWrites
	// Rules are the trial and grace lengths in force, read at each use (the
	// platform settings an admin may change); nil: domain.DefaultBillingRules.
	Rules   func() domain.BillingRules
	Clock   Clock
	Log     *slog.Logger
	BaseURL string

	// Referrals decides referrals on a first paid invoice (see ApplyEvent).
	Referrals ReferralDecisionRepo
}

// NewSubscriptions returns the subscriptions service.
func NewSubscriptions(d SubscriptionsDeps) *Subscriptions {
	s := &Subscriptions{
		repo: d.Repo, owners: d.Owners, emails: d.Emails, writes: d.Writes, rules: d.Rules,
		clock: d.Clock, log: d.Log, baseURL: d.BaseURL, referrals: d.Referrals,
	}
	if s.rules == nil {
		s.rules = func() domain.BillingRules { return domain.DefaultBillingRules }
	}
	if s.clock == nil {
		s.clock = func() time.Time { return time.Now().UTC() }
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Rules returns the trial and grace lengths in force.
func (s *Subscriptions) Rules() domain.BillingRules { return s.rules() }

// StartTrial sets a new business's subscription to a trial ending after the
// configured days and records it; call it in the sign-up transaction.
func (s *Subscriptions) StartTrial(biz *domain.Business, now time.Time) {
	end := now.Add(time.Duration(s.Rules().TrialDays) * 24 * time.Hour)
	biz.SubscriptionStatus, biz.TrialEndsAt = domain.SubscriptionTrial, &end
}

// RecordStart records the trial of a business created in the caller's
// transaction in its history.
func (s *Subscriptions) RecordStart(ctx context.Context, businessID int64, now time.Time) error {
	return s.repo.AddChange(ctx, &domain.SubscriptionChange{
		BusinessID: businessID, To: domain.SubscriptionTrial, Cause: domain.CauseSignup, CreatedAt: now,
	})
}

// History lists businessID's subscription changes, newest first.
func (s *Subscriptions) History(ctx context.Context, businessID int64) ([]domain.SubscriptionChange, error) {
	return s.repo.History(ctx, businessID)
}

// Change is one requested transition of a business's subscription.
type Change struct {
	To    domain.SubscriptionStatus
	Cause string
	// EventID is the Stripe event asking for it; empty for the app's own.
	EventID string
	At      time.Time
}

// transition moves biz (loaded, and locked, in the caller's transaction) as
// c asks, saves its billing columns (with whatever else the caller changed
// in biz.Billing), records the change and queues the owner's email. Staying
// in the same status saves the columns and records nothing. A transition
// the machine refuses changes nothing and is a
// *domain.ErrBadSubscriptionTransition, logged with the event ID.
func (s *Subscriptions) transition(ctx context.Context, biz *domain.Business, c Change) error {
	from := biz.SubscriptionStatus
	if from == c.To {
		return s.repo.SaveBilling(ctx, biz.ID, biz.Billing)
	}
	if !from.CanTransition(c.To) {
		s.log.WarnContext(ctx, "subscription transition refused", "business_id", biz.ID,
			"from", from, "to", c.To, "cause", c.Cause, "stripe_event", c.EventID)
		return &domain.ErrBadSubscriptionTransition{From: from, To: c.To}
	}
	b := &biz.Billing
	b.SubscriptionStatus = c.To
	switch c.To {
	case domain.SubscriptionPastDue:
		at := c.At
		b.PastDueSince = &at
	case domain.SubscriptionActive, domain.SubscriptionCancelled:
		b.PastDueSince = nil
		if c.To == domain.SubscriptionCancelled {
			b.CancelAtPeriodEnd = false
		}
	}
	if err := s.repo.SaveBilling(ctx, biz.ID, *b); err != nil {
		return fmt.Errorf("save subscription of business %d: %w", biz.ID, err)
	}
	if err := s.repo.AddChange(ctx, &domain.SubscriptionChange{
		BusinessID: biz.ID, From: from, To: c.To, Cause: c.Cause, StripeEventID: c.EventID, CreatedAt: c.At,
	}); err != nil {
		return fmt.Errorf("record subscription change of business %d: %w", biz.ID, err)
	}
	return s.notifyChange(ctx, biz, from, c)
}

// changeEmail names the email the owner gets for a transition, or "".
func changeEmail(from domain.SubscriptionStatus, c Change) string {
	switch {
	case c.To == domain.SubscriptionPastDue:
		return "payment_failed"
	case from == domain.SubscriptionPastDue && c.To == domain.SubscriptionActive:
		return "payment_recovered"
	case c.To == domain.SubscriptionCancelled && c.Cause == domain.CauseTrialExpired:
		return "trial_ended"
	case c.To == domain.SubscriptionCancelled:
		return "subscription_cancelled"
	}
	return ""
}

// notifyChange queues the owner's email about a transition, if it has one.
func (s *Subscriptions) notifyChange(ctx context.Context, biz *domain.Business, from domain.SubscriptionStatus, c Change) error {
	name := changeEmail(from, c)
	if name == "" {
		return nil
	}
	return s.notify(ctx, biz, name, map[string]any{"GraceDays": s.Rules().GraceDays})
}

// notify queues the billing email name to biz's owner, in their language,
// with a link to the billing page unless data has a Link. A store without
// an owner is logged.
func (s *Subscriptions) notify(ctx context.Context, biz *domain.Business, name string, data map[string]any) error {
	owner, err := s.owners.Owner(ctx, biz.ID)
	if errors.Is(err, domain.ErrNotFound) {
		s.log.WarnContext(ctx, "billing email: store has no owner", "business_id", biz.ID, "email", name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("load owner of business %d: %w", biz.ID, err)
	}
	data["Name"] = owner.Name
	data["Store"] = biz.Name
	if _, ok := data["Link"]; !ok {
		data["Link"] = s.baseURL + "/dashboard/billing"
	}
	return s.emails.Enqueue(ctx, owner.Email, owner.Locale, name, data)
}

// Move applies c to businessID's subscription in its own transaction and
// purges the store's pages; the owner's own actions and the jobs use it.
func (s *Subscriptions) Move(ctx context.Context, businessID int64, c Change) error {
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		biz, err := s.repo.Business(ctx, businessID)
		if err != nil {
			return err
		}
		if biz.SubscriptionStatus == c.To {
			return errNoChange
		}
		return s.transition(ctx, biz, c)
	})
}
