package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

func TestProductListSearchFilterPagination(t *testing.T) {
	s := newCatalogSetup(t)
	tacos := s.category(t, "Tacos")
	s.seedProducts(t, "Taco", 23, func(i int, p *domain.Product) { p.CategoryID = &tacos })
	s.seedProducts(t, "Agua 100%", 2, func(i int, p *domain.Product) {
		if i == 1 {
			p.Active = false
		}
		if i == 2 {
			zero := 0
			p.Stock = &zero
		}
	})
	s.seedProducts(t, "Torta", 1, func(i int, p *domain.Product) { p.SoldOut = true })

	count := func(body string) int { return strings.Count(body, `name="ids" value="`) }
	r := s.c.Get("/dashboard/products")
	if r.StatusCode != http.StatusOK || count(r.Body) != 20 || !strings.Contains(r.Body, "26 productos") || !strings.Contains(r.Body, `href="/dashboard/products?page=2"`) {
		t.Fatalf("page 1: %d, %d rows", r.StatusCode, count(r.Body))
	}
	if r := s.c.Get("/dashboard/products?page=2"); count(r.Body) != 6 || !strings.Contains(r.Body, "Torta 01") {
		t.Fatalf("page 2: %d rows", count(r.Body))
	}
	if r := s.c.Get("/dashboard/products?page=99"); count(r.Body) != 6 {
		t.Fatalf("page past the end: %d rows", count(r.Body))
	}
	cases := []struct {
		query string
		rows  int
		has   string
	}{
		{"q=taco+1", 10, "Taco 10"},
		{"q=TACO+05", 1, "Taco 05"},
		{"q=100%25", 2, "Agua 100%"},
		{"q=_", 0, ""},
		{fmt.Sprintf("category=%d", tacos), 20, "Taco 01"},
		{"category=none", 3, "Torta 01"},
		{"status=hidden", 1, "Agua 100% 01"},
		{"status=sold_out", 2, "Agua 100% 02"},
		{"status=active&category=none", 2, "Torta 01"},
		{"q=taco&page=2", 3, "Taco 23"},
	}
	for _, tc := range cases {
		r := s.c.Get("/dashboard/products?" + tc.query)
		if r.StatusCode != http.StatusOK || count(r.Body) != tc.rows || (tc.has != "" && !strings.Contains(r.Body, tc.has)) {
			t.Errorf("%s: %d, %d rows, want %d with %q", tc.query, r.StatusCode, count(r.Body), tc.rows, tc.has)
		}
		if r.StatusCode == http.StatusOK && strings.Contains(r.Body, `data-reorder-url`) {
			t.Errorf("%s: a filtered list offers reordering", tc.query)
		}
	}
	// Another store's products never show.
	s.a.Product(s.other.Business.ID, "Taco ajeno", testkit.Price(100))
	if r := s.c.Get("/dashboard/products?q=ajeno"); count(r.Body) != 0 || strings.Contains(r.Body, "Taco ajeno") {
		t.Fatal("another store's product listed")
	}
}

func TestProductsOrder(t *testing.T) {
	s := newCatalogSetup(t)
	ids := s.seedProducts(t, "P", 4, nil)
	order := func() string { return catalogProductNames(s.products(t)) }
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/move", ids[2]), url.Values{"dir": {"up"}, "back": {"/dashboard/products?page=1"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/products?page=1" {
		t.Fatalf("move: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if got := order(); got != "P 01,P 03,P 02,P 04" {
		t.Fatalf("after move up: %s", got)
	}
	s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/move", ids[0]), url.Values{"dir": {"down"}})
	if got := order(); got != "P 03,P 01,P 02,P 04" {
		t.Fatalf("after move down: %s", got)
	}
	// Reordering a subset keeps the others in their places.
	if r := catalogReorder(s.c, "/dashboard/products/reorder", ids[3], ids[2]); r.StatusCode != http.StatusNoContent {
		t.Fatalf("reorder: %d %s", r.StatusCode, r.Body)
	}
	if got := order(); got != "P 04,P 01,P 02,P 03" {
		t.Fatalf("after subset reorder: %s", got)
	}
	if r := catalogReorder(s.c, "/dashboard/products/reorder", ids[0], ids[1], ids[2], ids[3]); r.StatusCode != http.StatusNoContent {
		t.Fatalf("reorder all: %d", r.StatusCode)
	}
	if got := order(); got != "P 01,P 02,P 03,P 04" {
		t.Fatalf("after full reorder: %s", got)
	}

	// Another store's product, an unknown ID or a deleted one: 404, unchanged.
	other := s.a.Product(s.other.Business.ID, "Ajeno", testkit.Price(100))
	s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/delete", ids[3]), nil)
	for _, bad := range [][]int64{{ids[1], other.ID}, {ids[1], 999999}, {ids[1], ids[3]}} {
		if r := catalogReorder(s.c, "/dashboard/products/reorder", bad...); r.StatusCode != http.StatusNotFound {
			t.Errorf("reorder %v: %d", bad, r.StatusCode)
		}
	}
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/move", other.ID), url.Values{"dir": {"up"}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("move foreign: %d", r.StatusCode)
	}
	if got := order(); got != "P 01,P 02,P 03" {
		t.Fatalf("changed by refused reorders: %s", got)
	}
	// Without the CSRF token the reorder is refused.
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/dashboard/products/reorder", strings.NewReader("ids="+fmt.Sprint(ids[2])+"&ids="+fmt.Sprint(ids[0])))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := s.c.Do(req); r.StatusCode != http.StatusForbidden {
		t.Fatalf("reorder without CSRF: %d", r.StatusCode)
	}
}

func TestProductsBulk(t *testing.T) {
	s := newCatalogSetup(t)
	ids := s.seedProducts(t, "P", 3, nil)
	bulk := func(action string, ids ...int64) *testkit.Response {
		// confirm=1: what the list's script sends once the owner agrees.
		v := url.Values{"action": {action}, "back": {"/dashboard/products?status=active"}, "confirm": {"1"}}
		for _, id := range ids {
			v.Add("ids", fmt.Sprint(id))
		}
		return s.c.PostForm("/dashboard/products/bulk", v)
	}
	if r := bulk("hide", ids[0], ids[1]); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/products?status=active" {
		t.Fatalf("hide: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if s.product(t, ids[0]).Active || s.product(t, ids[1]).Active || !s.product(t, ids[2]).Active {
		t.Fatal("hide did not hide exactly the selected")
	}
	bulk("show", ids[1])
	if !s.product(t, ids[1]).Active {
		t.Fatal("show")
	}

	// Nothing selected or an unknown action: a message, nothing changes.
	if r := bulk("delete"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("none selected: %d", r.StatusCode)
	}
	if r := s.c.Get("/dashboard/products"); !strings.Contains(r.Body, "Selecciona al menos un producto") {
		t.Fatal("no message for an empty selection")
	}
	bulk("explode", ids[2])
	if r := s.c.Get("/dashboard/products"); !strings.Contains(r.Body, "Elige qué hacer") {
		t.Fatal("no message for an unknown action")
	}

	// One ID of another store: 404 and nothing changes, not even the others.
	other := s.a.Product(s.other.Business.ID, "Ajeno", testkit.Price(100))
	if r := bulk("delete", ids[2], other.ID); r.StatusCode != http.StatusNotFound {
		t.Fatalf("foreign bulk: %d", r.StatusCode)
	}
	if len(s.products(t)) != 3 {
		t.Fatal("foreign bulk deleted products")
	}
	if _, err := s.a.Repos.Catalog.Products.Get(s.cxt, s.other.Business.ID, other.ID); err != nil {
		t.Fatal("other store's product deleted")
	}

	if r := bulk("delete", ids[0], ids[2]); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if got := catalogProductNames(s.products(t)); got != "P 02" {
		t.Fatalf("after bulk delete: %s", got)
	}
}
