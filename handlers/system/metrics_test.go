package system_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// scrape reads /metrics with the given Authorization header ("" for none).
func scrape(t *testing.T, a *testkit.App, auth string) *testkit.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, testkit.BaseURL+"/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return a.Client().Do(req)
}

// families parses a scrape's body.
func families(t *testing.T, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// value is the counter (or histogram's sample count) of name whose labels
// include labels; -1 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if got[k] != v {
				continue next
			}
		}
		if h := m.GetHistogram(); h != nil {
			return float64(h.GetSampleCount())
		}
		return m.GetCounter().GetValue()
	}
	return -1
}

// post sends a JSON body as the store's scripts do.
func post(c *testkit.Client, path string, body any) *testkit.Response {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", testkit.BaseURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// TestMetricsCountWhatTheAppDoes scrapes /metrics after a store page (a
// miss, then a hit), an order, a chat question and a Stripe event.
func TestMetricsCountWhatTheAppDoes(t *testing.T) {
	a := testkit.NewApp(t)
	biz := a.Shop("demo", map[string]any{"pickup_enabled": true, "pay_cash": true})
	taco := a.Product(biz.ID, "Taco al pastor", testkit.Price(2500))
	c := a.Client()

	for _, want := range []string{"miss", "hit"} {
		if r := c.Get("/demo"); r.StatusCode != 200 || r.Header.Get("X-Cache") != want {
			t.Fatalf("GET /demo: %d X-Cache %q, want %q", r.StatusCode, r.Header.Get("X-Cache"), want)
		}
	}
	order := map[string]any{
		"items":       []map[string]any{{"product_id": taco.ID, "quantity": 2}},
		"customer":    map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
		"fulfillment": "pickup", "payment_method": "cash",
	}
	if r := post(c, "/demo/orders", order); r.StatusCode != http.StatusCreated {
		t.Fatalf("order: %d %s", r.StatusCode, r.Body)
	}
	if r := post(c, "/demo/chat", map[string]string{"message": "¿A qué hora abren?"}); r.StatusCode != 200 || !strings.Contains(r.Body, `"source":"fallback"`) {
		t.Fatalf("chat: %d %s", r.StatusCode, r.Body)
	}
	e := testkit.SubscriptionEvent("updated", a.Clock.Now(), "cus_nobody", "sub_nobody", "active", a.Clock.Now().AddDate(0, 1, 0))
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/webhooks/stripe", bytes.NewReader(e.Body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now()))
	if r := c.Do(req); r.StatusCode != 200 {
		t.Fatalf("webhook: %d %s", r.StatusCode, r.Body)
	}

	if r := c.Get("/no/such/page"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /no/such/page: %d", r.StatusCode)
	}

	r := scrape(t, a, "")
	if r.StatusCode != 200 {
		t.Fatalf("/metrics in development: %d %s", r.StatusCode, r.Body)
	}
	fams := families(t, r.Body)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		// The page's miss is timed under its route's pattern, never the
		// raw path; the hit is answered before the timing middleware.
		{"qubly_http_request_duration_seconds", map[string]string{"route": "/:slug", "method": "GET", "status": "2xx"}, 1},
		{"qubly_http_request_duration_seconds", map[string]string{"route": "/:slug/orders", "method": "POST", "status": "2xx"}, 1},
		{"qubly_http_request_duration_seconds", map[string]string{"route": "/webhooks/stripe", "method": "POST", "status": "2xx"}, 1},
		{"qubly_http_request_duration_seconds", map[string]string{"route": "/demo"}, -1},
		// No route: one label for every unknown path.
		{"qubly_http_request_duration_seconds", map[string]string{"route": "other", "method": "GET", "status": "4xx"}, 1},
		{"qubly_page_cache_hits_total", nil, 1},
		{"qubly_page_cache_misses_total", nil, 1},
		{"qubly_orders_created_total", nil, 1},
		{"qubly_chat_answers_total", map[string]string{"source": string(domain.ChatSourceFallback)}, 1},
		{"qubly_stripe_webhook_events_total", map[string]string{"type": "customer.subscription.updated", "result": "unknown_customer"}, 1},
	} {
		if got := value(fams, tc.name, tc.labels); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if fams["go_goroutines"] == nil {
		t.Error("no Go runtime metrics")
	}
}

// In production /metrics needs METRICS_TOKEN as a bearer token, and is not
// there at all without one.
func TestMetricsTokenInProduction(t *testing.T) {
	prod := []testkit.AppOption{testkit.WithEnv("APP_ENV", "production"), testkit.WithEnv("SECRET_KEY", strings.Repeat("k", 32))}
	if r := scrape(t, testkit.NewApp(t, prod...), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("production without a token: %d, want 404", r.StatusCode)
	}
	a := testkit.NewApp(t, append(prod, testkit.WithEnv("METRICS_TOKEN", "s3cret-token"))...)
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Basic s3cret-token", http.StatusUnauthorized},
		{"Bearer s3cret-token", http.StatusOK},
	} {
		r := scrape(t, a, tc.auth)
		if r.StatusCode != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, r.StatusCode, tc.want)
		}
		if tc.want == http.StatusOK && !strings.Contains(r.Body, "qubly_orders_created_total 0") {
			t.Errorf("Authorization %q: no metrics\n%s", tc.auth, r.Body)
		}
	}
}

// The metrics registry is the app's: two apps count apart.
func TestMetricsAreTheApps(t *testing.T) {
	a, b := testkit.NewApp(t), testkit.NewApp(t)
	a.Client().Get("/healthz")
	fa, fb := families(t, scrape(t, a, "").Body), families(t, scrape(t, b, "").Body)
	route := map[string]string{"route": "/healthz", "method": "GET", "status": "2xx"}
	if va, vb := value(fa, "qubly_http_request_duration_seconds", route), value(fb, "qubly_http_request_duration_seconds", route); va != 1 || vb != -1 {
		t.Errorf("/healthz timed %v and %v times, want 1 and none", va, vb)
	}
}
