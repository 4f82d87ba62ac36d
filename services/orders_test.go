package services_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// orderEnv is a store "tacos" with a small menu, and a second store "otra".
type orderEnv struct {
	a      *testkit.App
	svc    *services.Orders
	purger *testkit.Purges
	owner  *testkit.Owner
	biz    int64
	other  int64

	taco      *domain.Product // $25 + Tortilla (pick 1) + Extras (pick 0..2)
	agua      *domain.Product // $20, no options
	limited   *domain.Product // $50, stock 5
	bulk      *domain.Product // $50, stock 1000
	harina    int64           // Tortilla: harina +$5
	maiz      int64           // Tortilla: maíz +$0
	queso     int64           // Extras: queso +$15
	guacamole int64           // Extras: guacamole +$20
	cebolla   int64           // Extras: cebolla +$0

	otherProduct *domain.Product
	otherChoice  int64
}

func newOrderEnvWith(t *testing.T, newCode func() string) *orderEnv {
	t.Helper()
	a := testkit.NewApp(t)
	emails, bundle := appEmails(t, a)
	e := &orderEnv{a: a, purger: &testkit.Purges{}}
	e.svc = services.NewOrders(services.OrdersDeps{
		Repo: a.Repos.Orders, Businesses: a.Repos.Businesses, Emails: emails, Writes: e.purger.Writes(a.DB),
		Translator: bundle, Clock: a.Clock.Now, Log: testkit.Logger(t),
		BaseURL: testkit.BaseURL, NewCode: newCode,
	})
	e.owner = a.CreateOwner("tacos")
	e.biz = e.owner.Business.ID
	e.other = a.CreateOwner("otra").Business.ID
	e.updateBusiness(t, map[string]any{
		"delivery_enabled": true, "delivery_fee_cents": 3000, "delivery_min_cents": 10000,
		"pickup_enabled": true, "pay_cash": true, "pay_card_on_delivery": true, "pay_transfer": false,
	})

	price, group, choice := testkit.Price, testkit.OptionGroup, testkit.Choice
	e.taco = e.a.Product(e.biz, "Taco al pastor", price(2500),
		group("Tortilla", 1, 1, choice("Maíz", 0), choice("Harina", 500)),
		group("Extras", 0, 2, choice("Queso", 1500), choice("Guacamole", 2000), choice("Cebolla", 0)))
	tortilla, extras := e.taco.Options[0].Choices, e.taco.Options[1].Choices
	e.maiz, e.harina = tortilla[0].ID, tortilla[1].ID
	e.queso, e.guacamole, e.cebolla = extras[0].ID, extras[1].ID, extras[2].ID
	e.agua = e.a.Product(e.biz, "Agua de horchata", price(2000))
	e.limited = e.a.Product(e.biz, "Pozole del día", price(5000), testkit.Stock(5))
	e.bulk = e.a.Product(e.biz, "Salsa en frasco", price(5000), testkit.Stock(1000))

	e.otherProduct = e.a.Product(e.other, "Producto ajeno", price(100), group("Ajeno", 0, 1, choice("Opción ajena", 100)))
	e.otherChoice = e.otherProduct.Options[0].Choices[0].ID
	return e
}

func newOrderEnv(t *testing.T) *orderEnv { return newOrderEnvWith(t, nil) }

func (e *orderEnv) updateBusiness(t *testing.T, set map[string]any) {
	t.Helper()
	if err := e.a.DB.Model(&domain.Business{}).Where("id = ?", e.biz).Updates(set).Error; err != nil {
		t.Fatal(err)
	}
}

// pickupInput is a valid pickup order of one taco (maíz) and one agua.
func (e *orderEnv) pickupInput() services.CreateOrderInput {
	return services.CreateOrderInput{
		Items: []services.OrderItemInput{
			{ProductID: e.taco.ID, Quantity: 1, OptionIDs: []int64{e.maiz}},
			{ProductID: e.agua.ID, Quantity: 1},
		},
		CustomerName: "Ana López", CustomerPhone: "55 9876 5432", Fulfillment: domain.FulfillmentPickup,
		PaymentMethod: domain.PaymentCash, Language: "es",
	}
}

func (e *orderEnv) count(t *testing.T, model any) int64 {
	t.Helper()
	var n int64
	if err := e.a.DB.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *orderEnv) stock(t *testing.T, id int64) int {
	t.Helper()
	var p domain.Product
	if err := e.a.DB.First(&p, id).Error; err != nil {
		t.Fatal(err)
	}
	if p.Stock == nil {
		t.Fatalf("product %d does not count stock", id)
	}
	return *p.Stock
}

func (e *orderEnv) mustCreate(t *testing.T, in services.CreateOrderInput) *domain.Order {
	t.Helper()
	o, err := e.svc.Create(context.Background(), e.biz, in)
	if err != nil {
		t.Fatalf("create order: %v", err)
	}
	return o
}

var orderCodeRe = regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$`)

func TestCreateOrderComputesTotalsOnTheServer(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	in := services.CreateOrderInput{
		Items: []services.OrderItemInput{
			// Options listed out of display order and one twice: stored once, in catalog order.
			{ProductID: e.taco.ID, Quantity: 2, OptionIDs: []int64{e.guacamole, e.harina, e.queso, e.guacamole}},
			{ProductID: e.agua.ID, Quantity: 1},
		},
		CustomerName: "  Ana López ", CustomerPhone: "(55) 9876-5432", Fulfillment: domain.FulfillmentDelivery,
		Address: "Av. Insurgentes 123, Del Valle", PaymentMethod: domain.PaymentCardOnDelivery,
		Notes: "Sin picante, por favor", Language: "en",
	}
	o, err := e.svc.Create(ctx, e.biz, in)
	if err != nil {
		t.Fatal(err)
	}
	// Taco: 25 + 5 (harina) + 15 (queso) + 20 (guacamole) = 65, x2 = 130; agua 20; envío 30.
	if o.SubtotalCents != 15000 || o.DeliveryFeeCents != 3000 || o.TotalCents != 18000 {
		t.Fatalf("totals = %d + %d = %d", o.SubtotalCents, o.DeliveryFeeCents, o.TotalCents)
	}
	if !orderCodeRe.MatchString(o.Code) || o.Status != domain.OrderPending {
		t.Fatalf("code %q status %q", o.Code, o.Status)
	}

	got, err := e.svc.Get(ctx, e.biz, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerName != "Ana López" || got.CustomerPhone != "+525598765432" || got.Language != "en" ||
		got.Address != "Av. Insurgentes 123, Del Valle" || got.Notes != "Sin picante, por favor" ||
		got.TotalCents != 18000 || !got.CreatedAt.Equal(e.a.Clock.Now()) {
		t.Fatalf("stored order = %+v", got)
	}
	if len(got.Items) != 2 {
		t.Fatalf("items = %+v", got.Items)
	}
	taco, agua := got.Items[0], got.Items[1]
	if taco.ProductName != "Taco al pastor" || taco.Quantity != 2 || taco.UnitPriceCents != 6500 || taco.LineTotalCents != 13000 {
		t.Fatalf("taco line = %+v", taco)
	}
	wantOpts := []domain.OrderItemOption{
		{Group: "Tortilla", Name: "Harina", DeltaCents: 500},
		{Group: "Extras", Name: "Queso", DeltaCents: 1500},
		{Group: "Extras", Name: "Guacamole", DeltaCents: 2000},
	}
	if fmt.Sprint(taco.Options) != fmt.Sprint(wantOpts) {
		t.Fatalf("taco options = %+v, want %+v", taco.Options, wantOpts)
	}
	if agua.UnitPriceCents != 2000 || agua.LineTotalCents != 2000 || len(agua.Options) != 0 || agua.BusinessID != e.biz {
		t.Fatalf("agua line = %+v", agua)
	}

	// The snapshot survives catalog changes.
	if err := e.a.DB.Model(&domain.Product{}).Where("id = ?", e.taco.ID).Updates(map[string]any{"name": "Taco nuevo", "price_cents": 9900}).Error; err != nil {
		t.Fatal(err)
	}
	again, _ := e.svc.Get(ctx, e.biz, o.ID)
	if again.Items[0].ProductName != "Taco al pastor" || again.Items[0].UnitPriceCents != 6500 {
		t.Fatalf("snapshot changed: %+v", again.Items[0])
	}

	// Pickup: no delivery fee, no minimum, the address is not kept.
	p := e.mustCreate(t, services.CreateOrderInput{
		Items:        []services.OrderItemInput{{ProductID: e.agua.ID, Quantity: 3}},
		CustomerName: "Beto", CustomerPhone: "5511112222", Fulfillment: domain.FulfillmentPickup,
		Address: "ignorada", PaymentMethod: domain.PaymentCash,
	})
	if p.SubtotalCents != 6000 || p.DeliveryFeeCents != 0 || p.TotalCents != 6000 || p.Address != "" || p.Language != "es" {
		t.Fatalf("pickup order = %+v", p)
	}
	if e.purger.Count(e.biz) != 2 {
		t.Fatalf("purges = %d, want 2", e.purger.Count(e.biz))
	}
}

func TestCreateOrderNotifiesTheOwner(t *testing.T) {
	e := newOrderEnv(t)
	in := e.pickupInput()
	in.Notes = "Paso a las 3"
	in.CashTendered = "100"
	o := e.mustCreate(t, in)
	es := e.a.Emails(e.owner.Email)
	var mail *domain.OutboxEmail
	for i := range es {
		if es[i].Template == "new_order" {
			mail = &es[i]
		}
	}
	if mail == nil {
		t.Fatalf("no new_order email in %+v", es)
	}
	link := fmt.Sprintf("%s/dashboard/orders/%d", testkit.BaseURL, o.ID)
	for _, want := range []string{o.Code, "Ana López", "55 9876 5432", "Taco al pastor", "Maíz", "$45.00", "Recoger en tienda", "Efectivo · paga con $100.00", "Paso a las 3", link} {
		if !strings.Contains(mail.TextBody, want) {
			t.Errorf("text body lacks %q:\n%s", want, mail.TextBody)
		}
		if !strings.Contains(mail.HTMLBody, strings.TrimPrefix(want, "+")) {
			t.Errorf("html body lacks %q", want)
		}
	}
	if !strings.Contains(mail.Subject, o.Code) || !strings.Contains(mail.Subject, "$45.00") || mail.Status != domain.OutboxPending {
		t.Fatalf("email = %q (%s)", mail.Subject, mail.Status)
	}
}

func TestCreateOrderRetriesACodeClash(t *testing.T) {
	codes := []string{"AAAA2222", "AAAA2222", "BBBB3333"}
	var mu sync.Mutex
	next := func() string {
		mu.Lock()
		defer mu.Unlock()
		c := codes[0]
		if len(codes) > 1 {
			codes = codes[1:]
		}
		return c
	}
	e := newOrderEnvWith(t, next)
	first := e.mustCreate(t, e.pickupInput())
	second := e.mustCreate(t, e.pickupInput())
	if first.Code != "AAAA2222" || second.Code != "BBBB3333" {
		t.Fatalf("codes %q, %q", first.Code, second.Code)
	}
	if n := e.count(t, &domain.OrderItem{}); n != 4 {
		t.Fatalf("%d order items, want 4", n)
	}
	// Codes from the real generator are random and unambiguous.
	seen := map[string]bool{}
	for range 200 {
		c := services.NewOrderCode()
		if !orderCodeRe.MatchString(c) || seen[c] {
			t.Fatalf("code %q (seen before: %v)", c, seen[c])
		}
		seen[c] = true
	}
}

func TestCreateOrderRejectsBadInput(t *testing.T) {
	e := newOrderEnv(t)
	// Products a shopper cannot order, each for one reason.
	soldOut := e.a.Product(e.biz, "Agotado", testkit.Price(1000))
	inactive := e.a.Product(e.biz, "Oculto", testkit.Price(1000))
	deleted := e.a.Product(e.biz, "Borrado", testkit.Price(1000))
	empty := e.a.Product(e.biz, "Sin piezas", testkit.Price(1000), testkit.Stock(0))
	for _, err := range []error{
		e.a.DB.Model(soldOut).Update("sold_out", true).Error,
		e.a.DB.Model(inactive).Update("active", false).Error,
		e.a.DB.Delete(deleted).Error,
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	only := func(p *domain.Product) func(e *orderEnv, in *services.CreateOrderInput) {
		return func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[1] = services.OrderItemInput{ProductID: p.ID, Quantity: 1}
		}
	}
	// setting changes a store setting for one case and puts it back after.
	setting := func(column string, v bool) func(t *testing.T, e *orderEnv) {
		return func(t *testing.T, e *orderEnv) {
			e.updateBusiness(t, map[string]any{column: v})
			t.Cleanup(func() { e.updateBusiness(t, map[string]any{column: !v}) })
		}
	}
	type tc struct {
		name  string
		setup func(t *testing.T, e *orderEnv)
		edit  func(e *orderEnv, in *services.CreateOrderInput)
		field string
	}
	cases := []tc{
		{name: "no items", field: "items", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Items = nil }},
		{name: "too many lines", field: "items", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items = nil
			for range domain.OrderMaxItems + 1 {
				in.Items = append(in.Items, services.OrderItemInput{ProductID: e.agua.ID, Quantity: 1})
			}
		}},
		{name: "unknown product", field: "items[1].product_id", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Items[1].ProductID = 987654 }},
		{name: "another store's product", field: "items[1].product_id", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[1] = services.OrderItemInput{ProductID: e.otherProduct.ID, Quantity: 1}
		}},
		{name: "deleted product", field: "items[1].product_id", edit: only(deleted)},
		{name: "quantity 0", field: "items[0].quantity", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Items[0].Quantity = 0 }},
		{name: "quantity 100", field: "items[0].quantity", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Items[0].Quantity = 100 }},
		{name: "negative quantity", field: "items[1].quantity", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Items[1].Quantity = -1 }},
		{name: "missing address for delivery", field: "address", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Fulfillment, in.Address = domain.FulfillmentDelivery, "   "
			in.Items[1].Quantity = 10
		}},
		{name: "below delivery minimum", field: "items", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Fulfillment, in.Address = domain.FulfillmentDelivery, "Calle 1"
		}},
		{name: "sold out", field: "items[1].product_id", edit: only(soldOut)},
		{name: "inactive", field: "items[1].product_id", edit: only(inactive)},
		{name: "no stock left", field: "items[1].product_id", edit: only(empty)},
		{name: "more than the stock", field: "items[1].quantity", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[1] = services.OrderItemInput{ProductID: e.limited.ID, Quantity: 6}
		}},
		{name: "more than the stock over two lines", field: "items[2].quantity", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[1] = services.OrderItemInput{ProductID: e.limited.ID, Quantity: 3}
			in.Items = append(in.Items, services.OrderItemInput{ProductID: e.limited.ID, Quantity: 3})
		}},
		{name: "option of another product", field: "items[1].options", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[1].OptionIDs = []int64{e.maiz}
		}},
		{name: "option of another store", field: "items[0].options", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[0].OptionIDs = []int64{e.maiz, e.otherChoice}
		}},
		{name: "required group missing", field: "items[0].options", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[0].OptionIDs = []int64{e.queso}
		}},
		{name: "two picks in a pick-one group", field: "items[0].options", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[0].OptionIDs = []int64{e.maiz, e.harina}
		}},
		{name: "group max exceeded", field: "items[0].options", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.Items[0].OptionIDs = []int64{e.maiz, e.queso, e.guacamole, e.cebolla}
		}},
		{name: "payment method not accepted", field: "payment_method", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.PaymentMethod = domain.PaymentTransfer
		}},
		{name: "unknown payment method", field: "payment_method", edit: func(e *orderEnv, in *services.CreateOrderInput) {
			in.PaymentMethod = "bitcoin"
		}},
		{name: "delivery disabled", field: "fulfillment", setup: setting("delivery_enabled", false),
			edit: func(e *orderEnv, in *services.CreateOrderInput) {
				in.Fulfillment, in.Address = domain.FulfillmentDelivery, "Calle 1"
				in.Items[1].Quantity = 10
			}},
		{name: "pickup disabled", field: "fulfillment", setup: setting("pickup_enabled", false),
			edit: func(e *orderEnv, in *services.CreateOrderInput) {}},
		{name: "unknown fulfillment", field: "fulfillment", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Fulfillment = "drone" }},
		{name: "missing name", field: "customer.name", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.CustomerName = " " }},
		{name: "missing phone", field: "customer.phone", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.CustomerPhone = "" }},
		{name: "invalid phone", field: "customer.phone", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.CustomerPhone = "12345" }},
		{name: "notes too long", field: "notes", edit: func(e *orderEnv, in *services.CreateOrderInput) { in.Notes = strings.Repeat("ñ", 501) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup(t, e)
			}
			in := e.pickupInput()
			c.edit(e, &in)
			emailsBefore := e.count(t, &domain.OutboxEmail{})
			o, err := e.svc.Create(context.Background(), e.biz, in)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (order %+v), want a ValidationError", err, o)
			}
			if !ve.Has(c.field) {
				t.Fatalf("fields = %+v, want %q", ve.Fields, c.field)
			}
			if n := e.count(t, &domain.Order{}); n != 0 {
				t.Fatalf("%d orders stored", n)
			}
			if n := e.count(t, &domain.OrderItem{}); n != 0 {
				t.Fatalf("%d order items stored", n)
			}
			if n := e.count(t, &domain.OutboxEmail{}); n != emailsBefore {
				t.Fatalf("an email was enqueued")
			}
			if s := e.stock(t, e.limited.ID); s != 5 {
				t.Fatalf("stock = %d, want 5", s)
			}
		})
	}
	// Nothing is stored for a store that does not exist either.
	if _, err := e.svc.Create(context.Background(), 999999, e.pickupInput()); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown store: %v", err)
	}
}

func TestConcurrentOrdersForTheLastUnits(t *testing.T) {
	e := newOrderEnv(t)
	const buyers = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ok, soldOut int
	var other []error
	start := make(chan struct{})
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.svc.Create(context.Background(), e.biz, services.CreateOrderInput{
				Items:        []services.OrderItemInput{{ProductID: e.limited.ID, Quantity: 1}},
				CustomerName: fmt.Sprintf("Cliente %d", i), CustomerPhone: "55 1111 2222",
				Fulfillment: domain.FulfillmentPickup, PaymentMethod: domain.PaymentCash,
			})
			mu.Lock()
			defer mu.Unlock()
			var ve *domain.ValidationError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &ve) && (ve.Has("items[0].product_id") || ve.Has("items[0].quantity")):
				soldOut++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(other) > 0 {
		t.Fatalf("unexpected errors: %v", other)
	}
	if ok != 5 || soldOut != buyers-5 {
		t.Fatalf("%d orders succeeded and %d were refused, want 5 and %d", ok, soldOut, buyers-5)
	}
	if s := e.stock(t, e.limited.ID); s != 0 {
		t.Fatalf("stock = %d, want 0", s)
	}
	if n := e.count(t, &domain.Order{}); n != 5 {
		t.Fatalf("%d orders stored, want 5", n)
	}
	if n := e.count(t, &domain.OrderItem{}); n != 5 {
		t.Fatalf("%d order items stored, want 5", n)
	}
	// Sold out now: the next shopper is told so.
	in := e.pickupInput()
	in.Items = []services.OrderItemInput{{ProductID: e.limited.ID, Quantity: 1}}
	_, err := e.svc.Create(context.Background(), e.biz, in)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || !ve.Has("items[0].product_id") || ve.Fields[0].Key != "orders.error.sold_out" {
		t.Fatalf("after selling out: %v", err)
	}
}

// orderAt creates an order of 2 units of the bulk product and moves it
// to status through allowed steps.
func (e *orderEnv) orderAt(t *testing.T, status domain.OrderStatus) *domain.Order {
	t.Helper()
	ctx := context.Background()
	in := e.pickupInput()
	in.Items = []services.OrderItemInput{{ProductID: e.bulk.ID, Quantity: 2}}
	o := e.mustCreate(t, in)
	path := map[domain.OrderStatus][]domain.OrderStatus{
		domain.OrderPending:   nil,
		domain.OrderConfirmed: {domain.OrderConfirmed},
		domain.OrderCompleted: {domain.OrderConfirmed, domain.OrderCompleted},
		domain.OrderCancelled: {domain.OrderCancelled},
	}[status]
	for _, s := range path {
		var err error
		if o, err = e.svc.Transition(ctx, e.biz, o.ID, s); err != nil {
			t.Fatalf("move order to %s: %v", s, err)
		}
	}
	return o
}

// orderStamps shows an order's status times, to compare two reads.
func orderStamps(o *domain.Order) string {
	f := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	return f(o.ConfirmedAt) + " " + f(o.CompletedAt) + " " + f(o.CancelledAt)
}

// orderTransitionAllowed is the status machine, written out.
var orderTransitionAllowed = map[[2]domain.OrderStatus]bool{
	{domain.OrderPending, domain.OrderConfirmed}:   true,
	{domain.OrderPending, domain.OrderCancelled}:   true,
	{domain.OrderConfirmed, domain.OrderCompleted}: true,
	{domain.OrderConfirmed, domain.OrderCancelled}: true,
}

func TestTransitionEveryPair(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	statuses := []domain.OrderStatus{domain.OrderPending, domain.OrderConfirmed, domain.OrderCompleted, domain.OrderCancelled}
	for _, from := range statuses {
		for _, to := range statuses {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				o := e.orderAt(t, from)
				purges := e.purger.Count(e.biz)
				stockBefore := e.stock(t, e.bulk.ID)
				e.a.Clock.Advance(time.Hour)
				got, err := e.svc.Transition(ctx, e.biz, o.ID, to)
				after, gerr := e.svc.Get(ctx, e.biz, o.ID)
				if gerr != nil {
					t.Fatal(gerr)
				}
				if !orderTransitionAllowed[[2]domain.OrderStatus{from, to}] {
					var bad *domain.ErrBadTransition
					if !errors.As(err, &bad) || bad.From != from || bad.To != to || !errors.Is(err, domain.ErrConflict) {
						t.Fatalf("err = %v, want a refused transition", err)
					}
					if after.Status != from || !after.UpdatedAt.Equal(o.UpdatedAt) || orderStamps(after) != orderStamps(o) {
						t.Fatalf("order changed: %+v → %+v", o, after)
					}
					if s := e.stock(t, e.bulk.ID); s != stockBefore {
						t.Fatalf("stock %d → %d", stockBefore, s)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				now := e.a.Clock.Now()
				if got.Status != to || after.Status != to || !after.UpdatedAt.Equal(now) {
					t.Fatalf("after = %+v", after)
				}
				stamp := map[domain.OrderStatus]*time.Time{
					domain.OrderConfirmed: after.ConfirmedAt, domain.OrderCompleted: after.CompletedAt, domain.OrderCancelled: after.CancelledAt,
				}[to]
				if stamp == nil || !stamp.Equal(now) {
					t.Fatalf("%s time = %v, want %v", to, stamp, now)
				}
				wantStock := stockBefore
				if to == domain.OrderCancelled {
					wantStock += 2 // the units go back
				}
				if s := e.stock(t, e.bulk.ID); s != wantStock {
					t.Fatalf("stock = %d, want %d", s, wantStock)
				}
				if e.purger.Count(e.biz) != purges+1 {
					t.Fatal("store cache not purged")
				}
			})
		}
	}
}

func TestTransitionRefusesUnknownStatusAndOtherStores(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	o := e.orderAt(t, domain.OrderPending)
	var ve *domain.ValidationError
	if _, err := e.svc.Transition(ctx, e.biz, o.ID, "shipped"); !errors.As(err, &ve) || !ve.Has("status") {
		t.Fatalf("unknown status: %v", err)
	}
	if _, err := e.svc.Transition(ctx, e.other, o.ID, domain.OrderCancelled); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store: %v", err)
	}
	if _, err := e.svc.Get(ctx, e.other, o.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store get: %v", err)
	}
	after, _ := e.svc.Get(ctx, e.biz, o.ID)
	if after.Status != domain.OrderPending || e.stock(t, e.bulk.ID) != 998 {
		t.Fatalf("order %s, stock %d", after.Status, e.stock(t, e.bulk.ID))
	}
}

func TestCancellingTwiceAtOnceRestoresStockOnce(t *testing.T) {
	e := newOrderEnv(t)
	o := e.orderAt(t, domain.OrderConfirmed)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Transition(context.Background(), e.biz, o.ID, domain.OrderCancelled)
		}()
	}
	wg.Wait()
	okN := 0
	for _, err := range errs {
		var bad *domain.ErrBadTransition
		switch {
		case err == nil:
			okN++
		case !errors.As(err, &bad):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if okN != 1 || e.stock(t, e.bulk.ID) != 1000 {
		t.Fatalf("%d cancels succeeded, stock %d; want 1 and 1000", okN, e.stock(t, e.bulk.ID))
	}
}

func TestWhatsAppReplyURL(t *testing.T) {
	e := newOrderEnv(t)
	biz, err := e.a.Repos.Businesses.Get(context.Background(), e.biz)
	if err != nil {
		t.Fatal(err)
	}
	o := e.orderAt(t, domain.OrderConfirmed)
	text := func(raw string) string {
		t.Helper()
		const prefix = "https://wa.me/525598765432?text="
		if !strings.HasPrefix(raw, prefix) || strings.Contains(raw, "+") || strings.Contains(raw, " ") {
			t.Fatalf("url = %s", raw)
		}
		msg, err := url.QueryUnescape(strings.TrimPrefix(raw, prefix))
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	es := text(e.svc.WhatsAppReplyURL(o, biz, ""))
	if !strings.HasPrefix(es, "¡Hola Ana! Tu pedido "+o.Code+" está confirmado") || !strings.Contains(es, "$100.00") || !strings.Contains(es, "recoger") {
		t.Fatalf("es message = %q", es)
	}
	o.Language = "en"
	if en := text(e.svc.WhatsAppReplyURL(o, biz, "")); !strings.HasPrefix(en, "Hi Ana! Your order "+o.Code+" is confirmed") {
		t.Fatalf("en message = %q", en)
	}
	o.Status = domain.OrderCancelled
	if es := text(e.svc.WhatsAppReplyURL(o, biz, "es")); !strings.Contains(es, "fue cancelado") || !strings.Contains(es, biz.Name) {
		t.Fatalf("cancelled message = %q", es)
	}
}

func TestListOrdersFiltersSearchesAndPages(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	var codes []string
	for i := range 25 {
		in := e.pickupInput()
		in.CustomerName = fmt.Sprintf("Cliente %02d", i)
		in.CustomerPhone = fmt.Sprintf("55 1234 %04d", 1000+i)
		if i == 7 {
			in.CustomerName = "Mariana Ñúñez"
		}
		o := e.mustCreate(t, in)
		codes = append(codes, o.Code)
		e.a.Clock.Advance(time.Minute)
	}
	// Another store's order must never show up.
	if _, err := e.svc.Create(ctx, e.other, services.CreateOrderInput{
		Items:        []services.OrderItemInput{{ProductID: e.otherProduct.ID, Quantity: 1}},
		CustomerName: "Cliente ajeno", CustomerPhone: "5512341007", Fulfillment: domain.FulfillmentPickup, PaymentMethod: domain.PaymentCash,
	}); err != nil {
		t.Fatal(err)
	}
	orderID := func(code string) int64 {
		var o domain.Order
		e.a.DB.Where("code = ?", code).First(&o)
		return o.ID
	}
	for _, i := range []int{1, 2, 3} {
		if _, err := e.svc.Transition(ctx, e.biz, orderID(codes[i]), domain.OrderConfirmed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Transition(ctx, e.biz, orderID(codes[4]), domain.OrderCancelled); err != nil {
		t.Fatal(err)
	}

	p1, err := e.svc.List(ctx, e.biz, services.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if p1.Total != 25 || p1.Pages != 2 || len(p1.Orders) != services.OrderPageSize || p1.Orders[0].Code != codes[24] || p1.Orders[19].Code != codes[5] {
		t.Fatalf("page 1: total %d pages %d len %d first %s", p1.Total, p1.Pages, len(p1.Orders), p1.Orders[0].Code)
	}
	if p1.All != 25 || p1.Counts[domain.OrderPending] != 21 || p1.Counts[domain.OrderConfirmed] != 3 || p1.Counts[domain.OrderCancelled] != 1 || p1.Counts[domain.OrderCompleted] != 0 {
		t.Fatalf("counts = %v all %d", p1.Counts, p1.All)
	}
	p2, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Page: 2})
	if len(p2.Orders) != 5 || p2.Orders[4].Code != codes[0] || p2.Page != 2 {
		t.Fatalf("page 2 = %d orders", len(p2.Orders))
	}
	conf, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Status: domain.OrderConfirmed})
	if conf.Total != 3 || conf.Orders[0].Code != codes[3] || conf.Orders[2].Code != codes[1] {
		t.Fatalf("confirmed = %+v", conf)
	}
	for _, q := range []struct {
		query string
		want  string
	}{
		{codes[12], codes[12]},
		{strings.ToLower(codes[12]), codes[12]},
		{"mariana", codes[7]},
		{"55 1234 1013", codes[13]},
		{"+52 55 1234-1013", codes[13]},
	} {
		res, err := e.svc.List(ctx, e.biz, services.OrderFilter{Query: q.query})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Orders[0].Code != q.want || res.All != 1 {
			t.Errorf("search %q: %d results (%v)", q.query, res.Total, res.Counts)
		}
	}
	// SQLite folds only ASCII case, so a name with accents is found as written.
	if res, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Query: "Ñúñez"}); res.Total != 1 {
		t.Errorf("search as written: %d results", res.Total)
	}
	if res, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Query: "e%_x"}); res.Total != 0 {
		t.Errorf("wildcards must match literally: %d results", res.Total)
	}
	if res, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Query: "ajeno"}); res.Total != 0 {
		t.Errorf("another store's order found")
	}
	if res, _ := e.svc.List(ctx, e.biz, services.OrderFilter{Status: "bogus", Page: -3}); res.Total != 25 || res.Page != 1 {
		t.Errorf("bad filter: total %d page %d", res.Total, res.Page)
	}
}
