package web

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/domain"
)

// Locals the public store handlers set for the page cache.
const (
	// LocalStoreBusinessID (int64) is the store being served, set as soon as
	// the handler knows it.
	LocalStoreBusinessID = "store.business_id"
	// LocalStoreCacheable (true) marks a response that is the same for every
	// visitor (of the same language): no cookie, no per-visitor content.
	LocalStoreCacheable = "store.cacheable"
)

// HeaderPageCache tells whether a cacheable store page came from the page
// cache ("hit"), was rendered ("miss"), or is an expired or purged copy
// served because the database cannot be reached ("stale").
const HeaderPageCache = "X-Cache"

// localOwnedBody is the response body a handler gave up (SetOwnedBody).
const localOwnedBody = "web.owned_body"

// SetOwnedBody makes body the response body without copying it. The caller
// gives body up: nothing may write to it afterwards, so PageCache keeps it
// as the cached page instead of a copy.
func SetOwnedBody(c *fiber.Ctx, body []byte) {
	c.Response().SetBodyRaw(body)
	c.Locals(localOwnedBody, body)
}

// ownedBody returns the response body if the handler gave it up through
// SetOwnedBody and nothing replaced it since.
func ownedBody(c *fiber.Ctx) ([]byte, bool) {
	b, ok := c.Locals(localOwnedBody).([]byte)
	body := c.Response().Body()
	return b, ok && len(b) == len(body) && unsafe.SliceData(b) == unsafe.SliceData(body)
}

// PageCacheControl is the Cache-Control of cacheable store pages: browsers
// and proxies may keep them but must revalidate (cheap, thanks to the ETag)
// before each use, so an edit shows at once.
const PageCacheControl = "public, max-age=0, must-revalidate"

// IsStorePath reports whether path belongs to a public store: its first
// segment is a well-formed store slug, not an app path.
func IsStorePath(path string) bool {
	slug := storeSlug(path)
	return slug != "" && domain.ValidateSlug(slug) == ""
}

// IsStoreRequest is IsStorePath for the request's path.
func IsStoreRequest(c *fiber.Ctx) bool { return IsStorePath(c.Path()) }

// storeSlug is path's first segment, lower-cased.
func storeSlug(path string) string {
	path = strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[:i]
	}
	return strings.ToLower(path)
}

// PageCacheBackend is what the page cache keeps pages in (services.StoreCache):
// values per store, dropped together when the store is purged.
type PageCacheBackend interface {
	Seq() uint64
	StoreID(slug string) (int64, bool)
	RememberSlug(slug string, businessID int64, since uint64) bool
	// Get must keep no reference to key (PageCacheHits lends it a buffer).
	Get(businessID int64, key string) (any, bool)
	SetSince(businessID int64, since uint64, key string, v any, ttl time.Duration) bool
}

// PageCacheConfig tunes PageCache; zero values take the defaults.
type PageCacheConfig struct {
	// TTL bounds how long a page is served without a purge (default 1 min),
	// e.g. when a purge from another instance is missed or a page shows the
	// time ("open now").
	TTL time.Duration
	// MaxPagesPerStore caps the URLs (path + query) cached per store between
	// purges (default 64), so random query strings cannot fill the memory.
	MaxPagesPerStore int
	// MaxBytes caps the bytes of pages stored per TTL window across stores
	// (default 64 MiB); as an entry stays in memory at most its TTL plus the
	// cache's one-minute cleanup interval, that bounds the memory of pages.
	MaxBytes int64
	// StaleFor is how long a cached page is kept after it was rendered, past
	// its TTL and purges, to be served (X-Cache: stale) when rendering it
	// again fails because the database cannot be reached (default 10 min).
	StaleFor time.Duration
	// MaxStaleBytes caps the bytes of those stale copies (default
	// MaxBytes); the oldest go first.
	MaxStaleBytes int64
	// Stats, when not nil, counts the hits and misses.
	Stats *PageCacheStats
}

// PageCache serves GET and HEAD requests for public store pages from memory.
// Register it right before the store routes. After a handler answers 200
// with LocalStoreCacheable and LocalStoreBusinessID set, no Set-Cookie and
// an uncompressed body, the body is kept under the store, path, query and
// language; later requests are answered from memory without running the
// handler (so without touching the database), until PurgeStore drops the
// store's pages or the TTL ends.
//
// Cacheable responses carry a weak ETag (the hash of the uncompressed body,
// the same for every content coding, hence weak) and PageCacheControl
// (unless the handler set a public one of its own); If-None-Match gets 304,
// on hits and misses alike. Hits are served pre-compressed (brotli or gzip, compressed once
// per page) with Content-Encoding set, so the compress middleware leaves
// them alone. Misses that accept brotli or gzip are compressed here at the
// middleware's level with kept compressors (compressMiss); others are left
// to the middleware.
//
// Stale-if-error: when rendering a page fails with domain.ErrUnavailable (the
// database is down), a copy of the page rendered within StaleFor is served
// instead, with X-Cache: stale, even if it expired or was purged since.
func PageCache(cache PageCacheBackend, cfg PageCacheConfig) fiber.Handler {
	if cfg.TTL <= 0 {
		cfg.TTL = time.Minute
	}
	if cfg.MaxPagesPerStore <= 0 {
		cfg.MaxPagesPerStore = 64
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 64 << 20
	}
	if cfg.StaleFor <= 0 {
		cfg.StaleFor = 10 * time.Minute
	}
	if cfg.MaxStaleBytes <= 0 {
		cfg.MaxStaleBytes = cfg.MaxBytes
	}
	budget := newByteBudget(cfg.MaxBytes, cfg.TTL)
	stale := newStalePages(cfg.MaxStaleBytes, cfg.StaleFor)
	return func(c *fiber.Ctx) error {
		method := c.Method()
		if method != fiber.MethodGet && method != fiber.MethodHead {
			return c.Next()
		}
		path := c.Path()
		slug := storeSlug(path)
		if slug == "" || domain.ValidateSlug(slug) != "" {
			return c.Next()
		}
		query := c.Request().URI().QueryString()
		if len(query) > 512 {
			return c.Next()
		}
		key := pageKey(path, query)
		if c.Cookies(flashCookie) != "" {
			return stale.serveIfUnavailable(c, key, c.Next())
		}
		if p := lookupPage(cache, slug, key); p != nil {
			cfg.Stats.hit()
			return p.serve(c, "hit")
		}

		since := cache.Seq()
		if err := c.Next(); err != nil {
			return stale.serveIfUnavailable(c, key, err)
		}
		if c.Locals(LocalStoreCacheable) != true {
			return nil
		}
		id, ok := c.Locals(LocalStoreBusinessID).(int64)
		resp := c.Response()
		if !ok || resp.StatusCode() != fiber.StatusOK || resp.IsBodyStream() ||
			len(resp.Header.ContentEncoding()) > 0 || hasSetCookie(&resp.Header) {
			return nil
		}
		body, owned := ownedBody(c)
		if !owned {
			body = bytes.Clone(resp.Body())
		}
		p := newCachedPage(body, string(resp.Header.ContentType()), string(resp.Header.Peek(fiber.HeaderCacheControl)))
		c.Set(HeaderPageCache, "miss")
		cfg.Stats.miss()
		p.setHeaders(c)
		if method == fiber.MethodGet && allowStore(cache, id, since, cfg.MaxPagesPerStore) && budget.take(int64(len(p.body))) {
			cache.RememberSlug(slug, id, since)
			if cache.SetSince(id, since, key, p, cfg.TTL) {
				stale.put(key, p)
			}
		}
		if notModified(c, p.etag) {
			resp.SetStatusCode(fiber.StatusNotModified)
			resp.ResetBody()
		} else {
			compressMiss(c, p.body)
		}
		return nil
	}
}

// PageCacheHits answers, from the pages PageCache keeps in cache, the
// requests PageCache would answer from memory, and passes every other
// request on. Registered early (before the language, CSRF and session
// middleware and the routes, which a cached page does not need), it makes a
// hit cost little more than sending the bytes. stats, when not nil, counts
// the hits.
func PageCacheHits(cache PageCacheBackend, stats *PageCacheStats) fiber.Handler {
	return func(c *fiber.Ctx) error {
		method := c.Method()
		if method != fiber.MethodGet && method != fiber.MethodHead {
			return c.Next()
		}
		path := c.Path()
		slug := storeSlug(path)
		query := c.Request().URI().QueryString()
		if slug == "" || len(query) > 512 || c.Cookies(flashCookie) != "" {
			return c.Next()
		}
		// No need to validate the slug: the cache only knows the slugs
		// PageCache validated before remembering them.
		if p := lookupHit(cache, slug, path, query); p != nil {
			stats.hit()
			return p.serveHit(c)
		}
		return c.Next()
	}
}

// pageKey is the cache key of a page. Store pages render in the store's
// language, whoever visits, so the visitor's language is not part of it.
func pageKey(path string, query []byte) string {
	return string(appendPageKey(nil, path, query))
}

func appendPageKey(dst []byte, path string, query []byte) []byte {
	dst = append(dst, "page:"...)
	dst = append(dst, path...)
	dst = append(dst, '?')
	return append(dst, query...)
}

// lookupPage returns the cached page of the store at slug under key, or nil.
func lookupPage(cache PageCacheBackend, slug, key string) *cachedPage {
	if id, ok := cache.StoreID(slug); ok {
		if v, ok := cache.Get(id, key); ok {
			return v.(*cachedPage)
		}
	}
	return nil
}

// keyBuffers hold the keys of the pages lookupHit looks up.
var keyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 128); return &b }}

// lookupHit is lookupPage(cache, slug, pageKey(path, query)) without
// allocating: the key is built in a pooled buffer and lent to cache.Get,
// which keeps no reference to it.
func lookupHit(cache PageCacheBackend, slug, path string, query []byte) *cachedPage {
	id, ok := cache.StoreID(slug)
	if !ok {
		return nil
	}
	bp := keyBuffers.Get().(*[]byte)
	k := appendPageKey((*bp)[:0], path, query)
	v, ok := cache.Get(id, unsafe.String(unsafe.SliceData(k), len(k)))
	*bp = k
	keyBuffers.Put(bp)
	if !ok {
		return nil
	}
	return v.(*cachedPage)
}

// allowStore counts one more page for the store's current generation and
// reports whether it stays within max.
func allowStore(cache PageCacheBackend, id int64, since uint64, max int) bool {
	const countKey = "pagecache:count"
	var n *atomic.Int64
	if v, ok := cache.Get(id, countKey); ok {
		n = v.(*atomic.Int64)
	} else {
		n = new(atomic.Int64)
		if !cache.SetSince(id, since, countKey, n, 0) {
			return false
		}
	}
	return n.Add(1) <= int64(max)
}

func hasSetCookie(h *fasthttp.ResponseHeader) bool {
	found := false
	h.VisitAllCookie(func(_, _ []byte) { found = true })
	return found
}

// byteBudget caps the bytes stored per window; entries live about one
// window (plus the janitor's delay), so it bounds the memory held by pages.
type byteBudget struct {
	mu     sync.Mutex
	max    int64
	window time.Duration
	start  time.Time
	used   int64
}

func newByteBudget(max int64, window time.Duration) *byteBudget {
	return &byteBudget{max: max, window: window}
}

func (b *byteBudget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if now.Sub(b.start) >= b.window {
		b.start, b.used = now, 0
	}
	if b.used+n > b.max {
		return false
	}
	b.used += n
	return true
}
