package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The export speaks the owner's language, headers included, and the import
// takes back an export made in either language.
func TestCSVExportInTheOwnersLanguageImportsBack(t *testing.T) {
	s := newCatalogSetup(t)
	s.category(t, "Bebidas")
	f := catalogProductForm("Agua de jamaica")
	f.Set("stock", "7")
	s.createProduct(t, f)

	es := s.c.Get("/dashboard/products/export.csv").Body
	s.c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	en := s.c.Get("/dashboard/products/export.csv").Body
	if !strings.HasPrefix(en, "\ufeffslug,name,description,price,compare_at_price,category,active,sold_out,stock\r\n") || !strings.Contains(en, ",yes,no,7") {
		t.Fatalf("English export: %q", en)
	}
	if !strings.HasPrefix(es, "\ufeffenlace,nombre,descripción,precio,precio anterior,categoría,activo,agotado,existencias\r\n") || !strings.Contains(es, ",sí,no,7") {
		t.Fatalf("Spanish export: %q", es)
	}
	for name, file := range map[string]string{"es": es, "en": en} {
		before := s.products(t)
		r := catalogUpload(t, s.c, strings.Replace(file, "Agua de jamaica", "Agua de Jamaica", 1))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("import the %s export: %d\n%s", name, r.StatusCode, r.Body)
		}
		after := s.products(t)
		if len(after) != len(before) || after[0].Name != "Agua de Jamaica" || after[0].Stock == nil || *after[0].Stock != 7 || !after[0].Active {
			t.Fatalf("import the %s export: %+v", name, after)
		}
		s.a.DB.Exec("UPDATE products SET name = ?", "Agua de jamaica")
	}

	// The import page lists the columns, and names a missing one, in the owner's language.
	s.c.PostForm("/lang", url.Values{"lang": {"es"}, "next": {"/"}})
	if body := s.c.Get("/dashboard/products/import").Body; !strings.Contains(body, "enlace, nombre, descripción") {
		t.Fatal("import page columns not in Spanish")
	}
	if r := catalogUpload(t, s.c, "nombre\nTaco\n"); !strings.Contains(r.Body, "Falta la columna «precio»") {
		t.Fatalf("missing column: %s", r.Body)
	}
}
