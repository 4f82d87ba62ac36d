package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// business0005 holds the column that says whether a closed store takes orders.
type business0005 struct {
	OrdersWhenClosed bool `gorm:"not null;default:true"`
}

func (business0005) TableName() string { return "businesses" }

// Accent colors before and after 0005: the old default fails the settings'
// own 3:1 contrast rule against white (2.1:1), so an owner who never chose
// a color could not save the settings form.
const (
	oldDefaultAccent0005 = "#f59e0b"
	newDefaultAccent0005 = "#d97706"
)

// storeHoursOrders adds the owner's choice of taking orders while closed
// (existing stores keep taking them, as before), and moves the stores still
// on the old default accent color to the new one. A store that chose a color
// keeps it. On PostgreSQL the column's default follows; SQLite cannot change
// a column default without rebuilding the table, and the app always writes
// the color (GORM fills the model's default), so it is left there.
func storeHoursOrders() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0005_store_hours_orders",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&business0005{}, "OrdersWhenClosed"); err != nil {
				return err
			}
			if err := tx.Exec("UPDATE businesses SET accent_color = ? WHERE LOWER(accent_color) = ?",
				newDefaultAccent0005, oldDefaultAccent0005).Error; err != nil {
				return err
			}
			if tx.Dialector.Name() == "postgres" {
				return tx.Exec("ALTER TABLE businesses ALTER COLUMN accent_color SET DEFAULT '" + newDefaultAccent0005 + "'").Error
			}
			return nil
		},
	}
}
