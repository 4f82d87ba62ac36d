package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// orderItem0004 holds the column that records whether an order line took stock.
type orderItem0004 struct {
	StockTaken bool `gorm:"not null;default:false"`
}

func (orderItem0004) TableName() string { return "order_items" }

// orderStockTaken lets a cancel give back only the units an order took.
// Existing lines of counted products are marked as having taken stock, which
// is what the order code did until now.
func orderStockTaken() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0004_order_stock_taken",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&orderItem0004{}, "StockTaken"); err != nil {
				return err
			}
			return tx.Exec("UPDATE order_items SET stock_taken = ? WHERE product_id IN "+
				"(SELECT id FROM products WHERE products.business_id = order_items.business_id AND stock IS NOT NULL)", true).Error
		},
	}
}
