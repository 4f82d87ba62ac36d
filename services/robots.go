package services

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// RobotsKey is the settings key of the platform's robots.txt text.
const RobotsKey = "robots_txt"

// MaxRobotsLen bounds the stored robots.txt text (bytes).
const MaxRobotsLen = 10000

// DefaultRobots is served until an admin stores another text. App paths are
// blocked by exact path or folder, never by prefix alone, so a store whose
// slug merely starts with one (/admin-tacos, /api-shop) stays indexable.
// Carts, checkouts and order tracking pages are private to a shopper.
const DefaultRobots = `User-agent: *
Allow: /
Disallow: /dashboard$
Disallow: /dashboard/
Disallow: /admin$
Disallow: /admin/
Disallow: /api/
Disallow: /login$
Disallow: /signup$
Disallow: /password/
Disallow: /verify
Disallow: /webhooks/
Disallow: /chat/
Disallow: /dev/
Disallow: /*/cart$
Disallow: /*/checkout$
Disallow: /*/o/
`

// RobotsRepo keeps platform settings (repositories.Settings).
type RobotsRepo interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string, now time.Time) error
}

// Robots owns the platform's robots.txt: a text an admin may change, which
// always ends by pointing crawlers at the sitemap.
type Robots struct {
	repo    RobotsRepo
	clock   Clock
	sitemap string
}

// NewRobots returns the robots.txt service; baseURL is the app's BASE_URL.
func NewRobots(repo RobotsRepo, clock Clock, baseURL string) *Robots {
	return &Robots{repo: repo, clock: clock, sitemap: "Sitemap: " + strings.TrimRight(baseURL, "/") + "/sitemap.xml"}
}

// Text is robots.txt as served: the stored text (DefaultRobots when none is
// stored or it is empty) ending with the Sitemap line.
func (s *Robots) Text(ctx context.Context) (string, error) {
	text, err := s.Stored(ctx)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(text) == "" {
		text = DefaultRobots
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		// The sitemap line goes last, once.
		if strings.EqualFold(strings.TrimSpace(line), s.sitemap) {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteString(s.sitemap)
	b.WriteByte('\n')
	return b.String(), nil
}

// Stored is the text an admin stored, "" when none (DefaultRobots applies).
func (s *Robots) Stored(ctx context.Context) (string, error) {
	text, err := s.repo.Get(ctx, RobotsKey)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	return text, err
}

// Set stores a new robots.txt text; an empty one restores DefaultRobots.
// Line ends are normalized to "\n".
func (s *Robots) Set(ctx context.Context, text string) error {
	text, ok := normalizeRobots(text)
	if !ok {
		v := &domain.ValidationError{}
		v.Add("robots_txt", "validation.too_long", map[string]any{"Max": MaxRobotsLen})
		return v
	}
	return s.repo.Set(ctx, RobotsKey, text, s.clock())
}
