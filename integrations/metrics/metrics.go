// Package metrics keeps the app's Prometheus metrics in a registry of its
// own (not the global default one, so several apps in one process, as in
// tests, do not collide) and serves them in the exposition format. The
// handlers, services and jobs report through small interfaces of their
// own, which *Metrics implements; none of them imports Prometheus.
package metrics

import (
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names, as served at /metrics.
const (
	NameHTTPDuration   = "qubly_http_request_duration_seconds"
	NameOrdersCreated  = "qubly_orders_created_total"
	NameStripeEvents   = "qubly_stripe_webhook_events_total"
	NameChatAnswers    = "qubly_chat_answers_total"
	NameJobRuns        = "qubly_job_runs_total"
	NameJobFailures    = "qubly_job_failures_total"
	NamePageCacheHits  = "qubly_page_cache_hits_total"
	NamePageCacheMiss  = "qubly_page_cache_misses_total"
	pageCacheHitsHelp  = "Store pages served from the page cache."
	pageCacheMissHelp  = "Cacheable store pages rendered because the page cache did not have them."
	httpDurationHelp   = "Time to answer an HTTP request, by route pattern, method and status class."
	stripeEventsHelp   = "Stripe webhook events received, by event type and result."
	chatAnswersHelp    = "Chatbot answers, by source (llm, fallback, cache)."
	jobRunsHelp        = "Scheduled job runs, by job."
	jobFailuresHelp    = "Scheduled job runs that failed, by job."
	ordersCreatedHelp  = "Orders placed by shoppers (repeats of an order excluded)."
	statusClassUnknown = "other"
)

// Metrics is the app's set of metrics.
type Metrics struct {
	reg          *prometheus.Registry
	httpDuration *prometheus.HistogramVec
	orders       prometheus.Counter
	stripe       *prometheus.CounterVec
	chat         *prometheus.CounterVec
	jobRuns      *prometheus.CounterVec
	jobFailures  *prometheus.CounterVec
}

// PageCounts are the page cache's counters, read at each scrape.
type PageCounts struct {
	Hits, Misses *atomic.Uint64
}

// New registers the metrics, the Go runtime's and the process's in a new
// registry; pages are the page cache's counters.
func New(pages PageCounts) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: NameHTTPDuration, Help: httpDurationHelp,
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		orders:      prometheus.NewCounter(prometheus.CounterOpts{Name: NameOrdersCreated, Help: ordersCreatedHelp}),
		stripe:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameStripeEvents, Help: stripeEventsHelp}, []string{"type", "result"}),
		chat:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameChatAnswers, Help: chatAnswersHelp}, []string{"source"}),
		jobRuns:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameJobRuns, Help: jobRunsHelp}, []string{"job"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameJobFailures, Help: jobFailuresHelp}, []string{"job"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpDuration, m.orders, m.stripe, m.chat, m.jobRuns, m.jobFailures,
		counterFunc(NamePageCacheHits, pageCacheHitsHelp, pages.Hits),
		counterFunc(NamePageCacheMiss, pageCacheMissHelp, pages.Misses),
	)
	return m
}

// counterFunc is a counter read from n at each scrape (0 when n is nil).
func counterFunc(name, help string, n *atomic.Uint64) prometheus.CounterFunc {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 {
		if n == nil {
			return 0
		}
		return float64(n.Load())
	})
}

// Registry is where the metrics are registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveRequest records one answered HTTP request: route is the matched
// route's pattern (never the raw path), status the answer's code, kept as
// its class ("2xx"…).
func (m *Metrics) ObserveRequest(route, method string, status int, seconds float64) {
	m.httpDuration.WithLabelValues(route, method, StatusClass(status)).Observe(seconds)
}

// OrderCreated counts one order placed.
func (m *Metrics) OrderCreated() { m.orders.Inc() }

// StripeEvent counts one Stripe webhook event of type eventType with its
// result (an outcome, or "invalid", "too_large", "error").
func (m *Metrics) StripeEvent(eventType, result string) {
	m.stripe.WithLabelValues(eventType, result).Inc()
}

// ChatAnswer counts one chatbot answer from source.
func (m *Metrics) ChatAnswer(source string) { m.chat.WithLabelValues(source).Inc() }

// JobRun counts one run of job, and a failure when err is not nil.
func (m *Metrics) JobRun(job string, err error) {
	m.jobRuns.WithLabelValues(job).Inc()
	if err != nil {
		m.jobFailures.WithLabelValues(job).Inc()
	}
}

// StatusClass is "1xx" to "5xx" for an HTTP status, "other" otherwise.
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return statusClassUnknown
	}
	return strconv.Itoa(status/100) + "xx"
}
