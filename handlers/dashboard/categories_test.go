package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCategoriesCreateRenameHideDelete(t *testing.T) {
	s := newCatalogSetup(t)
	if r := s.c.Get("/dashboard/categories"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Aún no tienes categorías") {
		t.Fatalf("empty page: %d", r.StatusCode)
	}
	tacos := s.category(t, "Tacos")
	bebidas := s.category(t, "Bebidas")

	// Validation: nothing is saved and the message sits next to the field.
	for _, tc := range []struct{ name, want string }{
		{"  ", "Este campo es obligatorio"},
		{"tacos", "Ya tienes una categoría con ese nombre"},
		{strings.Repeat("á", 81), "Máximo 80 caracteres"},
	} {
		r := s.c.PostForm("/dashboard/categories", url.Values{"name": {tc.name}})
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.want) || !strings.Contains(r.Body, `id="e-new-category"`) {
			t.Errorf("create %q: %d, want 400 with %q", tc.name, r.StatusCode, tc.want)
		}
	}
	if n := len(s.categories(t)); n != 2 {
		t.Fatalf("%d categories after invalid posts", n)
	}

	// Rename + hide; renaming onto another category's name is refused.
	r := s.c.PostForm(fmt.Sprintf("/dashboard/categories/%d", bebidas), url.Values{"name": {"Tacos"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, fmt.Sprintf(`id="e-cat-%d"`, bebidas)) {
		t.Fatalf("rename clash: %d", r.StatusCode)
	}
	r = s.c.PostForm(fmt.Sprintf("/dashboard/categories/%d", bebidas), url.Values{"name": {"Bebidas frías"}, "hidden": {"on"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", r.StatusCode, r.Body)
	}
	c, _ := s.a.Repos.Catalog.Categories.Get(s.cxt, s.biz, bebidas)
	if c.Name != "Bebidas frías" || c.Slug != "bebidas-frias" || !c.Hidden {
		t.Fatalf("renamed: %+v", c)
	}
	if r := s.c.Get("/dashboard/categories"); !strings.Contains(r.Body, "Bebidas frías") || !strings.Contains(r.Body, "Cambios guardados") {
		t.Fatal("rename not shown")
	}

	// Delete keeps the products, uncategorised.
	f := catalogProductForm("Taco de pastor")
	f.Set("category_id", fmt.Sprint(tacos))
	p1 := s.createProduct(t, f)
	f = catalogProductForm("Agua de jamaica")
	f.Set("category_id", fmt.Sprint(bebidas))
	p2 := s.createProduct(t, f)
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/categories/%d/delete", tacos), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if got := catalogCategoryNames(s.categories(t)); got != "Bebidas frías" {
		t.Fatalf("categories after delete: %s", got)
	}
	if p := s.product(t, p1); p.CategoryID != nil {
		t.Fatalf("product kept deleted category %d", *p.CategoryID)
	}
	if p := s.product(t, p2); p.CategoryID == nil || *p.CategoryID != bebidas {
		t.Fatal("other category's product changed")
	}
	// A new category may reuse the deleted one's name and slug.
	s.category(t, "Tacos")
}

func TestCategoriesOrder(t *testing.T) {
	s := newCatalogSetup(t)
	a, b, c := s.category(t, "Uno"), s.category(t, "Dos"), s.category(t, "Tres")
	move := func(id int64, dir string) {
		t.Helper()
		if r := s.c.PostForm(fmt.Sprintf("/dashboard/categories/%d/move", id), url.Values{"dir": {dir}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("move: %d", r.StatusCode)
		}
	}
	move(c, "up")
	if got := catalogCategoryNames(s.categories(t)); got != "Uno,Tres,Dos" {
		t.Fatalf("after up: %s", got)
	}
	move(a, "down")
	move(a, "down")
	move(a, "down") // past the end: nothing changes
	if got := catalogCategoryNames(s.categories(t)); got != "Tres,Dos,Uno" {
		t.Fatalf("after downs: %s", got)
	}
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/categories/%d/move", a), url.Values{"dir": {"sideways"}}); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad dir: %d", r.StatusCode)
	}

	if r := catalogReorder(s.c, "/dashboard/categories/reorder", b, a, c); r.StatusCode != http.StatusNoContent {
		t.Fatalf("reorder: %d %s", r.StatusCode, r.Body)
	}
	if got := catalogCategoryNames(s.categories(t)); got != "Dos,Uno,Tres" {
		t.Fatalf("after reorder: %s", got)
	}

	// Another store's ID anywhere in the list: 404, nothing changes.
	foreign := s.a.Category(s.other.Business.ID, "Ajena")
	if r := catalogReorder(s.c, "/dashboard/categories/reorder", c, foreign.ID, a, b); r.StatusCode != http.StatusNotFound {
		t.Fatalf("foreign reorder: %d", r.StatusCode)
	}
	if r := catalogReorder(s.c, "/dashboard/categories/reorder", c, c); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("duplicate reorder: %d", r.StatusCode)
	}
	if got := catalogCategoryNames(s.categories(t)); got != "Dos,Uno,Tres" {
		t.Fatalf("changed by refused reorders: %s", got)
	}
	// The page offers the enhancement and the button fallback.
	r := s.c.Get("/dashboard/categories")
	for _, want := range []string{`data-reorder-url="/dashboard/categories/reorder"`, `/static/js/sortable.js`, `name="dir" value="up"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}
