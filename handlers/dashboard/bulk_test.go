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

// A bulk delete is confirmed first, naming how many, and then says how many
// went; every bulk action says how many it changed, in the plural form.
func TestBulkDeleteIsConfirmedAndCounted(t *testing.T) {
	s := newCatalogSetup(t)
	ids := s.seedProducts(t, "P", 4, nil)
	back := "/dashboard/products?q=P"
	form := func(action string, ids ...int64) url.Values {
		v := url.Values{"action": {action}, "back": {back}}
		for _, id := range ids {
			v.Add("ids", fmt.Sprint(id))
		}
		return v
	}

	// The list's bulk form carries the browser's question in both plural forms.
	list := s.c.Get("/dashboard/products").Body
	for _, want := range []string{`data-confirm-when="action=delete"`, `data-confirm-one="¿Eliminar 1 producto? Esta acción no se puede deshacer."`,
		`data-confirm-other="¿Eliminar {count} productos? Esta acción no se puede deshacer."`} {
		if !strings.Contains(list, want) {
			t.Fatalf("bulk form lacks %s", want)
		}
	}

	// Without confirm=1 (no script): a confirmation page, nothing deleted.
	r := s.c.PostForm("/dashboard/products/bulk", form("delete", ids[0], ids[1], ids[1]))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "¿Eliminar 2 productos?") || !strings.Contains(r.Body, "Sí, eliminar 2 productos") {
		t.Fatalf("confirmation page: %d\n%s", r.StatusCode, r.Body)
	}
	if !strings.Contains(r.Body, `name="confirm" value="1"`) || !strings.Contains(r.Body, fmt.Sprintf(`name="ids" value="%d"`, ids[1])) ||
		!strings.Contains(r.Body, `href="/dashboard/products?q=P"`) {
		t.Fatal("the confirmation page does not carry the selection and the way back")
	}
	if len(s.products(t)) != 4 {
		t.Fatal("deleted before confirming")
	}

	// Confirmed: deleted, and the flash says how many.
	v := form("delete", ids[0], ids[1])
	v.Set("confirm", "1")
	if r := s.c.PostForm("/dashboard/products/bulk", v); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != back {
		t.Fatalf("confirmed delete: %d", r.StatusCode)
	}
	if len(s.products(t)) != 2 {
		t.Fatal("not deleted")
	}
	if body := s.c.Get(back).Body; !strings.Contains(body, "2 productos eliminados.") {
		t.Fatal("no count in the delete flash")
	}

	// One product confirmed reads in the singular.
	if r := s.c.PostForm("/dashboard/products/bulk", form("delete", ids[2])); !strings.Contains(r.Body, "¿Eliminar 1 producto?") {
		t.Fatal("singular confirmation")
	}
	if r := s.c.PostForm("/dashboard/products/bulk", form("hide", ids[2], ids[3])); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide is not confirmed: %d", r.StatusCode)
	}
	if body := s.c.Get(back).Body; !strings.Contains(body, "2 productos ocultos en la tienda.") {
		t.Fatal("hide flash")
	}
	s.c.PostForm("/dashboard/products/bulk", form("show", ids[3]))
	if body := s.c.Get(back).Body; !strings.Contains(body, "Producto visible en la tienda.") {
		t.Fatal("show flash")
	}
	// The single delete keeps its own message.
	s.c.PostForm(fmt.Sprintf("/dashboard/products/%d/delete", ids[3]), nil)
	if body := s.c.Get("/dashboard/products").Body; !strings.Contains(body, "Producto eliminado.") {
		t.Fatal("single delete flash")
	}
}

func TestReviewsBulkSaysHowMany(t *testing.T) {
	s := newCatalogSetup(t)
	now := s.a.Clock.Now()
	a := s.a.Review(s.biz, "Ana", 5, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	b := s.a.Review(s.biz, "Beto", 4, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(now))
	s.c.PostForm("/dashboard/reviews/bulk", url.Values{"status": {"approved"}, "ids[]": {fmt.Sprint(a.ID), fmt.Sprint(b.ID)}})
	if body := s.c.Get("/dashboard/reviews?status=approved").Body; !strings.Contains(body, "2 reseñas aprobadas.") {
		t.Fatal("approve flash")
	}
	s.c.PostForm("/dashboard/reviews/bulk", url.Values{"status": {"rejected"}, "ids[]": {fmt.Sprint(a.ID)}})
	if body := s.c.Get("/dashboard/reviews?status=rejected").Body; !strings.Contains(body, "1 reseña rechazada.") {
		t.Fatal("reject flash")
	}
}
