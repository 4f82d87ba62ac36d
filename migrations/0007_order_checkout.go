package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// order0007 holds the key a client sends with an order so that a repeat of
// the same checkout (a retry after a lost answer) finds the stored order,
// and the amount a shopper paying cash pays with.
type order0007 struct {
	BusinessID        int64   `gorm:"not null;uniqueIndex:idx_orders_business_idempotency,priority:1"`
	IdempotencyKey    *string `gorm:"size:64;uniqueIndex:idx_orders_business_idempotency,priority:2"`
	CashTenderedCents *int64
}

func (order0007) TableName() string { return "orders" }

// orderCheckout adds orders.idempotency_key, unique per store (existing
// orders keep NULL, which both engines let repeat in a unique index), and
// orders.cash_tendered_cents.
func orderCheckout() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0007_order_checkout",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, col := range []string{"IdempotencyKey", "CashTenderedCents"} {
				if err := m.AddColumn(&order0007{}, col); err != nil {
					return err
				}
			}
			return m.CreateIndex(&order0007{}, "idx_orders_business_idempotency")
		},
	}
}
