// Package store holds the public pages: the landing page and each store at
// /{slug}: its home (catalog, search, categories), product pages and reviews.
//
// Store pages are rendered in the store's language (Business.Language), not
// the visitor's, inside layouts/store. Every handler that knows its store
// sets the local "store.business_id"; responses that are the same for every
// visitor also set "store.cacheable" so the page cache may keep them.
package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// Deps are what the public pages need.
type Deps struct {
	Stores  *services.Storefront
	Orders  *services.Orders
	Cache   *services.StoreCache
	Bundle  *i18n.Bundle
	BaseURL string
	Clock   services.Clock
	Log     *slog.Logger
	// Billing decides which stores are online (trial, paid, or within the
	// grace period of a failed payment), read at each request (the platform
	// settings an admin may change); nil: domain.DefaultBillingRules.
	Billing func() domain.BillingRules
	// Metrics, when not nil, counts the orders placed.
	Metrics Metrics
	// PlanPrice is the monthly subscription the landing page quotes; the
	// trial's length comes from Billing.
	PlanPrice domain.Money
}

// Metrics counts what the store pages do (integrations/metrics).
type Metrics interface {
	OrderCreated()
}

// Review rate limits: per client IP and per store.
const (
	reviewsPerIP    = 5
	reviewsPerStore = 50
	reviewsWindow   = time.Hour
)

// Handler serves the public pages.
type Handler struct {
	stores  *services.Storefront
	orders  *services.Orders
	cache   *services.StoreCache
	bundle  *i18n.Bundle
	baseURL string
	clock   services.Clock
	log     *slog.Logger
	metrics Metrics
	// planPrice and rules (its trial length) are the plan the landing page
	// quotes; rules are the billing rules in force.
	planPrice domain.Money
	rules     func() domain.BillingRules
	// unavailable reports whether a store may not be shown: its
	// subscription does not allow it (tests may override it).
	unavailable func(*domain.Business) bool

	reviewsByIP, reviewsByStore *web.Limiter
}

// New returns the public handlers.
func New(d Deps) *Handler {
	if d.Clock == nil {
		d.Clock = func() time.Time { return time.Now().UTC() }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	h := &Handler{
		stores: d.Stores, orders: d.Orders, cache: d.Cache, bundle: d.Bundle,
		baseURL: strings.TrimRight(d.BaseURL, "/"), clock: d.Clock, log: d.Log, metrics: d.Metrics,
		planPrice: d.PlanPrice, rules: d.Billing,
		unavailable:    defaultUnavailable,
		reviewsByIP:    web.NewLimiter(reviewsPerIP, reviewsWindow),
		reviewsByStore: web.NewLimiter(reviewsPerStore, reviewsWindow),
	}
	if h.rules == nil {
		h.rules = func() domain.BillingRules { return domain.DefaultBillingRules }
	}
	if h.unavailable == nil {
		h.unavailable = func(b *domain.Business) bool { return !b.Online(h.clock(), h.rules()) }
	}
	return h
}

// defaultUnavailable, when set, is what New puts in Handler.unavailable
// instead of the subscription's rule; tests set it (export_test.go) before
// building the app.
var defaultUnavailable func(*domain.Business) bool

// PlatformPages are the platform's own public pages, mounted by Register and
// listed first in the sitemap.
var PlatformPages = []string{"/", "/terms", "/privacy"}

// Register mounts the landing page, the terms and the privacy notice. Store routes go last (see RegisterStores)
// because /{slug} catches every other top-level path.
func (h *Handler) Register(r fiber.Router) {
	r.Get("/", h.landing)
	r.Get("/terms", h.terms)
	r.Get("/privacy", h.privacy)
}

// RegisterStores mounts the store routes; call it after every app route.
func (h *Handler) RegisterStores(r fiber.Router) {
	r.Use(finishResponded)
	h.registerCheckout(r)
	h.registerPWA(r)
	r.Get("/:slug/theme.css", h.theme)
	r.Get("/:slug/p/:product", h.product)
	r.Get("/:slug/reviews", h.reviews)
	r.Post("/:slug/reviews", web.RateLimit(web.ByIP(h.reviewsByIP), web.ByParam(h.reviewsByStore, "slug")), h.submitReview)
	r.Get("/:slug", h.home)
}

// errResponded is returned by helpers (loadStore) that already wrote the
// answer (a redirect, the unavailable page): handlers just return it, and
// finishResponded turns it back into success.
var errResponded = errors.New("store: response already written")

// finishResponded ends requests whose handler returned errResponded.
func finishResponded(c *fiber.Ctx) error {
	if err := c.Next(); !errors.Is(err, errResponded) {
		return err
	}
	return nil
}

// loadStore returns the store named by the :slug parameter. An unknown or
// reserved slug is domain.ErrNotFound; a renamed store's old slug (or a slug
// in other case) is redirected with 301; a store that may not be shown gets
// the 503 page. In those last two cases the error is errResponded: callers
// just return it.
func (h *Handler) loadStore(c *fiber.Ctx) (*domain.Business, error) {
	raw := c.Params("slug")
	slug := strings.ToLower(raw)
	if domain.IsReservedSlug(slug) || domain.ValidateSlug(slug) != "" {
		return nil, domain.ErrNotFound
	}
	ctx := c.UserContext()
	biz, err := h.stores.Business(ctx, slug)
	if errors.Is(err, domain.ErrNotFound) {
		current, err := h.stores.RedirectTarget(ctx, slug)
		if err != nil {
			return nil, err
		}
		return nil, h.redirectTo(c, raw, current)
	}
	if err != nil {
		return nil, err
	}
	if raw != biz.Slug {
		return nil, h.redirectTo(c, raw, biz.Slug)
	}
	c.Locals(web.LocalStoreBusinessID, biz.ID)
	if h.unavailable(biz) {
		c.Set(fiber.HeaderRetryAfter, "3600")
		if err := h.render(c, fiber.StatusServiceUnavailable, "store/unavailable", biz, fiber.Map{
			"Unavailable": true,
			"SEO":         &seo{Title: biz.Name, NoIndex: true},
		}); err != nil {
			return nil, err
		}
		return nil, errResponded
	}
	return biz, nil
}

// redirectTo sends a request for /{from}/… to /{to}/…, keeping the rest of
// the path and the query, with 301.
func (h *Handler) redirectTo(c *fiber.Ctx, from, to string) error {
	target := "/" + to + strings.TrimPrefix(c.Path(), "/"+from)
	if q := string(c.Request().URI().QueryString()); q != "" {
		target += "?" + q
	}
	if err := c.Redirect(target, fiber.StatusMovedPermanently); err != nil {
		return err
	}
	return errResponded
}

// cacheable marks the response as the same for every visitor in the store's language.
func cacheable(c *fiber.Ctx) { c.Locals(web.LocalStoreCacheable, true) }

// render renders template name inside layouts/store in the store's language
// with what every store page needs: Business, L and Lang (the store's), the
// logo and cover (Images), OpenNow, TakesOrders and OpensText (when a
// closed store opens next), the week's Hours, the theme stylesheet, CSRF token and SEO
// tags (data["SEO"] *seo, defaulting to the store's). Pass nil data for none.
func (h *Handler) render(c *fiber.Ctx, status int, name string, biz *domain.Business, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	l := h.bundle.For(biz.Language)
	imgs, err := h.stores.Images(c.UserContext(), biz)
	if err != nil {
		return err
	}
	data["L"] = l
	data["Lang"] = l.Lang()
	data["Business"] = biz
	data["Slug"] = biz.Slug
	data["Images"] = imgs
	now := h.clock()
	data["OpenNow"] = biz.IsOpen(now)
	data["TakesOrders"] = biz.TakesOrders(now)
	data["OpensText"] = opensText(biz, now, l)
	data["Rating"] = newRating(biz)
	data["Initial"] = initial(biz.Name)
	data["Hours"] = weekHours(biz, now, l)
	data["ThemeCSS"] = themeURL(biz)
	data["ThemeColor"], _ = storeColors(biz)
	data["CSRF"] = web.CSRFToken(c)
	data["RequestID"] = web.RequestID(c)
	data["Path"] = c.Path()
	if _, ok := data["Errors"]; !ok {
		data["Errors"] = map[string]string{}
	}
	s, _ := data["SEO"].(*seo)
	if s == nil {
		s = h.storeSEO(biz, imgs, l)
	}
	s.finish(h.baseURL, biz)
	data["SEO"] = s
	if cached, _ := c.Locals(web.LocalStoreCacheable).(bool); cached {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	c.Status(status)
	return renderPage(c, name, data, "layouts/store")
}

// initial is the first letter of name, for a store without a logo.
func initial(name string) string {
	for _, r := range strings.TrimSpace(name) {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// rating is the store's approved-review average, ready to show.
type rating struct {
	Count   int
	Average string // one decimal, "4.5"
	Stars   string // "★★★★☆"
}

func newRating(b *domain.Business) rating {
	avg := b.RatingAverage()
	return rating{Count: b.RatingCount, Average: strconv.FormatFloat(avg, 'f', 1, 64), Stars: stars(int(avg + 0.5))}
}

// stars draws n of 5 stars as text.
func stars(n int) string {
	n = max(0, min(5, n))
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// ---- theme ----

// storeColors returns b's colors, falling back to the defaults when malformed.
func storeColors(b *domain.Business) (primary, accent string) {
	primary, accent = domain.DefaultPrimaryColor, domain.DefaultAccentColor
	if domain.IsHexColor(b.PrimaryColor) {
		primary = strings.ToLower(b.PrimaryColor)
	}
	if domain.IsHexColor(b.AccentColor) {
		accent = strings.ToLower(b.AccentColor)
	}
	return primary, accent
}

// themeVersion changes whenever the store's colors may have.
func themeVersion(b *domain.Business) string {
	p, a := storeColors(b)
	sum := sha256.Sum256([]byte(p + a + b.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(sum[:])[:10]
}

func themeURL(b *domain.Business) string {
	return "/" + b.Slug + "/theme.css?v=" + themeVersion(b)
}

// theme serves the store's colors as CSS custom properties (CSP forbids
// inline styles), with a text color readable on each.
func (h *Handler) theme(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	p, a := storeColors(biz)
	css := fmt.Sprintf(":root{--store-primary:%s;--store-on-primary:%s;--store-accent:%s;--store-on-accent:%s}\n",
		p, domain.TextOn(p), a, domain.TextOn(a))
	if c.Query("v") == themeVersion(biz) {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	cacheable(c)
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	return c.SendString(css)
}
