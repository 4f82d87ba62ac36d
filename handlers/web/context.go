// Package web holds what every group of handlers shares: rendering, the
// request context (user, language, CSRF), middleware and the error handler.
package web

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
)

// Keys of values stored in fiber.Ctx locals.
const (
	localUser    = "qubly.user"
	localSession = "qubly.session"
	// localSessionErr is why the session cookie could not be checked
	// (the database is unreachable).
	localSessionErr = "qubly.session_err"
	localLocalizer  = "qubly.localizer"
	localCSRF       = "qubly.csrf"
	localLogger     = "qubly.logger"
	// LocalRequestID is where the requestid middleware keeps the ID.
	LocalRequestID = "requestid"
)

// CurrentUser is the logged-in user, or nil.
func CurrentUser(c *fiber.Ctx) *domain.User {
	u, _ := c.Locals(localUser).(*domain.User)
	return u
}

// CurrentSession is the session of the logged-in user, or nil.
func CurrentSession(c *fiber.Ctx) *domain.Session {
	s, _ := c.Locals(localSession).(*domain.Session)
	return s
}

// L is the request's localizer.
func L(c *fiber.Ctx) *i18n.Localizer {
	l, _ := c.Locals(localLocalizer).(*i18n.Localizer)
	return l
}

// Lang is the request's language code.
func Lang(c *fiber.Ctx) string {
	if l := L(c); l != nil {
		return l.Lang()
	}
	return i18n.Default
}

// RequestID is the request's ID, also sent as X-Request-ID.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(LocalRequestID).(string)
	return id
}

// Log is the request's logger, carrying its request ID.
func Log(c *fiber.Ctx) *slog.Logger {
	if l, ok := c.Locals(localLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
