package services_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

func waBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waStore(lang string) *domain.Business {
	return &domain.Business{
		Name: "Tacos Doña Lupe", Slug: "lupe", WhatsApp: "+525512345678", Language: lang,
		PayCash: true, PayCashNote: "¿Con cuánto pagas? Llevamos cambio", PayTransfer: true,
		PayTransferNote: "Manda tu comprobante\npor aquí",
	}
}

func waOrder() *domain.Order {
	return &domain.Order{
		Code: "ABCD2345", CustomerName: "Ana López", Fulfillment: domain.FulfillmentDelivery,
		Address: "Calle 5 #10,\nCentro", PaymentMethod: domain.PaymentTransfer, Notes: "Sin cebolla",
		SubtotalCents: 131050, DeliveryFeeCents: 3000, TotalCents: 134050,
		Items: []domain.OrderItem{
			{ProductName: "Taco al pastor", Quantity: 2, UnitPriceCents: 4500, LineTotalCents: 9000, Options: []domain.OrderItemOption{
				{Group: "Tortilla", Name: "Harina", DeltaCents: 500},
				{Group: "Extras", Name: "Queso", DeltaCents: 1500},
				{Group: "Extras", Name: "Guacamole", DeltaCents: 0},
			}},
			{ProductName: "Paquete fiesta", Quantity: 1, UnitPriceCents: 120000, LineTotalCents: 120000},
			{ProductName: "Agua de horchata", Quantity: 1, UnitPriceCents: 2050, LineTotalCents: 2050},
		},
	}
}

func TestOrderMessageSpanish(t *testing.T) {
	msg := services.OrderMessage(waBundle(t), waStore("es"), waOrder(), "https://qubly.mx/lupe/o/ABCD2345")
	want := strings.Join([]string{
		"¡Hola, Tacos Doña Lupe! Quiero hacer este pedido:",
		"*Pedido ABCD2345*",
		"",
		"2 × Taco al pastor (Tortilla: Harina; Extras: Queso, Guacamole) — $90.00",
		"1 × Paquete fiesta — $1,200.00",
		"1 × Agua de horchata — $20.50",
		"",
		"Subtotal: $1,310.50",
		"Envío: $30.00",
		"*Total: $1,340.50*",
		"",
		"Entrega: Envío a domicilio",
		"Dirección: Calle 5 #10, Centro",
		"Pago: Transferencia",
		"Notas: Sin cebolla",
		"Nombre: Ana López",
		"",
		"Ver el pedido: https://qubly.mx/lupe/o/ABCD2345",
	}, "\n")
	if msg != want {
		t.Fatalf("message:\n%s\n\nwant:\n%s", msg, want)
	}
}

func TestOrderMessagePickupInEnglish(t *testing.T) {
	o := waOrder()
	o.Fulfillment, o.Address, o.DeliveryFeeCents, o.TotalCents = domain.FulfillmentPickup, "", 0, o.SubtotalCents
	o.PaymentMethod, o.Notes = domain.PaymentCash, ""
	msg := services.OrderMessage(waBundle(t), waStore("en"), o, "https://qubly.mx/lupe/o/ABCD2345")
	for _, want := range []string{
		"Hi, Tacos Doña Lupe! I would like to place this order:", "*Order ABCD2345*",
		"2 × Taco al pastor (Tortilla: Harina; Extras: Queso, Guacamole) — $90.00",
		"Subtotal: $1,310.50", "*Total: $1,310.50*", "Fulfillment: Pick up at the store", "Payment: Cash\n",
		"Name: Ana López", "See the order: https://qubly.mx/lupe/o/ABCD2345",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	for _, unwanted := range []string{"Delivery:", "Address:", "Notes:", "Envío", "Pedido", "Llevamos cambio"} {
		if strings.Contains(msg, unwanted) {
			t.Errorf("pickup message has %q:\n%s", unwanted, msg)
		}
	}
}

func TestOrderMessageSummarisesAHugeCart(t *testing.T) {
	o := waOrder()
	o.Items = nil
	for i := range domain.OrderMaxItems {
		o.Items = append(o.Items, domain.OrderItem{
			ProductName: fmt.Sprintf("Producto con un nombre bastante largo número %02d", i), Quantity: 2,
			LineTotalCents: 10000, Options: []domain.OrderItemOption{{Group: "Tamaño", Name: "Grande"}, {Group: "Extras", Name: strings.Repeat("queso ", 10)}},
		})
	}
	o.Notes = strings.Repeat("n", domain.OrderNotesMax)
	msg := services.OrderMessage(waBundle(t), waStore("es"), o, "https://qubly.mx/lupe/o/ABCD2345")
	if n := utf8.RuneCountInString(msg); n > services.OrderMessageMax {
		t.Fatalf("message is %d characters, max %d", n, services.OrderMessageMax)
	}
	if !strings.Contains(msg, "2 × Producto con un nombre bastante largo número 00") {
		t.Error("first item missing")
	}
	if !strings.Contains(msg, "…y 44 productos más (88 pzs.)") || !strings.Contains(msg, "el pedido completo está en el enlace") {
		t.Errorf("no summary of the items left out:\n%s", msg)
	}
	for _, want := range []string{"*Total: $1,340.50*", "Nombre: Ana López", "Ver el pedido: https://qubly.mx/lupe/o/ABCD2345"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

func TestWhatsAppURLEncoding(t *testing.T) {
	text := "¡Hola! 2 × Taco & agua = $50.00\nNotas: 50% #1 + extra?"
	u := services.WhatsAppURL("525512345678", text)
	if !strings.HasPrefix(u, "https://wa.me/525512345678?text=") {
		t.Fatalf("url %s", u)
	}
	raw := strings.TrimPrefix(u, "https://wa.me/525512345678?text=")
	if strings.Contains(raw, "+") || strings.Contains(raw, " ") || strings.Contains(raw, "\n") {
		t.Errorf("text not fully encoded: %s", raw)
	}
	if !strings.Contains(raw, "%20") || !strings.Contains(raw, "%0A") || !strings.Contains(raw, "%2B") {
		t.Errorf("spaces, newlines or plus not percent-encoded: %s", raw)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if got := parsed.Query().Get("text"); got != text {
		t.Errorf("decoded %q, want %q", got, text)
	}
	if got := services.WhatsAppURL("525512345678", ""); got != "https://wa.me/525512345678" {
		t.Errorf("empty text: %s", got)
	}
}

func TestValidOrderCode(t *testing.T) {
	for code, want := range map[string]bool{
		"ABCD2345": true, services.NewOrderCode(): true, "abcd2345": false, "ABCD234": false,
		"ABCD23450": false, "ABCD2340": false, "ABCDI345": false, "": false, "ABCD234%": false,
	} {
		if got := services.ValidOrderCode(code); got != want {
			t.Errorf("ValidOrderCode(%q) = %v", code, got)
		}
	}
}

func TestQuoteItem(t *testing.T) {
	p := &domain.Product{ID: 7, Name: "Taco", PriceCents: 2500, Active: true, Options: []domain.OptionGroup{
		{ID: 1, Name: "Tortilla", MinSelect: 1, MaxSelect: 1, Choices: []domain.OptionChoice{{ID: 11, Name: "Maíz"}, {ID: 12, Name: "Harina", DeltaCents: 500}}},
		{ID: 2, Name: "Extras", MinSelect: 0, MaxSelect: 2, Choices: []domain.OptionChoice{{ID: 21, Name: "Queso", DeltaCents: 1500}}},
	}}
	it, err := services.QuoteItem(p, services.OrderItemInput{ProductID: 7, Quantity: 3, OptionIDs: []int64{21, 12}})
	if err != nil {
		t.Fatal(err)
	}
	if it.UnitPriceCents != 4500 || it.LineTotalCents != 13500 || len(it.Options) != 2 || it.Options[0].Name != "Harina" {
		t.Fatalf("quote %+v", it)
	}
	for name, tc := range map[string]struct {
		p     *domain.Product
		in    services.OrderItemInput
		field string
	}{
		"unknown":     {nil, services.OrderItemInput{ProductID: 7, Quantity: 1}, "items[0].product_id"},
		"sold out":    {&domain.Product{ID: 7, Active: true, SoldOut: true}, services.OrderItemInput{ProductID: 7, Quantity: 1}, "items[0].product_id"},
		"quantity":    {p, services.OrderItemInput{ProductID: 7, Quantity: 100, OptionIDs: []int64{11}}, "items[0].quantity"},
		"no tortilla": {p, services.OrderItemInput{ProductID: 7, Quantity: 1}, "items[0].options"},
		"bad option":  {p, services.OrderItemInput{ProductID: 7, Quantity: 1, OptionIDs: []int64{11, 99}}, "items[0].options"},
	} {
		_, err := services.QuoteItem(tc.p, tc.in)
		v, ok := err.(*domain.ValidationError)
		if !ok || !v.Has(tc.field) {
			t.Errorf("%s: error %v, want field %s", name, err, tc.field)
		}
	}
}

// The store's payment instructions are for the shopper's screen: written in
// the message the shopper sends, they would read as the shopper's words.
func TestOrderMessageCarriesTheShoppersChoiceNotTheStoresNote(t *testing.T) {
	b := waStore("es")
	for _, m := range []domain.PaymentMethod{domain.PaymentCash, domain.PaymentTransfer} {
		o := waOrder()
		o.PaymentMethod = m
		msg := services.OrderMessage(waBundle(t), b, o, "https://qubly.mx/lupe/o/ABCD2345")
		for _, note := range []string{"Llevamos cambio", "Con cuánto", "comprobante"} {
			if strings.Contains(msg, note) {
				t.Errorf("%s: the store's note %q is in the message:\n%s", m, note, msg)
			}
		}
	}
}

func TestOrderMessageCarriesTheCashThePayerBrings(t *testing.T) {
	o := waOrder()
	o.PaymentMethod = domain.PaymentCash
	cash := domain.Money(150000)
	o.CashTenderedCents = &cash
	msg := services.OrderMessage(waBundle(t), waStore("es"), o, "https://qubly.mx/lupe/o/ABCD2345")
	if !strings.Contains(msg, "\nPago: Efectivo, pago con $1,500.00\n") {
		t.Fatalf("message:\n%s", msg)
	}
	msg = services.OrderMessage(waBundle(t), waStore("en"), o, "https://qubly.mx/lupe/o/ABCD2345")
	if !strings.Contains(msg, "\nPayment: Cash, paying with $1,500.00\n") {
		t.Fatalf("English message:\n%s", msg)
	}
}
