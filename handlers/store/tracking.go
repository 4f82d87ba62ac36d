package store

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// transferDetails are where a shopper who pays by transfer sends the money.
type transferDetails struct {
	CLABE, Bank, Holder string
}

// tracking serves /{slug}/o/{code}: the order's status in words, its items
// and totals, fulfilment and payment (with the transfer details when the
// shopper pays by transfer) and when it was placed, in the store's time
// zone. An unknown code, or another store's, is 404. The page is private to
// whoever holds the link: never cached, never indexed, and it does not show
// the shopper's phone or address. A pending order offers the wa.me link that
// sends it to the store (?placed=1 is the confirmation after ordering
// without JavaScript, with a big button); later ones a link to message the
// store about it.
func (h *Handler) tracking(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	o, err := h.orders.GetByCode(c.UserContext(), biz.ID, c.Params("code"))
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)
	wa := h.orders.OrderWhatsAppURL(biz, o)
	if o.Status != domain.OrderPending {
		wa = services.WhatsAppURL(biz.WhatsAppDigits(), l.T("checkout.wa.question", "Store", biz.Name, "Code", o.Code))
	}
	data := fiber.Map{
		"Order":         o,
		"Placed":        c.Query("placed") == "1" && o.Status == domain.OrderPending,
		"WhatsAppURL":   wa,
		"StorePhone":    biz.WhatsApp,
		"Created":       web.NumericDateTime(o.CreatedAt.In(biz.Location()), l.Lang()),
		"PickupAddress": pickupAddress(biz),
		"PaymentNote":   services.PaymentNote(biz, o.PaymentMethod),
		"SEO": &seo{
			Title: l.T("checkout.tracking.title", "Code", o.Code) + " · " + biz.Name,
			Path:  "/" + biz.Slug + "/o/" + o.Code, NoIndex: true,
		},
	}
	if m := o.CashTenderedCents; m != nil && o.PaymentMethod == domain.PaymentCash {
		data["CashWith"] = l.T("checkout.tracking.cash_with", "Amount", m.Pesos(), "Change", (*m - o.TotalCents).Pesos())
	}
	if o.PaymentMethod == domain.PaymentTransfer && biz.PayTransferCLABE != "" {
		data["Transfer"] = transferDetails{CLABE: biz.PayTransferCLABE, Bank: biz.PayTransferBank, Holder: biz.PayTransferHolder}
	}
	c.Set("X-Robots-Tag", "noindex, nofollow")
	return h.render(c, fiber.StatusOK, "store/tracking", biz, data)
}
