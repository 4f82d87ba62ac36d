package dashboard

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const billingPath = services.BillingPath

// Billing serves the owner's subscription at /dashboard/billing: its state,
// "Suscribirme" (Stripe Checkout), "Administrar pago" (the customer portal)
// and the invoices.
type Billing struct{ billing *services.Billing }

// NewBilling returns the billing handler.
func NewBilling(billing *services.Billing) *Billing { return &Billing{billing: billing} }

// Register mounts the routes on r.
func (h *Billing) Register(r fiber.Router) {
	r.Get("/billing", h.show)
	r.Post("/billing/subscribe", h.subscribe)
	r.Post("/billing/portal", h.portal)
}

// invoiceRow is an invoice as the table shows it.
type invoiceRow struct {
	Amount, Period, Status, URL string
	Paid                        bool
}

func (h *Billing) show(c *fiber.Ctx) error {
	biz := Business(c)
	o, err := h.billing.Overview(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	l, lang, loc := web.L(c), web.Lang(c), biz.Location()
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return web.Date(t.In(loc), lang)
	}
	rows := make([]invoiceRow, len(o.Invoices))
	for i, inv := range o.Invoices {
		rows[i] = invoiceRow{
			Amount: money(inv.AmountCents, inv.Currency),
			Period: web.Date(inv.PeriodStart.In(loc), lang) + " – " + web.Date(inv.PeriodEnd.In(loc), lang),
			Status: invoiceStatus(l.T, inv.Status), URL: inv.HostedURL, Paid: inv.Status == domain.InvoicePaid,
		}
	}
	history := make([]fiber.Map, len(o.History))
	for i, ch := range o.History {
		history[i] = fiber.Map{"Date": web.Date(ch.CreatedAt.In(loc), lang), "From": ch.From, "To": ch.To}
	}
	data := fiber.Map{
		"Title": l.T("billing.page.title"), "O": o, "Price": o.PriceCents.Pesos(),
		"TrialEnds": date(o.TrialEndsAt), "NextCharge": date(o.NextCharge), "GraceEnds": date(o.GraceEndsAt),
		"Invoices": rows, "History": history,
	}
	switch c.Query("checkout") {
	case "success":
		data["Flash"] = &web.Flash{Kind: "info", Text: l.T("billing.checkout.success")}
	case "cancelled":
		data["Flash"] = &web.Flash{Kind: "info", Text: l.T("billing.checkout.cancelled")}
	}
	return page(c, fiber.StatusOK, "dashboard/billing", "billing", data)
}

// money shows an invoice amount: "$249.00 MXN".
func money(m domain.Money, currency string) string {
	return m.Pesos() + " " + strings.ToUpper(currency)
}

// invoiceStatus translates Stripe's status of an invoice.
func invoiceStatus(t func(string, ...any) string, status string) string {
	switch status {
	case "paid", "open", "draft", "uncollectible", "void":
		return t("billing.invoice_status." + status)
	}
	return status
}

func (h *Billing) subscribe(c *fiber.Ctx) error {
	url, err := h.billing.Subscribe(c.UserContext(), BusinessID(c), web.Lang(c))
	if errors.Is(err, domain.ErrAlreadySubscribed) {
		// They manage the subscription they have in the portal.
		return h.portal(c)
	}
	return h.toStripe(c, url, err)
}

func (h *Billing) portal(c *fiber.Ctx) error {
	url, err := h.billing.Portal(c.UserContext(), BusinessID(c))
	return h.toStripe(c, url, err)
}

// toStripe sends the owner to url on Stripe, or back to the billing page
// with the reason it cannot.
func (h *Billing) toStripe(c *fiber.Ctx, url string, err error) error {
	var key string
	switch {
	case err == nil:
		return c.Redirect(url, fiber.StatusSeeOther)
	case errors.Is(err, domain.ErrPaymentsOff):
		key = "billing.err.payments_off"
	case errors.Is(err, domain.ErrNoCustomer):
		key = "billing.err.no_customer"
	case errors.Is(err, domain.ErrAlreadySubscribed):
		key = "billing.err.already"
	case errors.Is(err, domain.ErrNotFound), errors.Is(err, domain.ErrUnavailable):
		return err
	default:
		web.Log(c).Error("stripe request failed", "err", err, "business_id", BusinessID(c))
		key = "billing.err.stripe"
	}
	web.SetFlash(c, "error", key)
	return c.Redirect(billingPath, fiber.StatusSeeOther)
}
