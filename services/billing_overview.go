package services

import (
	"context"
	"time"

	"github.com/qubly/qubly/domain"
)

// BillingState is where a business stands, as its dashboard shows it.
type BillingState struct {
	Status domain.SubscriptionStatus
	// TrialDaysLeft counts the started days left in a trial (0 once over).
	TrialDaysLeft int
	TrialEndsAt   *time.Time
	// GraceEndsAt is when a past_due store goes offline; nil otherwise.
	GraceEndsAt *time.Time
	// NextCharge is the end of the paid period; nil before the first one.
	NextCharge        *time.Time
	CancelAtPeriodEnd bool
	// Online tells whether shoppers see the store now.
	Online bool
	// ReadOnly is a cancelled subscription: the dashboard changes nothing.
	ReadOnly bool
	// Demo stores have no subscription.
	Demo bool
}

// State is biz's subscription now, for the dashboard.
func (s *Billing) State(biz *domain.Business) BillingState {
	now := s.clock()
	b := &biz.Billing
	st := BillingState{
		Status: b.SubscriptionStatus, TrialEndsAt: b.TrialEndsAt, NextCharge: b.CurrentPeriodEnd,
		CancelAtPeriodEnd: b.CancelAtPeriodEnd, Online: biz.Online(now, s.billingRules()),
		ReadOnly: !biz.Demo && b.ReadOnly(), Demo: biz.Demo,
	}
	if b.SubscriptionStatus == domain.SubscriptionTrial {
		st.TrialDaysLeft = b.TrialDaysLeft(now)
	}
	if b.SubscriptionStatus == domain.SubscriptionPastDue && b.PastDueSince != nil {
		end := b.GraceEndsAt(s.billingRules())
		st.GraceEndsAt = &end
	}
	return st
}

// BillingOverview is what the billing page shows.
type BillingOverview struct {
	BillingState
	// PriceCents is the monthly price of the plan.
	PriceCents domain.Money
	// HasCustomer tells whether the portal can be opened.
	HasCustomer bool
	// PaymentsOn is false when Stripe is not configured.
	PaymentsOn bool
	Invoices   []domain.Invoice
	History    []domain.SubscriptionChange
}

// billingInvoicesShown bounds the invoices on the billing page (two years
// of monthly ones); older ones are in the customer portal.
const billingInvoicesShown = 24

// Overview is businessID's subscription, invoices and history.
func (s *Billing) Overview(ctx context.Context, businessID int64) (*BillingOverview, error) {
	biz, err := s.repo.Business(ctx, businessID)
	if err != nil {
		return nil, err
	}
	o := &BillingOverview{
		BillingState: s.State(biz), PriceCents: s.priceCents,
		HasCustomer: biz.StripeCustomerID != "", PaymentsOn: s.PaymentsOn(),
	}
	if o.Invoices, err = s.repo.Invoices(ctx, businessID, billingInvoicesShown); err != nil {
		return nil, err
	}
	if o.History, err = s.repo.History(ctx, businessID); err != nil {
		return nil, err
	}
	return o, nil
}
