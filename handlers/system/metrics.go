package system

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// MetricsPath is where the Prometheus metrics are served.
const MetricsPath = "/metrics"

// Metrics serves GET /metrics: open in development; in production only to
// "Authorization: Bearer <token>" (401 otherwise), and not at all (404)
// without a token configured.
type Metrics struct {
	serve      fiber.Handler
	token      string
	production bool
}

// NewMetrics returns the handler of /metrics, serving h (the metrics
// registry's exposition handler).
func NewMetrics(h http.Handler, token string, production bool) *Metrics {
	return &Metrics{serve: adaptor.HTTPHandler(h), token: token, production: production}
}

// Register mounts GET /metrics; call it before the store routes.
func (m *Metrics) Register(r fiber.Router) {
	r.Get(MetricsPath, m.metrics)
}

func (m *Metrics) metrics(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if m.production || m.token != "" {
		if m.token == "" {
			return fiber.ErrNotFound
		}
		if !m.authorized(c.Get(fiber.HeaderAuthorization)) {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return c.Status(fiber.StatusUnauthorized).SendString("unauthorized\n")
		}
	}
	return m.serve(c)
}

// authorized reports whether header is "Bearer <token>", compared in
// constant time.
func (m *Metrics) authorized(header string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(m.token)) == 1
}
