package web

import (
	"strings"
	"testing"
)

func TestSafeNextKeepsLocalPaths(t *testing.T) {
	for _, next := range []string{
		"/",
		"/dashboard",
		"/dashboard/account/password",
		"/dashboard/products?q=taco&page=2#product-7",
		"/dashboard/products?q=caf%C3%A9",
		"/dashboard/products?q=a%2Fb",
		"/dashboard/products?q=%5C",
		"/tacos/o/ABCD2345?placed=1",
		"/tacos",
		"/@evil.example",
		"/tienda/caf%C3%A9",
		"/tienda/café",
		"/a/../dashboard",
		"/dashboard/./orders",
		"/" + strings.Repeat("a", safeNextMax-1),
	} {
		if got := SafeNext(next, "/fallback"); got != next {
			t.Errorf("SafeNext(%q) = %q, want it kept", next, got)
		}
	}
}

func TestSafeNextRefusesOtherOrigins(t *testing.T) {
	for _, next := range []string{
		"",
		"//evil.example",
		"//evil.example/x",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example/x",
		"/\n/evil.example/x",
		"/\r/evil.example/x",
		"/\r\n/evil.example/x",
		"\t//evil.example",
		"/dash\tboard",
		"/dashboard\n",
		"/%09/evil.example",
		"/%0a/evil.example",
		"/%2F/evil.example",
		"/%2F%2Fevil.example",
		"/%2f%2fevil.example",
		"/%252F%252Fevil.example",
		"/%5Cevil.example",
		"/%5C%5Cevil.example",
		"https://evil.example",
		"http://evil.example/dashboard",
		"HTTPS://evil.example",
		"javascript:alert(1)",
		"JavaScript:alert(1)",
		"data:text/html,hi",
		"evil.example",
		"dashboard",
		" /dashboard",
		" //evil.example",
		"\u00a0//evil.example",
		"/\u00a0/evil.example",
		"/\u2028/evil.example",
		"/\u3000/evil.example",
		"/\u200b/evil.example",
		"/\u202e/evil.example",
		"/\ufeff/evil.example",
		"/\x00/evil.example",
		"/\x7f/evil.example",
		"/..//evil.example",
		"/.//evil.example",
		"/a/..//evil.example",
		"/%2e%2e//evil.example",
		"/%2e%2e/%2fevil.example",
		"/a//b",
		"/\xff",
		"/" + strings.Repeat("a", safeNextMax),
	} {
		if got := SafeNext(next, "/fallback"); got != "/fallback" {
			t.Errorf("SafeNext(%q) = %q, want the fallback", next, got)
		}
	}
}
