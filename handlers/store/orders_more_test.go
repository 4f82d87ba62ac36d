package store_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

// A product in a hidden category is not on the store page, so it cannot be
// ordered through the API either.
func TestOrderRefusesAProductInAHiddenCategory(t *testing.T) {
	s := newShop(t)
	cat := s.a.Category(s.biz.ID, "Secreto", testkit.HiddenCategory())
	must(t, s.a.DB.Model(s.agua).Update("category_id", cat.ID).Error)
	c := s.a.Client()
	r := postJSON(t, c, "/tacos/orders", s.validOrder())
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	var ans struct {
		Fields map[string]string `json:"fields"`
	}
	must(t, json.Unmarshal([]byte(r.Body), &ans))
	if ans.Fields["items[2].product_id"] == "" {
		t.Fatalf("fields = %v", ans.Fields)
	}
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
}

// PostgreSQL refuses NUL bytes in text: they are dropped, not a 500.
func TestOrderDropsNULBytes(t *testing.T) {
	s := newShop(t)
	body := s.validOrder()
	body["notes"] = "Sin\x00 cebolla"
	body["customer"] = map[string]any{"name": "Ana\x00 López", "phone": "55 9876 5432"}
	r := postJSON(t, s.a.Client(), "/tacos/orders", body)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	var p placed
	must(t, json.Unmarshal([]byte(r.Body), &p))
	o := s.order(t, p.Code)
	if strings.ContainsRune(o.Notes+o.CustomerName, 0) || o.Notes != "Sin cebolla" || o.CustomerName != "Ana López" {
		t.Fatalf("stored %q / %q", o.CustomerName, o.Notes)
	}
}

// TestOrderPOSTStatementCount pins the SQL statements of one order POST end
// to end: the handler finds the store in the store cache, so they are
// services.Orders.Create's (see TestCreateOrderStatementCount), plus on
// PostgreSQL the NOTIFY that tells other instances to purge the store after
// the commit. A middleware or handler that adds a round trip per order
// shows up here.
func TestOrderPOSTStatementCount(t *testing.T) {
	s := newShop(t)
	c := s.a.Client()
	if r := postJSON(t, c, "/tacos/orders", s.validOrder()); r.StatusCode != http.StatusCreated {
		t.Fatalf("first order: %d\n%s", r.StatusCode, r.Body)
	}
	queries := testkit.CountQueries(t, s.a.DB)
	if r := postJSON(t, c, "/tacos/orders", s.validOrder()); r.StatusCode != http.StatusCreated {
		t.Fatalf("order: %d\n%s", r.StatusCode, r.Body)
	}
	want := int64(9)
	if testkit.PostgresURL() != "" {
		want++ // the cross-instance purge
	}
	if n := queries.Load(); n != want {
		t.Fatalf("an order POST ran %d statements, want %d", n, want)
	}
}
