package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qubly/qubly/domain"
)

// ReviewRepo is what Reviews needs of the reviews repository.
type ReviewRepo interface {
	List(ctx context.Context, businessID int64, status domain.ReviewStatus, limit, offset int) ([]domain.Review, int64, error)
	StatusCounts(ctx context.Context, businessID int64) (map[domain.ReviewStatus]int64, error)
	Get(ctx context.Context, businessID, reviewID int64) (*domain.Review, error)
	GetMany(ctx context.Context, businessID int64, ids []int64) ([]domain.Review, error)
	SetStatus(ctx context.Context, businessID, reviewID int64, from, to domain.ReviewStatus, at time.Time) (bool, error)
	AdjustRating(ctx context.Context, businessID int64, count, sum int) error
}

// ReviewsPerPage is how many reviews a moderation page lists.
const ReviewsPerPage = 20

// MaxBulkReviews bounds how many reviews one bulk action may change.
const MaxBulkReviews = 200

// moderationAttempts bounds how often a status change is retried when a
// concurrent moderation changed the review between read and write.
const moderationAttempts = 3

// Reviews is the owner's moderation of shoppers' reviews. Approved reviews
// count in the store's rating (businesses.rating_count / rating_sum), which
// changes in the same transaction as the review's status.
type Reviews struct {
	repo   ReviewRepo
	writes *StoreWrites
	clock  Clock
}

// NewReviews returns the review moderation service.
func NewReviews(repo ReviewRepo, writes *StoreWrites, clock Clock) *Reviews {
	return &Reviews{repo: repo, writes: writes, clock: clock}
}

// ReviewPage is one page of a moderation tab.
type ReviewPage struct {
	Status  domain.ReviewStatus
	Reviews []domain.Review
	// Counts is how many reviews each status has (missing means 0).
	Counts map[domain.ReviewStatus]int64
	domain.Pager
}

// ParseReviewStatus reads a tab name; anything unknown is pending.
func ParseReviewStatus(s string) domain.ReviewStatus {
	if st := domain.ReviewStatus(s); st.Valid() {
		return st
	}
	return domain.ReviewPending
}

// List returns page (from 1) of businessID's reviews in status, newest
// first, with the count of every tab. A page past the end shows the last one.
func (s *Reviews) List(ctx context.Context, businessID int64, status domain.ReviewStatus, page int) (*ReviewPage, error) {
	if !status.Valid() {
		status = domain.ReviewPending
	}
	counts, err := s.repo.StatusCounts(ctx, businessID)
	if err != nil {
		return nil, err
	}
	// The tab's count places the page, so a page past the end costs no
	// second query.
	pg := domain.NewPager(page, counts[status], ReviewsPerPage)
	list, total, err := s.repo.List(ctx, businessID, status, pg.Size, pg.Offset())
	if err != nil {
		return nil, err
	}
	counts[status], pg.Total = total, total
	return &ReviewPage{Status: status, Reviews: list, Counts: counts, Pager: pg}, nil
}

// errBadModeration is the field error for a target status other than
// approved or rejected.
func errBadModeration() error { return domain.NewFieldError("status", "reviews.error.status") }

// moderationTarget reports whether an owner may move a review to s.
func moderationTarget(s domain.ReviewStatus) bool {
	return s == domain.ReviewApproved || s == domain.ReviewRejected
}

// ratingDelta is what moving a review with rating stars from old to next
// changes in the store's approved-review aggregates.
func ratingDelta(old, next domain.ReviewStatus, rating int) (count, sum int) {
	switch {
	case old != domain.ReviewApproved && next == domain.ReviewApproved:
		return 1, rating
	case old == domain.ReviewApproved && next != domain.ReviewApproved:
		return -1, -rating
	}
	return 0, 0
}

// Moderate moves businessID's review to status (approved or rejected) and
// updates the store's rating in the same transaction. Another store's review
// is domain.ErrNotFound; moving a review to the status it has changes nothing.
func (s *Reviews) Moderate(ctx context.Context, businessID, reviewID int64, status domain.ReviewStatus) error {
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		// Look the review up first so a foreign ID is 404 whatever the form says.
		rv, err := s.repo.Get(ctx, businessID, reviewID)
		if err != nil {
			return err
		}
		if !moderationTarget(status) {
			return errBadModeration()
		}
		var d ratingChange
		changed, err := s.move(ctx, businessID, rv, status, &d)
		if err != nil {
			return err
		}
		if !changed {
			return errNoChange
		}
		return s.repo.AdjustRating(ctx, businessID, d.count, d.sum)
	})
	if err != nil {
		return fmt.Errorf("moderate review %d: %w", reviewID, err)
	}
	return nil
}

// ModerateMany moves those of ids that are businessID's reviews to status,
// in one transaction, and returns how many changed. IDs of other stores or
// of missing reviews are ignored.
func (s *Reviews) ModerateMany(ctx context.Context, businessID int64, ids []int64, status domain.ReviewStatus) (int, error) {
	if !moderationTarget(status) {
		return 0, errBadModeration()
	}
	if len(ids) == 0 {
		return 0, domain.NewFieldError("ids", "reviews.error.none_selected")
	}
	if len(ids) > MaxBulkReviews {
		return 0, domain.NewFieldError("ids", "reviews.error.too_many")
	}
	n := 0
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		list, err := s.repo.GetMany(ctx, businessID, ids)
		if err != nil {
			return err
		}
		var d ratingChange
		for i := range list {
			changed, err := s.move(ctx, businessID, &list[i], status, &d)
			if err != nil {
				return err
			}
			if changed {
				n++
			}
		}
		if n == 0 {
			return errNoChange
		}
		return s.repo.AdjustRating(ctx, businessID, d.count, d.sum)
	})
	if err != nil {
		return 0, fmt.Errorf("moderate %d reviews: %w", len(ids), err)
	}
	return n, nil
}

// ratingChange accumulates what a transaction's status changes do to the
// store's approved-review aggregates, applied once at its end.
type ratingChange struct{ count, sum int }

// move changes rv to status with a compare-and-set on its current status
// and adds the rating delta of that exact transition to d. When a concurrent
// moderation won the race, it reloads the review and tries again.
//
// Lock order: a transaction updates reviews in ID order and the business row
// last, so concurrent moderations of one store cannot deadlock on PostgreSQL.
func (s *Reviews) move(ctx context.Context, businessID int64, rv *domain.Review, status domain.ReviewStatus, d *ratingChange) (bool, error) {
	now := s.clock().UTC()
	for range moderationAttempts {
		if rv.Status == status {
			return false, nil
		}
		ok, err := s.repo.SetStatus(ctx, businessID, rv.ID, rv.Status, status, now)
		if err != nil {
			return false, err
		}
		if ok {
			count, sum := ratingDelta(rv.Status, status, rv.Rating)
			d.count += count
			d.sum += sum
			rv.Status = status
			return true, nil
		}
		fresh, err := s.repo.Get(ctx, businessID, rv.ID)
		if errors.Is(err, domain.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		*rv = *fresh
	}
	return false, fmt.Errorf("review %d kept changing: %w", rv.ID, domain.ErrConflict)
}
