package dashboard

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"
)

// qrPNGSize is the side of the PNG QR code in pixels: sharp when printed on
// a flyer, small enough to send by WhatsApp.
const qrPNGSize = 1024

// qrCode encodes the store's URL with medium error correction (15%), which
// survives a crumpled flyer without making the code dense.
func (h *Home) qrCode(c *fiber.Ctx) (*qrcode.QRCode, error) {
	q, err := qrcode.New(h.storeURL(c), qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode store QR: %w", err)
	}
	return q, nil
}

func (h *Home) qrPNG(c *fiber.Ctx) error {
	q, err := h.qrCode(c)
	if err != nil {
		return err
	}
	png, err := q.PNG(qrPNGSize)
	if err != nil {
		return fmt.Errorf("render store QR: %w", err)
	}
	qrHeaders(c, "png")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}

func (h *Home) qrSVG(c *fiber.Ctx) error {
	q, err := h.qrCode(c)
	if err != nil {
		return err
	}
	qrHeaders(c, "svg")
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	return c.SendString(qrSVG(q.Bitmap()))
}

// qrHeaders keeps the code private to the owner's browser and, with
// ?download=1, makes it a file named after the store.
func qrHeaders(c *fiber.Ctx, ext string) {
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if c.Query("download") == "1" {
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="qubly-`+Business(c).Slug+`.`+ext+`"`)
	}
}

// qrSVG draws a QR bitmap (quiet zone included) as a scalable SVG: one
// path of dark modules, each row's runs merged into rectangles, one unit
// per module.
func qrSVG(bitmap [][]bool) string {
	n := strconv.Itoa(len(bitmap))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n +
		`" width="512" height="512" shape-rendering="crispEdges">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#ffffff"/><path fill="#000000" d="`)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>` + "\n")
	return b.String()
}
