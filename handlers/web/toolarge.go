package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// A form whose body is over the server's limit (fiber.Config.BodyLimit) is
// refused by the HTTP server before any middleware runs: no session, no
// handler. So the owner is not left on a bare 413 page, a dashboard form is
// answered with a redirect back to the page it came from, carrying a
// one-time mark; an upload page claims the mark (UploadTooLarge) and shows
// its own inline message, any other page shows a generic error flash.

const (
	tooLargeCookie = "qubly_too_large"
	localTooLarge  = "web.too_large_claimed"

	// A refused body is read and dropped up to drainMax bytes, for at most
	// drainTimeout (see drainRefusedBody).
	drainMax     = 64 << 20
	drainTimeout = 20 * time.Second
	// drainBuffered is what the server may already hold past the headers
	// (fasthttp's read buffer): the client has sent all once only that is left.
	drainBuffered = 4096
)

// drainRefusedBody reads and drops what the client still sends of a body the
// server refused unread. Closing a connection with unread data resets it,
// and the browser, still uploading, then shows a network error instead of
// the answer (nginx's "lingering close" solves the same problem).
func drainRefusedBody(c *fiber.Ctx) {
	conn := c.Context().Conn()
	n := c.Request().Header.ContentLength()
	if conn == nil || n <= 0 || n > drainMax {
		return
	}
	deadline := time.Now().Add(drainTimeout)
	left := n - drainBuffered
	buf := make([]byte, 32<<10)
	for {
		d := deadline
		if left <= 0 {
			// All sent but what the server buffered: wait only for stragglers.
			if soon := time.Now().Add(200 * time.Millisecond); soon.Before(deadline) {
				d = soon
			}
		}
		if conn.SetReadDeadline(d) != nil {
			return
		}
		k, err := conn.Read(buf)
		left -= k
		if err != nil {
			return
		}
	}
}

// UploadTooLarge reports whether this page follows an upload refused for its
// size, and claims it: the page shows the message next to its file field.
func UploadTooLarge(c *fiber.Ctx) bool {
	if c.Cookies(tooLargeCookie) == "" {
		return false
	}
	c.Locals(localTooLarge, true)
	return true
}

// tooLargeBack answers a dashboard form post over the body limit with a
// redirect to its form page; ok is false for any other request.
func tooLargeBack(c *fiber.Ctx) (ok bool, err error) {
	if c.Method() != fiber.MethodPost || wantsJSON(c) || !isDashboardPath(c.Path()) {
		return false, nil
	}
	// The page the form is on; an upload form's page has the form's own path.
	target := c.Path()
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && isDashboardPath(ref.Path) {
		target = ref.Path
		if ref.RawQuery != "" {
			target += "?" + ref.RawQuery
		}
	}
	c.Cookie(&fiber.Cookie{
		Name: tooLargeCookie, Value: "1", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 60,
	})
	return true, c.Redirect(SafeNext(target, "/dashboard"), fiber.StatusSeeOther)
}

func isDashboardPath(p string) bool { return p == "/dashboard" || strings.HasPrefix(p, "/dashboard/") }

// takeTooLarge clears the mark and gives the flash of a page that did not
// claim it.
func takeTooLarge(c *fiber.Ctx) *Flash {
	if c.Cookies(tooLargeCookie) == "" {
		return nil
	}
	clearCookie(c, tooLargeCookie)
	if claimed, _ := c.Locals(localTooLarge).(bool); claimed || L(c) == nil {
		return nil
	}
	return &Flash{Kind: "error", Text: L(c).T("error.too_large")}
}
