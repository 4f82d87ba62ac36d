// Package admin holds the platform admin pages under /admin.
package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// Handler serves the admin pages.
type Handler struct{}

// New returns the admin handlers.
func New() *Handler { return &Handler{} }

// Register mounts the routes on r (already guarded for admin roles).
func (h *Handler) Register(r fiber.Router) {
	r.Get("/", h.home)
}

func (h *Handler) home(c *fiber.Ctx) error {
	return web.Page(c, fiber.StatusOK, "admin/home", fiber.Map{"Title": web.L(c).T("admin.title")})
}
