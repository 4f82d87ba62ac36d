package services

import (
	"context"
	"fmt"
	"time"

	"github.com/qubly/qubly/domain"
)

// StatsRepo is what Stats needs of the stats repository.
type StatsRepo interface {
	OrderFigures(ctx context.Context, businessID int64, since7, since30 time.Time) (domain.OrderFigures, error)
	TopProducts(ctx context.Context, businessID int64, limit int) ([]domain.ProductSales, error)
	CountActiveProducts(ctx context.Context, businessID int64) (int64, error)
	MarkWhatsAppTested(ctx context.Context, businessID int64, at time.Time) error
	CountOrders(ctx context.Context, businessID int64, status domain.OrderStatus) (int64, error)
}

// FiguresCache keeps computed figures per store for a few minutes; writes
// anywhere in the store purge it (StoreCache, through StoreWrites).
type FiguresCache interface {
	Get(businessID int64, key string) (any, bool)
	Set(businessID int64, key string, v any)
}

// homeCacheKey is where the dashboard home figures live in the store cache.
const homeCacheKey = "dash.home"

// TopProductsShown is how many best sellers the dashboard home lists.
const TopProductsShown = 5

// ChecklistMinProducts is how many active products a new store should have.
const ChecklistMinProducts = 5

// Stats computes the figures of the owner's dashboard home and keeps its
// getting-started checklist.
type Stats struct {
	repo   StatsRepo
	cache  FiguresCache
	writes *StoreWrites
	clock  Clock
}

// NewStats returns the dashboard figures service.
func NewStats(repo StatsRepo, cache FiguresCache, writes *StoreWrites, clock Clock) *Stats {
	return &Stats{repo: repo, cache: cache, writes: writes, clock: clock}
}

// HomeFigures are the numbers on the dashboard home. Values from the cache
// are shared: treat them as read-only.
type HomeFigures struct {
	domain.OrderFigures
	ActiveProducts int64
	TopProducts    []domain.ProductSales
	// At is when the figures were computed.
	At time.Time
}

// Home returns businessID's figures, from the cache when they were computed
// in the last few minutes and nothing in the store changed since.
func (s *Stats) Home(ctx context.Context, businessID int64) (*HomeFigures, error) {
	if v, ok := s.cache.Get(businessID, homeCacheKey); ok {
		if f, ok := v.(*HomeFigures); ok {
			return f, nil
		}
	}
	now := s.clock().UTC()
	orders, err := s.repo.OrderFigures(ctx, businessID, now.Add(-7*24*time.Hour), now.Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	top, err := s.repo.TopProducts(ctx, businessID, TopProductsShown)
	if err != nil {
		return nil, err
	}
	active, err := s.repo.CountActiveProducts(ctx, businessID)
	if err != nil {
		return nil, err
	}
	f := &HomeFigures{OrderFigures: orders, ActiveProducts: active, TopProducts: top, At: now}
	s.cache.Set(businessID, homeCacheKey, f)
	return f, nil
}

// PendingOrders is how many of businessID's orders wait for the owner (the
// badge every dashboard page shows). It is always counted fresh.
func (s *Stats) PendingOrders(ctx context.Context, businessID int64) (int64, error) {
	return s.repo.CountOrders(ctx, businessID, domain.OrderPending)
}

// MarkWhatsAppTested records that businessID's owner tried their order
// WhatsApp (the first time counts).
func (s *Stats) MarkWhatsAppTested(ctx context.Context, businessID int64) error {
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		return s.repo.MarkWhatsAppTested(ctx, businessID, s.clock())
	})
}

// Checklist is the getting-started list a new store sees until every step
// is done.
type Checklist struct {
	Logo           bool
	Products       bool
	WhatsApp       bool
	Hours          bool
	ActiveProducts int64
	MinProducts    int
}

// Done reports whether every step is done.
func (c Checklist) Done() bool { return c.Logo && c.Products && c.WhatsApp && c.Hours }

// ProductsProgress is how far the products step is, as "N of MinProducts":
// the active products counted up to MinProducts, so a store with more
// never reads "8 of 5".
func (c Checklist) ProductsProgress() int64 {
	return min(c.ActiveProducts, int64(c.MinProducts))
}

// Remaining is how many steps are left.
func (c Checklist) Remaining() int {
	n := 0
	for _, ok := range []bool{c.Logo, c.Products, c.WhatsApp, c.Hours} {
		if !ok {
			n++
		}
	}
	return n
}

// ChecklistFor reads b's checklist; activeProducts comes from the figures.
func ChecklistFor(b *domain.Business, activeProducts int64) Checklist {
	return Checklist{
		Logo:           b.LogoImageID != nil,
		Products:       activeProducts >= ChecklistMinProducts,
		WhatsApp:       b.WhatsAppTestedAt != nil,
		Hours:          !b.Hours.IsEmpty(),
		ActiveProducts: activeProducts,
		MinProducts:    ChecklistMinProducts,
	}
}

// String is for logs and test failures.
func (c Checklist) String() string {
	return fmt.Sprintf("logo=%t products=%t(%d) whatsapp=%t hours=%t", c.Logo, c.Products, c.ActiveProducts, c.WhatsApp, c.Hours)
}
