package services

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// Catalog rules.
const (
	ProductsPerPage    = 20
	defaultCategoryURL = "categoria"
	defaultProductURL  = "producto"
)

// Bulk actions on products.
const (
	BulkHide   = "hide"
	BulkShow   = "show"
	BulkDelete = "delete"
)

// CatalogDeps groups what the catalog services (Categories, Products,
// ProductOptions) need; each uses the repositories of its feature and reads
// the others' only where a rule spans them.
type CatalogDeps struct {
	Categories CategoryRepo
	Products   ProductRepo
	Options    ProductOptionRepo
	Writes     *StoreWrites
	// Clock stamps every change; nil is UTC wall time.
	Clock Clock
}

// catalogWrites is how every catalog service writes: through StoreWrites (one
// transaction, then the store's cached pages purged), stamped by the clock.
type catalogWrites struct {
	writes *StoreWrites
	clock  Clock
}

func newCatalogWrites(d CatalogDeps) catalogWrites {
	clock := d.Clock
	if clock == nil {
		clock = utcNow
	}
	return catalogWrites{writes: d.Writes, clock: clock}
}

// write runs fn in a transaction and purges the store's cache after it.
func (w catalogWrites) write(ctx context.Context, businessID int64, fn func(ctx context.Context) error) error {
	return w.writes.Write(ctx, businessID, fn)
}

func utcNow() time.Time { return time.Now().UTC() }

// uniqueSlug returns base, or base-2, base-3… the first one taken says is free.
func uniqueSlug(base string, max int, taken func(string) (bool, error)) (string, error) {
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			suffix := "-" + strconv.Itoa(i)
			if len(base)+len(suffix) > max {
				slug = strings.TrimRight(base[:max-len(suffix)], "-") + suffix
			} else {
				slug = base + suffix
			}
		}
		t, err := taken(slug)
		if err != nil {
			return "", err
		}
		if !t {
			return slug, nil
		}
	}
	return "", fmt.Errorf("no free slug for %q: %w", base, domain.ErrConflict)
}
