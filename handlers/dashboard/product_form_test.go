package dashboard_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
)

func TestProductFormValidation(t *testing.T) {
	s := newCatalogSetup(t)
	s.createProduct(t, catalogProductForm("Taco de pastor"))
	foreign := s.a.Category(s.other.Business.ID, "Ajena")
	cases := []struct {
		name, field, value, want string
	}{
		{"name required", "name", " ", "Este campo es obligatorio"},
		{"name long", "name", strings.Repeat("a", 121), "Máximo 120"},
		{"slug format", "slug", "Taco Rico", "Usa solo minúsculas"},
		{"slug taken", "slug", "taco-de-pastor", "Otro producto de tu tienda ya usa ese enlace"},
		{"price required", "price", "", "Este campo es obligatorio"},
		{"price negative", "price", "-5", "no puede ser negativo"},
		{"price decimals", "price", "25.555", "máximo 2 decimales"},
		{"price text", "price", "veinte", "Escribe el precio en pesos"},
		{"price decimal comma", "price", "25,50", "Escribe el precio en pesos"},
		{"price max", "price", "1000000.01", "no puede pasar de $1,000,000.00"},
		{"compare-at not higher", "compare_at_price", "25.50", "debe ser mayor que el precio"},
		{"compare-at format", "compare_at_price", "1.2.3", "Escribe el precio en pesos"},
		{"category of another store", "category_id", fmt.Sprint(foreign.ID), "Elige una de tus categorías"},
		{"category not a number", "category_id", "abc", "Elige una de tus categorías"},
		{"stock negative", "stock", "-1", "número entero entre 0"},
		{"stock text", "stock", "muchos", "número entero entre 0"},
		{"stock decimal", "stock", "1.5", "número entero entre 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := catalogProductForm("Taco de suadero")
			f.Set(tc.field, tc.value)
			r := s.c.PostForm("/dashboard/products", f)
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d", r.StatusCode)
			}
			if !strings.Contains(r.Body, `id="e-`+tc.field+`"`) || !strings.Contains(r.Body, tc.want) {
				t.Fatalf("no %q next to %s", tc.want, tc.field)
			}
			// The typed values stay in the form.
			if !strings.Contains(r.Body, `value="Taco de suadero"`) && tc.field != "name" {
				t.Fatal("form lost the typed name")
			}
		})
	}
	if n := len(s.products(t)); n != 1 {
		t.Fatalf("%d products after invalid posts", n)
	}

	// Editing validates the same way and changes nothing.
	id := s.products(t)[0].ID
	f := catalogProductForm("Otro nombre")
	f.Set("price", "-1")
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/products/%d", id), f); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "no puede ser negativo") {
		t.Fatalf("edit: %d", r.StatusCode)
	}
	if p := s.product(t, id); p.Name != "Taco de pastor" || p.PriceCents != 2550 {
		t.Fatalf("changed by invalid edit: %+v", p)
	}
}

func TestProductCreateEditDelete(t *testing.T) {
	s := newCatalogSetup(t)
	if r := s.c.Get("/dashboard/products/new"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Nuevo producto") {
		t.Fatalf("new form: %d", r.StatusCode)
	}
	cat := s.category(t, "Tacos")
	f := catalogProductForm("Taco de Pastor Doña Lupe")
	f.Set("category_id", fmt.Sprint(cat))
	f.Set("description", "Con piña y cilantro")
	f.Set("compare_at_price", "30")
	f.Set("stock", "12")
	id := s.createProduct(t, f)
	p := s.product(t, id)
	if p.Slug != "taco-de-pastor-dona-lupe" || p.PriceCents != 2550 || p.CompareAtCents == nil || *p.CompareAtCents != 3000 ||
		p.Stock == nil || *p.Stock != 12 || p.CategoryID == nil || *p.CategoryID != cat || !p.Active || p.SoldOut {
		t.Fatalf("created: %+v", p)
	}
	// Same name again: the derived slug gets a number.
	id2 := s.createProduct(t, catalogProductForm("Taco de pastor doña Lupe"))
	if p2 := s.product(t, id2); p2.Slug != "taco-de-pastor-dona-lupe-2" {
		t.Fatalf("second slug %q", p2.Slug)
	}

	// The edit page shows the values, the photos link and the options section.
	r := s.c.Get(fmt.Sprintf("/dashboard/products/%d", id))
	for _, want := range []string{`value="25.50"`, `value="30.00"`, `value="12"`, fmt.Sprintf(`href="/dashboard/products/%d/images"`, id), "Opciones", "Cambios guardados"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("edit page lacks %s", want)
		}
	}

	// Hide, mark sold out, stop counting stock, remove category and compare-at.
	r = s.c.PostForm(fmt.Sprintf("/dashboard/products/%d", id), url.Values{
		"name": {"Taco de pastor"}, "slug": {"pastor"}, "price": {"28"}, "sold_out": {"on"},
	})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", r.StatusCode, r.Body)
	}
	p = s.product(t, id)
	if p.Name != "Taco de pastor" || p.Slug != "pastor" || p.PriceCents != 2800 || p.Active || !p.SoldOut ||
		p.Stock != nil || p.CategoryID != nil || p.CompareAtCents != nil || p.Description != "" {
		t.Fatalf("updated: %+v", p)
	}

	// A hidden product can be created too.
	hidden := s.createProduct(t, url.Values{"name": {"Secreto"}, "price": {"10"}})
	if s.product(t, hidden).Active {
		t.Fatal("unchecked active created a visible product")
	}

	// Delete: soft, gone from the list and the edit page, slug free again.
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/delete", id), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if r := s.c.Get(fmt.Sprintf("/dashboard/products/%d", id)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted product page: %d", r.StatusCode)
	}
	var n int64
	s.a.DB.Unscoped().Model(&domain.Product{}).Where("id = ? AND deleted_at IS NOT NULL", id).Count(&n)
	if n != 1 {
		t.Fatal("product was not soft-deleted")
	}
	f = catalogProductForm("Pastor nuevo")
	f.Set("slug", "pastor")
	s.createProduct(t, f)
}
