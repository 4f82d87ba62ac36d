package web

import (
	"errors"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
)

// stalePages keeps the last rendering of each cached page for a while after
// it expires or is purged, so it can still be served while the database is
// down (stale-if-error). It is bounded in age (maxAge) and in bytes (max,
// oldest first out).
type stalePages struct {
	mu     sync.Mutex
	max    int64
	maxAge time.Duration
	used   int64
	pages  map[string]staleEntry
	now    func() time.Time
}

type staleEntry struct {
	page *cachedPage
	at   time.Time
}

func newStalePages(max int64, maxAge time.Duration) *stalePages {
	return &stalePages{max: max, maxAge: maxAge, pages: map[string]staleEntry{}, now: time.Now}
}

func (s *stalePages) size(p *cachedPage) int64 { return int64(len(p.body)) }

// put keeps p as the latest rendering of key (an owned string).
func (s *stalePages) put(key string, p *cachedPage) {
	n := s.size(p)
	if n > s.max {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if old, ok := s.pages[key]; ok {
		s.used -= s.size(old.page)
		delete(s.pages, key)
	}
	if s.used+n > s.max {
		s.dropExpired(now)
	}
	for s.used+n > s.max {
		s.dropOldest()
	}
	s.pages[key] = staleEntry{page: p, at: now}
	s.used += n
}

// get returns key's page if it was rendered within maxAge.
func (s *stalePages) get(key string) *cachedPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.pages[key]
	if !ok {
		return nil
	}
	if s.now().Sub(e.at) > s.maxAge {
		s.used -= s.size(e.page)
		delete(s.pages, key)
		return nil
	}
	return e.page
}

// serveIfUnavailable answers with key's stale page when err says the
// database cannot be reached and there is one; otherwise it returns err.
func (s *stalePages) serveIfUnavailable(c *fiber.Ctx, key string, err error) error {
	if err == nil || !errors.Is(err, domain.ErrUnavailable) {
		return err
	}
	p := s.get(key)
	if p == nil {
		return err
	}
	Log(c).Debug("stale page served: database unavailable", "path", c.Path(), "err", err)
	return p.serve(c, "stale")
}

// dropExpired forgets the pages older than maxAge; the caller holds s.mu.
func (s *stalePages) dropExpired(now time.Time) {
	for k, e := range s.pages {
		if now.Sub(e.at) > s.maxAge {
			s.used -= s.size(e.page)
			delete(s.pages, k)
		}
	}
}

// dropOldest forgets the oldest page; the caller holds s.mu.
func (s *stalePages) dropOldest() {
	var oldest string
	var at time.Time
	for k, e := range s.pages {
		if oldest == "" || e.at.Before(at) {
			oldest, at = k, e.at
		}
	}
	if e, ok := s.pages[oldest]; ok {
		s.used -= s.size(e.page)
		delete(s.pages, oldest)
	}
}
