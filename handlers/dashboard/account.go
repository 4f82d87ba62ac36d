package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Account serves the owner's account pages (password change).
type Account struct{ accounts *services.Accounts }

// NewAccount returns the account handler.
func NewAccount(accounts *services.Accounts) *Account { return &Account{accounts: accounts} }

// Register mounts the routes on r.
func (h *Account) Register(r fiber.Router) {
	r.Get("/account/password", h.passwordForm)
	r.Post("/account/password", h.changePassword)
}

func (h *Account) passwordForm(c *fiber.Ctx) error {
	return h.renderPassword(c, fiber.StatusOK, nil)
}

func (h *Account) renderPassword(c *fiber.Ctx, status int, errs map[string]string) error {
	return page(c, status, "dashboard/password", "settings", fiber.Map{
		"Title": web.L(c).T("password_change.title"), "Errors": errs,
	})
}

func (h *Account) changePassword(c *fiber.Ctx) error {
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
