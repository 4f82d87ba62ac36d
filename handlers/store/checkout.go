package store

// Checkout: the cart page, ordering without JavaScript, the JSON order API
// (orders_api.go) and the tracking page (tracking.go).
//
// Two ways to order, both through services.Orders.Create (prices, options,
// delivery fee, minimum and stock are always computed on the server):
//
//   - With JavaScript (static/js/cart.js): the cart lives in localStorage;
//     /{slug}/cart reconciles it with /{slug}/catalog.json and posts the
//     order as JSON to /{slug}/orders, then opens the returned wa.me link.
//   - Without: the product page's add-to-cart form posts one item to
//     /{slug}/checkout, which shows it priced with the shopper's form;
//     /{slug}/checkout/confirm places the order and redirects (303, so a
//     reload never orders twice) to the tracking page, which then shows a
//     big "Abrir WhatsApp" button. A page rather than a redirect to wa.me,
//     so the shopper keeps the order code and link when WhatsApp is not
//     installed.
//
// A store closed by its hours takes orders for when it opens, unless its
// owner chose to take none then; the owner's "closed now" switch takes none
// (domain.Business.TakesOrders). The cart and checkout pages say which, and
// when the store opens, before the shopper sends; a store that takes none
// disables the button and orders.Create refuses the order (400, field
// "store"). A placed order's confirmation repeats that the store is closed,
// and the API answers store_open: false.

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// Public write limits for placing orders (JSON and form alike): per client
// IP and per store, per minute. Many Mexican mobile carriers put shoppers
// behind shared IPs, hence a per-IP limit well above what one person needs.
const (
	ordersPerIP    = 20
	ordersPerStore = 300
	ordersWindow   = time.Minute
)

// registerCheckout mounts the cart, checkout, order and tracking routes;
// RegisterStores calls it before the /:slug routes.
func (h *Handler) registerCheckout(r fiber.Router) {
	limit := web.RateLimit(
		web.ByIP(web.NewLimiter(ordersPerIP, ordersWindow)),
		web.ByParam(web.NewLimiter(ordersPerStore, ordersWindow), "slug"),
	)
	r.Get("/:slug/catalog.json", h.catalogJSON)
	r.Post("/:slug/orders", limit, h.createOrder)
	r.Get("/:slug/cart", h.cart)
	r.Post("/:slug/checkout", h.checkout)
	r.Post("/:slug/checkout/confirm", limit, h.confirmCheckout)
	r.Get("/:slug/o/:code", h.tracking)
}

// checkoutForm is the shopper's part of the checkout form, as typed.
type checkoutForm struct {
	Name, Phone, Fulfillment, Address, PaymentMethod, Notes, CashTendered string
	// IdempotencyKey is the checkout page's key for this order.
	IdempotencyKey string
}

// checkoutChoice is one fulfilment or payment option the store offers.
type checkoutChoice struct {
	Value, Label, Note string
	Checked            bool
}

// fulfillmentChoices lists how b delivers, with the pickup address or the
// delivery fee and minimum as notes.
func fulfillmentChoices(b *domain.Business, l *i18n.Localizer, selected string) []checkoutChoice {
	var out []checkoutChoice
	if b.PickupEnabled {
		ch := checkoutChoice{Value: string(domain.FulfillmentPickup), Label: l.T("checkout.fulfillment.pickup")}
		if addr := pickupAddress(b); addr != "" {
			ch.Note = l.T("checkout.pickup_at", "Address", addr)
		}
		out = append(out, ch)
	}
	if b.DeliveryEnabled {
		out = append(out, checkoutChoice{
			Value: string(domain.FulfillmentDelivery), Label: l.T("checkout.fulfillment.delivery"), Note: deliveryText(b, l),
		})
	}
	return checkChoice(out, selected)
}

// paymentChoices lists the payment methods b accepts with b's note for each.
func paymentChoices(b *domain.Business, l *i18n.Localizer, selected string) []checkoutChoice {
	var out []checkoutChoice
	for _, m := range []struct {
		method domain.PaymentMethod
		on     bool
	}{
		{domain.PaymentCash, b.PayCash},
		{domain.PaymentTransfer, b.PayTransfer},
		{domain.PaymentCardOnDelivery, b.PayCardOnDelivery},
	} {
		if m.on {
			out = append(out, checkoutChoice{
				Value: string(m.method), Label: l.T("checkout.payment." + string(m.method)), Note: services.PaymentNote(b, m.method),
			})
		}
	}
	return checkChoice(out, selected)
}

// checkChoice marks the selected choice, or the only one.
func checkChoice(list []checkoutChoice, selected string) []checkoutChoice {
	for i := range list {
		list[i].Checked = list[i].Value == selected || len(list) == 1
	}
	return list
}

func pickupAddress(b *domain.Business) string {
	parts := make([]string, 0, 2)
	for _, s := range []string{b.Address, b.City} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

func deliveryText(b *domain.Business, l *i18n.Localizer) string {
	if b.DeliveryMinCents > 0 {
		return l.T("checkout.delivery_info_min", "Fee", b.DeliveryFeeCents.Pesos(), "Min", b.DeliveryMinCents.Pesos())
	}
	return l.T("checkout.delivery_info", "Fee", b.DeliveryFeeCents.Pesos())
}

// checkoutData is what the shopper form (store/checkout_fields) needs.
func (h *Handler) checkoutData(b *domain.Business, f checkoutForm, errs map[string]string) fiber.Map {
	l := h.bundle.For(b.Language)
	if errs == nil {
		errs = map[string]string{}
	}
	return fiber.Map{
		"Form":         f,
		"Errors":       errs,
		"Fulfillments": fulfillmentChoices(b, l, f.Fulfillment),
		"Payments":     paymentChoices(b, l, f.PaymentMethod),
		"DeliveryText": deliveryText(b, l),
	}
}

// cart serves the cart page: a shell that cart.js fills from localStorage.
// It carries the store's fulfilment and payment options, delivery fee and
// minimum (as markup and data attributes), so the script needs no other
// request than catalog.json. Without JavaScript it says so and points to
// the product pages, whose form orders one product without the cart.
func (h *Handler) cart(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)
	data := h.checkoutData(biz, checkoutForm{}, nil)
	data["SEO"] = &seo{Title: l.T("checkout.cart.title") + " · " + biz.Name, Path: "/" + biz.Slug + "/cart", NoIndex: true}
	return h.render(c, fiber.StatusOK, "store/cart", biz, data)
}

// checkoutItem reads the product form's item: product_id, options, quantity.
func checkoutItem(c *fiber.Ctx) services.OrderItemInput {
	in := services.OrderItemInput{Quantity: 1}
	in.ProductID, _ = strconv.ParseInt(strings.TrimSpace(c.FormValue("product_id")), 10, 64)
	if q := strings.TrimSpace(c.FormValue("quantity")); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil {
			n = 0 // refused by the quote as out of range
		}
		in.Quantity = n
	}
	for _, raw := range c.Request().PostArgs().PeekMulti("options") {
		if id, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64); err == nil {
			in.OptionIDs = append(in.OptionIDs, id)
		}
	}
	return in
}

// checkoutPage renders the no-JavaScript checkout for one item: the item
// priced by the server and the shopper's form. A product that cannot be
// ordered as chosen (options, quantity, stock) shows its product page again
// with the shopper's choices and the messages beside them, status 400; a
// product that is gone shows why, with a way back.
func (h *Handler) checkoutPage(c *fiber.Ctx, biz *domain.Business, in services.OrderItemInput, f checkoutForm, errs map[string]string) error {
	l := h.bundle.For(biz.Language)
	data := h.checkoutData(biz, f, errs)
	data["SEO"] = &seo{Title: l.T("checkout.title") + " · " + biz.Name, Path: "/" + biz.Slug + "/cart", NoIndex: true}
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusBadRequest
		data["Error"] = l.T("checkout.error.invalid")
		if msg, closed := errs[services.OrderFieldStore]; closed {
			data["Error"] = msg
		}
	}
	cat, err := h.stores.Catalog(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	p := cat.Product(in.ProductID)
	if p != nil {
		data["ProductURL"] = productPath(biz, p)
	}
	item, err := services.QuoteItem(p, in)
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve) && p != nil:
		// Back to the product page with the choices kept and each
		// message beside its part, rather than a dead end.
		return h.productPage(c, fiber.StatusBadRequest, biz, cat, p, refusedProductForm(l, in, ve))
	case errors.As(err, &ve):
		status = fiber.StatusBadRequest
		data["Error"] = firstMessage(l, ve)
	case err != nil:
		return err
	default:
		data["Item"] = item
		data["OptionIDs"] = in.OptionIDs
		// One key per checkout page: a double tap, or a resend after a
		// lost answer, finds the order already placed.
		key := f.IdempotencyKey
		if !services.ValidIdempotencyKey(key) {
			key = services.NewIdempotencyKey()
		}
		data["IdempotencyKey"] = key
		// Item-level errors from Create (stock, minimum) have no field on
		// this page: show the first one at the top.
		for _, fe := range itemErrors(errs) {
			data["Error"] = fe
			break
		}
	}
	return h.render(c, status, "store/checkout", biz, data)
}

// checkout shows the checkout page for the item posted by a product page's
// add-to-cart form (the path without JavaScript).
func (h *Handler) checkout(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	return h.checkoutPage(c, biz, checkoutItem(c), checkoutForm{}, nil)
}

// confirmCheckout places the one-item order of the checkout page and
// redirects to its tracking page, which offers the WhatsApp button. Bad
// input shows the checkout page again with 400 and the messages.
func (h *Handler) confirmCheckout(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	item := checkoutItem(c)
	f := checkoutForm{
		Name: c.FormValue("name"), Phone: c.FormValue("phone"), Fulfillment: c.FormValue("fulfillment"),
		Address: c.FormValue("address"), PaymentMethod: c.FormValue("payment_method"), Notes: c.FormValue("notes"),
		CashTendered:   c.FormValue("cash_tendered"),
		IdempotencyKey: strings.Clone(strings.TrimSpace(c.FormValue("idempotency_key"))),
	}
	key := f.IdempotencyKey
	if !services.ValidIdempotencyKey(key) {
		key = "" // an old page without one: order as before
	}
	o, err := h.orders.Create(c.UserContext(), biz.ID, services.CreateOrderInput{
		Items:        []services.OrderItemInput{item},
		CustomerName: f.Name, CustomerPhone: f.Phone, Fulfillment: domain.Fulfillment(f.Fulfillment),
		Address: f.Address, PaymentMethod: domain.PaymentMethod(f.PaymentMethod), Notes: f.Notes,
		CashTendered: f.CashTendered, Language: biz.Language, IdempotencyKey: key,
	})
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return h.checkoutPage(c, biz, item, f, h.orderErrors(biz, h.bundle.For(biz.Language), ve))
	}
	if err != nil {
		return err
	}
	h.placed(o)
	return c.Redirect("/"+biz.Slug+"/o/"+o.Code+"?placed=1", fiber.StatusSeeOther)
}

// placed counts order o in the metrics unless it repeats one already placed.
func (h *Handler) placed(o *domain.Order) {
	if h.metrics != nil && !o.Replayed {
		h.metrics.OrderCreated()
	}
}

// firstMessage is the message of a validation error's first field.
func firstMessage(l *i18n.Localizer, ve *domain.ValidationError) string {
	if len(ve.Fields) == 0 {
		return l.T("checkout.error.invalid")
	}
	f := ve.Fields[0]
	return l.T(f.Key, f.Args)
}

// itemErrors are the messages about the items ("items", "items[0].…"), in
// field order.
func itemErrors(errs map[string]string) []string {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		if k == "items" || strings.HasPrefix(k, "items[") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = errs[k]
	}
	return out
}

// refusedProductForm is the product form as the shopper sent it, with the
// quote's messages placed by the part they are about.
func refusedProductForm(l *i18n.Localizer, in services.OrderItemInput, ve *domain.ValidationError) productForm {
	f := productForm{Chosen: map[int64]bool{}, Quantity: in.Quantity, GroupErrors: map[int64]string{}}
	for _, id := range in.OptionIDs {
		f.Chosen[id] = true
	}
	for _, fe := range ve.Fields {
		msg := l.T(fe.Key, fe.Args)
		switch gid, _ := fe.Args["GroupID"].(int64); {
		case strings.HasSuffix(fe.Field, ".quantity"):
			f.QtyError = msg
		case gid != 0:
			f.GroupErrors[gid] = msg
		default:
			f.Error = msg
		}
	}
	return f
}
