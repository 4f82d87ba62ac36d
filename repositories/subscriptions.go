package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Subscriptions stores each business's subscription (the Billing columns
// of businesses), its history, the applied Stripe events and the invoices.
type Subscriptions struct{ db *gorm.DB }

// NewSubscriptions returns the subscriptions repository.
func NewSubscriptions(db *gorm.DB) *Subscriptions { return &Subscriptions{db: db} }

// billingColumns are the columns SaveBilling writes.
var billingColumns = []string{
	"subscription_status", "trial_ends_at", "trial_reminded_at", "past_due_since",
	"current_period_end", "cancel_at_period_end", "stripe_customer_id",
	"stripe_subscription_id", "last_event_at", "updated_at",
}

// Business loads a business (deleted ones too: Stripe may still write
// about them). Inside a transaction on PostgreSQL the row stays locked until
// it ends, so changes to one subscription run one after the other (SQLite
// has a single writer already).
func (r *Subscriptions) Business(ctx context.Context, businessID int64) (*domain.Business, error) {
	return r.lockedBusiness(ctx, "id = ?", businessID)
}

// BusinessByCustomer is Business for the business whose Stripe customer is
// customerID; an unknown customer is domain.ErrNotFound.
func (r *Subscriptions) BusinessByCustomer(ctx context.Context, customerID string) (*domain.Business, error) {
	if customerID == "" {
		return nil, domain.ErrNotFound
	}
	return r.lockedBusiness(ctx, "stripe_customer_id = ?", customerID)
}

// BusinessByStripe is BusinessByCustomer that, when businesses share the
// customer, prefers the one whose Stripe subscription is subscriptionID.
func (r *Subscriptions) BusinessByStripe(ctx context.Context, customerID, subscriptionID string) (*domain.Business, error) {
	if customerID == "" {
		return nil, domain.ErrNotFound
	}
	return r.lockedBusiness(ctx, "stripe_customer_id = ?", customerID, clause.OrderBy{Expression: clause.Expr{
		SQL: "CASE WHEN stripe_subscription_id = ? THEN 0 ELSE 1 END, id", Vars: []any{subscriptionID},
	}})
}

func (r *Subscriptions) lockedBusiness(ctx context.Context, where string, arg any, order ...clause.OrderBy) (*domain.Business, error) {
	db := conn(ctx, r.db).Unscoped()
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if len(order) > 0 {
		db = db.Clauses(order[0])
	} else {
		db = db.Order("id")
	}
	var b domain.Business
	if err := db.Where(where, arg).Take(&b).Error; err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
}

// SaveBilling writes b's subscription columns (and nothing else of b).
func (r *Subscriptions) SaveBilling(ctx context.Context, businessID int64, b domain.Billing) error {
	res := conn(ctx, r.db).Unscoped().Model(&domain.Business{}).Where("id = ?", businessID).
		Select(billingColumns).Updates(&domain.Business{Billing: b, UpdatedAt: clockNow(r.db)})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// AddChange records an applied transition.
func (r *Subscriptions) AddChange(ctx context.Context, c *domain.SubscriptionChange) error {
	return mapErr(conn(ctx, r.db).Create(c).Error)
}

// History lists businessID's subscription changes, newest first.
func (r *Subscriptions) History(ctx context.Context, businessID int64) ([]domain.SubscriptionChange, error) {
	var cs []domain.SubscriptionChange
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("created_at DESC, id DESC").Find(&cs).Error
	return cs, mapErr(err)
}

// MarkEvent records that e was applied and reports whether it is new: a
// replayed event (its ID already recorded) is false and changes nothing.
// Call it in the transaction of the event's effect, so both commit or
// neither; on PostgreSQL a concurrent delivery of the same event waits for
// the first one's transaction and then finds it recorded.
func (r *Subscriptions) MarkEvent(ctx context.Context, e *domain.StripeEvent) (bool, error) {
	res := conn(ctx, r.db).Clauses(clause.OnConflict{DoNothing: true}).Create(e)
	if res.Error != nil {
		return false, mapErr(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SaveInvoice stores inv, or updates the stored invoice with the same
// Stripe ID from an event not older than the one it was last updated from;
// a paid invoice stays paid.
func (r *Subscriptions) SaveInvoice(ctx context.Context, inv *domain.Invoice) error {
	db := conn(ctx, r.db)
	var old domain.Invoice
	err := db.Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("stripe_invoice_id = ?", inv.StripeInvoiceID).Take(&old).Error
	switch {
	case err == gorm.ErrRecordNotFound:
		return mapErr(db.Create(inv).Error)
	case err != nil:
		return mapErr(err)
	case old.BusinessID != inv.BusinessID || inv.EventAt.Before(old.EventAt) || old.Status == domain.InvoicePaid:
		*inv = old
		return nil
	}
	inv.ID, inv.CreatedAt = old.ID, old.CreatedAt
	return mapErr(db.Select("*").Omit("created_at").Updates(inv).Error)
}

// Invoices lists businessID's invoices, newest period first.
func (r *Subscriptions) Invoices(ctx context.Context, businessID int64, limit int) ([]domain.Invoice, error) {
	var is []domain.Invoice
	err := conn(ctx, r.db).Where("business_id = ?", businessID).
		Order("period_start DESC, id DESC").Limit(limit).Find(&is).Error
	return is, mapErr(err)
}

// PaidInvoices counts businessID's paid invoices.
func (r *Subscriptions) PaidInvoices(ctx context.Context, businessID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Invoice{}).
		Where("business_id = ? AND status = ?", businessID, domain.InvoicePaid).Count(&n).Error
	return n, mapErr(err)
}

// TrialsEndedBy lists the live, non-demo businesses whose trial ended
// before now and that are still in trial.
func (r *Subscriptions) TrialsEndedBy(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := conn(ctx, r.db).Model(&domain.Business{}).
		Where("subscription_status = ? AND demo = ? AND trial_ends_at <= ?", domain.SubscriptionTrial, false, now).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, mapErr(err)
}

// TrialsEndingBy lists the live, non-demo businesses in trial whose trial
// ends before by and that have not been reminded yet.
func (r *Subscriptions) TrialsEndingBy(ctx context.Context, by time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := conn(ctx, r.db).Model(&domain.Business{}).
		Where("subscription_status = ? AND demo = ? AND trial_ends_at <= ? AND trial_reminded_at IS NULL",
			domain.SubscriptionTrial, false, by).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, mapErr(err)
}
