package store

// The JSON side of checkout, used by static/js/cart.js and open to other
// clients:
//
//	GET  /{slug}/catalog.json  the store's orderable products with prices and options
//	POST /{slug}/orders        place an order (JSON body), 201 or 400; with an
//	                           Idempotency-Key header a repeat answers 200
//	                           with the order already placed
//
// POST /{slug}/orders is a state-changing request under the app's CSRF
// protection. Store pages are shared by every visitor (and cached), so on
// store paths it checks where a browser request comes from instead of a
// per-visitor token (web.PublicOrigins): a request that a browser marks as
// coming from another site (Sec-Fetch-Site, Origin, Referer) is 403. cart.js
// also sends the page's <meta name="csrf-token"> in the X-CSRF-Token header,
// which the token check reads wherever a page carries one. Clients that are
// not browsers (an app, curl) send plain JSON with Content-Type
// application/json and no Origin header. Every client is rate limited per IP
// and per store (429 JSON with Retry-After). Prices are never read from the
// request: any price or total a client sends is ignored, and the answer's
// total_cents is the server's.

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// idempotencyHeader carries the client's key for one checkout attempt: a
// repeat with the same key (a retry after a lost answer or a 5xx) gets the
// order already placed, with status 200 instead of 201, and nothing is
// stored twice. Keys are 16 to 64 letters, digits, "-" or "_" (a UUID).
const idempotencyHeader = "Idempotency-Key"

// maxOrderBody bounds a JSON order (50 items with options fit in a few KB).
const maxOrderBody = 64 << 10

type catalogResponse struct {
	Products []catalogProduct `json:"products"`
}

type catalogProduct struct {
	ID         int64        `json:"id"`
	Name       string       `json:"name"`
	Slug       string       `json:"slug"`
	PriceCents domain.Money `json:"price_cents"`
	Available  bool         `json:"available"`
	// Stock is the units left, or null when the store does not count them.
	Stock    *int           `json:"stock"`
	Category *string        `json:"category"`
	Image    *string        `json:"image"`
	Options  []catalogGroup `json:"options"`
}

type catalogGroup struct {
	Group   string          `json:"group"`
	Min     int             `json:"min"`
	Max     int             `json:"max"`
	Choices []catalogChoice `json:"choices"`
}

type catalogChoice struct {
	ID         int64        `json:"id"`
	Name       string       `json:"name"`
	DeltaCents domain.Money `json:"delta_cents"`
}

// catalogJSON lists the store's public products in the store's order (the
// same set as the store pages: active, not deleted, not in a hidden
// category), sold-out ones with available false, each with the units left
// (null when not counted, so the cart can stop at the stock), its category
// name, its first photo at 400 px and its option groups. It is the same for
// every visitor, so the page cache may keep it; it is purged with the store.
func (h *Handler) catalogJSON(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	cat, err := h.stores.Catalog(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	out := catalogResponse{Products: make([]catalogProduct, 0, len(cat.Products))}
	for _, p := range cat.Products {
		cp := catalogProduct{
			ID: p.ID, Name: p.Name, Slug: p.Slug, PriceCents: p.PriceCents, Available: p.Available(), Stock: p.Stock,
			Options: make([]catalogGroup, 0, len(p.Options)),
		}
		if cg := cat.Category(p); cg != nil {
			name := cg.Name
			cp.Category = &name
		}
		if len(p.Images) > 0 && p.Images[0].Image != nil {
			u := p.Images[0].Image.URL(domain.ImageWidths[0])
			cp.Image = &u
		}
		for _, g := range p.Options {
			og := catalogGroup{Group: g.Name, Min: g.MinSelect, Max: g.MaxSelect, Choices: make([]catalogChoice, 0, len(g.Choices))}
			for _, ch := range g.Choices {
				og.Choices = append(og.Choices, catalogChoice{ID: ch.ID, Name: ch.Name, DeltaCents: ch.DeltaCents})
			}
			cp.Options = append(cp.Options, og)
		}
		out.Products = append(out.Products, cp)
	}
	cacheable(c)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

// orderRequest is the JSON body of POST /{slug}/orders. Fields it does not
// name (prices, totals) are ignored.
type orderRequest struct {
	Items []struct {
		ProductID int64   `json:"product_id"`
		Quantity  int     `json:"quantity"`
		Options   []int64 `json:"options"`
	} `json:"items"`
	Customer struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"customer"`
	Fulfillment   string `json:"fulfillment"`
	Address       string `json:"address"`
	PaymentMethod string `json:"payment_method"`
	// CashTendered is what a shopper paying cash pays with, in pesos as
	// typed ("500"), so the store brings change; optional.
	CashTendered string `json:"cash_tendered"`
	Notes        string `json:"notes"`
}

// orderResponse answers a placed order.
type orderResponse struct {
	Code        string       `json:"code"`
	WhatsAppURL string       `json:"whatsapp_url"`
	TotalCents  domain.Money `json:"total_cents"`
	TrackingURL string       `json:"tracking_url"`
	// StoreOpen is false when the store is closed now: the order is taken
	// and the store answers when it opens.
	StoreOpen bool `json:"store_open"`
}

// createOrder places an order from a JSON body: 201 with the code, the
// wa.me link that sends it to the store, the server's total and the
// tracking link (200 and the same answer for a repeat of an idempotency
// key); or bad input, answered like every JSON route (web.BadInput): 400
// {"error", "fields", "request_id"}, here in the store's language, with
// nothing stored (a store that takes no orders now: field "store", and the
// error says when it opens). A body that is not valid JSON is 400 on field
// "body".
func (h *Handler) createOrder(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)
	var req orderRequest
	body := c.Body()
	if len(body) > maxOrderBody || json.Unmarshal(body, &req) != nil {
		return web.BadInput(c, l.T("checkout.error.body"), map[string]string{"body": l.T("checkout.error.body")})
	}
	in := services.CreateOrderInput{
		CustomerName: req.Customer.Name, CustomerPhone: req.Customer.Phone,
		Fulfillment: domain.Fulfillment(req.Fulfillment), Address: req.Address,
		PaymentMethod: domain.PaymentMethod(req.PaymentMethod), Notes: req.Notes, CashTendered: req.CashTendered,
		Language: biz.Language, IdempotencyKey: strings.Clone(strings.TrimSpace(c.Get(idempotencyHeader))),
	}
	for _, it := range req.Items {
		in.Items = append(in.Items, services.OrderItemInput{ProductID: it.ProductID, Quantity: it.Quantity, OptionIDs: it.Options})
	}
	o, err := h.orders.Create(c.UserContext(), biz.ID, in)
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		fields := h.orderErrors(biz, l, ve)
		if msg, closed := fields[services.OrderFieldStore]; closed {
			return web.BadInput(c, msg, fields)
		}
		return web.BadInput(c, l.T("checkout.error.invalid"), fields)
	}
	if err != nil {
		return err
	}
	h.placed(o)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderLocation, "/"+biz.Slug+"/o/"+o.Code)
	status := fiber.StatusCreated
	if o.Replayed {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(orderResponse{
		Code: o.Code, WhatsAppURL: h.orders.OrderWhatsAppURL(biz, o), TotalCents: o.TotalCents,
		TrackingURL: h.orders.TrackingURL(biz, o), StoreOpen: biz.IsOpen(h.clock()),
	})
}
