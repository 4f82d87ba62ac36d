package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

const (
	csrfCookie = "qubly_csrf"
	// CSRFField is the form field that carries the token.
	CSRFField = "_csrf"
	// CSRFHeader carries the token on fetch requests.
	CSRFHeader = "X-CSRF-Token"
)

// CSRF protects state-changing requests with a stateless double-submit token:
// a random HttpOnly cookie, and in each form the HMAC of that cookie under
// the platform secret, so a token cannot be forged or planted from outside.
// skip exempts paths that authenticate otherwise (signed webhooks).
func CSRF(secret []byte, secure bool, skip func(*fiber.Ctx) bool) fiber.Handler {
	sign := func(v string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("csrf:" + v))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	return func(c *fiber.Ctx) error {
		seed := c.Cookies(csrfCookie)
		if len(seed) != 43 {
			b := make([]byte, 32)
			rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			c.Cookie(&fiber.Cookie{
				Name: csrfCookie, Value: seed, Path: "/", HTTPOnly: true, Secure: secure,
				SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600,
			})
		}
		want := sign(seed)
		c.Locals(localCSRF, want)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if skip != nil && skip(c) {
			return c.Next()
		}
		got := c.Get(CSRFHeader)
		if got == "" {
			got = c.FormValue(CSRFField)
		}
		if !hmac.Equal([]byte(got), []byte(want)) {
			return ErrCSRF
		}
		return c.Next()
	}
}

// ErrCSRF answers a request whose CSRF token is missing or wrong.
var ErrCSRF = fiber.NewError(fiber.StatusForbidden, "csrf")

// CSRFToken is the token forms of this request must carry.
func CSRFToken(c *fiber.Ctx) string {
	t, _ := c.Locals(localCSRF).(string)
	return t
}
