package dashboard

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Reviews serves review moderation at /dashboard/reviews.
type Reviews struct{ reviews *services.Reviews }

// NewReviews returns the reviews handler.
func NewReviews(reviews *services.Reviews) *Reviews { return &Reviews{reviews: reviews} }

// Register mounts the routes on r.
func (h *Reviews) Register(r fiber.Router) {
	r.Get("/reviews", h.list)
	r.Post("/reviews/bulk", h.bulk)
	r.Post("/reviews/:reviewID/status", h.setStatus)
}

// reviewTabs are the moderation tabs in display order.
var reviewTabs = []domain.ReviewStatus{domain.ReviewPending, domain.ReviewApproved, domain.ReviewRejected}

// reviewRow is a review as the moderation page shows it.
type reviewRow struct {
	domain.Review
	// Date is the creation time in the store's time zone, formatted for
	// the reader's language; DateISO goes in <time datetime>.
	Date, DateISO string
	Stars         []bool
}

func (h *Reviews) list(c *fiber.Ctx) error {
	biz := Business(c)
	status := services.ParseReviewStatus(c.Query("status"))
	pg, err := h.reviews.List(c.UserContext(), biz.ID, status, c.QueryInt("page", 1))
	if err != nil {
		return err
	}
	loc := biz.Location()
	lang := web.Lang(c)
	rows := make([]reviewRow, len(pg.Reviews))
	for i, rv := range pg.Reviews {
		at := rv.CreatedAt.In(loc)
		stars := make([]bool, 5)
		for s := range stars {
			stars[s] = s < rv.Rating
		}
		rows[i] = reviewRow{Review: rv, Date: web.DateTime(at, lang), DateISO: at.Format(time.RFC3339), Stars: stars}
	}
	self := reviewsURL(status, pg.Page)
	return page(c, fiber.StatusOK, "dashboard/reviews", "reviews", fiber.Map{
		"Title": web.L(c).T("reviews.title"), "Tabs": reviewTabs, "Page": pg, "Rows": rows,
		"Self": self, "PrevURL": reviewsURL(status, pg.PrevPage()), "NextURL": reviewsURL(status, pg.NextPage()),
		"Average": strconv.FormatFloat(biz.RatingAverage(), 'f', 1, 64),
	})
}

func (h *Reviews) setStatus(c *fiber.Ctx) error {
	id, err := paramID(c, "reviewID")
	if err != nil {
		return err
	}
	status := domain.ReviewStatus(c.FormValue("status"))
	if err := h.reviews.Moderate(c.UserContext(), BusinessID(c), id, status); err != nil {
		return err
	}
	web.SetFlash(c, "success", "reviews.done."+string(status))
	return back(c, reviewsURL(domain.ReviewPending, 1))
}

func (h *Reviews) bulk(c *fiber.Ctx) error {
	ids, err := web.FormIDs(c, "ids")
	if err != nil {
		return err
	}
	status := domain.ReviewStatus(c.FormValue("status"))
	n, err := h.reviews.ModerateMany(c.UserContext(), BusinessID(c), ids, status)
	if errs := web.FormErrors(c, err); errs != nil && errs["ids"] != "" {
		// Nothing (or too much) selected: say so on the page the owner was on.
		key := "reviews.error.none_selected"
		if len(ids) > services.MaxBulkReviews {
			key = "reviews.error.too_many"
		}
		web.SetFlash(c, "error", key)
		return back(c, reviewsURL(domain.ReviewPending, 1))
	}
	if err != nil {
		return err
	}
	web.SetFlashCount(c, "success", "reviews.done_bulk."+string(status), n)
	return back(c, reviewsURL(domain.ReviewPending, 1))
}

// reviewsURL is the moderation page of a tab.
func reviewsURL(status domain.ReviewStatus, page int) string {
	q := url.Values{"status": {string(status)}}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return "/dashboard/reviews?" + q.Encode()
}
