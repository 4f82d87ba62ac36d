package web

import (
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// PageCacheStats counts the page cache's hits (pages served from memory)
// and misses (cacheable pages rendered), so a hit rate can be computed.
// Counting costs one atomic add; a nil *PageCacheStats counts nothing.
type PageCacheStats struct {
	Hits, Misses atomic.Uint64
}

func (s *PageCacheStats) hit() {
	if s != nil {
		s.Hits.Add(1)
	}
}

func (s *PageCacheStats) miss() {
	if s != nil {
		s.Misses.Add(1)
	}
}

// RequestObserver records answered requests (integrations/metrics).
type RequestObserver interface {
	ObserveRequest(route, method string, status int, seconds float64)
}

// RouteOther is the route label of requests no route answered (not found,
// or refused by a middleware before routing).
const RouteOther = "other"

// RequestMetrics times each request and reports it to o under its route's
// pattern (c.Route().Path, "/:slug", never the raw path, so the labels stay
// few), method and final status. Mount it outside RequestLogger, which
// lets the error handler write the answer, so the status is the real one.
func RequestMetrics(o RequestObserver) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				c.Status(fiber.StatusInternalServerError)
			}
			err = nil
		}
		route := RouteOther
		// Not a route matched only by a middleware at "/" (the not-found
		// handler: the pattern "/" of a route matches no other path), nor
		// none (Fiber then makes one up from the raw path).
		if r := c.Route(); len(r.Handlers) > 0 && (r.Path != "/" || c.Path() == "/") {
			route = r.Path
		}
		o.ObserveRequest(route, methodLabel(c.Method()), c.Response().StatusCode(), time.Since(start).Seconds())
		return err
	}
}

// methodLabel is method as a constant string: c.Method() lends the
// request's buffer, which a metric's label must not keep.
func methodLabel(method string) string {
	for _, m := range fiber.DefaultMethods {
		if m == method {
			return m
		}
	}
	return RouteOther
}
