package services

import (
	"context"
	"time"

	"github.com/patrickmn/go-cache"

	"github.com/qubly/qubly/domain"
)

// AdminMetricsRepo is what AdminMetrics needs of the admin metrics repository.
type AdminMetricsRepo interface {
	Businesses(ctx context.Context) ([]domain.MetricsBusiness, error)
	Changes(ctx context.Context) ([]domain.SubscriptionChange, error)
	RevenueBuckets(ctx context.Context, bounds []time.Time) ([]domain.MetricsBucket, error)
	OrderBuckets(ctx context.Context, bounds []time.Time) ([]domain.MetricsBucket, error)
	Referrals(ctx context.Context) (domain.ReferralCounts, error)
	TopStores(ctx context.Context, since time.Time, limit int) ([]domain.StoreSales, error)
	ActiveStores(ctx context.Context, since time.Time) (active, total int64, err error)
	Products(ctx context.Context) (total, active int64, err error)
	ChatSources(ctx context.Context, since time.Time) ([]domain.ChatSourceCount, error)
}

// Metrics periods and sizes.
const (
	// MetricsTTL is how long computed figures are served before recomputing.
	MetricsTTL = 5 * time.Minute
	// MetricsWeeks and MetricsMonths are the lengths of the series.
	MetricsWeeks  = 12
	MetricsMonths = 12
	// MetricsWindow is the "last 30 days" of churn, top and active stores
	// and chatbot usage.
	MetricsWindow = 30 * 24 * time.Hour
	// MetricsTopStores is how many stores the top list shows.
	MetricsTopStores = 10
)

// MetricsZone is where weeks and months start: Mexico City.
var MetricsZone = mustZone(domain.DefaultTimeZone)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Ratio is a share Num / Den (0 when Den is 0).
type Ratio struct{ Num, Den int64 }

// Value is the ratio as 0–1.
func (r Ratio) Value() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Period is one bucket of a series: weeks start on Monday 00:00 and months
// on the 1st, Mexico City time.
type Period struct {
	Start time.Time
	Count int64
	Cents domain.Money
}

// StateCount is how many businesses are in a subscription status.
type StateCount struct {
	Status domain.SubscriptionStatus
	Count  int64
}

// PlatformMetrics are the figures of Qubly as a business (/admin). Every
// business figure leaves out the demo store and deleted stores.
type PlatformMetrics struct {
	ComputedAt time.Time
	PlanPrice  domain.Money
	// Paying counts the active and past_due businesses; MRR is Paying × the
	// plan's price (a past_due business is still billed).
	Paying int64
	MRR    domain.Money
	// States counts businesses by status, in domain.SubscriptionStatuses
	// order; Total is their sum. Suspended counts those a platform admin
	// took offline (whatever their status).
	States           []StateCount
	Total, Suspended int64
	// Conversion is trial → paid: Den counts the businesses whose trial is
	// over (they left the trial status, or its end date has passed); Num
	// those of them that became active at some point (a change to active in
	// their subscription history, or active/past_due now).
	Conversion Ratio
	// Churn over the last 30 days: Den counts the businesses that were
	// paying (active or past_due, from their history) when the window
	// started; Num those of them that changed to cancelled within it.
	Churn ChurnWindow
	// Signups counts new businesses by the week they were created in.
	Signups []Period
	// Revenue sums paid MXN invoices by the month their billing period
	// starts in (PeriodStart, Mexico City).
	Revenue []Period
	// Referrals counts every referral: made, converted (successful: the
	// referred business paid its first invoice), failed, pending and
	// rewarded (the referrer's credit applied).
	Referrals domain.ReferralCounts
}

// ChurnWindow is churn with its window.
type ChurnWindow struct {
	Ratio
	From, To time.Time
}

// CustomerMetrics are the figures of the stores (/admin/customers), demo
// and deleted stores left out.
type CustomerMetrics struct {
	ComputedAt time.Time
	Since      time.Time
	// Orders counts the orders that were not cancelled, and sums their
	// totals, by the week they were placed in.
	Orders []Period
	// TopStores are the stores with the most such orders in the last 30
	// days (then the highest value).
	TopStores []domain.StoreSales
	// Active counts stores with an order placed or an owner's dashboard
	// session used in the last 30 days, out of Stores.
	Active Ratio
	// Products counts products not deleted (ActiveProducts: shown in the
	// store); PerStore is Products per store.
	Products, ActiveProducts int64
	PerStore                 Ratio
	// Chat counts the last 30 days' chatbot questions by the source of the
	// reply (every source, zeros included); CacheHits is the share answered
	// from the response cache.
	Chat      []domain.ChatSourceCount
	ChatTotal int64
	CacheHits Ratio
}

// AdminMetrics computes the platform admin's metrics pages and keeps each
// for MetricsTTL: a second look within five minutes does not query again.
type AdminMetrics struct {
	repo      AdminMetricsRepo
	clock     Clock
	planPrice domain.Money
	cache     *cache.Cache
}

// NewAdminMetrics returns the metrics service; planPrice is the monthly
// plan's price in centavos (PLAN_PRICE_CENTS).
func NewAdminMetrics(repo AdminMetricsRepo, clock Clock, planPrice domain.Money) *AdminMetrics {
	return &AdminMetrics{repo: repo, clock: clock, planPrice: planPrice,
		cache: cache.New(MetricsTTL, time.Minute)}
}

// Refresh drops the cached figures: the next look recomputes them.
func (s *AdminMetrics) Refresh() { s.cache.Flush() }

// cached returns the value under key computed less than MetricsTTL ago by
// the service's clock (the go-cache expiry only frees memory), else
// computes and stores it.
func cached[T any](s *AdminMetrics, key string, at func(T) time.Time, compute func(now time.Time) (T, error)) (T, error) {
	now := s.clock()
	if v, ok := s.cache.Get(key); ok {
		if t := v.(T); now.Sub(at(t)) < MetricsTTL && !now.Before(at(t)) {
			return t, nil
		}
	}
	v, err := compute(now)
	if err != nil {
		return v, err
	}
	s.cache.SetDefault(key, v)
	return v, nil
}

// Platform returns the platform figures, cached.
func (s *AdminMetrics) Platform(ctx context.Context) (*PlatformMetrics, error) {
	return cached(s, "platform", func(m *PlatformMetrics) time.Time { return m.ComputedAt },
		func(now time.Time) (*PlatformMetrics, error) { return s.platform(ctx, now) })
}

// Customers returns the stores' figures, cached.
func (s *AdminMetrics) Customers(ctx context.Context) (*CustomerMetrics, error) {
	return cached(s, "customers", func(m *CustomerMetrics) time.Time { return m.ComputedAt },
		func(now time.Time) (*CustomerMetrics, error) { return s.customers(ctx, now) })
}

func (s *AdminMetrics) platform(ctx context.Context, now time.Time) (*PlatformMetrics, error) {
	bs, err := s.repo.Businesses(ctx)
	if err != nil {
		return nil, err
	}
	changes, err := s.repo.Changes(ctx)
	if err != nil {
		return nil, err
	}
	months := MonthBounds(now, MetricsMonths)
	revenue, err := s.repo.RevenueBuckets(ctx, months)
	if err != nil {
		return nil, err
	}
	refs, err := s.repo.Referrals(ctx)
	if err != nil {
		return nil, err
	}
	m := &PlatformMetrics{ComputedAt: now, PlanPrice: s.planPrice, Referrals: refs,
		Revenue: periods(months, revenue)}
	m.States, m.Total, m.Suspended = states(bs)
	for _, st := range m.States {
		if st.Status == domain.SubscriptionActive || st.Status == domain.SubscriptionPastDue {
			m.Paying += st.Count
		}
	}
	m.MRR = domain.Money(m.Paying) * s.planPrice
	m.Conversion = Conversion(bs, changes, now)
	m.Churn = Churn(changes, now)
	weeks := WeekBounds(now, MetricsWeeks)
	m.Signups = make([]Period, len(weeks)-1)
	for i := range m.Signups {
		m.Signups[i].Start = weeks[i]
	}
	for _, b := range bs {
		if i := bucketOf(weeks, b.CreatedAt); i >= 0 {
			m.Signups[i].Count++
		}
	}
	return m, nil
}

func (s *AdminMetrics) customers(ctx context.Context, now time.Time) (*CustomerMetrics, error) {
	since := now.Add(-MetricsWindow)
	weeks := WeekBounds(now, MetricsWeeks)
	orders, err := s.repo.OrderBuckets(ctx, weeks)
	if err != nil {
		return nil, err
	}
	m := &CustomerMetrics{ComputedAt: now, Since: since, Orders: periods(weeks, orders)}
	if m.TopStores, err = s.repo.TopStores(ctx, since, MetricsTopStores); err != nil {
		return nil, err
	}
	if m.Active.Num, m.Active.Den, err = s.repo.ActiveStores(ctx, since); err != nil {
		return nil, err
	}
	if m.Products, m.ActiveProducts, err = s.repo.Products(ctx); err != nil {
		return nil, err
	}
	m.PerStore = Ratio{Num: m.Products, Den: m.Active.Den}
	counts, err := s.repo.ChatSources(ctx, since)
	if err != nil {
		return nil, err
	}
	for _, src := range []domain.ChatSource{domain.ChatSourceLLM, domain.ChatSourceCache, domain.ChatSourceFallback} {
		c := domain.ChatSourceCount{Source: src}
		for _, got := range counts {
			if got.Source == src {
				c.Count = got.Count
			}
		}
		m.Chat = append(m.Chat, c)
		m.ChatTotal += c.Count
		if src == domain.ChatSourceCache {
			m.CacheHits.Num = c.Count
		}
	}
	m.CacheHits.Den = m.ChatTotal
	return m, nil
}
