package store

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

// SEODeps are what the platform-wide routes (sitemap, robots.txt, store
// icons) need beyond the public pages.
type SEODeps struct {
	// Sitemap lists the stores and products; its page size decides when
	// /sitemap.xml becomes an index.
	Sitemap *services.Sitemap
	Robots  *services.Robots
	Icons   *services.StoreIcons
}

// seoRoutes serves the routes mounted by RegisterSEO.
type seoRoutes struct {
	h *Handler
	SEODeps
}

// Cache lifetimes of the SEO files.
const (
	sitemapCacheControl = "public, max-age=3600"
	robotsCacheControl  = "public, max-age=3600"
)

// RegisterSEO mounts the platform-wide files at the root: /sitemap.xml (or a
// sitemap index with /sitemap-N.xml pages when the URLs exceed the page
// size), /robots.txt, the service worker /sw.js, the /offline page, and the
// stores' app icons /{slug}/icon-{192,512}.png. Call it before
// RegisterStores; the store's web app manifest is mounted there
// (registerPWA), with the other store routes.
func (h *Handler) RegisterSEO(r fiber.Router, d SEODeps) {
	s := &seoRoutes{h: h, SEODeps: d}
	r.Get("/sitemap.xml", s.sitemap)
	r.Get("/sitemap-:page.xml", s.sitemapPage)
	r.Get("/robots.txt", s.robots)
	r.Get("/sw.js", h.serviceWorker)
	r.Get("/offline", h.offline)
	r.Get("/:slug/icon-:size.png", s.icon)
}

// sitemap is every URL when they fit in one page, else the index of pages.
func (s *seoRoutes) sitemap(c *fiber.Ctx) error {
	ctx := c.UserContext()
	plan, err := s.Sitemap.Plan(ctx, s.h.unavailable)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if plan.Pages() > 1 {
		writeSitemapIndex(&buf, s.h.baseURL, plan.Pages())
	} else {
		urls, err := s.Sitemap.URLs(ctx, plan, 1)
		if err != nil {
			return err
		}
		writeURLSet(&buf, s.h.baseURL, urls)
	}
	return sendPublic(c, "application/xml; charset=utf-8", sitemapCacheControl, buf.Bytes())
}

// sitemapPage is page N of an index; it exists only when there is an index.
func (s *seoRoutes) sitemapPage(c *fiber.Ctx) error {
	n, err := strconv.Atoi(c.Params("page"))
	if err != nil || n < 1 || strconv.Itoa(n) != c.Params("page") {
		return domain.ErrNotFound
	}
	ctx := c.UserContext()
	plan, err := s.Sitemap.Plan(ctx, s.h.unavailable)
	if err != nil {
		return err
	}
	if plan.Pages() < 2 {
		return domain.ErrNotFound
	}
	urls, err := s.Sitemap.URLs(ctx, plan, n)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	writeURLSet(&buf, s.h.baseURL, urls)
	return sendPublic(c, "application/xml; charset=utf-8", sitemapCacheControl, buf.Bytes())
}

// robots is the platform's robots.txt, always ending with the Sitemap line.
func (s *seoRoutes) robots(c *fiber.Ctx) error {
	text, err := s.Robots.Text(c.UserContext())
	if err != nil {
		return err
	}
	return sendPublic(c, fiber.MIMETextPlainCharsetUTF8, robotsCacheControl, []byte(text))
}

// sendPublic answers with a body that is the same for everyone, so it goes
// without the cookies the middlewares may have set.
func sendPublic(c *fiber.Ctx, contentType, cacheControl string, body []byte) error {
	c.Response().Header.DelAllCookies()
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	return c.Send(body)
}

const (
	sitemapNS      = "http://www.sitemaps.org/schemas/sitemap/0.9"
	sitemapImageNS = "http://www.google.com/schemas/sitemap-image/1.1"
)

// w3cTime is a W3C datetime in UTC, as <lastmod> takes it.
func w3cTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z07:00") }

// writeURLSet writes a <urlset> of absolute URLs with their last change and
// main image.
func writeURLSet(b *bytes.Buffer, base string, urls []services.SitemapURL) {
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="` + sitemapNS + `" xmlns:image="` + sitemapImageNS + `">` + "\n")
	for _, u := range urls {
		b.WriteString("<url><loc>")
		xmlText(b, base+u.Path)
		b.WriteString("</loc>")
		if !u.LastMod.IsZero() {
			b.WriteString("<lastmod>" + w3cTime(u.LastMod) + "</lastmod>")
		}
		if u.Image != nil {
			b.WriteString("<image:image><image:loc>")
			xmlText(b, base+u.Image.URL(1200))
			b.WriteString("</image:loc></image:image>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
}

// writeSitemapIndex writes a <sitemapindex> of pages 1…pages.
func writeSitemapIndex(b *bytes.Buffer, base string, pages int) {
	b.WriteString(xml.Header)
	b.WriteString(`<sitemapindex xmlns="` + sitemapNS + `">` + "\n")
	for n := 1; n <= pages; n++ {
		b.WriteString("<sitemap><loc>")
		xmlText(b, base+"/sitemap-"+strconv.Itoa(n)+".xml")
		b.WriteString("</loc></sitemap>\n")
	}
	b.WriteString("</sitemapindex>\n")
}

func xmlText(b *bytes.Buffer, s string) {
	if !strings.ContainsAny(s, `<>&'"`) {
		b.WriteString(s)
		return
	}
	xml.EscapeText(b, []byte(s))
}
