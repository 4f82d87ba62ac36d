package web

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
)

// SessionCookie names the cookie holding the session token.
const SessionCookie = "qubly_session"

// langCookie keeps the visitor's chosen language.
const langCookie = "qubly_lang"

// RequestLogger puts a logger carrying the request ID in the context and logs
// each request once it is answered (page cache hits at debug level).
func RequestLogger(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		l := log.With("request_id", RequestID(c))
		c.Locals(localLogger, l)
		err := c.Next()
		if err != nil {
			// Let the error handler write the answer so the status logged is real.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				c.Status(fiber.StatusInternalServerError)
			}
			err = nil
		}
		// A page served from the page cache is logged at debug level only:
		// logging it costs more than serving it.
		level := slog.LevelInfo
		if string(c.Response().Header.Peek(HeaderPageCache)) == "hit" {
			level = slog.LevelDebug
			if !l.Enabled(c.UserContext(), level) {
				return nil
			}
		}
		l.Log(c.UserContext(), level, "request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "ip", c.IP())
		return err
	}
}

// Language picks the request's language: cookie, then Accept-Language.
func Language(b *i18n.Bundle) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(localLocalizer, b.For(b.Match(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))))
		return c.Next()
	}
}

// SetLanguage remembers lang for this browser.
func SetLanguage(c *fiber.Ctx, lang string, secure bool) {
	c.Cookie(&fiber.Cookie{
		Name: langCookie, Value: lang, Path: "/", Secure: secure, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600,
	})
}

// Authenticator resolves a session token to its user.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*domain.User, *domain.Session, error)
}

// Session loads the logged-in user, if any, from the session cookie. Public
// store pages never use the user, so they skip the lookup and an owner
// previewing their store is served from the page cache like any shopper.
// While the database cannot be reached the visitor goes on as anonymous for
// pages that need no account; RequireRole answers domain.ErrUnavailable
// rather than sending a logged-in user to the login page.
func Session(auth Authenticator) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.Cookies(SessionCookie)
		if token == "" || IsStoreRequest(c) {
			return c.Next()
		}
		u, s, err := auth.Authenticate(c.UserContext(), token)
		switch {
		case err == nil:
			c.Locals(localUser, u)
			c.Locals(localSession, s)
		case errors.Is(err, domain.ErrNotFound):
			clearCookie(c, SessionCookie)
		case errors.Is(err, domain.ErrUnavailable):
			c.Locals(localSessionErr, err)
		default:
			return err
		}
		return c.Next()
	}
}

// SetSessionCookie stores a session token in the browser.
func SetSessionCookie(c *fiber.Ctx, token string, secure bool, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true, Secure: secure,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(maxAge.Seconds()),
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(c *fiber.Ctx, secure bool) {
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: secure,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0),
	})
}

// RequireRole lets only logged-in users with one of roles through. Visitors
// are sent to the login page; users without the role get 404, so the
// existence of admin pages is not revealed.
func RequireRole(roles ...domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := CurrentUser(c)
		if err, ok := c.Locals(localSessionErr).(error); ok && u == nil {
			return err
		}
		if u == nil {
			if c.Method() == fiber.MethodGet {
				return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
			}
			return c.Redirect("/login", fiber.StatusSeeOther)
		}
		for _, r := range roles {
			if u.Role == r {
				return c.Next()
			}
		}
		return fiber.ErrNotFound
	}
}

// SecurityHeaders sets CSP (no inline script), frame-ancestors none, nosniff,
// Referrer-Policy and, in production, HSTS. Every response, a page-cache hit
// included (PageCacheFront sets the same), runs it: names and values are
// prepared once, so setting them copies bytes without normalizing the names
// on each request.
func SecurityHeaders(production bool) fiber.Handler {
	kv := securityHeaders(production)
	return func(c *fiber.Ctx) error {
		setHeaders(&c.Response().Header, kv)
		return c.Next()
	}
}

// securityHeaders are the names and values SecurityHeaders sets, prepared
// for setHeaders.
func securityHeaders(production bool) [][]byte {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
		"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	headers := []string{
		"Content-Security-Policy", csp,
		"X-Content-Type-Options", "nosniff",
		"X-Frame-Options", "DENY",
		"Referrer-Policy", "strict-origin-when-cross-origin",
		"Permissions-Policy", "camera=(), microphone=(), geolocation=()",
		"Cross-Origin-Opener-Policy", "same-origin",
	}
	if production {
		headers = append(headers, "Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return canonicalHeaders(headers...)
}

// setHeaders sets the canonicalHeaders kv on h.
func setHeaders(h *fasthttp.ResponseHeader, kv [][]byte) {
	for i := 0; i < len(kv); i += 2 {
		h.SetCanonical(kv[i], kv[i+1])
	}
}

// canonicalHeaders turns name, value pairs into the bytes
// ResponseHeader.SetCanonical takes: names normalized as Set would
// ("ETag" → "Etag"), so the response is byte for byte what Set sends.
func canonicalHeaders(nameValues ...string) [][]byte {
	kv := make([][]byte, len(nameValues))
	for i, s := range nameValues {
		if i%2 == 0 {
			kv[i] = fasthttp.AppendNormalizedHeaderKey(nil, s)
		} else {
			kv[i] = []byte(s)
		}
	}
	return kv
}
