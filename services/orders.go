package services

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// Order rules.
const (
	OrderMaxItems         = 50
	OrderMaxQuantity      = 99
	OrderNotesMaxLen      = 500
	OrderNameMaxLen       = 100
	OrderAddressMaxLen    = 300
	OrderPageSize         = 20
	orderCodeLen          = 8
	orderCodeAlphabet     = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" // 32 symbols: no 0/O, 1/I
	orderEmailTemplate    = "new_order"
	orderDashboardPathFmt = "/dashboard/orders/%d"
)

// OrderStore is what Orders needs of the orders repository.
type OrderStore interface {
	Create(ctx context.Context, businessID int64, o *domain.Order, newCode func() string) error
	Get(ctx context.Context, businessID, orderID int64) (*domain.Order, error)
	List(ctx context.Context, businessID int64, status domain.OrderStatus, query string, limit, offset int) ([]domain.Order, int64, error)
	StatusCounts(ctx context.Context, businessID int64, query string) (map[domain.OrderStatus]int64, error)
	SetStatus(ctx context.Context, businessID, orderID int64, from, to domain.OrderStatus, at time.Time) (bool, error)
	ProductsForOrder(ctx context.Context, businessID int64, ids []int64) ([]domain.Product, error)
	DecrementStock(ctx context.Context, businessID, productID int64, qty int, at time.Time) (bool, error)
	RestoreStock(ctx context.Context, businessID, productID int64, qty int, at time.Time) error
	ProductStock(ctx context.Context, businessID, productID int64) (*int, error)
	Owner(ctx context.Context, businessID int64) (*domain.User, error)
	GetByIdempotencyKey(ctx context.Context, businessID int64, key string) (*domain.Order, error)
}

// OrderBusinesses loads the store an order is placed in.
type OrderBusinesses interface {
	Get(ctx context.Context, id int64) (*domain.Business, error)
}

// Orders owns placing orders (prices, options, delivery, stock), listing
// them and moving them through their statuses.
type Orders struct {
	store      OrderStore
	businesses OrderBusinesses
	emails     EmailQueue
	purger     StorePurger
	tr         Translator
	tx         Transactor
	clock      Clock
	log        *slog.Logger
	baseURL    string
	newCode    func() string
}

// OrdersDeps groups what NewOrders needs.
type OrdersDeps struct {
	Store      OrderStore
	Businesses OrderBusinesses
	Emails     EmailQueue
	Purger     StorePurger
	Translator Translator
	Tx         Transactor
	Clock      Clock
	Log        *slog.Logger
	BaseURL    string
	// NewCode makes order codes; nil is the random generator (tests pass
	// a fixed sequence to exercise the retry on a clash).
	NewCode func() string
}

// NewOrders returns the orders service.
func NewOrders(d OrdersDeps) *Orders {
	s := &Orders{
		store: d.Store, businesses: d.Businesses, emails: d.Emails, purger: d.Purger, tr: d.Translator,
		tx: d.Tx, clock: d.Clock, log: d.Log, baseURL: d.BaseURL, newCode: d.NewCode,
	}
	if s.newCode == nil {
		s.newCode = NewOrderCode
	}
	if s.clock == nil {
		s.clock = func() time.Time { return time.Now().UTC() }
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// NewOrderCode returns a random order code: 8 symbols from an alphabet
// without look-alikes (40 bits from crypto/rand), so codes cannot be guessed
// nor read wrong over the phone.
func NewOrderCode() string {
	b := make([]byte, orderCodeLen)
	rand.Read(b)
	for i := range b {
		b[i] = orderCodeAlphabet[int(b[i])%len(orderCodeAlphabet)]
	}
	return string(b)
}

// OrderItemInput is one line of a shopper's cart.
type OrderItemInput struct {
	ProductID int64
	Quantity  int
	OptionIDs []int64
}

// CreateOrderInput is a shopper's order as sent by the store front. Prices
// are never taken from it: they are read from the catalog.
type CreateOrderInput struct {
	Items         []OrderItemInput
	CustomerName  string
	CustomerPhone string
	Fulfillment   domain.Fulfillment
	Address       string
	PaymentMethod domain.PaymentMethod
	Notes         string
	Language      string
	// CashTendered is what a shopper paying cash pays with, in pesos as
	// typed ("500"); optional, ignored for other payment methods.
	CashTendered string
	// IdempotencyKey, when set, makes a repeat of the same checkout (a
	// retry after a lost answer) return the order already placed with it
	// instead of placing a second one. See ValidIdempotencyKey.
	IdempotencyKey string
}

// Validation message keys of orders.
const (
	orderKeyRequired           = "validation.required"
	orderKeyTooLong            = "validation.too_long"
	orderKeyPhone              = "orders.error.phone"
	orderKeyNoItems            = "orders.error.no_items"
	orderKeyTooManyItems       = "orders.error.too_many_items"
	orderKeyQuantity           = "orders.error.quantity"
	orderKeyUnknownProduct     = "orders.error.unknown_product"
	orderKeySoldOut            = "orders.error.sold_out"
	orderKeyInsufficientStock  = "orders.error.insufficient_stock"
	orderKeyBadOption          = "orders.error.bad_option"
	orderKeyOptionMin          = "orders.error.option_min"
	orderKeyOptionMax          = "orders.error.option_max"
	orderKeyFulfillment        = "orders.error.fulfillment"
	orderKeyPayment            = "orders.error.payment_method"
	orderKeyFulfillmentMissing = "orders.error.fulfillment_missing"
	orderKeyPaymentMissing     = "orders.error.payment_method_missing"
	orderKeyBelowMinimum       = "orders.error.below_minimum"
	orderKeyStatus             = "orders.error.status"
	orderKeyIdempotency        = "orders.error.idempotency_key"
	orderKeyCashTendered       = "orders.error.cash_tendered"
	orderKeyCashShort          = "orders.error.cash_short"
	orderKeyCashTooMuch        = "orders.error.cash_too_much"
	orderKeyStoreClosed        = "orders.error.store_closed"
)

// OrderFieldStore is the field of the error that refuses every order: the
// store is closed and takes none until it opens.
const OrderFieldStore = "store"

// Create validates and records a shopper's order in businessID's store:
// products must be the store's, active and available; options must belong to
// the product and respect each group's minimum and maximum; prices, delivery
// fee and total come from the database. Counted stock is taken with
// conditional updates in the same transaction, so concurrent orders never
// oversell. The owner is notified by email in the same transaction. Bad
// input is a *domain.ValidationError and nothing is stored; so is an order
// to a store that takes none now (field OrderFieldStore, see
// domain.Business.TakesOrders). With an idempotency key already used in the store, Create returns that order
// (Replayed set) and stores nothing, even when repeats arrive at once.
func (s *Orders) Create(ctx context.Context, businessID int64, in CreateOrderInput) (*domain.Order, error) {
	biz, err := s.businesses.Get(ctx, businessID)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		if !ValidIdempotencyKey(in.IdempotencyKey) {
			return nil, domain.NewFieldError("idempotency_key", orderKeyIdempotency)
		}
		if prev, err := s.replay(ctx, businessID, in.IdempotencyKey); prev != nil || err != nil {
			return prev, err
		}
	}
	o, err := s.create(ctx, biz, in)
	if err != nil && in.IdempotencyKey != "" && errors.Is(err, domain.ErrConflict) {
		// A concurrent repeat stored it first: answer with that order.
		if prev, rerr := s.replay(ctx, businessID, in.IdempotencyKey); prev != nil || rerr != nil {
			return prev, rerr
		}
	}
	return o, err
}

// create validates and stores a new order of store biz (see Create).
func (s *Orders) create(ctx context.Context, biz *domain.Business, in CreateOrderInput) (*domain.Order, error) {
	businessID := biz.ID
	v := &domain.ValidationError{}
	if !biz.TakesOrders(s.clock()) {
		v.Add(OrderFieldStore, orderKeyStoreClosed, nil)
		return nil, v
	}
	o := newOrder(biz, in, v)
	switch {
	case len(in.Items) == 0:
		v.Add("items", orderKeyNoItems, nil)
	case len(in.Items) > OrderMaxItems:
		v.Add("items", orderKeyTooManyItems, map[string]any{"Max": OrderMaxItems})
	}
	if v.Has("items") {
		return nil, v
	}
	for i, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > OrderMaxQuantity {
			v.Add(orderItemField(i, "quantity"), orderKeyQuantity, map[string]any{"Max": OrderMaxQuantity})
		}
	}

	now := s.clock()
	var owner *domain.User
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		ids := make([]int64, 0, len(in.Items))
		for _, it := range in.Items {
			ids = append(ids, it.ProductID)
		}
		products, err := s.store.ProductsForOrder(ctx, businessID, ids)
		if err != nil {
			return fmt.Errorf("load products: %w", err)
		}
		byID := make(map[int64]*domain.Product, len(products))
		for i := range products {
			byID[products[i].ID] = &products[i]
		}

		// Price every line from the catalog.
		wanted := map[int64]int{} // units per counted product
		for i, it := range in.Items {
			p := byID[it.ProductID]
			if p == nil {
				v.Add(orderItemField(i, "product_id"), orderKeyUnknownProduct, nil)
				continue
			}
			if !p.Available() {
				v.Add(orderItemField(i, "product_id"), orderKeySoldOut, map[string]any{"Name": p.Name})
				continue
			}
			opts, unit, ok := orderPriceOptions(v, i, p, it.OptionIDs)
			if !ok || v.Has(orderItemField(i, "quantity")) {
				continue
			}
			line := unit * domain.Money(it.Quantity)
			o.Items = append(o.Items, domain.OrderItem{
				ProductID: p.ID, ProductName: p.Name, Quantity: it.Quantity,
				UnitPriceCents: unit, LineTotalCents: line, Options: opts, StockTaken: p.Stock != nil,
			})
			o.SubtotalCents += line
			if p.Stock != nil {
				wanted[p.ID] += it.Quantity
			}
		}
		for i, it := range in.Items {
			p := byID[it.ProductID]
			if p == nil || p.Stock == nil || v.Has(orderItemField(i, "product_id")) || v.Has(orderItemField(i, "quantity")) {
				continue
			}
			if wanted[p.ID] > *p.Stock {
				v.Add(orderItemField(i, "quantity"), orderKeyInsufficientStock, map[string]any{"Name": p.Name, "Count": *p.Stock})
			}
		}
		if len(v.Fields) > 0 {
			return v
		}

		if o.Fulfillment == domain.FulfillmentDelivery {
			o.DeliveryFeeCents = biz.DeliveryFeeCents
			if biz.DeliveryMinCents > 0 && o.SubtotalCents < biz.DeliveryMinCents {
				v.Add("items", orderKeyBelowMinimum, map[string]any{"Min": biz.DeliveryMinCents.Pesos()})
				return v
			}
		}
		o.TotalCents = o.SubtotalCents + o.DeliveryFeeCents
		if err := checkCashTendered(o); err != nil {
			return err
		}

		// Take counted stock, always in product ID order so two orders
		// never wait on each other's rows.
		pids := make([]int64, 0, len(wanted))
		for id := range wanted {
			pids = append(pids, id)
		}
		sort.Slice(pids, func(a, b int) bool { return pids[a] < pids[b] })
		for _, id := range pids {
			ok, err := s.store.DecrementStock(ctx, businessID, id, wanted[id], now)
			if err != nil {
				return fmt.Errorf("take stock of product %d: %w", id, err)
			}
			if !ok {
				return s.stockError(ctx, businessID, in.Items, id)
			}
		}

		o.CreatedAt, o.UpdatedAt = now, now
		if err := s.store.Create(ctx, businessID, o, s.newCode); err != nil {
			return err
		}
		owner, err = s.store.Owner(ctx, businessID)
		if errors.Is(err, domain.ErrNotFound) {
			s.log.Warn("new order: store has no owner to notify", "business_id", businessID, "order_id", o.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("load store owner: %w", err)
		}
		return s.emails.Enqueue(ctx, owner.Email, owner.Locale, orderEmailTemplate, s.emailData(biz, o, owner.Name))
	})
	if err != nil {
		return nil, err
	}
	s.purge(ctx, businessID)
	return o, nil
}

// stockError explains why taking the stock of product id failed: it ran out
// (sold out) or has fewer units than asked.
func (s *Orders) stockError(ctx context.Context, businessID int64, items []OrderItemInput, id int64) error {
	left, err := s.store.ProductStock(ctx, businessID, id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	v := &domain.ValidationError{}
	for i, it := range items {
		if it.ProductID != id {
			continue
		}
		if left == nil || *left <= 0 {
			v.Add(orderItemField(i, "product_id"), orderKeySoldOut, nil)
		} else {
			v.Add(orderItemField(i, "quantity"), orderKeyInsufficientStock, map[string]any{"Count": *left})
		}
	}
	return v
}

// orderPriceOptions checks the chosen options of line i against p's groups and
// returns their snapshot (a group's error names it in its args: Group, and
// GroupID for a form to place the message) and the unit price (product price plus deltas,
// never below zero).
func orderPriceOptions(v *domain.ValidationError, i int, p *domain.Product, chosen []int64) ([]domain.OrderItemOption, domain.Money, bool) {
	field := orderItemField(i, "options")
	type pick struct {
		group  *domain.OptionGroup
		choice *domain.OptionChoice
	}
	index := map[int64]pick{}
	for gi := range p.Options {
		g := &p.Options[gi]
		for ci := range g.Choices {
			index[g.Choices[ci].ID] = pick{g, &g.Choices[ci]}
		}
	}
	seen := map[int64]bool{}
	perGroup := map[int64]int{}
	for _, id := range chosen {
		if seen[id] {
			continue
		}
		seen[id] = true
		pk, ok := index[id]
		if !ok {
			v.Add(field, orderKeyBadOption, nil)
			return nil, 0, false
		}
		perGroup[pk.group.ID]++
	}
	for _, g := range p.Options {
		n := perGroup[g.ID]
		if n < g.MinSelect {
			v.Add(field, orderKeyOptionMin, map[string]any{"Group": g.Name, "Min": g.MinSelect, "GroupID": g.ID})
			return nil, 0, false
		}
		if g.MaxSelect > 0 && n > g.MaxSelect {
			v.Add(field, orderKeyOptionMax, map[string]any{"Group": g.Name, "Max": g.MaxSelect, "GroupID": g.ID})
			return nil, 0, false
		}
	}
	unit := p.PriceCents
	var opts []domain.OrderItemOption
	// Snapshot in the catalog's display order, not the cart's.
	for _, g := range p.Options {
		for _, c := range g.Choices {
			if seen[c.ID] {
				opts = append(opts, domain.OrderItemOption{Group: g.Name, Name: c.Name, DeltaCents: c.DeltaCents})
				unit += c.DeltaCents
			}
		}
	}
	if unit < 0 {
		unit = 0
	}
	return opts, unit, true
}

func orderItemField(i int, name string) string { return fmt.Sprintf("items[%d].%s", i, name) }

func orderAcceptsPayment(b *domain.Business, m domain.PaymentMethod) bool {
	switch m {
	case domain.PaymentCash:
		return b.PayCash
	case domain.PaymentTransfer:
		return b.PayTransfer
	case domain.PaymentCardOnDelivery:
		return b.PayCardOnDelivery
	}
	return false
}

// emailData is what templates/emails/new_order.* show.
func (s *Orders) emailData(b *domain.Business, o *domain.Order, ownerName string) map[string]any {
	type line struct {
		Name     string
		Options  string
		Quantity int
		Total    string
	}
	lines := make([]line, 0, len(o.Items))
	for _, it := range o.Items {
		names := make([]string, 0, len(it.Options))
		for _, op := range it.Options {
			names = append(names, op.Name)
		}
		lines = append(lines, line{Name: it.ProductName, Options: strings.Join(names, ", "), Quantity: it.Quantity, Total: it.LineTotalCents.Pesos()})
	}
	return map[string]any{
		"Name": ownerName, "Store": b.Name, "Code": o.Code, "Customer": o.CustomerName, "Phone": o.CustomerPhone,
		"Fulfillment": string(o.Fulfillment), "Address": o.Address, "Payment": string(o.PaymentMethod),
		"Notes": o.Notes, "Items": lines, "Subtotal": o.SubtotalCents.Pesos(),
		"DeliveryFee": o.DeliveryFeeCents.Pesos(), "HasDeliveryFee": o.DeliveryFeeCents > 0,
		"Total": o.TotalCents.Pesos(), "Link": s.baseURL + fmt.Sprintf(orderDashboardPathFmt, o.ID),
		"CashWith": cashWith(o),
	}
}

func (s *Orders) purge(ctx context.Context, businessID int64) {
	if s.purger != nil {
		s.purger.PurgeStore(ctx, businessID)
	}
}

// Get loads businessID's order with its items; another store's order is
// domain.ErrNotFound.
func (s *Orders) Get(ctx context.Context, businessID, orderID int64) (*domain.Order, error) {
	return s.store.Get(ctx, businessID, orderID)
}

// OrderFilter selects orders in the dashboard list.
type OrderFilter struct {
	// Status is "" for every status.
	Status domain.OrderStatus
	// Query matches the code, the customer's name or phone.
	Query string
	// Page counts from 1.
	Page int
}

// OrderPage is one page of the dashboard list.
type OrderPage struct {
	Orders []domain.Order
	// Counts is how many orders matching Query are in each status.
	Counts map[domain.OrderStatus]int64
	// All is the sum of Counts.
	All   int64
	Total int64
	Page  int
	Pages int
}

// List returns a page of businessID's orders, newest first.
func (s *Orders) List(ctx context.Context, businessID int64, f OrderFilter) (*OrderPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		f.Status = ""
	}
	q := strings.TrimSpace(f.Query)
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	counts, err := s.store.StatusCounts(ctx, businessID, q)
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	list, pg, err := domain.Paginate(f.Page, OrderPageSize, func(limit, offset int) ([]domain.Order, int64, error) {
		return s.store.List(ctx, businessID, f.Status, q, limit, offset)
	})
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	p := &OrderPage{Orders: list, Counts: counts, Total: pg.Total, Page: pg.Page, Pages: pg.Pages}
	for _, n := range counts {
		p.All += n
	}
	return p, nil
}

// Transition moves businessID's order to status to, as the status machine
// allows (pending→confirmed→completed, pending|confirmed→cancelled), and
// stamps the matching time. A refused change returns an error that is both
// domain.ErrConflict and *domain.ErrBadTransition, and changes nothing.
// Cancelling gives the order's units back to products that count stock, in
// the same transaction.
func (s *Orders) Transition(ctx context.Context, businessID, orderID int64, to domain.OrderStatus) (*domain.Order, error) {
	if !to.Valid() {
		return nil, domain.NewFieldError("status", orderKeyStatus)
	}
	now := s.clock()
	var o *domain.Order
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		o, err = s.store.Get(ctx, businessID, orderID)
		if err != nil {
			return err
		}
		if !o.Status.CanTransition(to) {
			return orderBadTransition(o.Status, to)
		}
		changed, err := s.store.SetStatus(ctx, businessID, orderID, o.Status, to, now)
		if err != nil {
			return fmt.Errorf("set order %d status: %w", orderID, err)
		}
		if !changed {
			// Someone else moved it between our read and write.
			cur, err := s.store.Get(ctx, businessID, orderID)
			if err != nil {
				return err
			}
			return orderBadTransition(cur.Status, to)
		}
		if to == domain.OrderCancelled {
			units := map[int64]int{}
			for _, it := range o.Items {
				if it.StockTaken {
					units[it.ProductID] += it.Quantity
				}
			}
			pids := make([]int64, 0, len(units))
			for id := range units {
				pids = append(pids, id)
			}
			sort.Slice(pids, func(a, b int) bool { return pids[a] < pids[b] })
			for _, id := range pids {
				if err := s.store.RestoreStock(ctx, businessID, id, units[id], now); err != nil {
					return fmt.Errorf("restore stock of product %d: %w", id, err)
				}
			}
		}
		o, err = s.store.Get(ctx, businessID, orderID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.purge(ctx, businessID)
	return o, nil
}

func orderBadTransition(from, to domain.OrderStatus) error {
	return fmt.Errorf("%w: %w", domain.ErrConflict, &domain.ErrBadTransition{From: from, To: to})
}

// WhatsAppReplyURL is a wa.me link to the order's customer with a message
// about the order's current status, in lang ("" means the language the
// shopper ordered in).
func (s *Orders) WhatsAppReplyURL(o *domain.Order, b *domain.Business, lang string) string {
	if lang == "" {
		lang = o.Language
	}
	lang = normLang(lang)
	key := "orders.wa." + string(o.Status)
	if o.Status == domain.OrderConfirmed {
		key += "." + string(o.Fulfillment)
	}
	name, _, _ := strings.Cut(strings.TrimSpace(o.CustomerName), " ")
	msg := s.tr.Translate(lang, key, map[string]any{
		"Name": name, "Code": o.Code, "Store": b.Name, "Total": o.TotalCents.Pesos(),
	})
	return WhatsAppURL(strings.TrimPrefix(o.CustomerPhone, "+"), msg)
}
