package services

import (
	"context"
	"errors"
	"fmt"

	"github.com/qubly/qubly/domain"
)

// EventOutcome says what ApplyEvent did with a Stripe event. Every outcome
// is answered 200: none of them gets better by Stripe retrying.
type EventOutcome string

// Outcomes of ApplyEvent.
const (
	// EventApplied: the event's effect is stored with its ID.
	EventApplied EventOutcome = "applied"
	// EventStale: the event is older than the last one applied to the
	// subscription, or about another subscription than the business's: it
	// is recorded (and its invoice stored) but the status is kept.
	EventStale EventOutcome = "stale"
	// EventDuplicate: the event was applied before; nothing changed.
	EventDuplicate EventOutcome = "duplicate"
	// EventIgnored: billing does not handle events of its type.
	EventIgnored EventOutcome = "ignored"
	// EventUnknownCustomer: no business has its customer (or, for a
	// Checkout session, its client_reference_id); nothing changed.
	EventUnknownCustomer EventOutcome = "unknown_customer"
	// EventRefused: the state machine refused the transition it asks for;
	// nothing changed (the refusal is logged with the event ID).
	EventRefused EventOutcome = "refused"
)

// ApplyEvent applies a verified Stripe event to its business's
// subscription in one transaction, with the event's ID recorded in it so a
// replay changes nothing; the store's pages are purged when its status
// changed. An event older than the last one applied never rolls the status
// back. Every status change goes through transition.
func (s *Subscriptions) ApplyEvent(ctx context.Context, e domain.BillingEvent) (EventOutcome, error) {
	if !e.Handled() {
		return EventIgnored, nil
	}
	out := EventApplied
	err := s.writes.WriteFound(ctx, func(ctx context.Context) (int64, error) {
		biz, err := s.eventBusiness(ctx, e)
		if errors.Is(err, domain.ErrNotFound) {
			out = EventUnknownCustomer
			return 0, errNoChange
		}
		if err != nil {
			return 0, err
		}
		fresh, err := s.repo.MarkEvent(ctx, &domain.StripeEvent{ID: e.ID, Type: e.Type, BusinessID: &biz.ID, CreatedAt: s.clock()})
		if err != nil {
			return 0, fmt.Errorf("record stripe event %s: %w", e.ID, err)
		}
		if !fresh {
			out = EventDuplicate
			return 0, errNoChange
		}
		from := biz.SubscriptionStatus
		out, err = s.applyEvent(ctx, biz, e)
		var refused *domain.ErrBadSubscriptionTransition
		if errors.As(err, &refused) {
			out = EventRefused
			return 0, errNoChange
		}
		if err != nil {
			return 0, fmt.Errorf("apply stripe event %s (%s) to business %d: %w", e.ID, e.Type, biz.ID, err)
		}
		if biz.SubscriptionStatus != from {
			return biz.ID, nil
		}
		return 0, nil
	})
	if err != nil {
		return "", err
	}
	return out, nil
}

// eventBusiness loads (and locks) the business e is about: a Checkout
// session's by its client_reference_id, any other by its Stripe customer
// (and subscription, should businesses share a customer).
func (s *Subscriptions) eventBusiness(ctx context.Context, e domain.BillingEvent) (*domain.Business, error) {
	if e.Checkout != nil {
		if e.Checkout.BusinessID == 0 {
			return nil, domain.ErrNotFound
		}
		return s.repo.Business(ctx, e.Checkout.BusinessID)
	}
	return s.repo.BusinessByStripe(ctx, e.CustomerID, e.SubscriptionID)
}

// applyEvent applies e to biz, loaded and locked in the transaction.
func (s *Subscriptions) applyEvent(ctx context.Context, biz *domain.Business, e domain.BillingEvent) (EventOutcome, error) {
	stale := biz.LastEventAt != nil && e.Created.Before(*biz.LastEventAt)
	switch {
	case e.Checkout != nil:
		return s.applyCheckout(ctx, biz, e, stale)
	case e.Subscription != nil:
		return s.applySubscription(ctx, biz, e, stale)
	case e.Invoice != nil:
		return s.applyInvoice(ctx, biz, e, stale)
	}
	return EventStale, nil
}

// applyCheckout links biz to the session's customer and subscription (an
// older session fills only what is missing) and, when the session was paid,
// makes the subscription active.
func (s *Subscriptions) applyCheckout(ctx context.Context, biz *domain.Business, e domain.BillingEvent, stale bool) (EventOutcome, error) {
	b := &biz.Billing
	linked := false
	if e.CustomerID != "" && b.StripeCustomerID != e.CustomerID && (!stale || b.StripeCustomerID == "") {
		if b.StripeCustomerID != "" {
			s.log.WarnContext(ctx, "stripe customer of business replaced by checkout", "business_id", biz.ID,
				"old", b.StripeCustomerID, "new", e.CustomerID, "stripe_event", e.ID)
		}
		b.StripeCustomerID, linked = e.CustomerID, true
	}
	if e.SubscriptionID != "" && b.StripeSubscriptionID != e.SubscriptionID && (!stale || b.StripeSubscriptionID == "") {
		b.StripeSubscriptionID, linked = e.SubscriptionID, true
	}
	if stale {
		if linked {
			return EventStale, s.repo.SaveBilling(ctx, biz.ID, *b)
		}
		return EventStale, nil
	}
	var to domain.SubscriptionStatus
	if e.Checkout.PaymentStatus == domain.CheckoutPaid {
		to = domain.SubscriptionActive
	}
	return s.applyNewest(ctx, biz, e, to, domain.CauseCheckout)
}

// subscriptionTarget maps a Stripe subscription event to the status it
// asks for; "" keeps the status (incomplete, paused).
func subscriptionTarget(e domain.BillingEvent) domain.SubscriptionStatus {
	if e.Type == domain.EventSubscriptionDeleted {
		return domain.SubscriptionCancelled
	}
	switch e.Subscription.Status {
	case "active", "trialing":
		return domain.SubscriptionActive
	case "past_due", "unpaid":
		return domain.SubscriptionPastDue
	case "canceled", "incomplete_expired":
		return domain.SubscriptionCancelled
	}
	return ""
}

// applySubscription follows the Stripe subscription's status and period.
// News of another subscription than biz's changes nothing unless it is a
// live one replacing it (a resubscription).
func (s *Subscriptions) applySubscription(ctx context.Context, biz *domain.Business, e domain.BillingEvent, stale bool) (EventOutcome, error) {
	to := subscriptionTarget(e)
	if stale || !s.ownSubscription(biz, e, to) {
		return EventStale, nil
	}
	b := &biz.Billing
	b.StripeSubscriptionID = e.SubscriptionID
	b.CancelAtPeriodEnd = e.Subscription.CancelAtPeriodEnd
	if end := e.Subscription.CurrentPeriodEnd; !end.IsZero() {
		b.CurrentPeriodEnd = &end
	}
	cause := domain.CauseSubscription
	if e.Type == domain.EventSubscriptionDeleted {
		cause = domain.CauseSubscriptionGone
	}
	return s.applyNewest(ctx, biz, e, to, cause)
}

// applyInvoice stores the invoice (by SaveInvoice's rule, even from an
// older event), decides biz's referral on a paid one, and moves the status:
// a payment makes it active, a failed payment past_due.
func (s *Subscriptions) applyInvoice(ctx context.Context, biz *domain.Business, e domain.BillingEvent, stale bool) (EventOutcome, error) {
	si := e.Invoice
	inv := &domain.Invoice{
		BusinessID: biz.ID, StripeInvoiceID: si.ID, Number: si.Number, AmountCents: si.Amount,
		Currency: si.Currency, Status: si.Status, HostedURL: si.HostedURL,
		PeriodStart: si.PeriodStart, PeriodEnd: si.PeriodEnd, EventAt: e.Created,
	}
	if err := s.repo.SaveInvoice(ctx, inv); err != nil {
		return "", fmt.Errorf("save invoice %s: %w", si.ID, err)
	}
	if inv.Status == domain.InvoicePaid && inv.AmountCents > 0 {
		if err := s.decideReferral(ctx, biz); err != nil {
			return "", err
		}
	}
	to, cause := domain.SubscriptionPastDue, domain.CausePaymentFailed
	if e.Type == domain.EventPaymentSucceeded {
		to, cause = domain.SubscriptionActive, domain.CausePaymentOK
	}
	if stale || !s.ownSubscription(biz, e, to) {
		return EventStale, nil
	}
	if e.SubscriptionID != "" {
		biz.StripeSubscriptionID = e.SubscriptionID
	}
	if end := si.PeriodEnd; e.Type == domain.EventPaymentSucceeded && !end.IsZero() {
		biz.CurrentPeriodEnd = &end
	}
	return s.applyNewest(ctx, biz, e, to, cause)
}

// ownSubscription reports whether e may change biz's status: it is about
// biz's subscription (or biz has none yet, or e names none), or about a
// new subscription that is live (to is active), which replaces the old.
func (s *Subscriptions) ownSubscription(biz *domain.Business, e domain.BillingEvent, to domain.SubscriptionStatus) bool {
	cur := biz.StripeSubscriptionID
	return cur == "" || e.SubscriptionID == "" || e.SubscriptionID == cur || to == domain.SubscriptionActive
}

// applyNewest records e as the newest event applied to biz and moves biz to
// to through transition ("" keeps the status and saves the columns).
func (s *Subscriptions) applyNewest(ctx context.Context, biz *domain.Business, e domain.BillingEvent, to domain.SubscriptionStatus, cause string) (EventOutcome, error) {
	at := e.Created
	biz.LastEventAt = &at
	if to == "" {
		return EventApplied, s.repo.SaveBilling(ctx, biz.ID, biz.Billing)
	}
	return EventApplied, s.transition(ctx, biz, Change{To: to, Cause: cause, EventID: e.ID, At: s.clock()})
}
