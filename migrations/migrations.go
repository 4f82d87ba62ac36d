// Package migrations holds Qubly's versioned, forward-only schema migrations.
// Each is a function over GORM's migrator, so one list serves SQLite and
// PostgreSQL. Migrations use their own snapshot structs, never the live
// domain models, so an old migration keeps doing what it did when written.
package migrations

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// lockKey is the PostgreSQL advisory lock taken while migrating, so several
// instances starting at once do not race.
const lockKey = 727_411_001

// All returns every migration in order. Append only; never edit a released one.
func All() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		initial(),
		dashboard(),
		whatsappTested(),
		orderStockTaken(),
		storeHoursOrders(),
		orderCheckout(),
		billing(),
		referralRewardClaims(),
		chatExchanges(),
		admin(),
		tokenReplaced(),
	}
}

// Run applies the pending migrations. Running it again is a no-op.
func Run(ctx context.Context, db *gorm.DB) error {
	db = db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		// One connection holds the lock for the whole run.
		return db.Connection(func(conn *gorm.DB) error {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", lockKey).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", lockKey)
			return migrate(conn)
		})
	}
	return migrate(db)
}

func migrate(db *gorm.DB) error {
	opts := *gormigrate.DefaultOptions
	opts.TableName = "schema_migrations"
	opts.UseTransaction = db.Dialector.Name() == "postgres"
	m := gormigrate.New(db, &opts, All())
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Applied lists the IDs recorded in the migrations table.
func Applied(db *gorm.DB) ([]string, error) {
	var ids []string
	err := db.Table("schema_migrations").Order("id").Pluck("id", &ids).Error
	return ids, err
}
