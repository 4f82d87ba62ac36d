package domain

import "time"

// OrderStatus is where an order stands.
type OrderStatus string

// Order statuses.
const (
	OrderPending   OrderStatus = "pending"
	OrderConfirmed OrderStatus = "confirmed"
	OrderCompleted OrderStatus = "completed"
	OrderCancelled OrderStatus = "cancelled"
)

// OrderStatuses lists every status in display order.
var OrderStatuses = []OrderStatus{OrderPending, OrderConfirmed, OrderCompleted, OrderCancelled}

// Valid reports whether s is a known status.
func (s OrderStatus) Valid() bool {
	for _, v := range OrderStatuses {
		if s == v {
			return true
		}
	}
	return false
}

var orderTransitions = map[OrderStatus][]OrderStatus{
	OrderPending:   {OrderConfirmed, OrderCancelled},
	OrderConfirmed: {OrderCompleted, OrderCancelled},
}

// CanTransition reports whether an order may go from s to next:
// pending→confirmed→completed, pending→cancelled, confirmed→cancelled.
func (s OrderStatus) CanTransition(next OrderStatus) bool {
	for _, v := range orderTransitions[s] {
		if v == next {
			return true
		}
	}
	return false
}

// NextStatuses lists where an order in s may go.
func (s OrderStatus) NextStatuses() []OrderStatus { return orderTransitions[s] }

// ErrBadTransition is returned for a status change the machine refuses.
type ErrBadTransition struct{ From, To OrderStatus }

func (e *ErrBadTransition) Error() string {
	return "order cannot go from " + string(e.From) + " to " + string(e.To)
}

// Fulfillment is how the shopper gets the order.
type Fulfillment string

// Fulfillment options.
const (
	FulfillmentPickup   Fulfillment = "pickup"
	FulfillmentDelivery Fulfillment = "delivery"
)

// PaymentMethod is how the shopper pays.
type PaymentMethod string

// Payment methods a store may accept.
const (
	PaymentCash           PaymentMethod = "cash"
	PaymentTransfer       PaymentMethod = "transfer"
	PaymentCardOnDelivery PaymentMethod = "card_on_delivery"
)

// Checkout text limits, in characters; each is also the size of its column
// and the maxlength of its input.
const (
	OrderNameMax    = 100
	OrderAddressMax = 300
	OrderNotesMax   = 500
	// OrderPhoneInputMax bounds the phone as typed (spaces, dashes, +52);
	// it is stored normalized (E.164) in 20.
	OrderPhoneInputMax = 32
	// CashInputMax bounds the "pay with" amount as typed ("$10,000.00").
	CashInputMax = 12
)

// Cart limits: lines per order and units per line.
const (
	OrderMaxItems    = 50
	OrderMaxQuantity = 99
)

// Order is a shopper's order, with totals computed on the server.
type Order struct {
	ID               int64         `gorm:"primaryKey"`
	BusinessID       int64         `gorm:"not null;index:idx_orders_business_created,priority:1;uniqueIndex:idx_orders_business_idempotency,priority:1"`
	Code             string        `gorm:"size:16;not null;uniqueIndex"`
	Status           OrderStatus   `gorm:"size:12;not null;default:pending;index"`
	CustomerName     string        `gorm:"size:100;not null"`
	CustomerPhone    string        `gorm:"size:20;not null"`
	Fulfillment      Fulfillment   `gorm:"size:10;not null"`
	Address          string        `gorm:"size:300;not null;default:''"`
	PaymentMethod    PaymentMethod `gorm:"size:20;not null"`
	Notes            string        `gorm:"size:500;not null;default:''"`
	Language         string        `gorm:"size:5;not null;default:es"`
	SubtotalCents    Money         `gorm:"not null"`
	DeliveryFeeCents Money         `gorm:"not null;default:0"`
	TotalCents       Money         `gorm:"not null"`
	CreatedAt        time.Time     `gorm:"index:idx_orders_business_created,priority:2"`
	UpdatedAt        time.Time
	ConfirmedAt      *time.Time
	CompletedAt      *time.Time
	CancelledAt      *time.Time
	// IdempotencyKey is the key the client sent with the order (nil when
	// none), unique per store: a repeat with the same key gets this order.
	IdempotencyKey *string `gorm:"size:64;uniqueIndex:idx_orders_business_idempotency,priority:2"`
	// CashTenderedCents is what a shopper paying cash pays with, so the
	// store brings change (nil when not said).
	CashTenderedCents *Money

	Items []OrderItem `gorm:"-"`
	// Replayed is set (never stored) when Create answered a repeat of an
	// order already placed with the same idempotency key.
	Replayed bool `gorm:"-"`
}

// OrderItem is one line of an order, a snapshot of the product at order time.
type OrderItem struct {
	ID             int64             `gorm:"primaryKey"`
	BusinessID     int64             `gorm:"not null;index"`
	OrderID        int64             `gorm:"not null;index"`
	ProductID      int64             `gorm:"not null;index"`
	ProductName    string            `gorm:"size:120;not null"`
	Quantity       int               `gorm:"not null"`
	UnitPriceCents Money             `gorm:"not null"`
	LineTotalCents Money             `gorm:"not null"`
	Options        []OrderItemOption `gorm:"type:text;serializer:json"`
	// StockTaken records that the order took Quantity units of a counted
	// product, so cancelling gives back exactly those.
	StockTaken bool `gorm:"not null;default:false"`
}

// OrderItemOption is a chosen option as it was when ordered.
type OrderItemOption struct {
	Group      string `json:"group"`
	Name       string `json:"name"`
	DeltaCents Money  `json:"delta_cents"`
}
