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

func TestProductOptions(t *testing.T) {
	s := newCatalogSetup(t)
	pid := s.createProduct(t, catalogProductForm("Taco"))
	base := fmt.Sprintf("/dashboard/products/%d/options", pid)
	post := func(path string, v url.Values) *testkit.Response {
		t.Helper()
		return s.c.PostForm(path, v)
	}
	groups := func() []domain.OptionGroup {
		t.Helper()
		gs, err := s.a.Repos.Catalog.ListOptionGroups(s.cxt, s.biz, pid)
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}

	// Group validation.
	for _, tc := range []struct {
		v    url.Values
		id   string
		want string
	}{
		{url.Values{"name": {""}, "min_select": {"0"}, "max_select": {"1"}}, "ng-name-e", "obligatorio"},
		{url.Values{"name": {"Tamaño"}, "min_select": {"2"}, "max_select": {"1"}}, "ng-min-e", "no puede ser mayor que el máximo"},
		{url.Values{"name": {"Tamaño"}, "min_select": {"0"}, "max_select": {"0"}}, "ng-max-e", "entre 1 y 20"},
		{url.Values{"name": {"Tamaño"}, "min_select": {"-1"}, "max_select": {"1"}}, "ng-min-e", "entre 0 y 20"},
		{url.Values{"name": {"Tamaño"}, "min_select": {"uno"}, "max_select": {"1"}}, "ng-min-e", "entre 0 y 20"},
	} {
		r := post(base, tc.v)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `id="`+tc.id+`"`) || !strings.Contains(r.Body, tc.want) {
			t.Errorf("group %v: %d, want 400 with %q at %s", tc.v, r.StatusCode, tc.want, tc.id)
		}
	}
	if len(groups()) != 0 {
		t.Fatal("invalid group saved")
	}

	// "Tamaño": pick exactly one.
	if r := post(base, url.Values{"name": {"Tamaño"}, "min_select": {"1"}, "max_select": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add group: %d\n%s", r.StatusCode, r.Body)
	}
	g := groups()[0]
	gpath := fmt.Sprintf("%s/%d", base, g.ID)
	if r := s.c.Get(fmt.Sprintf("/dashboard/products/%d", pid)); !strings.Contains(r.Body, "Incompleto") {
		t.Fatal("empty required group not marked incomplete")
	}

	// Choice validation (price is $25.50).
	for _, tc := range []struct{ name, delta, field, want string }{
		{"", "0", "name", "obligatorio"},
		{"Grande", "-30", "delta", "no puede ser mayor que el precio del producto ($25.50)"},
		{"Grande", "15.999", "delta", "máximo 2 decimales"},
		{"Grande", "quince", "delta", "Escribe el precio en pesos"},
		{"Grande", "+", "delta", "Escribe el precio en pesos"},
	} {
		r := post(gpath+"/choices", url.Values{"name": {tc.name}, "delta": {tc.delta}})
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, fmt.Sprintf(`id="nc%d-%s-e"`, g.ID, tc.field)) || !strings.Contains(r.Body, tc.want) {
			t.Errorf("choice %q %q: %d, want %q", tc.name, tc.delta, r.StatusCode, tc.want)
		}
	}
	for _, ch := range [][2]string{{"Chico", ""}, {"Grande", "+15"}, {"Sin tortilla", "-25.50"}} {
		if r := post(gpath+"/choices", url.Values{"name": {ch[0]}, "delta": {ch[1]}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add choice %s: %d\n%s", ch[0], r.StatusCode, r.Body)
		}
	}
	if r := post(gpath+"/choices", url.Values{"name": {"grande"}, "delta": {"1"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Ya hay una opción con ese nombre") {
		t.Fatalf("duplicate choice: %d", r.StatusCode)
	}
	g = groups()[0]
	if len(g.Choices) != 3 || g.Choices[0].DeltaCents != 0 || g.Choices[1].DeltaCents != 1500 || g.Choices[2].DeltaCents != -2550 {
		t.Fatalf("choices: %+v", g.Choices)
	}

	// The price can no longer go below the largest discount.
	f := catalogProductForm("Taco")
	f.Set("price", "20")
	if r := s.c.PostForm(fmt.Sprintf("/dashboard/products/%d", pid), f); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "resta $25.50") {
		t.Fatalf("price below options: %d", r.StatusCode)
	}

	// Edit group and choice.
	if r := post(gpath, url.Values{"name": {"Tamaño"}, "min_select": {"4"}, "max_select": {"5"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Opciones en el grupo: 3") {
		t.Fatalf("min over choices: %d", r.StatusCode)
	}
	if r := post(gpath, url.Values{"name": {"Extras"}, "min_select": {"0"}, "max_select": {"3"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit group: %d", r.StatusCode)
	}
	grande := g.Choices[1]
	cpath := fmt.Sprintf("%s/choices/%d", gpath, grande.ID)
	if r := post(cpath, url.Values{"name": {"Queso"}, "delta": {"abc"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Escribe el precio en pesos") {
		t.Fatalf("edit choice invalid: %d", r.StatusCode)
	}
	if r := post(cpath, url.Values{"name": {"Queso"}, "delta": {"10"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit choice: %d", r.StatusCode)
	}
	g = groups()[0]
	if g.Name != "Extras" || g.MinSelect != 0 || g.MaxSelect != 3 || g.Choices[1].Name != "Queso" || g.Choices[1].DeltaCents != 1000 {
		t.Fatalf("edited: %+v", g)
	}

	// A required group keeps enough choices.
	if r := post(gpath, url.Values{"name": {"Extras"}, "min_select": {"3"}, "max_select": {"3"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("min 3: %d", r.StatusCode)
	}
	if r := post(cpath+"/delete", nil); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "al menos 3") {
		t.Fatalf("delete needed choice: %d", r.StatusCode)
	}
	post(gpath, url.Values{"name": {"Extras"}, "min_select": {"0"}, "max_select": {"3"}})
	if r := post(cpath+"/delete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete choice: %d", r.StatusCode)
	}
	if n := len(groups()[0].Choices); n != 2 {
		t.Fatalf("%d choices after delete", n)
	}
	// A choice must be addressed through its own group and product.
	other := s.createProduct(t, catalogProductForm("Otro"))
	if r := post(fmt.Sprintf("/dashboard/products/%d/options/%d/delete", other, g.ID), nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("group through another product: %d", r.StatusCode)
	}
	if r := post(gpath+"/delete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete group: %d", r.StatusCode)
	}
	var left int64
	s.a.DB.Model(&domain.OptionChoice{}).Where("group_id = ?", g.ID).Count(&left)
	if len(groups()) != 0 || left != 0 {
		t.Fatalf("group delete left %d groups, %d choices", len(groups()), left)
	}
}
