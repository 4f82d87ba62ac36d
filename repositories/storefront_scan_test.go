package repositories_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// TestStorefrontPublicProductsScan checks that the hand-scanned public
// products carry every column the public pages use as GORM loads them, set
// and unset (category, compare-at price, stock), with their photos.
func TestStorefrontPublicProductsScan(t *testing.T) {
	db := testkit.NewDB(t)
	ctx := context.Background()
	biz := db.Business(t, "Tienda", "tienda")
	rows := db.Rows(t)
	cat := rows.Category(biz.ID, "Pan")
	full := rows.Product(biz.ID, `Concha "rica" & <dulce>`, testkit.Slug("concha"), testkit.Description("De vainilla\ny chocolate"),
		testkit.Price(1999), testkit.CompareAt(2500), testkit.SoldOut(), testkit.Stock(7),
		testkit.Position(3), testkit.InCategory(cat))
	rows.Product(biz.ID, "Bolillo", testkit.Price(300), testkit.Position(4))
	for j := 0; j < 3; j++ {
		rows.Photo(full, rows.Image(biz.ID, fmt.Sprintf("k%d", j), []string{"jpeg", "png"}[j%2], 800+j, 600-j), 2-j)
	}

	ps, err := repositories.NewStorefront(db.DB).PublicProducts(ctx, biz.ID)
	must(t, err)
	if len(ps) != 2 {
		t.Fatalf("%d products, want 2", len(ps))
	}
	for _, p := range ps {
		var want domain.Product
		must(t, db.First(&want, p.ID).Error)
		got := fmt.Sprintf("%d %d %v %q %q %q %d %v %v %v %v %d", p.ID, p.BusinessID, deref(p.CategoryID), p.Name, p.Slug,
			p.Description, p.PriceCents, deref(p.CompareAtCents), p.Active, p.SoldOut, deref(p.Stock), p.Position)
		exp := fmt.Sprintf("%d %d %v %q %q %q %d %v %v %v %v %d", want.ID, want.BusinessID, deref(want.CategoryID), want.Name, want.Slug,
			want.Description, want.PriceCents, deref(want.CompareAtCents), want.Active, want.SoldOut, deref(want.Stock), want.Position)
		if got != exp {
			t.Errorf("scanned %s\nGORM    %s", got, exp)
		}
	}
	if len(ps[1].Images) != 0 {
		t.Errorf("bare product has photos %+v", ps[1].Images)
	}
	if len(ps[0].Images) != 3 {
		t.Fatalf("%d photos, want 3", len(ps[0].Images))
	}
	for j, pi := range ps[0].Images {
		var want domain.Image
		must(t, db.First(&want, pi.ImageID).Error)
		img := pi.Image
		if pi.Position != j || pi.ProductID != full.ID || pi.BusinessID != biz.ID || img == nil ||
			img.ID != want.ID || img.BusinessID != biz.ID || img.Key != want.Key || img.Format != want.Format ||
			img.Width != want.Width || img.Height != want.Height {
			t.Errorf("photo %d: %+v image %+v, want image %+v", j, pi, img, want)
		}
	}
}

// deref shows a nullable column: its value, or "NULL".
func deref[T any](p *T) any {
	if p == nil {
		return "NULL"
	}
	return *p
}
