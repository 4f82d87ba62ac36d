// Command bareserver is the yardstick of scripts/loadtest.sh: a bare Fiber
// server (no middleware) that answers every GET with the same bytes as a
// cached store page, from memory, gzip-compressed in advance when the
// request accepts gzip. The cached page's requests/s are compared with it.
//
//	go run ./scripts/bareserver -addr 127.0.0.1:4000 -html page.html -gzip page.html.gz
package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:4000", "listen address")
	htmlPath := flag.String("html", "", "the page, uncompressed")
	gzipPath := flag.String("gzip", "", "the same page, gzip-compressed")
	flag.Parse()
	page, err := os.ReadFile(*htmlPath)
	if err != nil {
		log.Fatal(err)
	}
	gz, err := os.ReadFile(*gzipPath)
	if err != nil {
		log.Fatal(err)
	}
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
	log.Fatal(app.Listen(*addr))
}
