package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

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
	if c, _ := s.a.Repos.Catalog.Categories.Get(s.cxt, s.biz, *h.CategoryID); c.Name != "Aguas frescas" {
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
