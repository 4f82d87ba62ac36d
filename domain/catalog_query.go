package domain

// ProductFilter narrows a search of a store's products. Zero values match
// everything.
type ProductFilter struct {
	// Query matches the product name, ignoring case and accents (Fold).
	Query string
	// CategoryID limits to one category; Uncategorised to products without one.
	CategoryID    int64
	Uncategorised bool
	// Status is "" (any) or one ProductStatus.
	Status ProductStatus
	Limit  int
	Offset int
}

// ProductStatus is what the dashboard's product list filters on.
type ProductStatus string

// Product statuses.
const (
	// ProductActive products are shown on the store (unless their category is hidden).
	ProductActive ProductStatus = "active"
	// ProductHidden products are not shown on the store.
	ProductHidden ProductStatus = "hidden"
	// ProductSoldOut products are marked sold out or have no units left (not InStock).
	ProductSoldOut ProductStatus = "sold_out"
)

// Valid reports whether s is a known status.
func (s ProductStatus) Valid() bool {
	return s == ProductActive || s == ProductHidden || s == ProductSoldOut
}

// Placed is a row's ID and position in a custom display order.
type Placed struct {
	ID       int64
	Position int
}
