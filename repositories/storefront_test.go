package repositories_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestStorefrontPublicProducts(t *testing.T) {
	db := testkit.NewDB(t)
	ctx := context.Background()
	biz, other := db.Business(t, "Tienda", "tienda"), db.Business(t, "Otra", "otra")
	rows := db.Rows(t)
	shown := rows.Category(biz.ID, "Visible", testkit.CategoryAt(2))
	hidden := rows.Category(biz.ID, "Oculta", testkit.CategoryAt(1), testkit.HiddenCategory())

	// 30 public products with two photos and an option group each, in
	// reverse position order, plus products a shopper may not see.
	for i := 0; i < 30; i++ {
		cat := shown
		if i%2 != 0 {
			cat = nil
		}
		p := rows.Product(biz.ID, fmt.Sprintf("P%02d", i), testkit.Price(1000), testkit.Position(100-i), testkit.InCategory(cat),
			testkit.OptionGroup("Tamaño", 1, 1, testkit.Choice("Chico", 0), testkit.Choice("Grande", 500)))
		for j := 0; j < 2; j++ {
			rows.Photo(p, rows.Image(biz.ID, fmt.Sprintf("img-%d-%d", i, j), "jpeg", 800, 600), 1-j)
		}
	}
	rows.Product(biz.ID, "Inactivo", testkit.Price(1), testkit.Inactive())
	rows.Product(biz.ID, "En oculta", testkit.Price(1), testkit.InCategory(hidden))
	gone := rows.Product(biz.ID, "Borrado", testkit.Price(1))
	must(t, repositories.NewProducts(db.DB).Delete(ctx, biz.ID, []int64{gone.ID}))
	rows.Product(other.ID, "Ajeno", testkit.Price(1))

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
