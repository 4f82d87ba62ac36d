// Package system holds operational routes: health checks, the language
// switch and the development mailbox.
package system

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
)

// Pinger checks that the database answers.
type Pinger func(ctx context.Context) error

// Handler serves health checks and the language switch.
type Handler struct {
	ping   Pinger
	secure bool
}

// New returns the system handlers.
func New(ping Pinger, secure bool) *Handler { return &Handler{ping: ping, secure: secure} }

// Register mounts /healthz, /readyz and /lang.
func (h *Handler) Register(r fiber.Router) {
	r.Get("/healthz", h.healthz)
	r.Get("/readyz", h.readyz)
	r.Post("/lang", h.setLang)
}

// healthz answers while the process is up.
func (h *Handler) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 when the database is reachable, 503 when not.
func (h *Handler) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := h.ping(ctx); err != nil {
		web.Log(c).Warn("readiness check failed", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": "ok"})
}

func (h *Handler) setLang(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	if i18n.Supported(lang) {
		web.SetLanguage(c, lang, h.secure)
	}
	return c.Redirect(web.SafeNext(c.FormValue("next"), "/"), fiber.StatusSeeOther)
}
