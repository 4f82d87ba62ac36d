package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

func (h *Handler) home(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	if u.BusinessID == nil {
		return domain.ErrNotFound
	}
	ctx := c.UserContext()
	biz, err := h.stores.Get(ctx, *u.BusinessID)
	if err != nil {
		return err
	}
	n, err := h.stores.CountActiveProducts(ctx, biz.ID)
	if err != nil {
		return err
	}
	return web.Page(c, fiber.StatusOK, "dashboard/home", fiber.Map{
		"Title": web.L(c).T("dashboard.title"), "Business": biz, "ActiveProducts": n,
		"StoreURL": h.baseURL + "/" + biz.Slug,
	})
}
