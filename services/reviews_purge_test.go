package services_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// A moderation purges the store's pages when it changed a review, and
// not when the review already had that status.
func TestReviewModerationPurgesOnlyAChange(t *testing.T) {
	ctx := context.Background()
	a := testkit.NewApp(t)
	biz := a.CreateOwner("tienda-a").Business.ID
	rv := a.Review(biz, "Ana", 5, testkit.Comment("Rico"))
	p := &testkit.Purges{}
	svc := services.NewReviews(a.Repos.Reviews, p.Writes(a.DB), a.Clock.Now)
	for i, want := range []int{1, 1} {
		if err := svc.Moderate(ctx, biz, rv.ID, domain.ReviewApproved); err != nil {
			t.Fatal(err)
		}
		if p.Count(biz) != want {
			t.Fatalf("moderation %d: %d purges, want %d", i+1, p.Count(biz), want)
		}
	}
	if n, err := svc.ModerateMany(ctx, biz, []int64{rv.ID}, domain.ReviewApproved); err != nil || n != 0 || p.Count(biz) != 1 {
		t.Fatalf("bulk no-op: n=%d err=%v purges=%d", n, err, p.Count(biz))
	}
	if n, err := svc.ModerateMany(ctx, biz, []int64{rv.ID}, domain.ReviewRejected); err != nil || n != 1 || p.Count(biz) != 2 {
		t.Fatalf("bulk change: n=%d err=%v purges=%d", n, err, p.Count(biz))
	}
}
