package services

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/qubly/qubly/domain"
)

// ProductQuery is the product list's search, filters and page as typed.
type ProductQuery struct {
	Q string
	// Category is a category ID, "none" for uncategorised, or "" for all.
	Category string
	// Status is "" for all, else one domain.ProductStatus.
	Status domain.ProductStatus
	Page   int
}

// Filtered reports whether the query narrows the list.
func (q ProductQuery) Filtered() bool {
	return strings.TrimSpace(q.Q) != "" || q.Category != "" || q.Status != ""
}

// ProductPage is one page of the product list.
type ProductPage struct {
	Products []domain.Product
	Total    int64
	Page     int
	Pages    int
}

// SearchProducts returns the page of businessID's products matching q.
// Unknown filter values are ignored; a page past the end shows the last one.
func (s *Products) SearchProducts(ctx context.Context, businessID int64, q ProductQuery) (*ProductPage, error) {
	f := domain.ProductFilter{Query: strings.TrimSpace(q.Q), Limit: ProductsPerPage}
	switch q.Category {
	case "":
	case "none":
		f.Uncategorised = true
	default:
		id, err := strconv.ParseInt(q.Category, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // matches nothing
		}
		f.CategoryID = id
	}
	if q.Status.Valid() {
		f.Status = q.Status
	}
	page := max(q.Page, 1)
	f.Offset = (page - 1) * ProductsPerPage
	ps, total, err := s.store.SearchProducts(ctx, businessID, f)
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	pages := max(int((total+ProductsPerPage-1)/ProductsPerPage), 1)
	if page > pages {
		page = pages
		f.Offset = (page - 1) * ProductsPerPage
		if ps, total, err = s.store.SearchProducts(ctx, businessID, f); err != nil {
			return nil, fmt.Errorf("search products: %w", err)
		}
	}
	return &ProductPage{Products: ps, Total: total, Page: page, Pages: pages}, nil
}
