// Package media serves uploaded images from storage at /media/<key>. Keys are
// random and never reused (a new upload gets a new key), so responses are
// cached for a year as immutable.
package media

import (
	"context"
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
)

// Storage opens stored files by key; a missing one is domain.ErrNotFound.
type Storage interface {
	Open(ctx context.Context, key string) (body io.ReadCloser, size int64, err error)
}

// keyRe is the shape of the keys services.Images writes:
// b<business>/<16 hex>-<width>.<jpg|png>. Anything else is not found without
// touching storage.
var keyRe = regexp.MustCompile(`^b[0-9]{1,19}/[0-9a-f]{16,64}-[0-9]{1,5}\.(jpg|png)$`)

var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png"}

// Handler serves the files.
type Handler struct{ storage Storage }

// New returns the media handler.
func New(s Storage) *Handler { return &Handler{storage: s} }

// Register mounts GET (and HEAD) /media/* on r; mount it before the store
// catch-all.
func (h *Handler) Register(r fiber.Router) {
	r.Get("/media/*", h.serve)
}

func (h *Handler) serve(c *fiber.Ctx) error {
	key := c.Params("*")
	m := keyRe.FindStringSubmatch(key)
	if m == nil {
		return domain.ErrNotFound
	}
	body, size, err := h.storage.Open(c.UserContext(), key)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentTypes[m[1]])
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	// A publicly cacheable response must not carry cookies (the CSRF and
	// session middlewares run before this route).
	c.Response().Header.DelAllCookies()
	// fasthttp closes body once it is sent.
	return c.SendStream(body, int(size))
}
