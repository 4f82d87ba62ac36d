package services_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// Invisible characters: a right-to-left override, an isolate, a zero-width
// space, a BOM and a NUL, none of which may reach the database.
const (
	rlo  = "\u202e"
	pdf  = "\u202c"
	lri  = "\u2066"
	pdi  = "\u2069"
	zwsp = "\u200b"
	bom  = "\ufeff"
)

func TestShopperTextIsStoredWithoutInvisibleCharacters(t *testing.T) {
	e := newOrderEnv(t)
	ctx := context.Background()
	o, err := e.svc.Create(ctx, e.biz, services.CreateOrderInput{
		Items:        []services.OrderItemInput{{ProductID: e.agua.ID, Quantity: 5}},
		CustomerName: rlo + "Ana\nLópez" + pdf, CustomerPhone: "55 9876 5432", Fulfillment: domain.FulfillmentDelivery,
		Address: lri + "Calle 5 #10" + pdi + "\r\nCentro\x00", PaymentMethod: domain.PaymentCardOnDelivery,
		Notes: "Sin" + zwsp + " cebolla " + bom + "🏳️‍🌈", Language: "es",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Get(ctx, e.biz, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerName != "Ana López" || got.Address != "Calle 5 #10\nCentro" || got.Notes != "Sin cebolla 🏳️\u200d🌈" {
		t.Fatalf("stored %q / %q / %q", got.CustomerName, got.Address, got.Notes)
	}

	store := services.NewStorefront(repositories.NewStorefront(e.a.DB), e.a.Repos.Reviews, e.a.Cache, e.a.Clock.Now)
	r, err := store.SubmitReview(ctx, e.biz, services.ReviewInput{Name: rlo + "Beto" + pdf, Rating: 5, Comment: "Muy " + lri + "rico" + pdi + "\r\n¡Volveré!" + zwsp})
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthorName != "Beto" || r.Comment != "Muy rico\n¡Volveré!" {
		t.Fatalf("review %q / %q", r.AuthorName, r.Comment)
	}
}

func TestOwnerTextIsStoredWithoutInvisibleCharacters(t *testing.T) {
	e := newCatalogEnv(t)
	c, err := e.categories.CreateCategory(e.ctx, catStoreA, rlo+"Bebidas"+pdf)
	if err != nil || c.Name != "Bebidas" {
		t.Fatalf("category %+v %v", c, err)
	}
	p, err := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{
		Name: zwsp + "Taco\t" + rlo + "al pastor", Description: "Con piña" + bom + "\r\ny cebolla\x00", Price: "25", Active: true,
	})
	if err != nil || p.Name != "Taco al pastor" || p.Description != "Con piña\ny cebolla" {
		t.Fatalf("product %q / %q %v", p.Name, p.Description, err)
	}
	g, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: lri + "Salsa" + pdi})
	if err != nil || g.Name != "Salsa" {
		t.Fatalf("group %+v %v", g, err)
	}
	ch, err := e.options.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Verde" + rlo, Delta: "0"})
	if err != nil || ch.Name != "Verde" {
		t.Fatalf("choice %+v %v", ch, err)
	}
	// Only invisible characters is no name at all.
	if _, err := e.categories.CreateCategory(e.ctx, catStoreA, rlo+zwsp+pdf); catalogFieldKey(err, "name") != "validation.required" {
		t.Fatalf("invisible-only name: %v", err)
	}
}
