package testkit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// StripeCall is one request the app made to Stripe.
type StripeCall struct {
	Method, Path string
	Form         url.Values
	// IdempotencyKey is the Idempotency-Key header, if any.
	IdempotencyKey string
}

// StripeCalls is a stripe-mock behind a recorder: the app's requests reach
// stripe-mock (which answers them) and are kept for the test to check.
type StripeCalls struct {
	// URL is the base URL to give the app as STRIPE_API_BASE.
	URL string

	mu    sync.Mutex
	calls []StripeCall
}

// NewStripeCalls starts a recorder in front of StripeMock(t) (skipping the
// test when stripe-mock is missing, as StripeMock does).
func NewStripeCalls(t testing.TB) *StripeCalls {
	t.Helper()
	target, err := url.Parse(StripeMock(t))
	if err != nil {
		t.Fatal(err)
	}
	s := &StripeCalls{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		s.mu.Lock()
		s.calls = append(s.calls, StripeCall{
			Method: r.Method, Path: r.URL.Path, Form: form, IdempotencyKey: r.Header.Get("Idempotency-Key"),
		})
		s.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// To lists the calls made with method to path ("POST", "/v1/customers"), in
// order.
func (s *StripeCalls) To(method, path string) []StripeCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StripeCall
	for _, c := range s.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}
