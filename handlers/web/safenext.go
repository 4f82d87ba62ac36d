package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeNextMax bounds a redirect target taken from a request.
const safeNextMax = 2048

// sameOrigin is the base a redirect target is resolved against to see
// where a browser would go.
var sameOrigin = &url.URL{Scheme: "https", Host: "qubly.invalid", Path: "/"}

// SafeNext returns next when a browser following it stays on this site,
// else fallback. It guards every redirect target that comes from a request
// (login's next, the language switch, the dashboard's back fields).
//
// Browsers drop tabs and newlines anywhere in a URL, strip leading spaces
// and controls, read a backslash as a slash and resolve dot segments, so
// "/\t/evil.example", "/\\evil.example" and "/..//evil.example" all lead to
// another host. SafeNext refuses any control, format or white-space
// character and any backslash, and accepts only a path with no empty
// segment ("//"), also once percent-decoded as often as a server might.
func SafeNext(next, fallback string) string {
	if isLocalPath(next) {
		return next
	}
	return fallback
}

func isLocalPath(next string) bool {
	if len(next) == 0 || len(next) > safeNextMax || next[0] != '/' || !utf8.ValidString(next) {
		return false
	}
	for _, r := range next {
		if r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp) {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// No empty path segment: "/..//evil" resolves to "//evil".
	p := u.EscapedPath()
	resolved := sameOrigin.ResolveReference(u)
	if resolved.Host != sameOrigin.Host || !strings.HasPrefix(p, "/") || strings.Contains(p, "//") {
		return false
	}
	// A server or proxy may decode the path again: each decoded form must
	// have no empty segment, control or backslash either.
	for range 3 {
		dec, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if dec == p {
			break
		}
		if strings.Contains(dec, "//") || strings.ContainsFunc(dec, func(r rune) bool {
			return r == '\\' || unicode.IsControl(r) || unicode.In(r, unicode.Cf)
		}) {
			return false
		}
		p = dec
	}
	return true
}
