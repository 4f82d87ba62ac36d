package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

func newCSRFApp(t *testing.T) *fiber.App {
	t.Helper()
	public, err := web.PublicOrigins("https://qubly.mx", web.IsStoreRequest)
	if err != nil {
		t.Fatal(err)
	}
	f := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		if err == web.ErrCSRF {
			return c.SendStatus(http.StatusForbidden)
		}
		return fiber.DefaultErrorHandler(c, err)
	}})
	f.Use(web.CSRF([]byte("0123456789abcdef0123456789abcdef"), true, nil, public))
	ok := func(c *fiber.Ctx) error { return c.SendString("token=" + web.CSRFToken(c)) }
	f.Get("/login", ok)
	f.Post("/login", ok)
	f.Get("/:slug", ok)
	f.Post("/:slug/orders", ok)
	return f
}

func csrfDo(t *testing.T, f *fiber.App, method, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, "http://qubly.mx"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestCSRFStorePagesCarryNoTokenNorCookie(t *testing.T) {
	f := newCSRFApp(t)
	resp, body := csrfDo(t, f, http.MethodGet, "/tacos")
	if resp.Header.Get("Set-Cookie") != "" || body != "token=" {
		t.Fatalf("store page: Set-Cookie %q, body %q", resp.Header.Get("Set-Cookie"), body)
	}
	// Even a visitor who has a CSRF cookie gets no token in a store page,
	// so a cached page never carries one visitor's token.
	_, body = csrfDo(t, f, http.MethodGet, "/tacos", "Cookie", "qubly_csrf="+strings.Repeat("a", 43))
	if body != "token=" {
		t.Fatalf("store page with cookie: %q", body)
	}
	// App pages keep the double-submit token.
	resp, body = csrfDo(t, f, http.MethodGet, "/login")
	if !strings.Contains(resp.Header.Get("Set-Cookie"), "qubly_csrf=") || len(body) <= len("token=") {
		t.Fatalf("login page: Set-Cookie %q, body %q", resp.Header.Get("Set-Cookie"), body)
	}
}

func TestCSRFStorePostsAreCheckedByOrigin(t *testing.T) {
	f := newCSRFApp(t)
	for _, tc := range []struct {
		name   string
		header []string
		want   int
	}{
		{"same origin (Sec-Fetch-Site)", []string{"Sec-Fetch-Site", "same-origin", "Origin", "https://qubly.mx"}, 200},
		{"typed URL (Sec-Fetch-Site none)", []string{"Sec-Fetch-Site", "none"}, 200},
		{"cross site", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, 403},
		{"same site, other origin", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://evil.qubly.mx"}, 403},
		{"Origin is BASE_URL", []string{"Origin", "https://qubly.mx"}, 200},
		{"Origin is another host", []string{"Origin", "https://evil.example"}, 403},
		{"Origin null", []string{"Origin", "null"}, 403},
		{"old browser, Referer of the site", []string{"Referer", "https://qubly.mx/tacos"}, 200},
		{"old browser, foreign Referer", []string{"Referer", "https://evil.example/x"}, 403},
		{"not a browser", nil, 200},
	} {
		resp, _ := csrfDo(t, f, http.MethodPost, "/tacos/orders", tc.header...)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
}

func TestCSRFAppPostsStillNeedTheToken(t *testing.T) {
	f := newCSRFApp(t)
	// A same-origin POST without the token is refused outside the store.
	resp, _ := csrfDo(t, f, http.MethodPost, "/login", "Sec-Fetch-Site", "same-origin", "Origin", "https://qubly.mx")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without token: %d", resp.StatusCode)
	}
}
