package testkit

import (
	"context"
	"sync"

	"gorm.io/gorm"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// Purges is the cache-purge fake: a services.StorePurger that counts the
// purges of each store. The zero value is ready to use.
type Purges struct {
	mu sync.Mutex
	n  map[int64]int
}

// PurgeStore counts one purge of the store.
func (p *Purges) PurgeStore(_ context.Context, businessID int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == nil {
		p.n = map[int64]int{}
	}
	p.n[businessID]++
}

// Count is how many times the store was purged.
func (p *Purges) Count(businessID int64) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[businessID]
}

// Writes is the store write path over db (transactions on db) that purges
// into p, for services built by hand in tests.
func (p *Purges) Writes(db *gorm.DB) *services.StoreWrites {
	return services.NewStoreWrites(repositories.NewTransactor(db), p)
}
