package system

import (
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// DevMail shows the emails the app wrote, with their links (development only).
type DevMail struct{ box *services.Mailbox }

// NewDevMail returns the development mailbox handlers.
func NewDevMail(box *services.Mailbox) *DevMail { return &DevMail{box: box} }

// Register mounts /dev/mail.
func (h *DevMail) Register(r fiber.Router) {
	r.Get("/dev/mail", h.list)
	r.Get("/dev/mail/:id", h.show)
}

func (h *DevMail) list(c *fiber.Ctx) error {
	es, err := h.box.Recent(c.UserContext(), 50)
	if err != nil {
		return err
	}
	return web.Page(c, fiber.StatusOK, "system/devmail", fiber.Map{"Title": web.L(c).T("devmail.title"), "Emails": es})
}

func (h *DevMail) show(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return domain.ErrNotFound
	}
	e, err := h.box.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return web.Page(c, fiber.StatusOK, "system/devmail_show", fiber.Map{"Title": e.Subject, "Email": e})
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links lists the URLs in an email's text body.
func Links(text string) []string { return linkPattern.FindAllString(text, -1) }
