package services

import (
	"context"
	"crypto/rand"
	"log/slog"
	"time"

	"github.com/qubly/qubly/domain"
)

// Order rules.
const (
	OrderPageSize         = 20
	orderCodeLen          = 8
	orderCodeAlphabet     = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" // 32 symbols: no 0/O, 1/I
	orderEmailTemplate    = "new_order"
	orderDashboardPathFmt = "/dashboard/orders/%d"
)

// OrderRepo is what Orders needs of the orders repository.
type OrderRepo interface {
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

// OrderEmails renders the owner's "new order" email before the order's
// transaction and writes it to the outbox inside it (Render may return nil:
// no email).
type OrderEmails interface {
	Render(to, lang, name string, data map[string]any) (*domain.OutboxEmail, error)
	Add(ctx context.Context, e *domain.OutboxEmail) error
}

// OrderBusinessRepo loads the store an order is placed in.
type OrderBusinessRepo interface {
	Get(ctx context.Context, id int64) (*domain.Business, error)
}

// Orders owns placing orders (prices, options, delivery, stock), listing
// them and moving them through their statuses.
type Orders struct {
	repo       OrderRepo
	businesses OrderBusinessRepo
	emails     OrderEmails
	writes     *StoreWrites
	tr         Translator
	clock      Clock
	log        *slog.Logger
	baseURL    string
	newCode    func() string
}

// OrdersDeps groups what NewOrders needs.
type OrdersDeps struct {
	Repo       OrderRepo
	Businesses OrderBusinessRepo
	Emails     OrderEmails
	// Writes places orders and changes their status and the stock, then
	// purges the store's cached pages (stock shows on them).
	Writes     *StoreWrites
	Translator Translator
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
		repo: d.Repo, businesses: d.Businesses, emails: d.Emails, writes: d.Writes, tr: d.Translator,
		clock: d.Clock, log: d.Log, baseURL: d.BaseURL, newCode: d.NewCode,
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

// Get loads businessID's order with its items; another store's order is
// domain.ErrNotFound.
func (s *Orders) Get(ctx context.Context, businessID, orderID int64) (*domain.Order, error) {
	return s.repo.Get(ctx, businessID, orderID)
}
