package services_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

func TestOptionRules(t *testing.T) {
	e := newCatalogEnv(t)
	p, _ := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Hamburguesa", Price: "80", Active: true})
	g, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "Extras", Min: "", Max: ""})
	if err != nil || g.MinSelect != 0 || g.MaxSelect != 1 {
		t.Fatalf("defaults: %+v %v", g, err)
	}
	if services.GroupComplete(g) {
		t.Fatal("a group without choices is complete")
	}
	if _, err := e.options.AddOptionGroup(e.ctx, catStoreB, p.ID, services.GroupInput{Name: "X"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("group on another store's product: %v", err)
	}
	for _, tc := range []struct {
		in    services.GroupInput
		field string
	}{
		{services.GroupInput{Name: "A", Min: "0", Max: "21"}, "max_select"},
		{services.GroupInput{Name: "A", Min: "3", Max: "2"}, "min_select"},
		{services.GroupInput{Name: strings.Repeat("x", 81)}, "name"},
	} {
		if _, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, tc.in); catalogFieldKey(err, tc.field) == "" {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}

	// Deltas: a discount down to $0 is fine, below is not.
	if _, err := e.options.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Sin pan", Delta: "-80"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.options.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Doble", Delta: "-80.01"}); catalogFieldKey(err, "delta") != "catalog.validation.delta_below_price" {
		t.Fatalf("below price: %v", err)
	}
	if _, err := e.options.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Doble", Delta: "--5"}); catalogFieldKey(err, "delta") != "catalog.validation.price_format" {
		t.Fatalf("double sign: %v", err)
	}
	// The product price cannot drop under the discount.
	in := services.ProductInputFrom(p)
	in.Price = "79.99"
	if _, err := e.products.UpdateProduct(e.ctx, catStoreA, p.ID, in); catalogFieldKey(err, "price") != "catalog.validation.price_below_options" {
		t.Fatalf("price under discount: %v", err)
	}

	full, err := e.products.Product(e.ctx, catStoreA, p.ID)
	if err != nil || len(full.Options) != 1 || len(full.Options[0].Choices) != 1 || !services.GroupComplete(&full.Options[0]) {
		t.Fatalf("loaded options: %+v %v", full, err)
	}
	// Choices only through their own group; groups through their product.
	other, _ := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Otro", Price: "1", Active: true})
	choice := full.Options[0].Choices[0]
	if err := e.options.UpdateOptionChoice(e.ctx, catStoreA, other.ID, g.ID, choice.ID, services.ChoiceInput{Name: "X"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("choice through another product: %v", err)
	}
	if err := e.options.DeleteOptionChoice(e.ctx, catStoreB, p.ID, g.ID, choice.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("choice of another store: %v", err)
	}

	// Limits on counts.
	for i := 2; i <= domain.MaxOptionGroups; i++ {
		if _, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "G" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "Una más"}); catalogFieldKey(err, "name") != "catalog.validation.too_many_groups" {
		t.Fatalf("too many groups: %v", err)
	}
}
