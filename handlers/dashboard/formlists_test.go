package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// Every list of IDs a dashboard form sends is capped: 70,000 IDs (past what
// SQLite and PostgreSQL take as query parameters) get 400 with a message
// naming the cap, and nothing changes.
func TestFormIDListsAreCapped(t *testing.T) {
	s := newCatalogSetup(t)
	pids := s.seedProducts(t, "P", 3, nil)
	cat := s.category(t, "Bebidas")
	rv := s.a.Review(s.biz, "Ana", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(s.a.Clock.Now()))

	const n = 70_000
	huge := func(first int64) []string {
		ids := make([]string, 0, n)
		ids = append(ids, fmt.Sprint(first))
		for i := 1; i < n; i++ {
			ids = append(ids, fmt.Sprint(first+int64(i)))
		}
		return ids
	}
	cases := []struct {
		path string
		form url.Values
	}{
		{"/dashboard/products/bulk", url.Values{"action": {"delete"}, "ids": huge(pids[0])}},
		{"/dashboard/products/bulk", url.Values{"action": {"hide"}, "ids": {strings.Join(huge(pids[0]), ",")}}},
		{"/dashboard/products/reorder", url.Values{"ids": huge(pids[0])}},
		{"/dashboard/categories/reorder", url.Values{"ids": huge(cat)}},
		{"/dashboard/reviews/bulk", url.Values{"status": {"approved"}, "ids[]": huge(rv.ID)}},
	}
	for _, tc := range cases {
		r := s.c.PostForm(tc.path, tc.form)
		want := fmt.Sprintf("Enviaste demasiados elementos a la vez (máximo %d). No se cambió nada.", web.MaxFormIDs)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, want) {
			t.Fatalf("%s with %d IDs: %d\n%s", tc.path, n, r.StatusCode, r.Body)
		}
	}
	for _, p := range s.products(t) {
		if !p.Active {
			t.Fatalf("product %s changed", p.Name)
		}
	}
	if len(s.products(t)) != 3 {
		t.Fatal("products deleted")
	}
	if reviewStatus(t, s.a, rv.ID) != domain.ReviewPending {
		t.Fatal("review changed")
	}

	// Up to the cap the list is read (here: IDs of no product, so 404).
	ids := make([]string, web.MaxFormIDs)
	for i := range ids {
		ids[i] = fmt.Sprint(pids[0] + 1000 + int64(i))
	}
	if r := s.c.PostForm("/dashboard/products/bulk", url.Values{"action": {"hide"}, "ids": ids}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("%d unknown IDs: %d", web.MaxFormIDs, r.StatusCode)
	}

	// As JSON (the reorder script), the same message.
	body := url.Values{"ids": huge(pids[0]), "_csrf": {s.c.CSRF()}}.Encode()
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/dashboard/products/reorder", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if r := s.c.Do(req); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `"error":"Enviaste demasiados elementos`) {
		t.Fatalf("reorder as JSON: %d %s", r.StatusCode, r.Body)
	}
}
