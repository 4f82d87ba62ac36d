package repositories_test

import (
	"context"
	"slices"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// The store page, the sitemap and ordering read "what a shopper sees" through
// one scope: each agrees with domain.Product.Shown for every reason a
// product is not shown, and a product can be ordered exactly when
// domain.Product.Orderable says so.
func TestStoreSitemapAndOrdersAgreeOnWhatAShopperSees(t *testing.T) {
	db := testkit.NewDB(t)
	ctx := context.Background()
	biz := db.Business(t, "Tienda", "tienda")
	rows := db.Rows(t)
	visible := rows.Category(biz.ID, "Visible")
	hidden := rows.Category(biz.ID, "Oculta", testkit.HiddenCategory())
	gone := rows.Category(biz.ID, "Borrada", testkit.HiddenCategory())
	cases := []struct {
		name string
		opts []testkit.ProductOption
		cat  *domain.Category
		edit func(p *domain.Product)
	}{
		{name: "uncategorised"},
		{name: "in a visible category", opts: []testkit.ProductOption{testkit.Stock(3)}, cat: visible},
		{name: "sold out", opts: []testkit.ProductOption{testkit.SoldOut()}, cat: visible},
		{name: "no units left", opts: []testkit.ProductOption{testkit.Stock(0)}},
		{name: "inactive", opts: []testkit.ProductOption{testkit.Inactive()}},
		{name: "in a hidden category", cat: hidden},
		{name: "in a deleted hidden category", cat: gone},
		{name: "deleted", cat: visible, edit: func(p *domain.Product) {
			must(t, repositories.NewProducts(db.DB).Delete(ctx, biz.ID, []int64{p.ID}))
			must(t, db.Unscoped().First(p, p.ID).Error)
		}},
	}
	products := make([]*domain.Product, len(cases))
	var ids []int64
	for i, tc := range cases {
		p := rows.Product(biz.ID, tc.name, append(tc.opts, testkit.Price(1000), testkit.InCategory(tc.cat))...)
		if tc.edit != nil {
			tc.edit(p)
		}
		products[i], ids = p, append(ids, p.ID)
	}
	// The deleted category keeps its products' category_id (as if deleted
	// by hand), so the rule must treat it as no category.
	must(t, db.Delete(gone).Error)
	gone.DeletedAt.Valid = true

	store, err := repositories.NewStorefront(db.DB).PublicProducts(ctx, biz.ID)
	must(t, err)
	sitemap, err := repositories.NewSitemap(db.DB).Products(ctx, []int64{biz.ID})
	must(t, err)
	counts, err := repositories.NewSitemap(db.DB).ProductCounts(ctx)
	must(t, err)
	forOrder, err := repositories.NewOrders(db.DB).ProductsForOrder(ctx, biz.ID, ids)
	must(t, err)

	shownCount := 0
	for i, tc := range cases {
		p := products[i]
		shown := p.Shown(tc.cat)
		if shown {
			shownCount++
		}
		if tc.name == "inactive" || tc.name == "in a hidden category" || tc.name == "deleted" {
			if shown {
				t.Fatalf("%s: the domain rule shows it", tc.name)
			}
		}
		inStore := slices.ContainsFunc(store, func(q *domain.Product) bool { return q.ID == p.ID })
		inSitemap := slices.ContainsFunc(sitemap, func(q domain.SitemapProduct) bool { return q.ID == p.ID })
		at := slices.IndexFunc(forOrder, func(q domain.Product) bool { return q.ID == p.ID })
		if inStore != shown || inSitemap != shown || (at >= 0) != shown {
			t.Errorf("%s: Shown %v, on the store page %v, in the sitemap %v, loadable for an order %v",
				tc.name, shown, inStore, inSitemap, at >= 0)
		}
		// Ordering takes what it loaded and checks Available, as services.Orders does.
		orderable := at >= 0 && forOrder[at].Available()
		if orderable != p.Orderable(tc.cat) {
			t.Errorf("%s: orderable %v, Orderable %v", tc.name, orderable, p.Orderable(tc.cat))
		}
	}
	if got := counts[biz.ID].Products; got != shownCount {
		t.Errorf("sitemap counts %d products, want %d", got, shownCount)
	}
}
