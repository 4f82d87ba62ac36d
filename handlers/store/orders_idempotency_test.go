package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// postOrderWithKey posts body to the store's order API like cart.js does,
// with an Idempotency-Key header.
func postOrderWithKey(t *testing.T, c *testkit.Client, slug, key string, body any) *testkit.Response {
	t.Helper()
	b, err := json.Marshal(body)
	must(t, err)
	req, err := http.NewRequest(http.MethodPost, testkit.BaseURL+"/"+slug+"/orders", bytes.NewReader(b))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	req.Header.Set("Origin", testkit.BaseURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Idempotency-Key", key)
	return c.Do(req)
}

// stockedOrder is a pickup order of 3 units of a product that counts stock.
func stockedOrder(productID int64) map[string]any {
	return map[string]any{
		"items":          []map[string]any{{"product_id": productID, "quantity": 3}},
		"customer":       map[string]any{"name": "Ana López", "phone": "55 9876 5432"},
		"fulfillment":    "pickup",
		"payment_method": "cash",
	}
}

func (s *shop) stockOf(t *testing.T, id int64) int {
	t.Helper()
	var p domain.Product
	must(t, s.a.DB.Unscoped().First(&p, id).Error)
	if p.Stock == nil {
		t.Fatalf("product %d does not count stock", id)
	}
	return *p.Stock
}

func (s *shop) emailsQueued(t *testing.T) int64 {
	t.Helper()
	var n int64
	must(t, s.a.DB.Model(&domain.OutboxEmail{}).Count(&n).Error)
	return n
}

func TestOrderRepeatedWithTheSameKeyIsStoredOnce(t *testing.T) {
	s := newShop(t)
	tamal := s.product(s.biz.ID, "Tamal", testkit.Price(2000), testkit.Stock(10))
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)
	c := s.a.Client()
	const key = "0b9f3c1e-7a42-4d55-9c1b-2f6e8a7d3b10"
	emails := s.emailsQueued(t)

	first := postOrderWithKey(t, c, "tacos", key, stockedOrder(tamal.ID))
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("first: %d\n%s", first.StatusCode, first.Body)
	}
	var p1 placed
	must(t, json.Unmarshal([]byte(first.Body), &p1))

	// The answer was lost; the shopper retries the same checkout.
	again := postOrderWithKey(t, c, "tacos", key, stockedOrder(tamal.ID))
	if again.StatusCode != http.StatusOK {
		t.Fatalf("repeat: %d, want 200\n%s", again.StatusCode, again.Body)
	}
	var p2 placed
	must(t, json.Unmarshal([]byte(again.Body), &p2))
	if p2.Code != p1.Code || p2.TotalCents != p1.TotalCents || p2.WhatsAppURL != p1.WhatsAppURL || p2.TrackingURL != p1.TrackingURL {
		t.Fatalf("repeat answered %+v, first %+v", p2, p1)
	}
	if n := s.orders(t); n != 1 {
		t.Fatalf("%d orders stored, want 1", n)
	}
	if got := s.stockOf(t, tamal.ID); got != 7 {
		t.Fatalf("stock %d, want 7 (taken once)", got)
	}
	if n := s.emailsQueued(t) - emails; n != 1 {
		t.Fatalf("%d owner emails queued, want 1", n)
	}
	if o := s.order(t, p1.Code); o.IdempotencyKey == nil || *o.IdempotencyKey != key {
		t.Fatalf("stored key %v", o.IdempotencyKey)
	}

	// Another checkout (a new key) is another order.
	if r := postOrderWithKey(t, c, "tacos", "5d2c0a9e-1111-4c3b-8e7f-aa00bb11cc22", stockedOrder(tamal.ID)); r.StatusCode != http.StatusCreated {
		t.Fatalf("new key: %d\n%s", r.StatusCode, r.Body)
	}
	// Keys are per store: the same key in another store is that store's own.
	must(t, s.a.DB.Model(&domain.Business{}).Where("id = ?", s.other.ID).
		Updates(map[string]any{"pickup_enabled": true, "pay_cash": true}).Error)
	s.a.Cache.PurgeStore(t.Context(), s.other.ID)
	other := stockedOrder(s.otherProduct.ID)
	other["items"] = []map[string]any{{"product_id": s.otherProduct.ID, "quantity": 1}}
	r := postOrderWithKey(t, c, "otra", key, other)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("same key, other store: %d\n%s", r.StatusCode, r.Body)
	}
	var p3 placed
	must(t, json.Unmarshal([]byte(r.Body), &p3))
	if p3.Code == p1.Code {
		t.Fatal("another store's order answered with the first store's order")
	}
	if n := s.orders(t); n != 3 {
		t.Fatalf("%d orders stored, want 3", n)
	}
}

func TestOrderIdempotencyKeyMustBeWellFormed(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	for _, key := range []string{"short", "has spaces in the key 123", "ñandú-ñandú-ñandú-ñandú", string(bytes.Repeat([]byte("a"), 65))} {
		r := postOrderWithKey(t, c, "tacos", key, s.validOrder())
		if r.StatusCode != http.StatusBadRequest {
			t.Fatalf("key %q: %d, want 400\n%s", key, r.StatusCode, r.Body)
		}
		var ans struct {
			Fields map[string]string `json:"fields"`
		}
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if ans.Fields["idempotency_key"] == "" {
			t.Fatalf("key %q: no message on idempotency_key: %s", key, r.Body)
		}
	}
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
}

func TestConcurrentRepeatsOfAnOrderStoreOne(t *testing.T) {
	s := newShop(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	tamal := s.product(s.biz.ID, "Tamal", testkit.Price(2000), testkit.Stock(10))
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)
	const key = "c6a1e2f0-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
	const repeats = 8
	clients := make([]*testkit.Client, repeats)
	for i := range clients {
		clients[i] = s.a.Client()
		clients[i].Header.Set("X-Client-IP", fmt.Sprintf("10.1.0.%d", i+1))
		clients[i].CSRF()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	statuses := map[int]int{}
	start := make(chan struct{})
	for i := range repeats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := postOrderWithKey(t, clients[i], "tacos", key, stockedOrder(tamal.ID))
			var p placed
			json.Unmarshal([]byte(r.Body), &p)
			mu.Lock()
			defer mu.Unlock()
			statuses[r.StatusCode]++
			codes[p.Code]++
		}()
	}
	close(start)
	wg.Wait()
	if statuses[http.StatusCreated] != 1 || statuses[http.StatusOK] != repeats-1 {
		t.Fatalf("statuses %v, want one 201 and %d 200", statuses, repeats-1)
	}
	if len(codes) != 1 {
		t.Fatalf("answered with codes %v, want one code", codes)
	}
	if n := s.orders(t); n != 1 {
		t.Fatalf("%d orders stored, want 1", n)
	}
	var items int64
	must(t, s.a.DB.Model(&domain.OrderItem{}).Count(&items).Error)
	if items != 1 {
		t.Fatalf("%d order items stored, want 1", items)
	}
	if got := s.stockOf(t, tamal.ID); got != 7 {
		t.Fatalf("stock %d, want 7 (taken once)", got)
	}
}
