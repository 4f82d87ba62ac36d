package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
)

// ErrorHandler turns errors into pages (HTML) or JSON (/api, /chat and JSON
// requests): 400 with field errors, 403, 404, 409, 429, and 500 with the
// request ID, never a stack. Causes of 500s are logged.
func ErrorHandler(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	key := "error.500"
	var fe *fiber.Error
	var ve *domain.ValidationError
	var long *ListTooLongError
	var args []any
	switch {
	case errors.As(err, &fe):
		status = fe.Code
		key = "error.generic"
		switch {
		case fe == ErrCSRF:
			key = "error.csrf"
		case status == fiber.StatusNotFound:
			key = "error.404"
		case status == fiber.StatusMethodNotAllowed:
			key = "error.404"
			status = fiber.StatusNotFound
		case status == fiber.StatusRequestEntityTooLarge:
			key = "error.too_large"
		case status >= 500:
			key = "error.500"
		}
	case errors.Is(err, domain.ErrNotFound):
		status, key = fiber.StatusNotFound, "error.404"
	case errors.As(err, &ve):
		status, key = fiber.StatusBadRequest, "error.400"
	case errors.As(err, &long):
		status, key, args = fiber.StatusBadRequest, "error.too_many", []any{"Max", long.Max}
	case errors.Is(err, domain.ErrConflict):
		status, key = fiber.StatusConflict, "error.409"
	case errors.Is(err, domain.ErrForbidden):
		status, key = fiber.StatusForbidden, "error.403"
	case errors.Is(err, domain.ErrRateLimited):
		status, key = fiber.StatusTooManyRequests, "error.429"
	}
	if status == fiber.StatusRequestEntityTooLarge {
		drainRefusedBody(c)
		if ok, rerr := tooLargeBack(c); ok {
			return rerr
		}
	}
	if status >= 500 {
		Log(c).Error("request failed", "err", err, "method", c.Method(), "path", c.Path())
	}
	l := L(c)
	msg := key
	if l != nil {
		msg = l.T(key, args...)
	}
	if wantsJSON(c) {
		body := fiber.Map{"error": msg, "request_id": RequestID(c)}
		if ve != nil {
			body["fields"] = FormErrors(c, ve)
		}
		return c.Status(status).JSON(body)
	}
	if l == nil {
		return c.Status(status).SendString(msg)
	}
	rerr := Page(c, status, "errors/error", fiber.Map{
		"Status": status, "Message": msg, "Title": l.T("error.title", "Status", status),
	})
	if rerr != nil {
		Log(c).Error("render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(msg + " (" + RequestID(c) + ")")
	}
	return nil
}

func wantsJSON(c *fiber.Ctx) bool {
	p := c.Path()
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/chat") || strings.HasSuffix(p, ".json") {
		return true
	}
	ct := c.Get(fiber.HeaderContentType)
	return strings.HasPrefix(ct, fiber.MIMEApplicationJSON) ||
		(strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) && !strings.Contains(c.Get(fiber.HeaderAccept), "text/html"))
}

// NewErrorHandler is ErrorHandler for errors raised before the language
// middleware ran (a body over the size limit is refused before any handler):
// it picks the visitor's language first, so those pages are translated too.
func NewErrorHandler(b *i18n.Bundle) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if L(c) == nil {
			c.Locals(localLocalizer, b.For(b.Match(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))))
		}
		return ErrorHandler(c, err)
	}
}
