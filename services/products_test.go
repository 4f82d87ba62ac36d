package services_test

import (
	"errors"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

func TestProductSlugs(t *testing.T) {
	e := newCatalogEnv(t)
	in := services.ProductInput{Name: "Pan de Muerto", Price: "45", Active: true}
	p1, err := e.products.CreateProduct(e.ctx, catStoreA, in)
	if err != nil || p1.Slug != "pan-de-muerto" {
		t.Fatalf("p1: %+v %v", p1, err)
	}
	p2, _ := e.products.CreateProduct(e.ctx, catStoreA, in)
	if p2.Slug != "pan-de-muerto-2" {
		t.Fatalf("p2 slug %q", p2.Slug)
	}
	// Another store may use the same slug.
	if p, _ := e.products.CreateProduct(e.ctx, catStoreB, in); p.Slug != "pan-de-muerto" {
		t.Fatalf("store B slug %q", p.Slug)
	}
	// A typed slug that is taken is an error, not renamed.
	in.Slug = "pan-de-muerto"
	if _, err := e.products.CreateProduct(e.ctx, catStoreA, in); catalogFieldKey(err, "slug") != "catalog.validation.slug_taken" {
		t.Fatalf("taken: %v", err)
	}
	// Saving with the slug cleared keeps the link while the name is the same.
	up := services.ProductInputFrom(p2)
	up.Slug = ""
	if p, err := e.products.UpdateProduct(e.ctx, catStoreA, p2.ID, up); err != nil || p.Slug != "pan-de-muerto-2" {
		t.Fatalf("cleared slug: %+v %v", p, err)
	}
	up.Name = "Rosca de Reyes"
	if p, _ := e.products.UpdateProduct(e.ctx, catStoreA, p2.ID, up); p.Slug != "rosca-de-reyes" {
		t.Fatalf("renamed slug %q", p.Slug)
	}
	// A deleted product frees its slug.
	if err := e.products.DeleteProduct(e.ctx, catStoreA, p1.ID); err != nil {
		t.Fatal(err)
	}
	if p, err := e.products.CreateProduct(e.ctx, catStoreA, in); err != nil || p.Slug != "pan-de-muerto" {
		t.Fatalf("reuse: %+v %v", p, err)
	}
	// Another store's product cannot be edited or deleted.
	if _, err := e.products.UpdateProduct(e.ctx, catStoreB, p2.ID, up); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update other store's: %v", err)
	}
	if err := e.products.DeleteProduct(e.ctx, catStoreB, p2.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("delete other store's: %v", err)
	}
}
