package store

import (
	"errors"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// honeypotField is a form field hidden from people; bots fill it in.
const honeypotField = "website"

// reviewView is an approved review ready to show.
type reviewView struct {
	*domain.Review
	Stars string
	Date  string
	ISO   string
}

func reviewViews(list []domain.Review, biz *domain.Business) []reviewView {
	out := make([]reviewView, len(list))
	for i := range list {
		out[i] = reviewView{Review: &list[i], Stars: stars(list[i].Rating),
			Date: web.Date(list[i].CreatedAt.In(biz.Location()), biz.Language), ISO: list[i].CreatedAt.UTC().Format("2006-01-02")}
	}
	return out
}

// reviewForm is what a shopper typed in the review form.
type reviewForm struct {
	Name    string
	Rating  int
	Comment string
}

// reviews lists a store's approved reviews, 12 a page, with the form to leave one.
func (h *Handler) reviews(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.Query("page"))
	sent := c.Query("sent") == "1"
	if !sent {
		cacheable(c)
	}
	return h.renderReviews(c, biz, page, fiber.StatusOK, reviewForm{}, nil, sent)
}

func (h *Handler) renderReviews(c *fiber.Ctx, biz *domain.Business, page, status int, form reviewForm, errs map[string]string, sent bool) error {
	ctx := c.UserContext()
	list, err := h.stores.Reviews(ctx, biz.ID, page)
	if err != nil {
		return err
	}
	imgs, err := h.stores.Images(ctx, biz)
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)
	s := h.storeSEO(biz, imgs, l)
	s.Title = l.T("store.reviews.title", "Name", biz.Name)
	s.Description = l.Plural("store.reviews.seo_description", biz.RatingCount, "Name", biz.Name)
	s.Path = "/" + biz.Slug + "/reviews"
	if list.Page > 1 {
		s.Path += "?page=" + strconv.Itoa(list.Page)
	}
	s.JSONLD = []template.JS{ldJSON(h.storeLD(biz, imgs, l))}
	if errs == nil {
		errs = map[string]string{}
	}
	return h.render(c, status, "store/reviews", biz, fiber.Map{
		"List":     list,
		"Reviews":  reviewViews(list.Reviews, biz),
		"Form":     form,
		"Errors":   errs,
		"Sent":     sent,
		"Honeypot": honeypotField,
		// Stars in reverse: the row is drawn right to left so that
		// "peer-checked" lights the chosen star and those before it.
		"RatingChoices": []int{5, 4, 3, 2, 1},
		"SEO":           s,
	})
}

// submitReview stores a shopper's review as pending: it shows once the
// owner approves it. Bots that fill the honeypot get the same answer as
// people, and nothing is stored.
func (h *Handler) submitReview(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	done := "/" + biz.Slug + "/reviews?sent=1#review-form"
	if c.FormValue(honeypotField) != "" {
		return c.Redirect(done, fiber.StatusSeeOther)
	}
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	form := reviewForm{Name: c.FormValue("name"), Rating: rating, Comment: c.FormValue("comment")}
	_, err = h.stores.SubmitReview(c.UserContext(), biz.ID, services.ReviewInput{
		Name: form.Name, Rating: form.Rating, Comment: form.Comment,
	})
	var v *domain.ValidationError
	if errors.As(err, &v) {
		l := h.bundle.For(biz.Language)
		errs := make(map[string]string, len(v.Fields))
		for _, f := range v.Fields {
			errs[f.Field] = l.T(f.Key, f.Args)
		}
		return h.renderReviews(c, biz, 1, fiber.StatusBadRequest, form, errs, false)
	}
	if err != nil {
		return err
	}
	return c.Redirect(done, fiber.StatusSeeOther)
}
