package dashboard_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

func reviewStatus(t *testing.T, a *testkit.App, id int64) domain.ReviewStatus {
	t.Helper()
	var rv domain.Review
	if err := a.DB.First(&rv, id).Error; err != nil {
		t.Fatal(err)
	}
	return rv.Status
}

// rating returns the business's stored approved-review aggregates.
func rating(t *testing.T, a *testkit.App, biz int64) (count, sum int) {
	t.Helper()
	b, err := a.Repos.Businesses.Get(context.Background(), biz)
	if err != nil {
		t.Fatal(err)
	}
	return b.RatingCount, b.RatingSum
}

// approvedRating recomputes the aggregates from the reviews, to compare.
func approvedRating(t *testing.T, a *testkit.App, biz int64) (count, sum int) {
	t.Helper()
	var row struct{ N, S int }
	err := a.DB.Model(&domain.Review{}).Select("COUNT(*) AS n, COALESCE(SUM(rating), 0) AS s").
		Where("business_id = ? AND status = ?", biz, domain.ReviewApproved).Scan(&row).Error
	if err != nil {
		t.Fatal(err)
	}
	return row.N, row.S
}

func wantRating(t *testing.T, a *testkit.App, biz int64, count, sum int) {
	t.Helper()
	c, s := rating(t, a, biz)
	if c != count || s != sum {
		t.Fatalf("rating = %d reviews / %d stars, want %d / %d", c, s, count, sum)
	}
	if ac, as := approvedRating(t, a, biz); ac != c || as != s {
		t.Fatalf("stored rating %d/%d disagrees with approved reviews %d/%d", c, s, ac, as)
	}
}

var tabCount = regexp.MustCompile(`status=(pending|approved|rejected)"(?: aria-current="page")?>[^<]*<span class="badge">(\d+)</span>`)

// tabCounts reads the count badge of each tab.
func tabCounts(body string) map[string]string {
	out := map[string]string{}
	for _, m := range tabCount.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestReviewsTabsListAndModeration(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	biz := o.Business.ID
	now := a.Clock.Now()
	older := a.Review(biz, "Ana Vieja", 4, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now.Add(-48*time.Hour)))
	newer := a.Review(biz, "Beto Nuevo", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	a.Review(biz, "Carla Aprobada", 3, testkit.ReviewStatus(domain.ReviewApproved), testkit.CreatedAt(now.Add(-72*time.Hour)))
	a.Review(biz, "Dani Rechazada", 1, testkit.ReviewStatus(domain.ReviewRejected), testkit.CreatedAt(now.Add(-96*time.Hour)))
	// Stored aggregates start consistent with the approved review above.
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", biz).
		Updates(map[string]any{"rating_count": 1, "rating_sum": 3}).Error; err != nil {
		t.Fatal(err)
	}

	c := a.Client()
	c.Login(o.Email, o.Password)
	r := c.Get("/dashboard/reviews")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("list: %d\n%s", r.StatusCode, r.Body)
	}
	if got := tabCounts(r.Body); got["pending"] != "2" || got["approved"] != "1" || got["rejected"] != "1" {
		t.Fatalf("tab counts %v", got)
	}
	iNew, iOld := strings.Index(r.Body, "Beto Nuevo"), strings.Index(r.Body, "Ana Vieja")
	if iNew < 0 || iOld < 0 || iNew > iOld {
		t.Fatalf("pending tab not newest first (Beto at %d, Ana at %d)", iNew, iOld)
	}
	for _, want := range []string{
		`action="/dashboard/reviews/bulk"`, fmt.Sprintf(`name="ids[]" value="%d"`, older.ID),
		fmt.Sprintf(`formaction="/dashboard/reviews/%d/status" name="status" value="approved"`, newer.ID),
		fmt.Sprintf(`formaction="/dashboard/reviews/%d/status" name="status" value="rejected"`, newer.ID),
		`name="status" value="approved"`, "Aprobar seleccionadas", "Rechazar seleccionadas", "★★★★★",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("pending tab lacks %s", want)
		}
	}
	if strings.Contains(r.Body, "Carla Aprobada") || strings.Contains(r.Body, "Dani Rechazada") {
		t.Fatal("pending tab shows other statuses")
	}
	// 2026-03-02 15:04 UTC is 09:04 in Mexico City (the store's zone).
	if !strings.Contains(r.Body, "2 mar 2026, 09:04") {
		t.Fatal("date not shown in the store's time zone")
	}
	if r := c.Get("/dashboard/reviews?status=approved"); !strings.Contains(r.Body, "Carla Aprobada") || strings.Contains(r.Body, "Beto Nuevo") {
		t.Fatal("approved tab")
	}

	// Approve one: it leaves the pending tab and counts in the average.
	a.Cache.Set(biz, "probe", 1)
	r = c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", newer.ID), url.Values{
		"status": {"approved"}, "back": {"/dashboard/reviews?status=pending"},
	})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/reviews?status=pending" {
		t.Fatalf("approve: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if s := reviewStatus(t, a, newer.ID); s != domain.ReviewApproved {
		t.Fatalf("status %s", s)
	}
	wantRating(t, a, biz, 2, 8)
	if _, ok := a.Cache.Get(biz, "probe"); ok {
		t.Fatal("store cache not purged after moderation")
	}
	r = c.Get("/dashboard/reviews?status=pending")
	if !strings.Contains(r.Body, "Reseña aprobada") {
		t.Fatal("no confirmation shown")
	}
	if got := tabCounts(r.Body); got["pending"] != "1" || got["approved"] != "2" {
		t.Fatalf("tab counts after approve %v", got)
	}
	if strings.Contains(r.Body, "Beto Nuevo") {
		t.Fatal("approved review still in the pending tab")
	}
	if !strings.Contains(r.Body, "4.0 de 5 (2 reseñas aprobadas)") {
		t.Fatal("average not shown")
	}

	// Reject the other: a pending review never counted, so nothing changes.
	r = c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", older.ID), url.Values{"status": {"rejected"}})
	if r.StatusCode != http.StatusSeeOther || reviewStatus(t, a, older.ID) != domain.ReviewRejected {
		t.Fatalf("reject: %d", r.StatusCode)
	}
	wantRating(t, a, biz, 2, 8)

	// Not a moderation status: refused, nothing changes.
	for _, bad := range []string{"pending", "confirmed", ""} {
		r = c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", newer.ID), url.Values{"status": {bad}})
		if r.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %q: %d", bad, r.StatusCode)
		}
	}
	if reviewStatus(t, a, newer.ID) != domain.ReviewApproved {
		t.Fatal("bad status changed the review")
	}
	wantRating(t, a, biz, 2, 8)
	// Unknown review: 404.
	if r := c.PostForm("/dashboard/reviews/999999/status", url.Values{"status": {"approved"}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown review: %d", r.StatusCode)
	}
}

func TestReviewRatingThroughStatusSequences(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	biz := o.Business.ID
	rv4 := a.Review(biz, "Cuatro", 4, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(a.Clock.Now()))
	rv2 := a.Review(biz, "Dos", 2, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(a.Clock.Now()))
	c := a.Client()
	c.Login(o.Email, o.Password)
	set := func(rv *domain.Review, status string) {
		t.Helper()
		r := c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", rv.ID), url.Values{"status": {status}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s → %s: %d", rv.AuthorName, status, r.StatusCode)
		}
	}
	steps := []struct {
		rv         *domain.Review
		status     string
		count, sum int
	}{
		{rv4, "approved", 1, 4}, // pending → approved: +
		{rv4, "approved", 1, 4}, // approved again: no change, no double count
		{rv2, "approved", 2, 6},
		{rv4, "rejected", 1, 2}, // approved → rejected: −
		{rv4, "rejected", 1, 2},
		{rv4, "approved", 2, 6}, // rejected → approved: +
		{rv2, "rejected", 1, 4},
		{rv4, "rejected", 0, 0},
		{rv2, "approved", 1, 2},
	}
	for i, s := range steps {
		set(s.rv, s.status)
		c, sum := rating(t, a, biz)
		if c != s.count || sum != s.sum {
			t.Fatalf("step %d (%s → %s): rating %d/%d, want %d/%d", i, s.rv.AuthorName, s.status, c, sum, s.count, s.sum)
		}
	}
	wantRating(t, a, biz, 1, 2)
	if r := c.Get("/dashboard/reviews?status=approved"); !strings.Contains(r.Body, "2.0 de 5 (1 reseña aprobada)") {
		t.Fatal("average on the page")
	}
}

func TestReviewsBulk(t *testing.T) {
	a := testkit.NewApp(t)
	oa, ob := a.CreateOwner("tienda-a"), a.CreateOwner("tienda-b")
	now := a.Clock.Now()
	p1 := a.Review(oa.Business.ID, "Uno", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	p2 := a.Review(oa.Business.ID, "Dos", 3, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	p3 := a.Review(oa.Business.ID, "Tres", 1, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	foreign := a.Review(ob.Business.ID, "Ajena", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))

	c := a.Client()
	c.Login(oa.Email, oa.Password)
	back := "/dashboard/reviews?status=pending&page=1"
	// A value that is not an ID: refused, nothing changes.
	r := c.PostForm("/dashboard/reviews/bulk", url.Values{
		"ids[]": {fmt.Sprint(p1.ID), "nope"}, "status": {"approved"}, "back": {back},
	})
	if r.StatusCode != http.StatusNotFound || reviewStatus(t, a, p1.ID) != domain.ReviewPending {
		t.Fatalf("bulk with a bad ID: %d", r.StatusCode)
	}
	r = c.PostForm("/dashboard/reviews/bulk", url.Values{
		"ids[]":  {fmt.Sprint(p1.ID), fmt.Sprint(p2.ID), fmt.Sprint(foreign.ID)},
		"status": {"approved"}, "back": {back},
	})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != back {
		t.Fatalf("bulk approve: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if reviewStatus(t, a, p1.ID) != domain.ReviewApproved || reviewStatus(t, a, p2.ID) != domain.ReviewApproved ||
		reviewStatus(t, a, p3.ID) != domain.ReviewPending {
		t.Fatal("bulk approve did not change exactly the ticked reviews")
	}
	if reviewStatus(t, a, foreign.ID) != domain.ReviewPending {
		t.Fatal("another store's review changed")
	}
	wantRating(t, a, oa.Business.ID, 2, 8)
	wantRating(t, a, ob.Business.ID, 0, 0)
	if got := tabCounts(c.Get("/dashboard/reviews").Body); got["pending"] != "1" || got["approved"] != "2" || got["rejected"] != "0" {
		t.Fatalf("tab counts %v", got)
	}

	// Bulk reject mixes an approved and a pending review.
	r = c.PostForm("/dashboard/reviews/bulk", url.Values{
		"ids[]": {fmt.Sprint(p1.ID), fmt.Sprint(p3.ID)}, "status": {"rejected"},
	})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bulk reject: %d", r.StatusCode)
	}
	if reviewStatus(t, a, p1.ID) != domain.ReviewRejected || reviewStatus(t, a, p3.ID) != domain.ReviewRejected {
		t.Fatal("bulk reject")
	}
	wantRating(t, a, oa.Business.ID, 1, 3)

	// Nothing ticked: a message, no change.
	r = c.PostForm("/dashboard/reviews/bulk", url.Values{"status": {"approved"}, "back": {back}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("empty bulk: %d", r.StatusCode)
	}
	if r := c.Get(back); !strings.Contains(r.Body, "Marca al menos una reseña") {
		t.Fatal("empty selection not explained")
	}
	// A bad status is refused.
	if r := c.PostForm("/dashboard/reviews/bulk", url.Values{"ids[]": {fmt.Sprint(p2.ID)}, "status": {"pending"}}); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bulk bad status: %d", r.StatusCode)
	}
	wantRating(t, a, oa.Business.ID, 1, 3)

	// Only foreign IDs: nothing of B's changes.
	r = c.PostForm("/dashboard/reviews/bulk", url.Values{"ids[]": {fmt.Sprint(foreign.ID)}, "status": {"rejected"}})
	if r.StatusCode != http.StatusSeeOther || reviewStatus(t, a, foreign.ID) != domain.ReviewPending {
		t.Fatalf("foreign-only bulk: %d", r.StatusCode)
	}
	wantRating(t, a, ob.Business.ID, 0, 0)
}

func TestReviewOfAnotherStoreIsNotFound(t *testing.T) {
	a := testkit.NewApp(t)
	oa, ob := a.CreateOwner("tienda-a"), a.CreateOwner("tienda-b")
	rv := a.Review(ob.Business.ID, "Reseña de B", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(a.Clock.Now()))
	c := a.Client()
	c.Login(oa.Email, oa.Password)
	for _, status := range []string{"approved", "rejected"} {
		r := c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", rv.ID), url.Values{"status": {status}})
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s B's review as A: %d", status, r.StatusCode)
		}
	}
	if reviewStatus(t, a, rv.ID) != domain.ReviewPending {
		t.Fatal("B's review changed")
	}
	wantRating(t, a, ob.Business.ID, 0, 0)
	if r := c.Get("/dashboard/reviews"); strings.Contains(r.Body, "Reseña de B") {
		t.Fatal("A sees B's review")
	}
}

func TestReviewsPagination(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	start := a.Clock.Now()
	for i := 1; i <= 25; i++ {
		a.Review(o.Business.ID, fmt.Sprintf("Autor %02d", i), 4, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(start.Add(time.Duration(i)*time.Minute)))
	}
	c := a.Client()
	c.Login(o.Email, o.Password)
	p1 := c.Get("/dashboard/reviews?status=pending")
	if !strings.Contains(p1.Body, "Autor 25") || !strings.Contains(p1.Body, "Autor 06") || strings.Contains(p1.Body, "Autor 05") {
		t.Fatal("page 1 should hold the 20 newest")
	}
	if !strings.Contains(p1.Body, "Página 1 de 2") || !strings.Contains(p1.Body, `href="/dashboard/reviews?page=2&amp;status=pending"`) {
		t.Fatal("pagination links")
	}
	p2 := c.Get("/dashboard/reviews?status=pending&page=2")
	if !strings.Contains(p2.Body, "Autor 05") || !strings.Contains(p2.Body, "Autor 01") || strings.Contains(p2.Body, "Autor 06") {
		t.Fatal("page 2 should hold the 5 oldest")
	}
	// Past the end shows the last page.
	if p := c.Get("/dashboard/reviews?status=pending&page=9"); !strings.Contains(p.Body, "Autor 01") || !strings.Contains(p.Body, "Página 2 de 2") {
		t.Fatal("page past the end")
	}
}

func TestDemoRatingMatchesApprovedReviews(t *testing.T) {
	a := testkit.NewApp(t)
	if _, err := a.Demo.Seed(context.Background(), "demo-password"); err != nil {
		t.Fatal(err)
	}
	b, err := a.Repos.Businesses.GetBySlug(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	count, sum := approvedRating(t, a, b.ID)
	if count != 13 || b.RatingCount != count || b.RatingSum != sum {
		t.Fatalf("demo rating %d/%d, approved reviews %d/%d", b.RatingCount, b.RatingSum, count, sum)
	}
}

// TestConcurrentModerationKeepsTheRatingExact moderates the same reviews
// from many goroutines at once; whatever the interleaving, the stored rating
// must equal the approved reviews.
func TestConcurrentModerationKeepsTheRatingExact(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	biz := o.Business.ID
	svc := services.NewReviews(a.Repos.Reviews, services.NewStoreWrites(repositories.NewTransactor(a.DB), a.Cache), a.Clock.Now)
	var ids []int64
	for i := 1; i <= 3; i++ {
		ids = append(ids, a.Review(biz, fmt.Sprintf("R%d", i), i+2, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(a.Clock.Now())).ID)
	}
	var wg sync.WaitGroup
	var succeeded atomic.Int64
	errs := make(chan error, 40)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				status := domain.ReviewApproved
				if (g+i)%2 == 1 {
					status = domain.ReviewRejected
				}
				var err error
				if i%2 == 0 {
					err = svc.Moderate(context.Background(), biz, ids[(g+i)%len(ids)], status)
				} else {
					_, err = svc.ModerateMany(context.Background(), biz, ids, status)
				}
				if err == nil {
					succeeded.Add(1)
				} else if !errors.Is(err, domain.ErrConflict) {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("moderate: %v", err)
	}
	if succeeded.Load() == 0 {
		t.Fatal("no moderation succeeded: every call conflicted")
	}
	c, s := rating(t, a, biz)
	if ac, as := approvedRating(t, a, biz); ac != c || as != s {
		t.Fatalf("stored rating %d/%d, approved reviews %d/%d", c, s, ac, as)
	}
	// Which status each review ends with depends on the race; approving
	// them all afterwards must still land on exact aggregates.
	if _, err := svc.ModerateMany(context.Background(), biz, ids, domain.ReviewApproved); err != nil {
		t.Fatal(err)
	}
	c, s = rating(t, a, biz)
	ac, as := approvedRating(t, a, biz)
	if ac != 3 || as != 3+4+5 || ac != c || as != s {
		t.Fatalf("after approving all: stored rating %d/%d, approved reviews %d/%d, want 3/12", c, s, ac, as)
	}
}
