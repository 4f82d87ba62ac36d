package auth

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

func (h *Handler) loginForm(c *fiber.Ctx) error {
	if u := web.CurrentUser(c); u != nil {
		return c.Redirect(home(u), fiber.StatusSeeOther)
	}
	return h.renderLogin(c, fiber.StatusOK, "", "")
}

func (h *Handler) renderLogin(c *fiber.Ctx, status int, email, errKey string) error {
	l := web.L(c)
	msg := ""
	if errKey != "" {
		msg = l.T(errKey)
	}
	return web.Page(c, status, "auth/login", fiber.Map{
		"Title": l.T("login.title"), "Email": email, "FormError": msg,
		"Next": web.SafeNext(c.Query("next", c.FormValue("next")), ""),
	})
}

func (h *Handler) login(c *fiber.Ctx) error {
	email := c.FormValue("email")
	token, user, err := h.accounts.Login(c.UserContext(), services.LoginInput{
		Email: email, Password: c.FormValue("password"), IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent),
	})
	var ae *domain.AuthError
	switch {
	case errors.Is(err, domain.ErrRateLimited):
		return h.renderLogin(c, fiber.StatusTooManyRequests, email, "login.throttled")
	case errors.As(err, &ae):
		return h.renderLogin(c, fiber.StatusUnauthorized, email, ae.Key)
	case err != nil:
		return err
	}
	web.SetSessionCookie(c, token, h.secure, services.SessionTTL)
	return c.Redirect(web.SafeNext(c.FormValue("next"), home(user)), fiber.StatusSeeOther)
}

func (h *Handler) logout(c *fiber.Ctx) error {
	if err := h.accounts.Logout(c.UserContext(), c.Cookies(web.SessionCookie)); err != nil {
		return err
	}
	web.ClearSessionCookie(c, h.secure)
	web.SetFlash(c, "info", "logout.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// home is where a user lands after logging in.
func home(u *domain.User) string {
	if u.Role.IsAdmin() {
		return "/admin"
	}
	return "/dashboard"
}
