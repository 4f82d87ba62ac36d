package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// CleanupReason says why the cleanup removes a business.
type CleanupReason string

// Reasons a business is junk (see Cleanup).
const (
	CleanupDemoCopy   CleanupReason = "demo_copy"
	CleanupTestEmail  CleanupReason = "test_email"
	CleanupUnverified CleanupReason = "unverified"
)

// TestEmailDomains are the domains reserved for tests and examples (RFC
// 2606 and RFC 6761): an owner's email at one of them, or at a subdomain
// of one, is test data.
var TestEmailDomains = []string{"example.com", "example.net", "example.org", "test", "example", "invalid", "localhost"}

// IsTestEmail reports whether email's domain is, or is under, one of
// TestEmailDomains.
func IsTestEmail(email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(email[at+1:]), ".")
	for _, d := range TestEmailDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// CleanupRepo finds and deletes junk businesses (repositories.Cleanup).
type CleanupRepo interface {
	Candidates(ctx context.Context, q domain.CleanupQuery) ([]domain.CleanupCandidate, error)
	Images(ctx context.Context, businessID int64) ([]domain.Image, error)
	Count(ctx context.Context, businessID int64) (domain.CleanupCounts, error)
	// DeleteBusiness hard-deletes the business and all its rows; call it
	// in a transaction.
	DeleteBusiness(ctx context.Context, businessID int64) (domain.CleanupCounts, error)
}

// CleanupFiles deletes an image's stored files once its row is gone
// (Images.RemoveFiles).
type CleanupFiles interface {
	RemoveFiles(ctx context.Context, img *domain.Image)
}

// CleanupAudit records a run in the audit log (Audit).
type CleanupAudit interface {
	Record(ctx context.Context, actor *domain.User, action domain.AuditAction, targetType string, targetID int64, detail string) error
}

// CleanupDeps are what NewCleanup needs.
type CleanupDeps struct {
	Repo   CleanupRepo
	Files  CleanupFiles
	Writes *StoreWrites
	Audit  CleanupAudit
	Clock  Clock
	Log    *slog.Logger
	// TestData removes demo copies and test-email owners' businesses too;
	// the app sets it in production only.
	TestData bool
	// UnverifiedDays is how old an unverified sign-up must be to be removed
	// (CLEANUP_UNVERIFIED_DAYS); 0 keeps them all.
	UnverifiedDays int
}

// Cleanup removes junk businesses, with every row they own and their image
// files:
//
//   - in production only (TestData), test data: a business with the Demo
//     flag other than the canonical demo store (reason demo_copy), and a
//     business whose owner's email is at a reserved test domain, see
//     TestEmailDomains (test_email);
//   - everywhere, a business whose owner never verified their email and
//     signed up more than UnverifiedDays days ago (unverified).
//
// It never removes the canonical demo store (the business at /demo, slug
// DemoSlug), a business with a Stripe subscription (someone paid), nor one
// that referred a store still live (the referral, and with it that store's
// discount and history, would go with it; once that store is gone, so may
// the referrer).
// Each business goes in one transaction (its cached pages are purged
// after), then its image files; one that fails is logged and the others go
// on. A dry run logs what it would remove and changes nothing.
type Cleanup struct {
	repo           CleanupRepo
	files          CleanupFiles
	writes         *StoreWrites
	audit          CleanupAudit
	clock          Clock
	log            *slog.Logger
	testData       bool
	unverifiedDays int
}

// NewCleanup returns the cleanup service.
func NewCleanup(d CleanupDeps) *Cleanup {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Cleanup{
		repo: d.Repo, files: d.Files, writes: d.Writes, audit: d.Audit, clock: d.Clock, log: log,
		testData: d.TestData, unverifiedDays: d.UnverifiedDays,
	}
}

// CleanupItem is one business a run removed (or would remove).
type CleanupItem struct {
	BusinessID int64
	Slug       string
	OwnerEmail string
	Reason     CleanupReason
	Counts     domain.CleanupCounts
}

// CleanupReport is what a run did: the businesses removed (or, in a dry
// run, that would be) and how many failed.
type CleanupReport struct {
	DryRun bool
	Items  []CleanupItem
	Failed int
}

// Run removes the junk businesses, or with dryRun only lists them. It
// records one audit entry when it removed something. The error covers the
// listing and the businesses that failed (the others are removed anyway).
func (s *Cleanup) Run(ctx context.Context, dryRun bool) (CleanupReport, error) {
	rep := CleanupReport{DryRun: dryRun}
	q := domain.CleanupQuery{TestData: s.testData, EmailDomains: TestEmailDomains}
	if s.unverifiedDays > 0 {
		cutoff := s.clock().Add(-time.Duration(s.unverifiedDays) * 24 * time.Hour)
		q.UnverifiedBefore = &cutoff
	}
	cands, err := s.repo.Candidates(ctx, q)
	if err != nil {
		return rep, err
	}
	var errs []error
	seen := map[int64]bool{}
	for _, c := range cands {
		reason, ok := s.reason(c, q.UnverifiedBefore)
		if !ok || seen[c.BusinessID] {
			continue
		}
		seen[c.BusinessID] = true
		it := CleanupItem{BusinessID: c.BusinessID, Slug: c.Slug, OwnerEmail: c.OwnerEmail, Reason: reason}
		if dryRun {
			it.Counts, err = s.repo.Count(ctx, c.BusinessID)
		} else {
			it.Counts, err = s.remove(ctx, q, c.BusinessID)
		}
		if errors.Is(err, errNoChange) {
			continue // no longer junk (the owner just verified, say)
		}
		if err != nil {
			rep.Failed++
			errs = append(errs, err)
			level := slog.LevelError
			if errors.Is(err, domain.ErrUnavailable) {
				level = slog.LevelWarn // the database is away: the next run retries
			}
			s.log.Log(ctx, level, "cleanup failed", "business_id", c.BusinessID, "slug", c.Slug, "err", err)
			continue
		}
		rep.Items = append(rep.Items, it)
		msg := "cleanup removed"
		if dryRun {
			msg = "cleanup would remove"
		}
		s.log.InfoContext(ctx, msg, "business_id", it.BusinessID, "slug", it.Slug, "owner_email", it.OwnerEmail,
			"reason", it.Reason, "products", it.Counts.Products, "categories", it.Counts.Categories,
			"images", it.Counts.Images, "orders", it.Counts.Orders, "reviews", it.Counts.Reviews,
			"users", it.Counts.Users, "other_rows", it.Counts.Other)
	}
	if !dryRun && len(rep.Items) > 0 {
		if err := s.audit.Record(ctx, nil, domain.AuditCleanupRun, "", 0, rep.Summary()); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return rep, fmt.Errorf("cleanup: %d of %d businesses failed: %w", rep.Failed, rep.Failed+len(rep.Items), errors.Join(errs...))
	}
	return rep, nil
}

// reason says why c is junk, if it is (see Cleanup).
func (s *Cleanup) reason(c domain.CleanupCandidate, unverifiedBefore *time.Time) (CleanupReason, bool) {
	switch {
	case c.Slug == DemoSlug, c.StripeSubscriptionID != "", c.ReferredLive > 0:
		return "", false
	case s.testData && c.Demo:
		return CleanupDemoCopy, true
	case s.testData && IsTestEmail(c.OwnerEmail):
		return CleanupTestEmail, true
	case unverifiedBefore != nil && c.OwnerEmail != "" && c.OwnerVerifiedAt == nil &&
		c.OwnerCreatedAt != nil && c.OwnerCreatedAt.Before(*unverifiedBefore):
		return CleanupUnverified, true
	}
	return "", false
}

// remove deletes one business in a transaction, then its image files. In
// the transaction it checks again that the business is junk; errNoChange
// says it no longer is.
func (s *Cleanup) remove(ctx context.Context, q domain.CleanupQuery, businessID int64) (domain.CleanupCounts, error) {
	var imgs []domain.Image
	var counts domain.CleanupCounts
	q.BusinessID = businessID
	stillJunk := false
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		cands, err := s.repo.Candidates(ctx, q)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cands, func(c domain.CleanupCandidate) bool {
			_, ok := s.reason(c, q.UnverifiedBefore)
			return ok
		}) {
			return errNoChange // rolls back, purges nothing
		}
		stillJunk = true
		if imgs, err = s.repo.Images(ctx, businessID); err != nil {
			return err
		}
		counts, err = s.repo.DeleteBusiness(ctx, businessID)
		return err
	})
	if err != nil {
		return counts, err
	}
	if !stillJunk {
		return counts, errNoChange
	}
	for i := range imgs {
		s.files.RemoveFiles(ctx, &imgs[i])
	}
	return counts, nil
}

// Summary is the run in one line, for the audit log: how many businesses
// and rows, and each business's slug and reason.
func (r CleanupReport) Summary() string {
	var products, images, orders int64
	list := make([]string, 0, len(r.Items))
	for _, it := range r.Items {
		products += it.Counts.Products
		images += it.Counts.Images
		orders += it.Counts.Orders
		list = append(list, fmt.Sprintf("%s #%d (%s)", it.Slug, it.BusinessID, it.Reason))
	}
	verb := "removed"
	if r.DryRun {
		verb = "would remove"
	}
	return fmt.Sprintf("%s %d businesses (%d products, %d images, %d orders): %s",
		verb, len(r.Items), products, images, orders, strings.Join(list, ", "))
}
