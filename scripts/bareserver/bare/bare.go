// Package bare is the yardstick of the page-cache hit: a Fiber app with no
// middleware that answers every GET with the same bytes as a cached store
// page, from memory, gzip-compressed in advance when the request accepts
// gzip. scripts/bareserver serves it over HTTP; the store benchmarks call
// its handler next to the app's.
package bare

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// New returns the bare app sending page, or gz to requests accepting gzip.
func New(page, gz []byte) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			c.Response().SetBodyRaw(gz)
			return nil
		}
		c.Response().SetBodyRaw(page)
		return nil
	})
	return app
}
