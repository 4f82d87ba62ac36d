package repositories

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Catalog bundles a store's catalog repositories, for the code that fills
// a whole catalog at once (the demo seed, test fixtures). The methods that
// Categories and Products share a name for (Create, Get, List, …) are
// reached through its fields, c.Products.Get; the rest are promoted.
type Catalog struct {
	*Categories
	*Products
	*ProductOptions
}

// NewCatalog returns the catalog repositories over db.
func NewCatalog(db *gorm.DB) *Catalog {
	return &Catalog{Categories: NewCategories(db), Products: NewProducts(db), ProductOptions: NewProductOptions(db)}
}

// CreateCategory is Categories.Create.
func (c *Catalog) CreateCategory(ctx context.Context, businessID int64, cat *domain.Category) error {
	return c.Categories.Create(ctx, businessID, cat)
}

// CreateProduct is Products.Create.
func (c *Catalog) CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error {
	return c.Products.Create(ctx, businessID, p)
}

// ---- helpers ----

// affected maps "no row matched" to domain.ErrNotFound.
func affected(res *gorm.DB) error {
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// setPositions saves position for each ID of model's rows of businessID,
// changed at at.
func setPositions(db *gorm.DB, model any, businessID int64, positions map[int64]int, at time.Time) error {
	for id, pos := range positions {
		res := db.Model(model).Where("business_id = ? AND id = ?", businessID, id).
			Updates(map[string]any{"position": pos, "updated_at": at})
		if err := affected(res); err != nil {
			return err
		}
	}
	return nil
}

// nextPosition is the position after the last row of model matching where,
// in the list of scope (the business, a product, an option group). Call it
// in the transaction that inserts the row: on PostgreSQL it first takes a
// transaction advisory lock on that list, so concurrent creates read the
// maximum one after the other and never share a position (SQLite
// transactions already have a single writer: _txlock=immediate). The lock
// does not touch the parent row, so saving the store or the product is not
// blocked, and positions stay free of a unique index so reordering can
// write them in any order.
func nextPosition(db *gorm.DB, model any, scope string, where string, args ...any) (int, error) {
	if db.Dialector.Name() == "postgres" {
		if err := db.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "position:"+scope).Error; err != nil {
			return 0, fmt.Errorf("lock positions of %s: %w", scope, err)
		}
	}
	var max sql.NullInt64
	if err := db.Model(model).Select("MAX(position)").Where(where, args...).Row().Scan(&max); err != nil {
		return 0, err
	}
	if !max.Valid {
		return 0, nil
	}
	return int(max.Int64) + 1, nil
}

// positionScope names one ordered list for nextPosition's lock.
func positionScope(list string, businessID, parentID int64) string {
	return list + ":" + strconv.FormatInt(businessID, 10) + ":" + strconv.FormatInt(parentID, 10)
}
