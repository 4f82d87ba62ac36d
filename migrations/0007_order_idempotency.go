package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// order0007 holds the key a client sends with an order so that a repeat of
// the same checkout (a retry after a lost answer) finds the stored order.
type order0007 struct {
	BusinessID     int64   `gorm:"not null;uniqueIndex:idx_orders_business_idempotency,priority:1"`
	IdempotencyKey *string `gorm:"size:64;uniqueIndex:idx_orders_business_idempotency,priority:2"`
}

func (order0007) TableName() string { return "orders" }

// orderIdempotency adds orders.idempotency_key, unique per store. Existing
// orders keep NULL, which both engines let repeat in a unique index.
func orderIdempotency() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0007_order_idempotency",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			if err := m.AddColumn(&order0007{}, "IdempotencyKey"); err != nil {
				return err
			}
			return m.CreateIndex(&order0007{}, "idx_orders_business_idempotency")
		},
	}
}
