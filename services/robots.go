package services

import (
	"context"
	"errors"
	"strings"

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

// Robots owns the platform's robots.txt: a text an admin may change, which
// always ends by pointing crawlers at the sitemap.
type Robots struct {
	repo    PlatformSettingsRepo
	clock   Clock
	sitemap string
}

// NewRobots returns the robots.txt service; baseURL is the app's BASE_URL.
func NewRobots(repo PlatformSettingsRepo, clock Clock, baseURL string) *Robots {
	return &Robots{repo: repo, clock: clock, sitemap: "Sitemap: " + strings.TrimRight(baseURL, "/") + "/sitemap.xml"}
}

// Text is robots.txt as served: the stored text (DefaultRobots when none is
// stored or it is empty) ending with the Sitemap line.
func (s *Robots) Text(ctx context.Context) (string, error) {
	stored, err := s.Stored(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(effectiveRobots(stored), "\n"), "\n") {
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
func (s *Robots) Stored(ctx context.Context) (string, error) { return storedRobots(ctx, s.repo) }

// storedRobots is the robots.txt text stored in repo, "" when none.
func storedRobots(ctx context.Context, repo PlatformSettingsRepo) (string, error) {
	text, err := repo.Get(ctx, RobotsKey)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	return text, err
}

// effectiveRobots is the text served for a stored one, before Text adds the
// Sitemap line: DefaultRobots when none (or only blanks) is stored.
func effectiveRobots(stored string) string {
	if strings.TrimSpace(stored) == "" {
		return DefaultRobots
	}
	return stored
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
