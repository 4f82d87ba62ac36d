package domain

import (
	"testing"

	"gorm.io/gorm"
)

func TestProductShownAndOrderable(t *testing.T) {
	zero, two := 0, 2
	deleted := gorm.DeletedAt{Valid: true}
	visible := &Category{ID: 1}
	hidden := &Category{ID: 1, Hidden: true}
	hiddenGone := &Category{ID: 1, Hidden: true, DeletedAt: deleted}
	for _, tc := range []struct {
		name             string
		p                Product
		c                *Category
		shown, orderable bool
		inStock, avail   bool
	}{
		{"active, uncategorised", Product{Active: true}, nil, true, true, true, true},
		{"active, visible category", Product{Active: true}, visible, true, true, true, true},
		{"active, units left", Product{Active: true, Stock: &two}, visible, true, true, true, true},
		{"hidden category", Product{Active: true}, hidden, false, false, true, true},
		{"deleted hidden category counts as none", Product{Active: true}, hiddenGone, true, true, true, true},
		{"inactive", Product{}, nil, false, false, true, false},
		{"deleted", Product{Active: true, DeletedAt: deleted}, nil, false, false, true, true},
		{"sold out is shown, not orderable", Product{Active: true, SoldOut: true}, nil, true, false, false, false},
		{"no units left is shown, not orderable", Product{Active: true, Stock: &zero}, visible, true, false, false, false},
	} {
		p := tc.p
		if got := p.Shown(tc.c); got != tc.shown {
			t.Errorf("%s: Shown = %v", tc.name, got)
		}
		if got := p.Orderable(tc.c); got != tc.orderable {
			t.Errorf("%s: Orderable = %v", tc.name, got)
		}
		if got := p.InStock(); got != tc.inStock {
			t.Errorf("%s: InStock = %v", tc.name, got)
		}
		if got := p.Available(); got != tc.avail {
			t.Errorf("%s: Available = %v", tc.name, got)
		}
	}
}

func TestProductStatusValid(t *testing.T) {
	for _, s := range []ProductStatus{ProductActive, ProductHidden, ProductSoldOut} {
		if !s.Valid() {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []ProductStatus{"", "Active", "deleted"} {
		if s.Valid() {
			t.Errorf("%q accepted", s)
		}
	}
}
