package dashboard

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// HomeStores reads the figures of the dashboard home.
type HomeStores interface {
	CountActiveProducts(ctx context.Context, businessID int64) (int64, error)
}

// Home serves /dashboard.
type Home struct {
	stores  HomeStores
	baseURL string
}

// NewHome returns the dashboard home handler.
func NewHome(stores HomeStores, baseURL string) *Home {
	return &Home{stores: stores, baseURL: baseURL}
}

// Register mounts the routes on r.
func (h *Home) Register(r fiber.Router) {
	r.Get("/", h.home)
}

func (h *Home) home(c *fiber.Ctx) error {
	biz := Business(c)
	n, err := h.stores.CountActiveProducts(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	return page(c, fiber.StatusOK, "dashboard/home", "home", fiber.Map{
		"Title": web.L(c).T("dashboard.title"), "ActiveProducts": n,
		"StoreURL": h.baseURL + "/" + biz.Slug,
	})
}
