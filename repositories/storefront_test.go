package repositories_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestStorefrontPublicProducts(t *testing.T) {
	db := testkit.NewDB(t)
	ctx := context.Background()
	biz, other := db.Business(t, "Tienda", "tienda"), db.Business(t, "Otra", "otra")
	catalog := repositories.NewCatalog(db.DB)
	shown := &domain.Category{Name: "Visible", Slug: "visible", Position: 2}
	hidden := &domain.Category{Name: "Oculta", Slug: "oculta", Position: 1, Hidden: true}
	must(t, catalog.CreateCategory(ctx, biz.ID, shown))
	must(t, catalog.CreateCategory(ctx, biz.ID, hidden))

	// 30 public products with two photos and an option group each, in
	// reverse position order, plus products a shopper may not see.
	for i := 0; i < 30; i++ {
		p := &domain.Product{Name: fmt.Sprintf("P%02d", i), Slug: fmt.Sprintf("p%02d", i), PriceCents: 1000, Active: true, Position: 100 - i}
		if i%2 == 0 {
			p.CategoryID = &shown.ID
		}
		must(t, catalog.CreateProduct(ctx, biz.ID, p))
		for j := 0; j < 2; j++ {
			img := &domain.Image{BusinessID: biz.ID, Key: fmt.Sprintf("img-%d-%d", i, j), Format: "jpeg", Width: 800, Height: 600}
			must(t, db.Create(img).Error)
			must(t, db.Create(&domain.ProductImage{BusinessID: biz.ID, ProductID: p.ID, ImageID: img.ID, Position: 1 - j}).Error)
		}
		g := &domain.OptionGroup{ProductID: p.ID, Name: "Tamaño", MinSelect: 1, MaxSelect: 1}
		must(t, catalog.CreateOptionGroup(ctx, biz.ID, g))
		must(t, catalog.CreateOptionChoice(ctx, biz.ID, &domain.OptionChoice{GroupID: g.ID, Name: "Chico"}))
		must(t, catalog.CreateOptionChoice(ctx, biz.ID, &domain.OptionChoice{GroupID: g.ID, Name: "Grande", DeltaCents: 500}))
	}
	must(t, catalog.CreateProduct(ctx, biz.ID, &domain.Product{Name: "Inactivo", Slug: "inactivo", PriceCents: 1, Active: false}))
	must(t, catalog.CreateProduct(ctx, biz.ID, &domain.Product{Name: "En oculta", Slug: "en-oculta", PriceCents: 1, Active: true, CategoryID: &hidden.ID}))
	gone := &domain.Product{Name: "Borrado", Slug: "borrado", PriceCents: 1, Active: true}
	must(t, catalog.CreateProduct(ctx, biz.ID, gone))
	must(t, catalog.Products.Delete(ctx, biz.ID, []int64{gone.ID}))
	must(t, catalog.CreateProduct(ctx, other.ID, &domain.Product{Name: "Ajeno", Slug: "ajeno", PriceCents: 1, Active: true}))

	r := repositories.NewStorefront(db.DB)
	queries := testkit.CountQueries(t, db.DB)
	ps, err := r.PublicProducts(ctx, biz.ID)
	must(t, err)
	if n := queries.Load(); n > 5 {
		t.Errorf("PublicProducts ran %d queries for 30 products, want at most 5 (no N+1)", n)
	}
	if len(ps) != 30 {
		t.Fatalf("%d public products, want 30", len(ps))
	}
	if ps[0].Name != "P29" || ps[29].Name != "P00" {
		t.Errorf("not in position order: first %s, last %s", ps[0].Name, ps[29].Name)
	}
	for _, p := range ps {
		if len(p.Images) != 2 || p.Images[0].Image == nil || p.Images[0].Position != 0 {
			t.Fatalf("%s images %+v", p.Name, p.Images)
		}
		if len(p.Options) != 1 || len(p.Options[0].Choices) != 2 || p.Options[0].Choices[1].Name != "Grande" {
			t.Fatalf("%s options %+v", p.Name, p.Options)
		}
	}

	cats, err := r.VisibleCategories(ctx, biz.ID)
	must(t, err)
	if len(cats) != 1 || cats[0].ID != shown.ID {
		t.Errorf("visible categories %+v", cats)
	}
}
