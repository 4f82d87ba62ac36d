package services_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/qubly/qubly/services"
)

func importErr(t *testing.T, err error) *services.ImportError {
	t.Helper()
	var ie *services.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want an import report, got %v", err)
	}
	return ie
}

// rowKeys lists "row:column:key" of a report.
func rowKeys(ie *services.ImportError) string {
	var out []string
	for _, r := range ie.Rows {
		out = append(out, strings.Join([]string{catalogID(int64(r.Row)), r.Column, r.Key}, ":"))
	}
	return strings.Join(out, " ")
}

func TestImportCreatesUpdatesAndCategories(t *testing.T) {
	e := newCatalogEnv(t)
	cat, _ := e.categories.CreateCategory(e.ctx, catStoreA, "Tacos")
	old, _ := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{
		Name: "Taco", Description: "Rico", Price: "20", Active: true, Stock: "5", CategoryID: catalogID(cat.ID),
	})
	purged := e.purger.Count(catStoreA)

	// Semicolons, Spanish headers with accents, an unknown column, a blank
	// line, a multi-line cell (a name keeps one line), and columns left out
	// (description, stock).
	file := "\ufeffSlug;Nombre;Precio;Categoría;Agotado;Notas\n" +
		"TACO;Taco al pastor;22.50;tacos;sí;ignorada\n" +
		"\n" +
		";\"Agua\nde horchata\";18;Bebidas;no;\n" +
		";Agua de limón;18;bebidas;;\n"
	res, err := e.products.ImportCSV(e.ctx, catStoreA, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Updated != 1 || res.Categories != 1 {
		t.Fatalf("result %+v", res)
	}
	if e.purger.Count(catStoreA) != purged+1 {
		t.Fatal("import did not purge the store once")
	}
	p, _ := e.repo.Products.Get(e.ctx, catStoreA, old.ID)
	if p.Name != "Taco al pastor" || p.PriceCents != 2250 || !p.SoldOut || p.Description != "Rico" ||
		p.Stock == nil || *p.Stock != 5 || p.CategoryID == nil || *p.CategoryID != cat.ID {
		t.Fatalf("updated: %+v", p)
	}
	ps, _ := e.repo.Products.List(e.ctx, catStoreA)
	if len(ps) != 3 || ps[1].Name != "Agua de horchata" || ps[2].Name != "Agua de limón" || ps[2].Slug != "agua-de-limon" {
		t.Fatalf("products: %+v", ps)
	}
	if ps[1].CategoryID == nil || ps[2].CategoryID == nil || *ps[1].CategoryID != *ps[2].CategoryID {
		t.Fatal("new category not shared by its rows")
	}
	cats, _ := e.repo.Categories.List(e.ctx, catStoreA)
	if len(cats) != 2 || cats[1].Name != "Bebidas" {
		t.Fatalf("categories: %+v", cats)
	}
}

func TestImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	e := newCatalogEnv(t)
	old, _ := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Taco", Price: "20", Active: true})
	other, _ := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Torta", Price: "50", Active: true})
	opt, _ := e.options.AddOptionGroup(e.ctx, catStoreA, other.ID, services.GroupInput{Name: "Extras", Max: "2"})
	if _, err := e.options.AddOptionChoice(e.ctx, catStoreA, other.ID, opt.ID, services.ChoiceInput{Name: "Sin pan", Delta: "-40"}); err != nil {
		t.Fatal(err)
	}
	purged := e.purger.Count(catStoreA)

	file := "slug,name,price,compare_at_price,active,stock,category\n" +
		"taco,Taco grande,25,,,," + "\n" + // 2: fine
		"nuevo-1,Nuevo,10,10,,,\n" + // 3: compare-at not higher
		"Mal Slug,Otro,10,,,,\n" + // 4: slug format
		",Sin precio,,,quizá,-2,\n" + // 5: price required, bool, stock
		"taco,Repetido,1,,,,\n" + // 6: duplicate slug of row 2
		"torta,Torta,30,,,,\n" + // 7: price under the option's discount
		",Larga," + "1" + ",,,," + strings.Repeat("c", 81) + "\n" // 8: category name too long
	_, err := e.products.ImportCSV(e.ctx, catStoreA, strings.NewReader(file))
	ie := importErr(t, err)
	want := "3:compare_at_price:catalog.validation.compare_at 4:slug:validation.slug_format " +
		"5:price:validation.required 5:active:catalog.validation.bool 5:stock:catalog.validation.stock " +
		"6:slug:catalog.import.duplicate_slug 7:price:catalog.validation.price_below_options 8:category:validation.too_long"
	if got := rowKeys(ie); got != want {
		t.Fatalf("report:\n%s\nwant\n%s", got, want)
	}
	if ie.Rows[5].Args["Row"] != 2 {
		t.Fatalf("duplicate points at row %v", ie.Rows[5].Args["Row"])
	}
	p, _ := e.repo.Products.Get(e.ctx, catStoreA, old.ID)
	ps, _ := e.repo.Products.List(e.ctx, catStoreA)
	cats, _ := e.repo.Categories.List(e.ctx, catStoreA)
	if p.Name != "Taco" || len(ps) != 2 || len(cats) != 0 || e.purger.Count(catStoreA) != purged {
		t.Fatalf("import with errors wrote: %+v, %d products, %d categories", p, len(ps), len(cats))
	}
}

func TestImportFileProblems(t *testing.T) {
	e := newCatalogEnv(t)
	cases := []struct{ body, want string }{
		{"", "0::catalog.import.empty"},
		{"  \n\n", "0::catalog.import.empty"},
		{"slug,description\nx,y\n", "1:name:catalog.import.missing_column 1:price:catalog.import.missing_column"},
		{"name,nombre,price\nA,B,1\n", "1:nombre:catalog.import.duplicate_column"},
		{"name,price\n", "0::catalog.import.no_rows"},
		{"name,price\n\"Taco,1\n", "0::catalog.import.parse"},
		{"name,price\n" + strings.Repeat("Taco,1\n", services.MaxImportRows+1), "0::catalog.import.too_many_rows"},
		{"name,price\n" + strings.Repeat("x", services.MaxImportBytes), "0::catalog.import.too_big"},
	}
	for _, tc := range cases {
		_, err := e.products.ImportCSV(e.ctx, catStoreA, strings.NewReader(tc.body))
		if got := rowKeys(importErr(t, err)); got != tc.want {
			t.Errorf("%.40q: %s, want %s", tc.body, got, tc.want)
		}
	}
	if ps, _ := e.repo.Products.List(e.ctx, catStoreA); len(ps) != 0 {
		t.Fatal("rows written")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	e := newCatalogEnv(t)
	cat, _ := e.categories.CreateCategory(e.ctx, catStoreA, "Antojitos, y más")
	inputs := []services.ProductInput{
		{Name: "Quesadilla \"especial\"", Description: "Con queso Oaxaca;\ny flor de calabaza", Price: "45.50", CompareAt: "50", CategoryID: catalogID(cat.ID), Active: true, Stock: "0"},
		{Name: "+Salsa extra", Price: "0", Active: false, SoldOut: true},
		{Name: "@Tamal", Price: "1,000,000", Active: true},
	}
	for _, in := range inputs {
		if _, err := e.products.CreateProduct(e.ctx, catStoreA, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.products.CreateProduct(e.ctx, catStoreB, services.ProductInput{Name: "Ajeno", Price: "1"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.products.ExportCSV(e.ctx, catStoreA, &buf, "en"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff") || strings.Contains(out, "Ajeno") {
		t.Fatalf("export: %q", out)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[1], "|"); got != "quesadilla-especial|Quesadilla \"especial\"|Con queso Oaxaca;\ny flor de calabaza|45.50|50.00|Antojitos, y más|yes|no|0" {
		t.Fatalf("row 1: %q", got)
	}
	if recs[2][1] != "'+Salsa extra" || recs[2][3] != "0.00" || recs[2][6] != "no" || recs[2][7] != "yes" || recs[3][1] != "'@Tamal" || recs[3][3] != "1000000.00" {
		t.Fatalf("rows 2-3: %q %q", recs[2], recs[3])
	}

	before, _ := e.repo.Products.List(e.ctx, catStoreA)
	res, err := e.products.ImportCSV(e.ctx, catStoreA, strings.NewReader(out))
	if err != nil || res.Updated != 3 || res.Created != 0 || res.Categories != 0 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	after, _ := e.repo.Products.List(e.ctx, catStoreA)
	for i := range before {
		b, a := before[i], after[i]
		same := a.Name == b.Name && a.Slug == b.Slug && a.Description == b.Description && a.PriceCents == b.PriceCents &&
			a.Active == b.Active && a.SoldOut == b.SoldOut && a.Position == b.Position &&
			eqPtr(a.CompareAtCents, b.CompareAtCents) && eqPtr(a.Stock, b.Stock) && eqPtr(a.CategoryID, b.CategoryID)
		if !same {
			t.Errorf("round trip changed\n%+v\ninto\n%+v", b, a)
		}
	}
}

func eqPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func TestImportWindows1252(t *testing.T) {
	e := newCatalogEnv(t)
	body := []byte("name,price,category\nPi\xf1ata de cart\xf3n,150,Fiestas y Decoraci\xf3n\n")
	if _, err := e.products.ImportCSV(e.ctx, catStoreA, bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	ps, _ := e.repo.Products.List(e.ctx, catStoreA)
	cats, _ := e.repo.Categories.List(e.ctx, catStoreA)
	if len(ps) != 1 || ps[0].Name != "Piñata de cartón" || len(cats) != 1 || cats[0].Name != "Fiestas y Decoración" {
		t.Fatalf("decoded: %+v %+v", ps, cats)
	}
}
