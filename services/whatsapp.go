package services

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// OrderMessageMax bounds the order message sent through wa.me, in
// characters. Long wa.me links open unreliably on some phones, so a huge
// cart lists as many items as fit and points to the tracking page for the
// rest.
const OrderMessageMax = 1800

// TrackingURL is the absolute address of the order's public tracking page.
func (s *Orders) TrackingURL(b *domain.Business, o *domain.Order) string {
	return TrackingURL(s.baseURL, b.Slug, o.Code)
}

// TrackingURL is baseURL/{slug}/o/{code}.
func TrackingURL(baseURL, slug, code string) string {
	return strings.TrimRight(baseURL, "/") + "/" + slug + "/o/" + code
}

// OrderWhatsAppURL is the wa.me link that opens WhatsApp to the store with
// the order written, in the store's language.
func (s *Orders) OrderWhatsAppURL(b *domain.Business, o *domain.Order) string {
	return WhatsAppURL(b.WhatsAppDigits(), OrderMessage(s.tr, b, o, s.TrackingURL(b, o)))
}

// WhatsAppURL is a wa.me universal link (it opens the app on Android and
// iOS, and WhatsApp Web elsewhere) to the number digits with text typed in.
// Spaces are %20 and newlines %0A, which every WhatsApp client decodes
// (a "+" for a space is shown literally by some of them).
func WhatsAppURL(digits, text string) string {
	u := "https://wa.me/" + digits
	if text == "" {
		return u
	}
	return u + "?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
}

// OrderMessage writes order o as the shopper sends it to store b: each item
// with quantity, options and line total, the totals, fulfilment, the
// payment method the shopper chose (and the cash they pay with), notes, the shopper's name, the
// code and the tracking link. It is in the store's language, so the owner
// always reads their own. The message stays under OrderMessageMax
// characters: when the items do not fit, the last ones are summed up in a
// line that points to the tracking page.
func OrderMessage(tr Translator, b *domain.Business, o *domain.Order, trackingURL string) string {
	lang := normLang(b.Language)
	t := func(key string, kv ...any) string {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		return tr.Translate(lang, key, data)
	}

	head := []string{
		t("checkout.wa.greeting", "Store", clip(b.Name, 100)),
		"*" + t("checkout.wa.order", "Code", o.Code) + "*",
		"",
	}

	var tail []string
	tail = append(tail, "", t("checkout.wa.subtotal", "Amount", o.SubtotalCents.Pesos()))
	if o.Fulfillment == domain.FulfillmentDelivery {
		tail = append(tail, t("checkout.wa.delivery_fee", "Amount", o.DeliveryFeeCents.Pesos()))
	}
	tail = append(tail, "*"+t("checkout.wa.total", "Amount", o.TotalCents.Pesos())+"*", "")
	tail = append(tail, t("checkout.wa.fulfillment", "Value", t("checkout.fulfillment."+string(o.Fulfillment))))
	if o.Fulfillment == domain.FulfillmentDelivery && o.Address != "" {
		tail = append(tail, t("checkout.wa.address", "Value", clip(oneLine(o.Address), 300)))
	}
	// Only what the shopper chose: the store's own payment instructions are
	// shown to the shopper (checkout and tracking pages), never written
	// into the message as if the shopper said them.
	payment := t("checkout.payment." + string(o.PaymentMethod))
	if o.PaymentMethod == domain.PaymentCash && o.CashTenderedCents != nil {
		tail = append(tail, t("checkout.wa.payment_cash_with", "Value", payment, "Amount", o.CashTenderedCents.Pesos()))
	} else {
		tail = append(tail, t("checkout.wa.payment", "Value", payment))
	}
	if o.Notes != "" {
		tail = append(tail, t("checkout.wa.notes", "Value", clip(oneLine(o.Notes), 500)))
	}
	tail = append(tail, t("checkout.wa.name", "Value", clip(o.CustomerName, 100)))
	tail = append(tail, "", t("checkout.wa.tracking", "URL", trackingURL))

	size := 0
	for _, l := range append(head, tail...) {
		size += utf8.RuneCountInString(l) + 1
	}
	lines := make([]string, 0, len(o.Items))
	for i, it := range o.Items {
		line := OrderItemLine(it)
		n := utf8.RuneCountInString(line) + 1
		// Room for the "and N more" line unless this is the last item.
		reserve := 0
		if i < len(o.Items)-1 {
			reserve = 80
		}
		if len(lines) > 0 && size+n+reserve > OrderMessageMax {
			units := 0
			for _, rest := range o.Items[i:] {
				units += rest.Quantity
			}
			lines = append(lines, t("checkout.wa.more_items", "Count", len(o.Items)-i, "Units", t("checkout.wa.units", "Count", units)))
			break
		}
		lines = append(lines, line)
		size += n
	}

	msg := make([]string, 0, len(head)+len(lines)+len(tail))
	msg = append(msg, head...)
	msg = append(msg, lines...)
	msg = append(msg, tail...)
	return strings.Join(msg, "\n")
}

// OrderItemLine is one item as written in the order message and shown on
// the tracking page: "2 × Taco al pastor (Tortilla: Harina; Extras: Queso,
// Guacamole) — $130.00".
func OrderItemLine(it domain.OrderItem) string {
	line := strconv.Itoa(it.Quantity) + " × " + clip(it.ProductName, 120)
	if opts := OptionsText(it.Options); opts != "" {
		line += " (" + clip(opts, 200) + ")"
	}
	return line + " — " + it.LineTotalCents.Pesos()
}

// OptionsText lists chosen options by group: "Tortilla: Harina; Extras:
// Queso, Guacamole".
func OptionsText(opts []domain.OrderItemOption) string {
	var parts []string
	for i := 0; i < len(opts); {
		g := opts[i].Group
		names := []string{opts[i].Name}
		j := i + 1
		for ; j < len(opts) && opts[j].Group == g; j++ {
			names = append(names, opts[j].Name)
		}
		parts = append(parts, g+": "+strings.Join(names, ", "))
		i = j
	}
	return strings.Join(parts, "; ")
}

// PaymentNote is the store's instructions for payment method m ("" when none).
func PaymentNote(b *domain.Business, m domain.PaymentMethod) string {
	switch m {
	case domain.PaymentCash:
		return strings.TrimSpace(b.PayCashNote)
	case domain.PaymentTransfer:
		return strings.TrimSpace(b.PayTransferNote)
	case domain.PaymentCardOnDelivery:
		return strings.TrimSpace(b.PayCardOnDeliveryNote)
	}
	return ""
}

// clip shortens s to at most n characters, marking the cut with "…".
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// oneLine folds line breaks so a field keeps its label's line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
