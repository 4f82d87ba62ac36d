package services

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/patrickmn/go-cache"
)

// StorePurger drops whatever is cached about a store after it changes.
type StorePurger interface {
	PurgeStore(ctx context.Context, businessID int64)
}

// StoreCache is a short-lived in-memory cache of per-store values (public
// pages, dashboard figures). Each store has a generation number in its keys;
// PurgeStore bumps it, so every entry of that store is dropped at once.
type StoreCache struct {
	c   *cache.Cache
	mu  sync.Mutex
	gen map[int64]uint64
}

// NewStoreCache returns a cache whose entries live for ttl.
func NewStoreCache(ttl time.Duration) *StoreCache {
	return &StoreCache{c: cache.New(ttl, 2*ttl), gen: map[int64]uint64{}}
}

func (s *StoreCache) key(businessID int64, key string) string {
	s.mu.Lock()
	g := s.gen[businessID]
	s.mu.Unlock()
	return strconv.FormatInt(businessID, 10) + ":" + strconv.FormatUint(g, 10) + ":" + key
}

// Get returns the value cached for the store under key.
func (s *StoreCache) Get(businessID int64, key string) (any, bool) {
	return s.c.Get(s.key(businessID, key))
}

// Set caches v for the store under key.
func (s *StoreCache) Set(businessID int64, key string, v any) {
	s.c.SetDefault(s.key(businessID, key), v)
}

// PurgeStore drops every cached value of the store.
func (s *StoreCache) PurgeStore(_ context.Context, businessID int64) {
	s.mu.Lock()
	s.gen[businessID]++
	s.mu.Unlock()
}
