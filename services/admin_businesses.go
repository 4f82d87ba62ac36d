package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// AdminBusinessRepo is what AdminBusinesses needs of the admin's businesses
// repository (repositories.AdminBusinesses).
type AdminBusinessRepo interface {
	Search(ctx context.Context, f domain.BusinessFilter, offset, limit int) ([]domain.BusinessRow, int64, error)
	Get(ctx context.Context, id int64) (*domain.BusinessRow, error)
	Counts(ctx context.Context, businessID int64) (products, orders int64, err error)
	Lock(ctx context.Context, id int64) (*domain.Business, error)
	SetSuspension(ctx context.Context, id int64, at *time.Time, reason string) error
	BusinessNames(ctx context.Context, ids []int64) (map[int64]string, error)
	UserEmails(ctx context.Context, ids []int64) (map[int64]string, error)
}

// AdminReferralRepo is what the business detail needs of the referrals.
type AdminReferralRepo interface {
	ByReferrer(ctx context.Context, referrerID int64) ([]domain.ReferralView, error)
	OfReferred(ctx context.Context, referredID int64) (*domain.Referral, error)
}

// AdminBusinessesPageSize is how many businesses one page of the list shows.
const AdminBusinessesPageSize = 25

// adminInvoicesShown is how many invoices the business detail lists.
const adminInvoicesShown = 24

// AdminBusinesses is the platform admin's side of the businesses: search,
// detail, and the audited actions (extend a trial, suspend, unsuspend).
// Every action runs through StoreWrites (the store's cached pages are
// purged after the commit) and records its audit entry in the same
// transaction.
type AdminBusinesses struct {
	repo      AdminBusinessRepo
	owners    OwnerRepo
	referrals AdminReferralRepo
	subs      *Subscriptions
	audit     *Audit
	writes    *StoreWrites
	clock     Clock
}

// AdminBusinessesDeps groups what NewAdminBusinesses needs.
type AdminBusinessesDeps struct {
	Repo      AdminBusinessRepo
	Owners    OwnerRepo
	Referrals AdminReferralRepo
	// Subscriptions owns the state machine a trial extension goes through.
	Subscriptions *Subscriptions
	Audit         *Audit
	Writes        *StoreWrites
	Clock         Clock
}

// NewAdminBusinesses returns the admin's businesses service.
func NewAdminBusinesses(d AdminBusinessesDeps) *AdminBusinesses {
	if d.Clock == nil {
		d.Clock = func() time.Time { return time.Now().UTC() }
	}
	return &AdminBusinesses{
		repo: d.Repo, owners: d.Owners, referrals: d.Referrals, subs: d.Subscriptions,
		audit: d.Audit, writes: d.Writes, clock: d.Clock,
	}
}

// Search returns page (from 1) of the businesses matching f, newest first.
// An unknown status or suspended value is ignored; the query is trimmed and
// cut to domain.SearchQueryMax characters.
func (s *AdminBusinesses) Search(ctx context.Context, f domain.BusinessFilter, page int) ([]domain.BusinessRow, domain.Pager, error) {
	f.Query = strings.TrimSpace(f.Query)
	if utf8.RuneCountInString(f.Query) > domain.SearchQueryMax {
		f.Query = string([]rune(f.Query)[:domain.SearchQueryMax])
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if f.Suspended != domain.SuspendedOnly && f.Suspended != domain.SuspendedNot {
		f.Suspended = ""
	}
	return domain.Paginate(page, AdminBusinessesPageSize, func(limit, offset int) ([]domain.BusinessRow, int64, error) {
		return s.repo.Search(ctx, f, offset, limit)
	})
}

// BusinessDetail is everything the admin's page of one business shows.
type BusinessDetail struct {
	domain.BusinessRow
	// Owner is nil for a store without one (seeded data).
	Owner    *domain.User
	History  []domain.SubscriptionChange
	Invoices []domain.Invoice
	// Referred are the businesses it referred, newest first.
	Referred []domain.ReferralView
	// ReferredBy is the referral that brought it and ReferrerName the
	// referrer's name; nil when it came on its own.
	ReferredBy   *domain.Referral
	ReferrerName string
	Products     int64
	Orders       int64
	// Audit is the newest page of the audit entries about it.
	Audit []domain.AuditEntry
	// CanExtendTrial says whether ExtendTrial would accept it now.
	CanExtendTrial bool
}

// Detail loads the live business id with its owner, subscription history,
// invoices, referrals, counts and audit entries.
func (s *AdminBusinesses) Detail(ctx context.Context, id int64) (*BusinessDetail, error) {
	row, err := s.repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &BusinessDetail{BusinessRow: *row}
	if d.Owner, err = s.owners.Owner(ctx, id); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("owner of business %d: %w", id, err)
	}
	if d.History, err = s.subs.History(ctx, id); err != nil {
		return nil, fmt.Errorf("history of business %d: %w", id, err)
	}
	if d.Invoices, err = s.subs.repo.Invoices(ctx, id, adminInvoicesShown); err != nil {
		return nil, fmt.Errorf("invoices of business %d: %w", id, err)
	}
	if d.Referred, err = s.referrals.ByReferrer(ctx, id); err != nil {
		return nil, fmt.Errorf("referrals of business %d: %w", id, err)
	}
	if err := s.referrer(ctx, d); err != nil {
		return nil, err
	}
	if d.Products, d.Orders, err = s.repo.Counts(ctx, id); err != nil {
		return nil, err
	}
	if d.Audit, _, err = s.audit.Page(ctx, domain.AuditFilter{TargetType: domain.AuditTargetBusiness, TargetID: id}, 1); err != nil {
		return nil, err
	}
	paid := false
	for _, inv := range d.Invoices {
		paid = paid || inv.Status == domain.InvoicePaid
	}
	d.CanExtendTrial = trialExtendable(&d.Business, d.History, paid)
	return d, nil
}

// referrer fills who referred d's business, if anyone did.
func (s *AdminBusinesses) referrer(ctx context.Context, d *BusinessDetail) error {
	ref, err := s.referrals.OfReferred(ctx, d.Business.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("referrer of business %d: %w", d.Business.ID, err)
	}
	names, err := s.repo.BusinessNames(ctx, []int64{ref.ReferrerID})
	if err != nil {
		return err
	}
	d.ReferredBy, d.ReferrerName = ref, names[ref.ReferrerID]
	return nil
}

// AuditRow is an audit entry with a label for its target (the business's
// name, the user's email), empty when the target is gone or has none.
type AuditRow struct {
	domain.AuditEntry
	TargetLabel string
}

// AuditLog returns page (from 1) of the audit log matching f, newest first,
// with its targets' labels.
func (s *AdminBusinesses) AuditLog(ctx context.Context, f domain.AuditFilter, page int) ([]AuditRow, domain.Pager, error) {
	entries, p, err := s.audit.Page(ctx, f, page)
	if err != nil {
		return nil, p, err
	}
	var bizIDs, userIDs []int64
	for _, e := range entries {
		switch e.TargetType {
		case domain.AuditTargetBusiness:
			bizIDs = append(bizIDs, e.TargetID)
		case domain.AuditTargetUser:
			userIDs = append(userIDs, e.TargetID)
		}
	}
	names, err := s.repo.BusinessNames(ctx, bizIDs)
	if err != nil {
		return nil, p, err
	}
	emails, err := s.repo.UserEmails(ctx, userIDs)
	if err != nil {
		return nil, p, err
	}
	rows := make([]AuditRow, len(entries))
	for i, e := range entries {
		rows[i] = AuditRow{AuditEntry: e}
		switch e.TargetType {
		case domain.AuditTargetBusiness:
			rows[i].TargetLabel = names[e.TargetID]
		case domain.AuditTargetUser:
			rows[i].TargetLabel = emails[e.TargetID]
		}
	}
	return rows, p, nil
}

// Rules returns the trial and grace lengths in force (whether a store is
// online depends on them).
func (s *AdminBusinesses) Rules() domain.BillingRules { return s.subs.Rules() }
