package domain

// ProductFilter narrows a search of a store's products. Zero values match
// everything.
type ProductFilter struct {
	// Query matches the product name, ignoring case and accents (Fold).
	Query string
	// CategoryID limits to one category; Uncategorised to products without one.
	CategoryID    int64
	Uncategorised bool
	// Status is "", "active", "hidden" or "sold_out" (flag set or stock 0).
	Status string
	Limit  int
	Offset int
}

// Placed is a row's ID and position in a custom display order.
type Placed struct {
	ID       int64
	Position int
}
