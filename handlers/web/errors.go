package web

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
)

// RetryAfterUnavailable is the Retry-After (seconds) of the 503 answered
// while the database cannot be reached.
const RetryAfterUnavailable = 5

// ErrorHandler turns errors into pages (HTML) or JSON (/api, /chat and JSON
// requests): 400 with field errors, 403, 404, 409, 429, 503 while the
// database cannot be reached, and 500 with the request ID, never a stack.
// Causes of 500s are logged as errors, unavailability as a warning.
func ErrorHandler(c *fiber.Ctx, err error) error {
	return handleError(c, err, nil)
}

func handleError(c *fiber.Ctx, err error, warns *warnLimiter) error {
	if errors.Is(err, domain.ErrUnavailable) {
		return unavailablePage(c, err, warns)
	}
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
		if ve != nil {
			return BadInput(c, msg, FormErrors(c, ve))
		}
		return c.Status(status).JSON(fiber.Map{"error": msg, "request_id": RequestID(c)})
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

// BadInput is the JSON API's one answer to bad input: 400
// {"error": message, "fields": {field: message}, "request_id"}, not stored
// by any cache. The central handler answers a *domain.ValidationError so; a
// handler that words the messages itself (the store's order API, in the
// store's language) calls it with FieldErrors' translation.
func BadInput(c *fiber.Ctx, msg string, fields map[string]string) error {
	if fields == nil {
		fields = map[string]string{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": msg, "fields": fields, "request_id": RequestID(c)})
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
	warns := &warnLimiter{every: 10 * time.Second}
	return func(c *fiber.Ctx, err error) error {
		if L(c) == nil {
			c.Locals(localLocalizer, b.For(b.Match(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))))
		}
		return handleError(c, err, warns)
	}
}

// unavailablePage answers a request that failed because the database cannot
// be reached: 503 with Retry-After, the maintenance page in the visitor's
// language with the request ID, or for JSON requests
// {"error":"unavailable","message","request_id","retry_after"}. It is logged
// as one warning without stack (see warnLimiter).
func unavailablePage(c *fiber.Ctx, err error, warns *warnLimiter) error {
	log := Log(c)
	if n, ok := warns.allow(); ok {
		log.Warn("database unavailable", "err", err, "method", c.Method(), "path", c.Path(), "suppressed", n)
	} else {
		log.Debug("database unavailable", "err", err, "method", c.Method(), "path", c.Path())
	}
	const status = fiber.StatusServiceUnavailable
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(RetryAfterUnavailable))
	c.Set(fiber.HeaderCacheControl, "no-store")
	msg := "error.503"
	l := L(c)
	if l != nil {
		msg = l.T(msg)
	}
	if wantsJSON(c) {
		return c.Status(status).JSON(fiber.Map{
			"error": "unavailable", "message": msg, "request_id": RequestID(c), "retry_after": RetryAfterUnavailable,
		})
	}
	if l == nil {
		return c.Status(status).SendString(msg)
	}
	data := fiber.Map{"Status": status, "Message": msg, "Title": l.T("error.title", "Status", status)}
	if c.Method() == fiber.MethodGet {
		data["Retry"] = SafeNext(c.OriginalURL(), "/")
	}
	if rerr := Page(c, status, "errors/error", data); rerr != nil {
		Log(c).Error("render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(msg + " (" + RequestID(c) + ")")
	}
	return nil
}

// warnLimiter lets one warning through per period and counts the others, so
// an outage under traffic logs a warning every few seconds, not one per
// request (each request is still in the access log with its status). A nil
// warnLimiter lets every warning through.
type warnLimiter struct {
	every time.Duration

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// allow reports whether to log now and how many were held back before.
func (w *warnLimiter) allow() (suppressed int, ok bool) {
	if w == nil {
		return 0, true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	if !w.last.IsZero() && now.Sub(w.last) < w.every {
		w.suppressed++
		return 0, false
	}
	n := w.suppressed
	w.last, w.suppressed = now, 0
	return n, true
}
