package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// A store installs as an app of its own: /{slug}/manifest.webmanifest names
// it, with icons drawn from its logo (/{slug}/icon-{size}.png). One service
// worker at /sw.js, registered by static/js/pwa.js with scope "/", serves
// every store: the store home is /{slug} (no trailing slash), which a worker
// under /{slug}/ could not control. The worker only handles static files,
// media and store page navigations (see templates/store/sw.js.html).

// registerPWA mounts the store's web app manifest; RegisterStores calls it
// before /{slug}.
func (h *Handler) registerPWA(r fiber.Router) {
	r.Get("/:slug/manifest.webmanifest", h.manifest)
}

// webManifest is a Web App Manifest.
type webManifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description,omitempty"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Lang            string         `json:"lang"`
	Dir             string         `json:"dir"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// shortNameMax is the most characters a home-screen label shows.
const shortNameMax = 12

// manifest describes the store as an installable app. Its scope is /{slug}
// (not /{slug}/) so the store home itself is in scope.
func (h *Handler) manifest(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	primary, _ := storeColors(biz)
	lang := "es-MX"
	if biz.Language == "en" {
		lang = "en"
	}
	home := "/" + biz.Slug
	v := services.IconVersion(biz)
	m := webManifest{
		ID: home, Name: biz.Name, ShortName: shortName(biz.Name),
		Description: truncate(strings.Join(strings.Fields(biz.Description), " "), 300),
		StartURL:    home, Scope: home, Display: "standalone",
		BackgroundColor: "#ffffff", ThemeColor: primary, Lang: lang, Dir: "ltr",
	}
	for _, size := range services.StoreIconSizes {
		s := strconv.Itoa(size)
		m.Icons = append(m.Icons, manifestIcon{
			Src: home + "/icon-" + s + ".png?v=" + v, Sizes: s + "x" + s, Type: "image/png", Purpose: "any",
		})
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return sendPublic(c, "application/manifest+json", "public, max-age=3600", body)
}

// shortName fits a store name in shortNameMax characters: the whole name, or
// as many whole words as fit, or its first characters.
func shortName(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	if len([]rune(name)) <= shortNameMax {
		return name
	}
	out := ""
	for _, w := range strings.Fields(name) {
		next := strings.TrimSpace(out + " " + w)
		if len([]rune(next)) > shortNameMax {
			break
		}
		out = next
	}
	if out == "" || len([]rune(out)) < 4 {
		out = strings.TrimRightFunc(string([]rune(name)[:shortNameMax]), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r)
		})
	}
	return out
}

// icon is the store's square PNG icon. A URL with the current version
// (?v=, as the manifest links it) is cached for a year; others for a day.
// It answers only to the store's current slug: the manifest links that.
func (s *seoRoutes) icon(c *fiber.Ctx) error {
	size, err := strconv.Atoi(c.Params("size"))
	if err != nil {
		return domain.ErrNotFound
	}
	slug := c.Params("slug")
	if domain.ValidateSlug(slug) != "" {
		return domain.ErrNotFound
	}
	biz, err := s.h.stores.Business(c.UserContext(), slug)
	if err != nil {
		return err
	}
	if s.h.unavailable(biz) {
		return domain.ErrNotFound
	}
	icon, err := s.Icons.Icon(c.UserContext(), biz, size)
	if err != nil {
		return err
	}
	cacheControl := "public, max-age=86400"
	if c.Query("v") == services.IconVersion(biz) {
		cacheControl = "public, max-age=31536000, immutable"
	}
	c.Set(fiber.HeaderETag, icon.ETag)
	if c.Get(fiber.HeaderIfNoneMatch) == icon.ETag {
		c.Response().Header.DelAllCookies()
		c.Set(fiber.HeaderCacheControl, cacheControl)
		return c.SendStatus(fiber.StatusNotModified)
	}
	return sendPublic(c, "image/png", cacheControl, icon.PNG)
}

// swVersionMark is replaced in the worker's source by its version.
const swVersionMark = "__SW_VERSION__"

// serviceWorker serves the one worker of every store. Its source is a
// template so it can name the versioned static files to precache; its
// version is a hash of that source, so each deployment that changes an
// asset installs a new worker, which drops the old caches.
func (h *Handler) serviceWorker(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := c.App().Config().Views.Render(&buf, "store/sw.js", fiber.Map{"Reserved": reservedSlugs()}); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	version := hex.EncodeToString(sum[:])[:12]
	src := bytes.ReplaceAll(buf.Bytes(), []byte(swVersionMark), []byte(version))
	etag := `"` + version + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set("Service-Worker-Allowed", "/")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		c.Response().Header.DelAllCookies()
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.SendStatus(fiber.StatusNotModified)
	}
	return sendPublic(c, "text/javascript; charset=utf-8", "no-cache", src)
}

// reservedSlugs lists the app's top-level paths, space-separated, for the
// worker to tell store pages from app pages.
func reservedSlugs() string {
	list := make([]string, 0, len(domain.ReservedSlugs))
	for s := range domain.ReservedSlugs {
		list = append(list, s)
	}
	sort.Strings(list)
	return strings.Join(list, " ")
}

// offline is the page the service worker shows when a page is not reachable
// and no copy of it is kept. It stands alone (no header, no script) and is
// in the visitor's language.
func (h *Handler) offline(c *fiber.Ctx) error {
	c.Response().Header.DelAllCookies()
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Render("store/offline", fiber.Map{"L": web.L(c), "Lang": web.Lang(c)})
}
