package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// catalogSetup is an app with owner A logged in and owner B existing.
type catalogSetup struct {
	a      *testkit.App
	owner  *testkit.Owner
	other  *testkit.Owner
	c      *testkit.Client
	biz    int64
	cxt    context.Context
	catIDs map[string]int64
}

func newCatalogSetup(t *testing.T) *catalogSetup {
	t.Helper()
	a := testkit.NewApp(t)
	s := &catalogSetup{a: a, owner: a.CreateOwner("tienda-a"), other: a.CreateOwner("tienda-b"), cxt: context.Background()}
	s.biz = s.owner.Business.ID
	s.c = a.Client()
	s.c.Login(s.owner.Email, s.owner.Password)
	return s
}

// category creates a category through the form and returns its ID.
func (s *catalogSetup) category(t *testing.T, name string) int64 {
	t.Helper()
	r := s.c.PostForm("/dashboard/categories", url.Values{"name": {name}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create category %q: %d\n%s", name, r.StatusCode, r.Body)
	}
	for _, c := range s.categories(t) {
		if c.Name == name {
			return c.ID
		}
	}
	t.Fatalf("category %q not saved", name)
	return 0
}

func (s *catalogSetup) categories(t *testing.T) []domain.Category {
	t.Helper()
	cs, err := s.a.Repos.Catalog.Categories.List(s.cxt, s.biz)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func (s *catalogSetup) products(t *testing.T) []domain.Product {
	t.Helper()
	ps, err := s.a.Repos.Catalog.Products.List(s.cxt, s.biz)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func (s *catalogSetup) product(t *testing.T, id int64) *domain.Product {
	t.Helper()
	p, err := s.a.Repos.Catalog.Products.Get(s.cxt, s.biz, id)
	if err != nil {
		t.Fatalf("product %d: %v", id, err)
	}
	return p
}

// catalogProductForm is a valid product form.
func catalogProductForm(name string) url.Values {
	return url.Values{"name": {name}, "price": {"25.50"}, "active": {"on"}}
}

// createProduct creates a product through the form and returns its ID.
func (s *catalogSetup) createProduct(t *testing.T, form url.Values) int64 {
	t.Helper()
	r := s.c.PostForm("/dashboard/products", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create product: %d\n%s", r.StatusCode, r.Body)
	}
	var id int64
	if _, err := fmt.Sscanf(r.Header.Get("Location"), "/dashboard/products/%d", &id); err != nil {
		t.Fatalf("redirect %q: %v", r.Header.Get("Location"), err)
	}
	return id
}

// seedProducts inserts n products named "<prefix> NN" directly, in order,
// the NNth priced NN × $10.00 and changed by mod(NN, p) when mod is set.
func (s *catalogSetup) seedProducts(t *testing.T, prefix string, n int, mod func(i int, p *domain.Product)) []int64 {
	t.Helper()
	var ids []int64
	for i := 1; i <= n; i++ {
		opts := []testkit.ProductOption{testkit.Price(domain.Money(1000 * i)), testkit.Position(len(s.products(t)))}
		if mod != nil {
			opts = append(opts, func(p *domain.Product) { mod(i, p) })
		}
		ids = append(ids, s.a.Product(s.biz, fmt.Sprintf("%s %02d", prefix, i), opts...).ID)
	}
	return ids
}

func catalogProductNames(ps []domain.Product) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ",")
}

func catalogCategoryNames(cs []domain.Category) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, ",")
}

// catalogReorder posts ids in order the way sortable.js does.
func catalogReorder(c *testkit.Client, path string, ids ...int64) *testkit.Response {
	v := url.Values{}
	for _, id := range ids {
		v.Add("ids", fmt.Sprint(id))
	}
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(web.CSRFHeader, c.CSRF())
	return c.Do(req)
}

func TestCatalogOtherOwnersIDs(t *testing.T) {
	s := newCatalogSetup(t)
	// Owner B's catalog, built through B's own session.
	b := s.a.Client()
	b.Login(s.other.Email, s.other.Password)
	b.PostForm("/dashboard/categories", url.Values{"name": {"De B"}})
	r := b.PostForm("/dashboard/products", catalogProductForm("Producto de B"))
	var pid int64
	fmt.Sscanf(r.Header.Get("Location"), "/dashboard/products/%d", &pid)
	b.PostForm(fmt.Sprintf("/dashboard/products/%d/options", pid), url.Values{"name": {"Tamaño"}, "min_select": {"0"}, "max_select": {"1"}})
	gs, _ := s.a.Repos.Catalog.ListOptionGroups(s.cxt, s.other.Business.ID, pid)
	cs, _ := s.a.Repos.Catalog.Categories.List(s.cxt, s.other.Business.ID)
	if pid == 0 || len(gs) != 1 || len(cs) != 1 {
		t.Fatal("owner B's fixtures")
	}
	b.PostForm(fmt.Sprintf("/dashboard/products/%d/options/%d/choices", pid, gs[0].ID), url.Values{"name": {"Grande"}, "delta": {"5"}})
	gs, _ = s.a.Repos.Catalog.ListOptionGroups(s.cxt, s.other.Business.ID, pid)
	cat, grp, ch := cs[0].ID, gs[0].ID, gs[0].Choices[0].ID

	// Owner A tries them all.
	mine := s.createProduct(t, catalogProductForm("Mío"))
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", fmt.Sprintf("/dashboard/products/%d", pid), nil},
		{"POST", fmt.Sprintf("/dashboard/products/%d", pid), catalogProductForm("Robado")},
		{"POST", fmt.Sprintf("/dashboard/products/%d/delete", pid), nil},
		{"POST", fmt.Sprintf("/dashboard/products/%d/move", pid), url.Values{"dir": {"up"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options", pid), url.Values{"name": {"X"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d", pid, grp), url.Values{"name": {"X"}, "max_select": {"1"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d", mine, grp), url.Values{"name": {"X"}, "max_select": {"1"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d/delete", pid, grp), nil},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d/choices", pid, grp), url.Values{"name": {"X"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d/choices/%d", pid, grp, ch), url.Values{"name": {"X"}}},
		{"POST", fmt.Sprintf("/dashboard/products/%d/options/%d/choices/%d/delete", pid, grp, ch), nil},
		{"POST", fmt.Sprintf("/dashboard/categories/%d", cat), url.Values{"name": {"Robada"}}},
		{"POST", fmt.Sprintf("/dashboard/categories/%d/delete", cat), nil},
		{"POST", fmt.Sprintf("/dashboard/categories/%d/move", cat), url.Values{"dir": {"down"}}},
		{"POST", "/dashboard/products/bulk", url.Values{"action": {"delete"}, "ids": {fmt.Sprint(pid)}}},
	} {
		var r *testkit.Response
		if tc.method == "GET" {
			r = s.c.Get(tc.path)
		} else {
			r = s.c.PostForm(tc.path, tc.form)
		}
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", tc.method, tc.path, r.StatusCode)
		}
		if strings.Contains(r.Body, "Producto de B") {
			t.Errorf("%s %s shows B's product", tc.method, tc.path)
		}
	}
	p, err := s.a.Repos.Catalog.Products.Get(s.cxt, s.other.Business.ID, pid)
	gs, _ = s.a.Repos.Catalog.ListOptionGroups(s.cxt, s.other.Business.ID, pid)
	cs, _ = s.a.Repos.Catalog.Categories.List(s.cxt, s.other.Business.ID)
	if err != nil || p.Name != "Producto de B" || len(gs) != 1 || gs[0].Name != "Tamaño" || len(gs[0].Choices) != 1 || len(cs) != 1 || cs[0].Name != "De B" {
		t.Fatalf("owner B's catalog changed: %+v %+v %+v", p, gs, cs)
	}
	// A's export and list never include B's products.
	if r := s.c.Get("/dashboard/products/export.csv"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Mío") {
		t.Fatalf("export: %d, own product listed %v\n%s", r.StatusCode, strings.Contains(r.Body, "Mío"), r.Body)
	} else if strings.Contains(r.Body, "Producto de B") {
		t.Fatal("export leaks another store")
	}
	// Importing B's slug creates A's own product instead of touching B's.
	if r := catalogUpload(t, s.c, "slug,name,price\nproducto-de-b,Copia,1\n"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", r.StatusCode, r.Body)
	}
	if p, _ := s.a.Repos.Catalog.Products.Get(s.cxt, s.other.Business.ID, pid); p.Name != "Producto de B" {
		t.Fatal("import changed another store's product")
	}
}
