package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

func (h *Handler) passwordForm(c *fiber.Ctx) error {
	return h.renderPassword(c, fiber.StatusOK, nil)
}

func (h *Handler) renderPassword(c *fiber.Ctx, status int, errs map[string]string) error {
	return web.Page(c, status, "dashboard/password", fiber.Map{
		"Title": web.L(c).T("password_change.title"), "Errors": errs,
	})
}

func (h *Handler) changePassword(c *fiber.Ctx) error {
	u, s := web.CurrentUser(c), web.CurrentSession(c)
	err := h.accounts.ChangePassword(c.UserContext(), u.ID, s.ID, c.FormValue("current_password"), c.FormValue("new_password"))
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderPassword(c, fiber.StatusBadRequest, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "password_change.done")
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}
