package stripe_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"github.com/qubly/qubly/testkit"
)

// recorded is one request a test's client sent to stripe-mock.
type recorded struct {
	Method, Path, IdempotencyKey string
	Form                         url.Values
}

// recorder is stripe-mock behind a proxy that keeps every request.
type recorder struct {
	URL  string
	mu   sync.Mutex
	reqs []recorded
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	target, err := url.Parse(testkit.StripeMock(t))
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.Header.Get("Idempotency-Key"), form})
		r.mu.Unlock()
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// requests returns the requests of method to path.
func (r *recorder) requests(method, path string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, q := range r.reqs {
		if q.Method == method && q.Path == path {
			out = append(out, q)
		}
	}
	return out
}
