package auth

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

func (h *Handler) forgotForm(c *fiber.Ctx) error {
	return emailForm(c, fiber.StatusOK, "forgot.title", "forgot.lead", "forgot.submit", "/password/forgot", "", nil)
}

func (h *Handler) forgot(c *fiber.Ctx) error {
	email := c.FormValue("email")
	err := h.accounts.RequestPasswordReset(c.UserContext(), email)
	if errs := web.FormErrors(c, err); errs != nil {
		return emailForm(c, fiber.StatusBadRequest, "forgot.title", "forgot.lead", "forgot.submit", "/password/forgot", email, errs)
	}
	if err != nil {
		return err
	}
	return checkEmail(c, "check_email.reset", email, false)
}

func (h *Handler) resetForm(c *fiber.Ctx) error {
	token := c.Query("token")
	var ae *domain.AuthError
	if err := h.accounts.CheckResetLink(c.UserContext(), token); errors.As(err, &ae) {
		return linkError(c, ae.Key, "/password/forgot", "link.new_reset")
	} else if err != nil {
		return err
	}
	return h.renderReset(c, fiber.StatusOK, token, nil)
}

func (h *Handler) renderReset(c *fiber.Ctx, status int, token string, errs map[string]string) error {
	return web.Page(c, status, "auth/reset", fiber.Map{
		"Title": web.L(c).T("reset.title"), "Token": token, "Errors": errs,
	})
}

func (h *Handler) reset(c *fiber.Ctx) error {
	token := c.FormValue("token")
	err := h.accounts.ResetPassword(c.UserContext(), token, c.FormValue("password"))
	var ae *domain.AuthError
	if errors.As(err, &ae) {
		return linkError(c, ae.Key, "/password/forgot", "link.new_reset")
	}
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderReset(c, fiber.StatusBadRequest, token, errs)
	}
	if err != nil {
		return err
	}
	web.ClearSessionCookie(c, h.secure)
	web.SetFlash(c, "success", "reset.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
