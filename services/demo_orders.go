package services

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// demoOrderClock is the clock of the orders service that places the demo's
// orders: seeding sets it to each order's past time, so the orders service
// stamps them as if they had been placed then.
type demoOrderClock struct{ at time.Time }

func (c *demoOrderClock) now() time.Time { return c.at }

// noEmails drops the "new order" emails of the demo's orders.
type noEmails struct{}

func (noEmails) Render(string, string, string, map[string]any) (*domain.OutboxEmail, error) {
	return nil, nil
}

func (noEmails) Add(context.Context, *domain.OutboxEmail) error { return nil }

// demoLine is one line of a demo order; options are "Group/Choice".
type demoLine struct {
	product string
	qty     int
	options []string
}

// demoOrder is a demo order: placed daysAgo at the local time at ("HH:MM"),
// or minutesAgo before seeding when daysAgo is 0, then moved to status.
type demoOrder struct {
	status     domain.OrderStatus
	daysAgo    int
	at         string
	minutesAgo int
	customer   string
	phone      string
	address    string // empty: picked up at the store
	payment    domain.PaymentMethod
	notes      string
	lang       string
	lines      []demoLine
}

// demoOrders are the demo store's orders of the last four weeks, in every
// status, so its dashboard, order list and best sellers are alive.
var demoOrders = []demoOrder{
	{status: domain.OrderPending, minutesAgo: 6, customer: "Andrea Morales", phone: "55 4187 2290",
		address: "Calle Pilares 418, depto. 3, Col. Del Valle", payment: domain.PaymentCash,
		notes: "Sin cebolla en los de pastor, por favor.",
		lines: []demoLine{{"Taco al pastor", 4, []string{"Tortilla/Maíz", "Extras/Queso"}}, {"Agua de horchata (1 litro)", 1, nil}}},
	{status: domain.OrderPending, minutesAgo: 19, customer: "Roberto Sánchez", phone: "56 2391 7745",
		payment: domain.PaymentTransfer,
		lines:   []demoLine{{"Orden de 5 tacos al pastor", 1, nil}, {"Refresco de vidrio (355 ml)", 2, nil}}},
	{status: domain.OrderPending, minutesAgo: 41, customer: "Karla Jiménez", phone: "33 1456 8802",
		address: "Av. Coyoacán 1520, int. 7, Col. Del Valle", payment: domain.PaymentCash,
		notes: "Pago con billete de 500.",
		lines: []demoLine{{"Torta cubana", 1, nil}, {"Agua de jamaica (1 litro)", 1, nil}, {"Churros con cajeta (3 piezas)", 1, nil}}},

	{status: domain.OrderConfirmed, minutesAgo: 75, customer: "Óscar Ramírez", phone: "55 7012 3368",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Taco de suadero", 3, nil}, {"Taco campechano", 2, nil}, {"Limonada mineral", 1, nil}}},
	{status: domain.OrderConfirmed, minutesAgo: 110, customer: "Lucía Fernández", phone: "55 6630 1184",
		address: "Eugenia 811, depto. 402, Col. Narvarte", payment: domain.PaymentTransfer,
		notes: "Tocar el timbre del 402; el interfón no sirve.",
		lines: []demoLine{{"Torta de milanesa", 1, []string{"Tamaño/Gigante"}}, {"Torta de milanesa", 1, []string{"Tamaño/Normal"}},
			{"Agua de tamarindo (1 litro)", 1, nil}}},
	{status: domain.OrderConfirmed, minutesAgo: 160, customer: "Emily Carter", phone: "55 3902 4471",
		payment: domain.PaymentCash, lang: "en",
		lines: []demoLine{{"Taco al pastor", 3, []string{"Tortilla/Harina", "Extras/Aguacate"}}, {"Café de olla", 1, nil}}},

	{status: domain.OrderCompleted, daysAgo: 1, at: "20:15", customer: "Diego Torres", phone: "55 2847 1963",
		address: "Av. Félix Cuevas 301, Col. Tlacoquemécatl", payment: domain.PaymentCash,
		lines: []demoLine{{"Orden de 5 tacos al pastor", 2, nil}, {"Agua de horchata (1 litro)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 1, at: "14:10", customer: "Mónica Ruiz", phone: "55 9123 5540",
		payment: domain.PaymentTransfer,
		lines: []demoLine{{"Quesadilla de flor de calabaza", 2, nil}, {"Quesadilla de huitlacoche", 1, nil},
			{"Agua de jamaica (1 litro)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 2, at: "21:30", customer: "Alejandro Vega", phone: "81 2233 6104",
		address: "Providencia 1104, Col. Del Valle", payment: domain.PaymentCash,
		lines: []demoLine{{"Gringa al pastor", 2, nil}, {"Taco de bistec", 3, nil}, {"Refresco de vidrio (355 ml)", 2, nil}}},
	{status: domain.OrderCompleted, daysAgo: 3, at: "13:45", customer: "Patricia Núñez", phone: "55 5081 7726",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Torta ahogada", 1, nil}, {"Agua de horchata (1 litro)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 4, at: "19:20", customer: "Fernando Castillo", phone: "55 6714 2038",
		address: "Amores 1322, Col. Del Valle", payment: domain.PaymentTransfer, notes: "Es para una reunión, traer servilletas extra.",
		lines: []demoLine{{"Taco de barbacoa", 4, nil}, {"Café de olla", 2, nil}, {"Flan napolitano", 2, nil}}},
	{status: domain.OrderCompleted, daysAgo: 5, at: "15:05", customer: "Gabriela Ortiz", phone: "56 1190 4452",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Taco al pastor", 5, []string{"Tortilla/Maíz"}}, {"Pastel de tres leches", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 6, at: "20:40", customer: "Javier Mendoza", phone: "55 3375 9921",
		address: "Gabriel Mancera 940, Col. Del Valle", payment: domain.PaymentCash,
		lines: []demoLine{{"Taco de carnitas", 4, nil}, {"Taco campechano", 2, nil}, {"Limonada mineral", 2, nil}}},
	{status: domain.OrderCompleted, daysAgo: 8, at: "14:30", customer: "Rosa Delgado", phone: "55 4420 6187",
		payment: domain.PaymentTransfer,
		lines:   []demoLine{{"Volcán de bistec", 2, nil}, {"Quesadilla de chicharrón prensado", 1, nil}, {"Agua de tamarindo (1 litro)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 10, at: "21:10", customer: "Manuel Aguilar", phone: "55 8016 3374",
		address: "Pestalozzi 615, Col. Narvarte", payment: domain.PaymentCash,
		lines: []demoLine{{"Torta cubana", 2, nil}, {"Refresco de vidrio (355 ml)", 2, nil}}},
	{status: domain.OrderCompleted, daysAgo: 13, at: "13:55", customer: "Ana Sofía Herrera", phone: "55 2268 0915",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Taco de cochinita pibil", 3, nil}, {"Arroz con leche", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 16, at: "19:45", customer: "Tomás Guerrero", phone: "33 3812 4409",
		address: "Matías Romero 1210, Col. Letrán Valle", payment: domain.PaymentTransfer,
		lines: []demoLine{{"Orden de 5 tacos al pastor", 1, nil}, {"Gringa al pastor", 1, nil}, {"Agua de horchata (1 litro)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 20, at: "20:30", customer: "Claudia Ríos", phone: "55 7741 2856",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Taco al pastor", 4, []string{"Tortilla/Harina"}}, {"Churros con cajeta (3 piezas)", 1, nil}}},
	{status: domain.OrderCompleted, daysAgo: 25, at: "14:20", customer: "Sergio Navarro", phone: "55 6058 1497",
		address: "Torres Adalid 1735, Col. Narvarte", payment: domain.PaymentCash,
		lines: []demoLine{{"Torta de milanesa", 2, []string{"Tamaño/Normal"}}, {"Agua de jamaica (1 litro)", 2, nil}}},

	{status: domain.OrderCancelled, daysAgo: 2, at: "22:10", customer: "Pedro Luna", phone: "55 3190 6628",
		address: "Xochicalco 502, Col. Narvarte", payment: domain.PaymentCash,
		notes: "Si tardan más de una hora, mejor cancelo.",
		lines: []demoLine{{"Taco de bistec", 6, nil}}},
	{status: domain.OrderCancelled, daysAgo: 9, at: "15:40", customer: "Verónica Salas", phone: "55 8845 3012",
		payment: domain.PaymentCash,
		lines:   []demoLine{{"Quesadilla de huitlacoche", 2, nil}}},
	{status: domain.OrderCancelled, daysAgo: 18, at: "21:45", customer: "Iván Cruz", phone: "56 4402 7189",
		address: "Uxmal 388, Col. Vértiz Narvarte", payment: domain.PaymentTransfer,
		lines: []demoLine{{"Torta ahogada", 2, nil}}},
}

// seedOrders places the demo orders through the orders service (prices,
// options, delivery fee and stock as for a shopper's order) at their past
// times, oldest first, then moves each to its status like an owner would.
func (d *Demo) seedOrders(ctx context.Context, biz *domain.Business, ids demoIDs, now time.Time) error {
	// The demo's orders notify nobody, and are placed at past times.
	clock := &demoOrderClock{}
	orders := NewOrders(OrdersDeps{
		Repo: d.orderRepo, Businesses: d.orderBiz, Emails: noEmails{}, Writes: d.writes, Clock: clock.now,
	})
	loc, err := time.LoadLocation(biz.TimeZone)
	if err != nil {
		return fmt.Errorf("demo orders: time zone %q: %w", biz.TimeZone, err)
	}
	for i := len(demoOrders) - 1; i >= 0; i-- {
		do := demoOrders[i]
		placed := do.placedAt(now, loc)
		in, err := do.input(ids)
		if err != nil {
			return err
		}
		clock.at = placed
		o, err := orders.Create(ctx, biz.ID, in)
		if err != nil {
			return fmt.Errorf("place demo order of %s: %w", do.customer, err)
		}
		for _, step := range do.steps(placed, now) {
			clock.at = step.at
			if _, err := orders.Transition(ctx, biz.ID, o.ID, step.to); err != nil {
				return fmt.Errorf("move demo order of %s to %s: %w", do.customer, step.to, err)
			}
		}
	}
	return nil
}

// placedAt is when the order was placed: at its local time daysAgo days
// before now (a Monday, when the store is closed, becomes the Sunday
// before), or minutesAgo before now.
func (do demoOrder) placedAt(now time.Time, loc *time.Location) time.Time {
	if do.daysAgo == 0 {
		return now.Add(-time.Duration(do.minutesAgo) * time.Minute)
	}
	day := now.In(loc).AddDate(0, 0, -do.daysAgo)
	if day.Weekday() == time.Monday {
		day = day.AddDate(0, 0, -1)
	}
	var hh, mm int
	fmt.Sscanf(do.at, "%d:%d", &hh, &mm)
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc).UTC()
}

type demoStep struct {
	to domain.OrderStatus
	at time.Time
}

// steps are the status changes after the order was placed: confirmed a few
// minutes later, completed when picked up or delivered, or cancelled;
// never later than now.
func (do demoOrder) steps(placed, now time.Time) []demoStep {
	at := func(minutes int) time.Time {
		t := placed.Add(time.Duration(minutes) * time.Minute)
		if t.After(now) {
			return now
		}
		return t
	}
	ready := 30
	if do.address != "" {
		ready = 55
	}
	switch do.status {
	case domain.OrderConfirmed:
		return []demoStep{{domain.OrderConfirmed, at(4)}}
	case domain.OrderCompleted:
		return []demoStep{{domain.OrderConfirmed, at(4)}, {domain.OrderCompleted, at(ready)}}
	case domain.OrderCancelled:
		if do.address != "" { // cancelled by the shopper before it was confirmed
			return []demoStep{{domain.OrderCancelled, at(12)}}
		}
		return []demoStep{{domain.OrderConfirmed, at(5)}, {domain.OrderCancelled, at(20)}}
	}
	return nil
}

// input is the order as the store front would send it.
func (do demoOrder) input(ids demoIDs) (CreateOrderInput, error) {
	in := CreateOrderInput{
		CustomerName: do.customer, CustomerPhone: do.phone, Fulfillment: domain.FulfillmentPickup,
		Address: do.address, PaymentMethod: do.payment, Notes: do.notes, Language: do.lang,
	}
	if do.address != "" {
		in.Fulfillment = domain.FulfillmentDelivery
	}
	for _, l := range do.lines {
		pid, ok := ids.products[l.product]
		if !ok {
			return in, fmt.Errorf("demo order of %s: no product %q", do.customer, l.product)
		}
		it := OrderItemInput{ProductID: pid, Quantity: l.qty}
		for _, opt := range l.options {
			group, choice, _ := strings.Cut(opt, "/")
			cid := ids.choice(l.product, group, choice)
			if cid == 0 {
				return in, fmt.Errorf("demo order of %s: no option %q of %q", do.customer, opt, l.product)
			}
			it.OptionIDs = append(it.OptionIDs, cid)
		}
		in.Items = append(in.Items, it)
	}
	return in, nil
}
