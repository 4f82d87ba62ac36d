package auth

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

func (h *Handler) verify(c *fiber.Ctx) error {
	token, user, err := h.accounts.VerifyEmail(c.UserContext(), c.Query("token"), c.IP(), c.Get(fiber.HeaderUserAgent))
	var ae *domain.AuthError
	if errors.As(err, &ae) {
		return linkError(c, ae.Key, "/verify/resend", "link.new_verify")
	}
	if err != nil {
		return err
	}
	// A valid link logs its owner in, with a fresh session.
	web.SetSessionCookie(c, token, h.secure, services.SessionTTL)
	web.SetFlash(c, "success", "verify.done")
	return c.Redirect(home(user), fiber.StatusSeeOther)
}

// linkError explains why an email link did not work and offers a new one.
func linkError(c *fiber.Ctx, key, retryURL, retryKey string) error {
	l := web.L(c)
	return web.Page(c, fiber.StatusBadRequest, "auth/link_error", fiber.Map{
		"Title": l.T(key), "Message": l.T(key), "RetryURL": retryURL, "RetryLabel": l.T(retryKey),
	})
}

func (h *Handler) resendForm(c *fiber.Ctx) error {
	return emailForm(c, fiber.StatusOK, "verify.resend_title", "verify.resend_lead", "verify.resend", "/verify/resend", c.Query("email"), nil)
}

func (h *Handler) resend(c *fiber.Ctx) error {
	email := c.FormValue("email")
	if err := h.accounts.ResendVerification(c.UserContext(), email); err != nil {
		return err
	}
	return checkEmail(c, "check_email.resend", email, false)
}

// emailForm renders a one-field form asking for an email address.
func emailForm(c *fiber.Ctx, status int, titleKey, leadKey, submitKey, action, email string, errs map[string]string) error {
	l := web.L(c)
	return web.Page(c, status, "auth/email_form", fiber.Map{
		"Title": l.T(titleKey), "Lead": l.T(leadKey), "Submit": l.T(submitKey),
		"Action": action, "Email": email, "Errors": errs,
	})
}
