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
	ps, pg, err := domain.Paginate(q.Page, ProductsPerPage, func(limit, offset int) ([]domain.Product, int64, error) {
		f.Limit, f.Offset = limit, offset
		return s.repo.Search(ctx, businessID, f)
	})
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	return &ProductPage{Products: ps, Total: pg.Total, Page: pg.Page, Pages: pg.Pages}, nil
}
