package auth

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// inviteForm is where an invited platform admin, from the link in their
// invitation email, sets their password. A used, expired or altered link
// gets the link error page.
func (h *Handler) inviteForm(c *fiber.Ctx) error {
	token := c.Query("token")
	var ae *domain.AuthError
	if err := h.accounts.CheckInviteLink(c.UserContext(), token); errors.As(err, &ae) {
		return inviteLinkError(c, ae.Key)
	} else if err != nil {
		return err
	}
	return h.renderInvite(c, fiber.StatusOK, token, nil)
}

func (h *Handler) renderInvite(c *fiber.Ctx, status int, token string, errs map[string]string) error {
	return web.Page(c, status, "auth/invite", fiber.Map{
		"Title": web.L(c).T("admin_invite.title"), "Token": token, "Errors": errs,
	})
}

// acceptInvite sets the password and logs the new admin in.
func (h *Handler) acceptInvite(c *fiber.Ctx) error {
	token := c.FormValue("token")
	session, user, err := h.accounts.AcceptInvite(c.UserContext(), token, c.FormValue("password"),
		c.FormValue("confirm_password"), c.IP(), c.Get(fiber.HeaderUserAgent))
	var ae *domain.AuthError
	if errors.As(err, &ae) {
		return inviteLinkError(c, ae.Key)
	}
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderInvite(c, fiber.StatusBadRequest, token, errs)
	}
	if err != nil {
		return err
	}
	web.SetSessionCookie(c, session, h.secure, services.SessionTTL)
	web.SetFlash(c, "success", "admin_invite.done")
	return c.Redirect(home(user), fiber.StatusSeeOther)
}

// inviteLinkError explains why an invitation link did not work: only a
// super admin can send a new one, so it offers the login page.
func inviteLinkError(c *fiber.Ctx, key string) error {
	l := web.L(c)
	return web.Page(c, fiber.StatusBadRequest, "auth/link_error", fiber.Map{
		"Title": l.T(key), "Message": l.T(key), "Detail": l.T("admin_invite.ask_again"),
		"RetryURL": "/login", "RetryLabel": l.T("nav.login"),
	})
}
