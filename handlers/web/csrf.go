package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

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
//
// With the PublicOrigins option, the public store paths use an origin check
// instead (see PublicOrigins): they set no cookie and render no token, so
// their pages are the same for every visitor and can be cached.
func CSRF(secret []byte, secure bool, skip func(*fiber.Ctx) bool, opts ...CSRFOption) fiber.Handler {
	var cfg csrfConfig
	for _, o := range opts {
		o(&cfg)
	}
	sign := func(v string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("csrf:" + v))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	return func(c *fiber.Ctx) error {
		if cfg.public != nil && cfg.public(c) {
			return cfg.checkOrigin(c, skip)
		}
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

// CSRFOption changes how CSRF protects some requests.
type CSRFOption func(*csrfConfig)

type csrfConfig struct {
	public  func(*fiber.Ctx) bool
	origins *http.CrossOriginProtection
	trusted map[string]bool // hosts of trusted origins, for the Referer check
}

// PublicOrigins makes requests for which public returns true (the public
// store: its pages, orders, reviews) use origin-based CSRF protection instead
// of the token: no CSRF cookie is set and the page's token is empty, so a
// store page is the same for every visitor and can be cached and shared
// (a cached page must never carry one visitor's token). Their unsafe requests
// must come from the site itself: Sec-Fetch-Site same-origin (every browser
// since 2023), or else an Origin whose host is the request's Host or
// baseURL's, or else a Referer naming one of those hosts; this is
// net/http.CrossOriginProtection plus a Referer check for old browsers. The
// session and language cookies are SameSite=Lax, so a cross-site POST carries
// none of them anyway. Requests from non-browsers (no Sec-Fetch-Site, Origin
// or Referer) are allowed: CSRF needs a victim's browser, and these endpoints
// are public and rate limited.
func PublicOrigins(baseURL string, public func(*fiber.Ctx) bool) (CSRFOption, error) {
	p := http.NewCrossOriginProtection()
	trusted := map[string]bool{}
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("csrf: base URL %q is not absolute", baseURL)
		}
		if err := p.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("csrf: %w", err)
		}
		trusted[u.Host] = true
	}
	return func(cfg *csrfConfig) {
		cfg.public, cfg.origins, cfg.trusted = public, p, trusted
	}, nil
}

// checkOrigin is CSRF for public store requests.
func (cfg *csrfConfig) checkOrigin(c *fiber.Ctx, skip func(*fiber.Ctx) bool) error {
	c.Locals(localCSRF, "")
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if skip != nil && skip(c) {
		return c.Next()
	}
	host := string(c.Request().Host())
	req := &http.Request{Method: c.Method(), Host: host, URL: &url.URL{Path: c.Path()}, Header: http.Header{}}
	for _, h := range []string{"Sec-Fetch-Site", "Origin"} {
		if v := c.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	if err := cfg.origins.Check(req); err != nil {
		return ErrCSRF
	}
	if c.Get("Sec-Fetch-Site") == "" && c.Get("Origin") == "" {
		// An old browser sends neither header; its Referer, when it sends
		// one, must still name this site.
		if ref := c.Get(fiber.HeaderReferer); ref != "" {
			u, err := url.Parse(ref)
			if err != nil || (u.Host != host && !cfg.trusted[u.Host]) {
				return ErrCSRF
			}
		}
	}
	return c.Next()
}
