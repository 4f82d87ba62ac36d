package services

import "github.com/qubly/qubly/domain"

// NewTestCatalog builds a public catalog from categories and products as
// Storefront.Catalog would, for tests outside the package that need no
// database.
func NewTestCatalog(cats []domain.Category, products []*domain.Product) *StoreCatalog {
	return buildCatalog(cats, products)
}
