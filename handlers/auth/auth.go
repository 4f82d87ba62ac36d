// Package auth holds the owner account pages: sign-up, email verification,
// login, logout and password reset, and the page where an invited platform
// admin sets their password.
package auth

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/services"
)

// Handler serves the account pages.
type Handler struct {
	accounts *services.Accounts
	secure   bool
	host     string
	// referralDiscount is the percent off the first month a referral code
	// gives, told on the sign-up form.
	referralDiscount func() int
}

// New returns the account handlers. secure marks cookies Secure; baseURL
// shows the store link prefix on the sign-up form.
func New(accounts *services.Accounts, secure bool, baseURL string) *Handler {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return &Handler{accounts: accounts, secure: secure, host: host}
}

// WithReferralDiscount sets what gives the percent off the first month a
// referral code gives (the platform settings), which the sign-up form tells
// whoever comes with one; 0 tells nothing.
func (h *Handler) WithReferralDiscount(percent func() int) *Handler {
	h.referralDiscount = percent
	return h
}

// Register mounts the routes on r.
func (h *Handler) Register(r fiber.Router) {
	r.Get("/signup", h.signupForm)
	r.Post("/signup", h.signup)
	r.Get("/verify", h.verify)
	r.Get("/verify/resend", h.resendForm)
	r.Post("/verify/resend", h.resend)
	r.Get("/login", h.loginForm)
	r.Post("/login", h.login)
	r.Post("/logout", h.logout)
	r.Get("/password/forgot", h.forgotForm)
	r.Post("/password/forgot", h.forgot)
	r.Get("/password/reset", h.resetForm)
	r.Post("/password/reset", h.reset)
	r.Get("/invite", h.inviteForm)
	r.Post("/invite", h.acceptInvite)
}
