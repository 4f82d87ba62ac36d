package services_test

import (
	"errors"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

func TestCategoryServicePurgesAndUncategorises(t *testing.T) {
	e := newCatalogEnv(t)
	c, err := e.categories.CreateCategory(e.ctx, catStoreA, "  Café & Pan  ")
	if err != nil || c.Name != "Café & Pan" || c.Slug != "cafe-pan" {
		t.Fatalf("create: %+v %v", c, err)
	}
	if n := e.purger.Count(catStoreA); n != 1 {
		t.Fatalf("purged %d times", n)
	}
	// Emoji-only names still get a slug; same slug base gets a suffix.
	c2, err := e.categories.CreateCategory(e.ctx, catStoreA, "☕")
	if err != nil || c2.Slug != "categoria" {
		t.Fatalf("emoji: %+v %v", c2, err)
	}
	c3, _ := e.categories.CreateCategory(e.ctx, catStoreA, "Café-Pan")
	if c3.Slug != "cafe-pan-2" {
		t.Fatalf("suffix slug %q", c3.Slug)
	}
	// Same name in another store is fine.
	if _, err := e.categories.CreateCategory(e.ctx, catStoreB, "café & pan"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.categories.CreateCategory(e.ctx, catStoreA, "CAFÉ & PAN"); catalogFieldKey(err, "name") != "catalog.validation.category_taken" {
		t.Fatalf("duplicate: %v", err)
	}
	purged := e.purger.Count(catStoreA)

	p, err := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Concha", Price: "12", Active: true, CategoryID: catalogID(c.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.categories.DeleteCategory(e.ctx, catStoreB, c.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("delete from another store: %v", err)
	}
	if err := e.categories.DeleteCategory(e.ctx, catStoreA, c.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := e.repo.Products.Get(e.ctx, catStoreA, p.ID)
	if got.CategoryID != nil {
		t.Fatal("product still in deleted category")
	}
	if e.purger.Count(catStoreA) != purged+2 {
		t.Fatalf("purges: %d, want %d", e.purger.Count(catStoreA), purged+2)
	}
}
