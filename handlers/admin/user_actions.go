package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

// userID is the :userID of the path; a malformed one is not found.
func userID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("userID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// userAction runs do on the admin of the path and goes back to the list
// with the flash done, or re-renders it with why it was refused.
func (h *Users) userAction(c *fiber.Ctx, done string, do func(id int64) error) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		return h.refused(c, "", err)
	}
	web.SetFlash(c, "success", done)
	return c.Redirect(usersPath, fiber.StatusSeeOther)
}

func (h *Users) setRole(c *fiber.Ctx) error {
	return h.userAction(c, "admin_users.role_changed", func(id int64) error {
		return h.admins.SetRole(c.UserContext(), web.CurrentUser(c), id, domain.Role(c.FormValue("role")))
	})
}

func (h *Users) deactivate(c *fiber.Ctx) error {
	return h.userAction(c, "admin_users.deactivated", func(id int64) error {
		return h.admins.Deactivate(c.UserContext(), web.CurrentUser(c), id)
	})
}

func (h *Users) reactivate(c *fiber.Ctx) error {
	return h.userAction(c, "admin_users.reactivated", func(id int64) error {
		return h.admins.Reactivate(c.UserContext(), web.CurrentUser(c), id)
	})
}

func (h *Users) resendInvite(c *fiber.Ctx) error {
	return h.userAction(c, "admin_users.invite_resent", func(id int64) error {
		return h.admins.ResendInvite(c.UserContext(), web.CurrentUser(c), id)
	})
}
