package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// passwordForm is where any admin, a viewer included (see
// AnyAdminMayPost), changes their own password.
func (h *Users) passwordForm(c *fiber.Ctx) error {
	return h.renderPassword(c, fiber.StatusOK, nil)
}

func (h *Users) renderPassword(c *fiber.Ctx, status int, errs map[string]string) error {
	return page(c, status, "admin/password", "users", fiber.Map{
		"Title": web.L(c).T("admin_users.password.title"), "Errors": errs,
	})
}

func (h *Users) changePassword(c *fiber.Ctx) error {
	err := h.admins.ChangePassword(c.UserContext(), web.CurrentUser(c), web.CurrentSession(c).ID,
		c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("confirm_password"))
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderPassword(c, fiber.StatusBadRequest, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "admin_users.password.done")
	return c.Redirect("/admin/password", fiber.StatusSeeOther)
}
