package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
)

// Page renders template name inside the base layout with status, adding
// what every page needs: localizer, user, CSRF token, request ID, flash.
func Page(c *fiber.Ctx, status int, name string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	data["L"] = L(c)
	data["Lang"] = Lang(c)
	data["User"] = CurrentUser(c)
	data["CSRF"] = CSRFToken(c)
	data["RequestID"] = RequestID(c)
	data["Path"] = c.Path()
	if _, ok := data["Errors"]; !ok {
		data["Errors"] = map[string]string{}
	}
	// A flash is shown once: the page that reads it clears it. A page that
	// refuses a form never shows an earlier success beside its errors.
	flash := takeFlash(c)
	if tl := takeTooLarge(c); tl != nil {
		flash = tl
	}
	if _, ok := data["Flash"]; !ok {
		if flash != nil && flash.Kind == "success" && (status >= 400 || hasErrors(data["Errors"])) {
			flash = nil
		}
		data["Flash"] = flash
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Render(name, data, "layouts/base")
}

// FormErrors translates a ValidationError into field → message in the
// visitor's language. Other errors give nil.
func FormErrors(c *fiber.Ctx, err error) map[string]string {
	return FieldErrors(L(c), err)
}

// FieldErrors translates a ValidationError into field → message with l: the
// one translator of field errors, for pages, forms and the JSON answers (see
// BadInput). Other errors give nil.
func FieldErrors(l *i18n.Localizer, err error) map[string]string {
	var v *domain.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	out := make(map[string]string, len(v.Fields))
	for _, f := range v.Fields {
		out[f.Field] = l.T(f.Key, f.Args)
	}
	return out
}

// Flash is a one-time message shown on the next page.
type Flash struct {
	Kind string // success, error, info
	Text string
}

const flashCookie = "qubly_flash"

// SetFlash stores a one-time message (an i18n key) for the next page.
func SetFlash(c *fiber.Ctx, kind, key string) {
	setFlash(c, kind+":"+key)
}

// SetFlashCount stores a one-time message in the plural form for n ("3
// productos eliminados."); the message shows n as {{.Count}}.
func SetFlashCount(c *fiber.Ctx, kind, key string, n int) {
	setFlash(c, kind+":"+key+":"+strconv.Itoa(n))
}

func setFlash(c *fiber.Ctx, value string) {
	c.Cookie(&fiber.Cookie{
		Name: flashCookie, Value: url.QueryEscape(value), Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 60,
	})
}

// hasErrors reports whether a page's Errors hold any message.
func hasErrors(v any) bool {
	m, ok := v.(map[string]string)
	return ok && len(m) > 0
}

// clearCookie deletes a cookie set with Path "/". The path must match the
// one the cookie was set with, or the browser keeps it.
func clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		MaxAge: -1, Expires: time.Unix(0, 0),
	})
}

// takeFlash reads and clears the flash: "kind:key" or "kind:key:count".
func takeFlash(c *fiber.Ctx) *Flash {
	raw := c.Cookies(flashCookie)
	if raw == "" {
		return nil
	}
	clearCookie(c, flashCookie)
	v, err := url.QueryUnescape(raw)
	if err != nil {
		return nil
	}
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return nil
	}
	kind, key := parts[0], parts[1]
	if kind != "success" && kind != "error" && kind != "info" {
		return nil
	}
	l := L(c)
	if l == nil || !l.Has(key) {
		return nil
	}
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 {
			return nil
		}
		return &Flash{Kind: kind, Text: l.Plural(key, n)}
	}
	return &Flash{Kind: kind, Text: l.T(key)}
}
