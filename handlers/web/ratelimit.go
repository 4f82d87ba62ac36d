package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/patrickmn/go-cache"

	"github.com/qubly/qubly/domain"
)

// Limiter counts requests per key in fixed windows, in memory. Each instance
// counts on its own, so with N instances a key gets at most N times the limit;
// that is enough to stop floods of public writes without a shared store.
type Limiter struct {
	c      *cache.Cache
	max    int
	window time.Duration
	now    func() time.Time
}

// NewLimiter allows max requests per key per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{c: cache.New(2*window, window), max: max, window: window, now: time.Now}
}

// Allow records one request for key and reports whether it is within the limit.
func (l *Limiter) Allow(key string) bool {
	slot := l.now().UnixNano() / int64(l.window)
	k := key + "|" + strconv.FormatInt(slot, 10)
	if err := l.c.Add(k, 1, l.window); err == nil {
		return l.max >= 1
	}
	n, err := l.c.IncrementInt(k, 1)
	return err == nil && n <= l.max
}

// RateLimit answers domain.ErrRateLimited (429) once any of the keys given by
// keys exceeds its limiter. Use one limiter per dimension (IP, store).
func RateLimit(limits ...KeyedLimiter) fiber.Handler {
	return func(c *fiber.Ctx) error {
		for _, kl := range limits {
			if !kl.Limiter.Allow(kl.Key(c)) {
				c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(kl.Limiter.window.Seconds())))
				return domain.ErrRateLimited
			}
		}
		return c.Next()
	}
}

// KeyedLimiter pairs a limiter with what it counts by.
type KeyedLimiter struct {
	Limiter *Limiter
	Key     func(c *fiber.Ctx) string
}

// ByIP counts per client IP.
func ByIP(l *Limiter) KeyedLimiter {
	return KeyedLimiter{Limiter: l, Key: func(c *fiber.Ctx) string { return "ip:" + c.IP() }}
}

// ByParam counts per value of a route parameter (e.g. the store slug).
func ByParam(l *Limiter, param string) KeyedLimiter {
	return KeyedLimiter{Limiter: l, Key: func(c *fiber.Ctx) string { return param + ":" + c.Params(param) }}
}
