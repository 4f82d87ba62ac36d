package services

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
)

// fakeSitemapSource holds stores and their visible products in memory.
type fakeSitemapSource struct {
	stores   []domain.Business
	products []domain.SitemapProduct
}

func (f *fakeSitemapSource) LiveStores(_ context.Context, after int64, limit int) ([]domain.Business, error) {
	var out []domain.Business
	for _, b := range f.stores {
		if b.ID > after && len(out) < limit {
			out = append(out, b)
		}
	}
	return out, nil
}

func (f *fakeSitemapSource) ProductCounts(context.Context) (map[int64]domain.SitemapProductCount, error) {
	out := map[int64]domain.SitemapProductCount{}
	for _, p := range f.products {
		c := out[p.BusinessID]
		c.BusinessID, c.Products = p.BusinessID, c.Products+1
		if p.UpdatedAt.After(c.UpdatedAt) {
			c.UpdatedAt = p.UpdatedAt
		}
		out[p.BusinessID] = c
	}
	return out, nil
}

func (f *fakeSitemapSource) Products(_ context.Context, ids []int64) ([]domain.SitemapProduct, error) {
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []domain.SitemapProduct
	for _, p := range f.products {
		if want[p.BusinessID] {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeSitemapSource) Images(context.Context, []int64) (map[int64]*domain.Image, error) {
	return map[int64]*domain.Image{}, nil
}

func TestSitemapPagesSplitStoresAndSkipUnavailable(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	src := &fakeSitemapSource{
		stores: []domain.Business{
			{ID: 1, Slug: "uno", UpdatedAt: t0},
			{ID: 2, Slug: "dos", UpdatedAt: t0, RatingCount: 3},
			{ID: 3, Slug: "cerrada", UpdatedAt: t0},
			{ID: 4, Slug: "cuatro", UpdatedAt: t0},
		},
		products: []domain.SitemapProduct{
			{ID: 10, BusinessID: 1, Slug: "a", UpdatedAt: t0.Add(time.Hour)},
			{ID: 11, BusinessID: 1, Slug: "b", UpdatedAt: t0},
			{ID: 12, BusinessID: 1, Slug: "c", UpdatedAt: t0},
			{ID: 20, BusinessID: 2, Slug: "d", UpdatedAt: t0},
			{ID: 30, BusinessID: 3, Slug: "e", UpdatedAt: t0},
		},
	}
	ctx := context.Background()
	unavailable := func(b *domain.Business) bool { return b.Slug == "cerrada" }
	cases := []struct {
		pageSize int
		platform []string
		want     [][]string
	}{
		{4, nil, [][]string{
			{"/uno", "/uno/p/a", "/uno/p/b", "/uno/p/c"},
			{"/dos", "/dos/reviews", "/dos/p/d", "/cuatro"},
		}},
		{3, nil, [][]string{ // a store's URLs continue on the next page
			{"/uno", "/uno/p/a", "/uno/p/b"},
			{"/uno/p/c", "/dos", "/dos/reviews"},
			{"/dos/p/d", "/cuatro"},
		}},
		{100, nil, [][]string{
			{"/uno", "/uno/p/a", "/uno/p/b", "/uno/p/c", "/dos", "/dos/reviews", "/dos/p/d", "/cuatro"},
		}},
		{4, []string{"/", "/terms", "/privacy"}, [][]string{ // the platform's pages first
			{"/", "/terms", "/privacy", "/uno"},
			{"/uno/p/a", "/uno/p/b", "/uno/p/c", "/dos"},
			{"/dos/reviews", "/dos/p/d", "/cuatro"},
		}},
	}
	for _, tc := range cases {
		s := NewSitemap(src, tc.pageSize, tc.platform...)
		plan, err := s.Plan(ctx, unavailable)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Total() != 8+len(tc.platform) || plan.Pages() != len(tc.want) {
			t.Fatalf("page size %d: total %d, pages %d", tc.pageSize, plan.Total(), plan.Pages())
		}
		var got [][]string
		for n := 1; n <= plan.Pages(); n++ {
			urls, err := s.URLs(ctx, plan, n)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, u := range urls {
				paths = append(paths, u.Path)
				if u.Path == "/uno" && !u.LastMod.Equal(t0.Add(time.Hour)) {
					t.Errorf("store lastmod %s, want its newest product's", u.LastMod)
				}
			}
			got = append(got, paths)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("page size %d:\n got %q\nwant %q", tc.pageSize, got, tc.want)
		}
		if _, err := s.URLs(ctx, plan, plan.Pages()+1); err != domain.ErrNotFound {
			t.Fatalf("page past the end: %v", err)
		}
	}
	if NewSitemap(src, 0).PageSize() != SitemapMaxURLs {
		t.Fatal("default page size")
	}
}
