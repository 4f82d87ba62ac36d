package services

import (
	"context"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"github.com/patrickmn/go-cache"
)

// StorePurger drops whatever is cached about a store after it changes.
type StorePurger interface {
	PurgeStore(ctx context.Context, businessID int64)
}

// slugTTL bounds how long a slug keeps pointing at a store in memory, should
// a purge be missed (e.g. while the cross-instance listener reconnects).
const slugTTL = time.Minute

// StoreCache is a short-lived in-memory cache of per-store values (public
// pages, dashboard figures). Each store has a generation number in its keys;
// PurgeStore bumps it, so every entry of that store is dropped at once.
//
// Generations come from one purge sequence shared by all stores: a value
// computed from the database after Seq returned s may be stored with
// SetSince(…, s, …), which refuses it when the store was purged meanwhile
// (the value may predate the write that caused the purge).
//
// With several instances, PurgeStore also calls the publisher set with
// SetPublisher (PostgreSQL NOTIFY); the other instances' listeners call
// PurgeLocal.
type StoreCache struct {
	c     *cache.Cache
	slugs *cache.Cache // slug → slugEntry

	mu      sync.Mutex
	seq     uint64           // bumped by every purge
	gen     map[int64]uint64 // seq at the store's last purge
	all     uint64           // seq at the last PurgeAll
	publish func(ctx context.Context, businessID int64)
}

type slugEntry struct {
	businessID int64
	gen        uint64
}

// NewStoreCache returns a cache whose entries live for ttl (unless stored
// with another one). Expired entries are freed within a minute.
func NewStoreCache(ttl time.Duration) *StoreCache {
	return &StoreCache{
		c:     cache.New(ttl, min(2*ttl, time.Minute)),
		slugs: cache.New(slugTTL, 2*slugTTL),
		gen:   map[int64]uint64{},
	}
}

// generation is the store's current generation; the caller holds s.mu.
func (s *StoreCache) generation(businessID int64) uint64 {
	return max(s.gen[businessID], s.all)
}

func (s *StoreCache) keyAt(businessID int64, gen uint64, key string) string {
	return strconv.FormatInt(businessID, 10) + ":" + strconv.FormatUint(gen, 10) + ":" + key
}

func (s *StoreCache) key(businessID int64, key string) string {
	s.mu.Lock()
	g := s.generation(businessID)
	s.mu.Unlock()
	return s.keyAt(businessID, g, key)
}

// Get returns the value cached for the store under key. It keeps no
// reference to key, which may be a borrowed buffer, and does not allocate:
// the full key is built on the stack (a page-cache hit calls it).
func (s *StoreCache) Get(businessID int64, key string) (any, bool) {
	s.mu.Lock()
	g := s.generation(businessID)
	s.mu.Unlock()
	var buf [128]byte
	k := strconv.AppendInt(buf[:0], businessID, 10)
	k = append(k, ':')
	k = strconv.AppendUint(k, g, 10)
	k = append(k, ':')
	k = append(k, key...)
	// The map lookup does not keep its key: k may be borrowed as a string.
	return s.c.Get(unsafe.String(unsafe.SliceData(k), len(k)))
}

// Set caches v for the store under key.
func (s *StoreCache) Set(businessID int64, key string, v any) {
	s.c.SetDefault(s.key(businessID, key), v)
}

// Seq is the purge sequence now. Take it before reading what a cached value
// is built from, and pass it to SetSince.
func (s *StoreCache) Seq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// SetSince caches v for the store under key for ttl (0: the cache's default)
// unless the store was purged after Seq returned since; it reports whether v
// was stored.
func (s *StoreCache) SetSince(businessID int64, since uint64, key string, v any, ttl time.Duration) bool {
	s.mu.Lock()
	g := s.generation(businessID)
	s.mu.Unlock()
	if g > since {
		return false
	}
	if ttl <= 0 {
		ttl = cache.DefaultExpiration
	}
	s.c.Set(s.keyAt(businessID, g, key), v, ttl)
	return true
}

// RememberSlug records that slug is the store businessID, unless the store
// was purged after Seq returned since. Purging the store forgets its slugs,
// so a renamed store's old slug stops resolving at once.
func (s *StoreCache) RememberSlug(slug string, businessID int64, since uint64) bool {
	s.mu.Lock()
	g := s.generation(businessID)
	s.mu.Unlock()
	if g > since {
		return false
	}
	s.slugs.SetDefault(slug, slugEntry{businessID: businessID, gen: g})
	return true
}

// StoreID is the store a slug was last seen to belong to, if the store has
// not been purged since.
func (s *StoreCache) StoreID(slug string) (int64, bool) {
	v, ok := s.slugs.Get(slug)
	if !ok {
		return 0, false
	}
	e := v.(slugEntry)
	s.mu.Lock()
	g := s.generation(e.businessID)
	s.mu.Unlock()
	if g != e.gen {
		return 0, false
	}
	return e.businessID, true
}

// SetPublisher sets what PurgeStore calls after the local purge to tell the
// other instances (PostgreSQL NOTIFY). Call it before serving.
func (s *StoreCache) SetPublisher(publish func(ctx context.Context, businessID int64)) {
	s.mu.Lock()
	s.publish = publish
	s.mu.Unlock()
}

// PurgeStore drops every cached value of the store, here and, through the
// publisher, on the other instances.
func (s *StoreCache) PurgeStore(ctx context.Context, businessID int64) {
	s.PurgeLocal(businessID)
	s.mu.Lock()
	publish := s.publish
	s.mu.Unlock()
	if publish != nil {
		publish(ctx, businessID)
	}
}

// PurgeLocal drops every cached value of the store in this instance only; the
// cross-instance listener calls it.
func (s *StoreCache) PurgeLocal(businessID int64) {
	s.mu.Lock()
	s.seq++
	s.gen[businessID] = s.seq
	s.mu.Unlock()
}

// PurgeAll drops every cached value of every store in this instance, e.g.
// after the cross-instance listener reconnects and may have missed purges.
func (s *StoreCache) PurgeAll() {
	s.mu.Lock()
	s.seq++
	s.all = s.seq
	s.mu.Unlock()
	s.slugs.Flush()
	s.c.Flush()
}
