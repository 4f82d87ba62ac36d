package dashboard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// The products step counts up to its goal: eight products read "5 de 5",
// never "8 de 5", while the checklist is still shown.
func TestChecklistCounterNeverExceedsItsTotal(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	a.Product(o.Business.ID, "Uno", testkit.Price(1000))
	a.Cache.PurgeStore(context.Background(), o.Business.ID)
	if body := c.Get("/dashboard").Body; !strings.Contains(body, "(1 de 5)") || !strings.Contains(body, "Te faltan 4 pasos") {
		t.Fatal("one product: want (1 de 5) and 4 steps")
	}
	for i := 2; i <= 8; i++ {
		a.Product(o.Business.ID, fmt.Sprintf("Producto %d", i), testkit.Price(1000))
	}
	a.Cache.PurgeStore(context.Background(), o.Business.ID)
	body := c.Get("/dashboard").Body
	if strings.Contains(body, "(8 de 5)") || !strings.Contains(body, "(5 de 5)") {
		t.Fatalf("eight products: the counter passes its total")
	}
	if !strings.Contains(body, "Te faltan 3 pasos") {
		t.Fatal("three steps left")
	}
	// The last step left reads in the singular.
	now := a.Clock.Now()
	img := a.Image(o.Business.ID, "b/logo", "png", 200, 200)
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).
		Updates(map[string]any{"logo_image_id": img.ID, "whatsapp_tested_at": now}).Error; err != nil {
		t.Fatal(err)
	}
	if body := c.Get("/dashboard").Body; !strings.Contains(body, "Te falta 1 paso.") {
		t.Fatal("one step left: want the singular")
	}
}

// Counts with a noun read in the right plural form on dashboard pages.
func TestDashboardCountsArePlural(t *testing.T) {
	s := newCatalogSetup(t)
	cat := s.category(t, "Bebidas")
	s.seedProducts(t, "P", 1, func(_ int, p *domain.Product) { p.CategoryID = &cat })
	if body := s.c.Get("/dashboard/products").Body; !strings.Contains(body, ">1 producto<") {
		t.Fatal("products list: want 1 producto")
	}
	if body := s.c.Get("/dashboard/categories").Body; !strings.Contains(body, "1 producto") || strings.Contains(body, "1 productos") {
		t.Fatal("categories: want 1 producto")
	}
	s.seedProducts(t, "Q", 1, func(_ int, p *domain.Product) { p.CategoryID = &cat })
	if body := s.c.Get("/dashboard/products").Body; !strings.Contains(body, ">2 productos<") {
		t.Fatal("products list: want 2 productos")
	}
	rv := s.a.Review(s.biz, "Ana", 4, testkit.ReviewStatus(domain.ReviewPending), testkit.CreatedAt(s.a.Clock.Now()))
	s.c.PostForm(fmt.Sprintf("/dashboard/reviews/%d/status", rv.ID), map[string][]string{"status": {"approved"}})
	if body := s.c.Get("/dashboard/reviews?status=approved").Body; !strings.Contains(body, "(1 reseña aprobada)") {
		t.Fatal("reviews: want 1 reseña aprobada")
	}
}
