package dashboard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
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
	cs, err := s.a.Repos.Catalog.ListCategories(s.cxt, s.biz)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func (s *catalogSetup) products(t *testing.T) []domain.Product {
	t.Helper()
	ps, err := s.a.Repos.Catalog.ListProducts(s.cxt, s.biz)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func (s *catalogSetup) product(t *testing.T, id int64) *domain.Product {
	t.Helper()
	p, err := s.a.Repos.Catalog.GetProduct(s.cxt, s.biz, id)
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

// seedProducts inserts n products named "<prefix> NN" directly, in order.
func (s *catalogSetup) seedProducts(t *testing.T, prefix string, n int, mod func(i int, p *domain.Product)) []int64 {
	t.Helper()
	var ids []int64
	for i := 1; i <= n; i++ {
		p := &domain.Product{Name: fmt.Sprintf("%s %02d", prefix, i), Slug: domain.Slugify(fmt.Sprintf("%s %02d", prefix, i), 80),
			PriceCents: domain.Money(1000 * i), Active: true, Position: len(s.products(t))}
		if mod != nil {
			mod(i, p)
		}
		if err := s.a.Repos.Catalog.CreateProduct(s.cxt, s.biz, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
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

// catalogUpload posts body as the import form's file.
func catalogUpload(t *testing.T, c *testkit.Client, body string) *testkit.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.CSRF())
	fw, err := w.CreateFormFile("file", "productos.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(body))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/dashboard/products/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

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
	c, _ := s.a.Repos.Catalog.GetCategory(s.cxt, s.biz, bebidas)
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
	foreign := &domain.Category{Name: "Ajena", Slug: "ajena"}
	if err := s.a.Repos.Catalog.CreateCategory(s.cxt, s.other.Business.ID, foreign); err != nil {
		t.Fatal(err)
	}
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

func TestProductFormValidation(t *testing.T) {
	s := newCatalogSetup(t)
	s.createProduct(t, catalogProductForm("Taco de pastor"))
	foreign := &domain.Category{Name: "Ajena", Slug: "ajena"}
	if err := s.a.Repos.Catalog.CreateCategory(s.cxt, s.other.Business.ID, foreign); err != nil {
		t.Fatal(err)
	}
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
	other := &domain.Product{Name: "Taco ajeno", Slug: "taco-ajeno", PriceCents: 100, Active: true}
	s.a.Repos.Catalog.CreateProduct(s.cxt, s.other.Business.ID, other)
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
	other := &domain.Product{Name: "Ajeno", Slug: "ajeno", PriceCents: 100, Active: true}
	s.a.Repos.Catalog.CreateProduct(s.cxt, s.other.Business.ID, other)
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
	other := &domain.Product{Name: "Ajeno", Slug: "ajeno", PriceCents: 100, Active: true}
	s.a.Repos.Catalog.CreateProduct(s.cxt, s.other.Business.ID, other)
	if r := bulk("delete", ids[2], other.ID); r.StatusCode != http.StatusNotFound {
		t.Fatalf("foreign bulk: %d", r.StatusCode)
	}
	if len(s.products(t)) != 3 {
		t.Fatal("foreign bulk deleted products")
	}
	if _, err := s.a.Repos.Catalog.GetProduct(s.cxt, s.other.Business.ID, other.ID); err != nil {
		t.Fatal("other store's product deleted")
	}

	if r := bulk("delete", ids[0], ids[2]); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if got := catalogProductNames(s.products(t)); got != "P 02" {
		t.Fatalf("after bulk delete: %s", got)
	}
}

func TestProductsCSVRoundTrip(t *testing.T) {
	s := newCatalogSetup(t)
	cat := s.category(t, "Bebidas")
	f := catalogProductForm("Agua de jamaica")
	f.Set("category_id", fmt.Sprint(cat))
	f.Set("description", "Natural, con \"poca\" azúcar;\nhecha diario")
	f.Set("compare_at_price", "30")
	f.Set("stock", "7")
	jamaica := s.createProduct(t, f)
	f = catalogProductForm("=Café de olla")
	f.Set("price", "1,250")
	f.Del("active")
	cafe := s.createProduct(t, f)

	r := s.c.Get("/dashboard/products/export.csv")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(r.Body, "\ufeffenlace,nombre,descripción,precio,precio anterior,categoría,activo,agotado,existencias\r\n") {
		t.Fatalf("export header: %q", r.Body[:min(len(r.Body), 120)])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("export: %v, %d records", err, len(recs))
	}
	want := []string{"agua-de-jamaica", "Agua de jamaica", "Natural, con \"poca\" azúcar;\nhecha diario", "25.50", "30.00", "Bebidas", "sí", "no", "7"}
	if strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Fatalf("row 1:\n%q\nwant\n%q", recs[1], want)
	}
	if recs[2][1] != "'=Café de olla" || recs[2][3] != "1250.00" || recs[2][6] != "no" {
		t.Fatalf("row 2: %q", recs[2])
	}

	// Import the export unchanged: two updates, nothing else changes.
	before := s.products(t)
	if r := catalogUpload(t, s.c, r.Body); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("import export: %d\n%s", r.StatusCode, r.Body)
	}
	after := s.products(t)
	for i := range before {
		b, a := before[i], after[i]
		if a.Name != b.Name || a.Description != b.Description || a.PriceCents != b.PriceCents || a.Active != b.Active ||
			fmt.Sprint(a.CategoryID != nil, a.Stock != nil) != fmt.Sprint(b.CategoryID != nil, b.Stock != nil) {
			t.Fatalf("round trip changed %+v\ninto %+v", b, a)
		}
	}

	// Edit the sheet: new price, new product in a new category, semicolons, Spanish headers.
	recs[1][3] = "27"
	recs[2][6] = "sí"
	recs = append(recs, []string{"", "Horchata", "", "20", "", "Aguas frescas", "", "", ""})
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	recs[0] = []string{"slug", "Nombre", "Descripción", "Precio", "compare_at_price", "Categoría", "activo", "agotado", "existencias"}
	w.WriteAll(recs)
	r = catalogUpload(t, s.c, buf.String())
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", r.StatusCode, r.Body)
	}
	if r := s.c.Get(r.Header.Get("Location")); !strings.Contains(r.Body, "Productos creados: 1. Productos actualizados: 2. Categorías nuevas: 1.") {
		t.Fatalf("summary missing:\n%s", r.Body)
	}
	if p := s.product(t, jamaica); p.PriceCents != 2700 || p.Stock == nil || *p.Stock != 7 {
		t.Fatalf("jamaica: %+v", p)
	}
	if p := s.product(t, cafe); !p.Active || p.Name != "=Café de olla" {
		t.Fatalf("café: %+v", p)
	}
	ps := s.products(t)
	h := ps[len(ps)-1]
	if h.Name != "Horchata" || h.Slug != "horchata" || h.PriceCents != 2000 || !h.Active || h.CategoryID == nil {
		t.Fatalf("horchata: %+v", h)
	}
	if c, _ := s.a.Repos.Catalog.GetCategory(s.cxt, s.biz, *h.CategoryID); c.Name != "Aguas frescas" {
		t.Fatalf("new category: %+v", c)
	}
}

func TestProductsCSVImportAllOrNothing(t *testing.T) {
	s := newCatalogSetup(t)
	id := s.createProduct(t, catalogProductForm("Taco"))
	file := "slug,name,price,category,stock\n" +
		"taco,Taco grande,30,Tacos,\n" + // valid update
		",Quesadilla,45.50,Antojitos,3\n" + // valid create
		",,-3,,muchos\n" + // row 4: three errors
		",Gringa,12.345,,\n" + // row 5
		"taco,Taco otra vez,10,,\n" // row 6: duplicate slug
	r := catalogUpload(t, s.c, file)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d", r.StatusCode)
	}
	for _, want := range []string{
		"No se importó nada", "<td class=\"whitespace-nowrap\">4</td>", "Este campo es obligatorio", "no puede ser negativo",
		"número entero entre 0", "<td class=\"whitespace-nowrap\">5</td>", "máximo 2 decimales",
		"Este slug ya aparece en la fila 2",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "<td class=\"whitespace-nowrap\">2</td>") || strings.Contains(r.Body, "<td class=\"whitespace-nowrap\">3</td>") {
		t.Error("valid rows reported")
	}
	if ps := s.products(t); len(ps) != 1 || ps[0].Name != "Taco" || ps[0].PriceCents != 2550 {
		t.Fatalf("products changed: %+v", ps)
	}
	if cs := s.categories(t); len(cs) != 0 {
		t.Fatalf("categories created: %+v", cs)
	}

	// File-level problems.
	for _, tc := range []struct{ body, want string }{
		{"", "El archivo está vacío"},
		{"nombre,descripcion\nTaco,rico\n", "Falta la columna «precio»"},
		{"name,price\n", "solo encabezados"},
		{"name,price\n\"Taco,10\n", "no es un CSV válido"},
	} {
		r := catalogUpload(t, s.c, tc.body)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.want) {
			t.Errorf("%q: %d, want %q", tc.body, r.StatusCode, tc.want)
		}
	}
	big := "name,price\n" + strings.Repeat("Taco de pastor con todo,25\n", 90000)
	if r := catalogUpload(t, s.c, big); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "más de 2 MB") {
		t.Errorf("big file: %d", r.StatusCode)
	}
	// Windows-1252 (Excel's "CSV") is read too.
	latin := []byte("name;price\nJam\xf3n serrano;80\n")
	if r := catalogUpload(t, s.c, string(latin)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("windows-1252: %d\n%s", r.StatusCode, r.Body)
	}
	if ps := s.products(t); ps[len(ps)-1].Name != "Jamón serrano" || ps[len(ps)-1].PriceCents != 8000 {
		t.Fatalf("windows-1252 product: %+v", ps[len(ps)-1])
	}
	if p := s.product(t, id); p.Name != "Taco" {
		t.Fatal("first product changed")
	}
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
	cs, _ := s.a.Repos.Catalog.ListCategories(s.cxt, s.other.Business.ID)
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
	p, err := s.a.Repos.Catalog.GetProduct(s.cxt, s.other.Business.ID, pid)
	gs, _ = s.a.Repos.Catalog.ListOptionGroups(s.cxt, s.other.Business.ID, pid)
	cs, _ = s.a.Repos.Catalog.ListCategories(s.cxt, s.other.Business.ID)
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
	if p, _ := s.a.Repos.Catalog.GetProduct(s.cxt, s.other.Business.ID, pid); p.Name != "Producto de B" {
		t.Fatal("import changed another store's product")
	}
}
