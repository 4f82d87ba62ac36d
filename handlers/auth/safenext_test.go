package auth_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

var nextInput = regexp.MustCompile(`name="next" value="([^"]*)"`)

// browserTarget resolves a Location header the way a browser does: tabs and
// newlines dropped, leading and trailing spaces and controls trimmed,
// backslashes read as slashes, against the page's address.
func browserTarget(t *testing.T, loc string) *url.URL {
	t.Helper()
	loc = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		if r == '\\' {
			return '/'
		}
		return r
	}, loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	base, _ := url.Parse(testkit.BaseURL + "/login")
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	return base.ResolveReference(u)
}

func assertSameOrigin(t *testing.T, what string, r *testkit.Response) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: status %d", what, r.StatusCode)
	}
	loc := r.Header.Get("Location")
	got := browserTarget(t, loc)
	base, _ := url.Parse(testkit.BaseURL)
	if got.Host != base.Host || strings.HasPrefix(got.Path, "//") {
		t.Errorf("%s: Location %q leads a browser to %s", what, loc, got)
	}
}

var maliciousNext = []string{
	"/\t/evil.example/x", "/\n/evil.example/x", "/\\evil.example/x", "//evil.example/x",
	"/%2F%2Fevil.example/x", "/..//evil.example/x", "https://evil.example/x", " //evil.example/x",
	"javascript:alert(1)",
}

// The reported attack: GET /login?next=%2F%09%2Fevil.example%2Fx, then a
// real login, must not leave the site; neither may any other crafted next.
func TestLoginWithMaliciousNextStaysOnTheSite(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")

	c := a.Client()
	page := c.Get("/login?next=%2F%09%2Fevil.example%2Fx")
	m := nextInput.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("login form has no next field:\n%s", page.Body)
	}
	next := html.UnescapeString(m[1])
	if next != "" {
		t.Errorf("login form carries next=%q", next)
	}
	r := c.PostForm("/login?next=%2F%09%2Fevil.example%2Fx", url.Values{"email": {o.Email}, "password": {o.Password}, "next": {next}})
	assertSameOrigin(t, "login from the crafted link", r)

	for _, next := range maliciousNext {
		r := a.Client().PostForm("/login", url.Values{"email": {o.Email}, "password": {o.Password}, "next": {next}})
		assertSameOrigin(t, "login next="+next, r)
		if loc := r.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("login next=%q → %q, want /dashboard", next, loc)
		}
	}
	r = a.Client().PostForm("/login", url.Values{"email": {o.Email}, "password": {o.Password}, "next": {"/dashboard/orders?status=pending"}})
	if loc := r.Header.Get("Location"); loc != "/dashboard/orders?status=pending" {
		t.Errorf("a local next is lost: %q", loc)
	}
}

// The language switch and the dashboard's back fields use the same guard.
func TestLangAndBackRedirectsStayOnTheSite(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	p := a.Product(o.Business.ID, "Taco", testkit.Price(100))
	c := a.Client()
	c.Login(o.Email, o.Password)
	for _, next := range maliciousNext {
		r := c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {next}})
		assertSameOrigin(t, "/lang next="+next, r)
		r = c.PostForm(fmt.Sprintf("/dashboard/products/%d/move", p.ID), url.Values{"dir": {"down"}, "back": {next}})
		assertSameOrigin(t, "back="+next, r)
		if loc := r.Header.Get("Location"); loc != "/dashboard/products" {
			t.Errorf("back=%q → %q, want /dashboard/products", next, loc)
		}
	}
}
