// Package store holds the public pages: the landing page and each store at /{slug}.
package store

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

// Stores loads public stores.
type Stores interface {
	GetBySlug(ctx context.Context, slug string) (*domain.Business, error)
	RedirectTarget(ctx context.Context, oldSlug string) (string, error)
	CountActiveProducts(ctx context.Context, businessID int64) (int64, error)
}

// Handler serves the public pages.
type Handler struct{ stores Stores }

// New returns the public handlers.
func New(stores Stores) *Handler { return &Handler{stores: stores} }

// Register mounts the landing page. Store routes go last (see RegisterStores)
// because /{slug} catches every other top-level path.
func (h *Handler) Register(r fiber.Router) {
	r.Get("/", h.landing)
}

// RegisterStores mounts /{slug}; call it after every app route.
func (h *Handler) RegisterStores(r fiber.Router) {
	r.Get("/:slug", h.store)
}

func (h *Handler) landing(c *fiber.Ctx) error {
	return web.Page(c, fiber.StatusOK, "store/landing", fiber.Map{
		"Title": web.L(c).T("landing.title"), "Description": web.L(c).T("landing.lead"),
	})
}

func (h *Handler) store(c *fiber.Ctx) error {
	slug := strings.ToLower(c.Params("slug"))
	if domain.IsReservedSlug(slug) || domain.ValidateSlug(slug) != "" {
		return domain.ErrNotFound
	}
	ctx := c.UserContext()
	biz, err := h.stores.GetBySlug(ctx, slug)
	if errors.Is(err, domain.ErrNotFound) {
		return h.redirectRenamed(c, slug)
	}
	if err != nil {
		return err
	}
	n, err := h.stores.CountActiveProducts(ctx, biz.ID)
	if err != nil {
		return err
	}
	return web.Page(c, fiber.StatusOK, "store/placeholder", fiber.Map{
		"Title": biz.Name, "Description": biz.Description, "Business": biz, "ActiveProducts": n,
	})
}

// redirectRenamed sends an old store link to the store's current slug,
// keeping the rest of the path and the query.
func (h *Handler) redirectRenamed(c *fiber.Ctx, old string) error {
	current, err := h.stores.RedirectTarget(c.UserContext(), old)
	if err != nil {
		return err
	}
	target := "/" + current + strings.TrimPrefix(c.Path(), "/"+old)
	if q := string(c.Request().URI().QueryString()); q != "" {
		target += "?" + q
	}
	return c.Redirect(target, fiber.StatusMovedPermanently)
}
