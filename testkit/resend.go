package testkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// FakeEmail is an email the fake Resend accepted.
type FakeEmail struct {
	ID             string
	From           string
	To             []string
	Subject        string
	HTML           string
	Text           string
	IdempotencyKey string
}

// FakeCall is one POST /emails the fake Resend received, accepted or not.
type FakeCall struct {
	IdempotencyKey string
	Status         int
}

// FakeResend is a stand-in for Resend's API: POST /emails takes the JSON
// email and answers {"id": "..."}. Like the real API it deduplicates by the
// Idempotency-Key header: a repeated key gets the first email's ID and is not
// recorded as a new email (but counts as a call).
type FakeResend struct {
	srv *httptest.Server

	mu       sync.Mutex
	failNext int
	emails   []FakeEmail
	calls    []FakeCall
	byKey    map[string]string
}

// NewFakeResend starts a fake Resend server, closed when the test ends.
func NewFakeResend(t testing.TB) *FakeResend {
	t.Helper()
	f := &FakeResend{byKey: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /emails", f.handleEmails)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the base URL to give the Resend client.
func (f *FakeResend) URL() string { return f.srv.URL }

// FailNext makes the next n calls answer HTTP 500.
func (f *FakeResend) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext = n
}

// Requests returns the distinct emails accepted so far.
func (f *FakeResend) Requests() []FakeEmail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeEmail(nil), f.emails...)
}

// Calls returns every POST /emails received, failed and repeated ones included.
func (f *FakeResend) Calls() []FakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeCall(nil), f.calls...)
}

func (f *FakeResend) handleEmails(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	f.mu.Lock()
	defer f.mu.Unlock()
	reply := func(status int, body any) {
		f.calls = append(f.calls, FakeCall{IdempotencyKey: key, Status: status})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	if r.Header.Get("Authorization") == "" {
		reply(http.StatusUnauthorized, map[string]any{"statusCode": 401, "name": "missing_api_key", "message": "Missing API key"})
		return
	}
	if f.failNext > 0 {
		f.failNext--
		reply(http.StatusInternalServerError, map[string]any{"statusCode": 500, "name": "internal_server_error", "message": "fake failure"})
		return
	}
	var in struct {
		From    string   `json:"from"`
		To      []string `json:"to"`
		Subject string   `json:"subject"`
		HTML    string   `json:"html"`
		Text    string   `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.From == "" || len(in.To) == 0 || in.Subject == "" {
		reply(http.StatusUnprocessableEntity, map[string]any{"statusCode": 422, "name": "validation_error", "message": "from, to and subject are required"})
		return
	}
	if id, ok := f.byKey[key]; ok && key != "" {
		reply(http.StatusOK, map[string]string{"id": id})
		return
	}
	id := fmt.Sprintf("fake-%d", len(f.emails)+1)
	if key != "" {
		f.byKey[key] = id
	}
	f.emails = append(f.emails, FakeEmail{
		ID: id, From: in.From, To: in.To, Subject: in.Subject, HTML: in.HTML, Text: in.Text, IdempotencyKey: key,
	})
	reply(http.StatusOK, map[string]string{"id": id})
}
