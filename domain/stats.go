package domain

// OrderFigures sums up a store's orders for the dashboard home. Cancelled
// orders count nowhere.
type OrderFigures struct {
	// Orders is every non-cancelled order.
	Orders int64
	// Last7Days and Last30Days are non-cancelled orders placed in those windows.
	Last7Days  int64
	Last30Days int64
	// Revenue is the sum of completed orders' totals.
	Revenue Money
}

// ProductSales is how many units of a product non-cancelled orders took.
type ProductSales struct {
	ProductID int64
	Name      string
	Units     int64
}
