package domain

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ReservedSlugs are app paths that can never be a store slug. The router and
// the sign-up validator both use this list.
var ReservedSlugs = map[string]bool{
	"login": true, "logout": true, "signup": true, "register": true, "verify": true,
	"password": true, "reset": true, "forgot": true, "account": true, "dashboard": true,
	"admin": true, "static": true, "api": true, "webhooks": true, "webhook": true,
	"chat": true, "dev": true, "healthz": true, "readyz": true, "sitemap.xml": true,
	"robots.txt": true, "favicon.ico": true, "manifest.webmanifest": true, "sw.js": true,
	"lang": true, "about": true, "help": true, "support": true, "terms": true,
	"privacy": true, "pricing": true, "blog": true, "billing": true, "settings": true,
	"qubly": true, "www": true, "app": true, "mail": true, "media": true, "uploads": true,
	"assets": true, "images": true, "img": true, "css": true, "js": true, "store": true,
	"stores": true, "tienda": true, "new": true, "null": true, "undefined": true,
	"well-known": true, ".well-known": true, "offline": true, "status": true, "docs": true,
	"metrics": true, "invite": true,
}

// Slug length limits.
const (
	SlugMinLen = 3
	SlugMaxLen = 40
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateSlug returns the i18n key of what is wrong with a store slug, or "".
func ValidateSlug(s string) string {
	switch {
	case s == "":
		return "validation.required"
	case len(s) < SlugMinLen || len(s) > SlugMaxLen:
		return "validation.slug_length"
	case !slugPattern.MatchString(s):
		return "validation.slug_format"
	case ReservedSlugs[s]:
		return "validation.slug_reserved"
	}
	return ""
}

// StoreSlug records on field what ValidateSlug finds wrong with a store
// slug, with the length limits as the message's args.
func (e *ValidationError) StoreSlug(field, s string) bool {
	key := ValidateSlug(s)
	return e.Check(field, key == "", key, map[string]any{"Min": SlugMinLen, "Max": SlugMaxLen})
}

// IsReservedSlug reports whether s is an app path.
func IsReservedSlug(s string) bool { return ReservedSlugs[strings.ToLower(s)] }

// Slugify turns a name into a slug: "Tacos Doña Lupe" → "tacos-dona-lupe".
func Slugify(name string, maxLen int) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // accents
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if maxLen > 0 && len(s) > maxLen {
		s = strings.Trim(s[:maxLen], "-")
	}
	return s
}

// SlugFormat reports whether s is lowercase words of letters and digits
// joined by single hyphens, the shape of store, category and product slugs.
func SlugFormat(s string) bool { return slugPattern.MatchString(s) }
