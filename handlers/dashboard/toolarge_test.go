package dashboard_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/testkit"
)

// liveOwner is an owner's browser against the app on a loopback port: the
// HTTP server refuses a body over its limit before the app runs, which
// app.Test does not show as a browser sees it.
type liveOwner struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func newLiveOwner(t *testing.T, a *testkit.App, o *testkit.Owner) *liveOwner {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Fiber.Listener(ln)
	t.Cleanup(func() { a.Fiber.ShutdownWithTimeout(5 * time.Second) })
	jar, _ := cookiejar.New(nil)
	b := &liveOwner{t: t, base: "http://" + ln.Addr().String(), http: &http.Client{
		Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	b.get("/login")
	if r := b.post("/login", url.Values{"email": {o.Email}, "password": {o.Password}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", r.StatusCode)
	}
	return b
}

func (b *liveOwner) do(req *http.Request) *testkit.Response {
	b.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfMeta.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return &testkit.Response{Response: resp, Body: string(body)}
}

func (b *liveOwner) get(path string) *testkit.Response {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

func (b *liveOwner) post(path string, v url.Values) *testkit.Response {
	v.Set("_csrf", b.csrf)
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// postFile posts a multipart form with data in field from the page at
// referer, as a browser does.
func (b *liveOwner) postFile(path, referer, field string, data []byte) *testkit.Response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", b.csrf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="big.bin"`, field))
	h.Set("Content-Type", "application/octet-stream")
	part, _ := w.CreatePart(h)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if referer != "" {
		req.Header.Set("Referer", b.base+referer)
	}
	return b.do(req)
}

// A file over the server's body limit (10 MB) lands the owner back on the
// same upload form, logged in, in the dashboard frame, with the inline
// message a file of 8–10 MB gets, once.
func TestUploadOverTheBodyLimitReturnsToTheForm(t *testing.T) {
	s := newImagesSetup(t)
	c := newLiveOwner(t, s.a, s.owner)
	huge := bytes.Repeat([]byte{0xff}, 11<<20)
	images := s.path()
	cases := []struct {
		form, field, want string
	}{
		{images, "image", "La imagen pesa más de 8 MB. Elige una más ligera."},
		{"/dashboard/settings/logo", "image", "La imagen pesa más de 8 MB. Elige una más ligera."},
		{"/dashboard/settings/cover", "image", "La imagen pesa más de 8 MB. Elige una más ligera."},
		{"/dashboard/products/import", "file", "El archivo pesa más de 2 MB. Divídelo en varios archivos."},
	}
	for _, tc := range cases {
		for _, referer := range []string{tc.form, ""} {
			r := c.postFile(tc.form, referer, tc.field, huge)
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tc.form {
				t.Fatalf("%s (referer %q): %d %s, want a redirect to the form", tc.form, referer, r.StatusCode, r.Header.Get("Location"))
			}
			page := c.get(tc.form)
			if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `class="field-error" id="e-`+tc.field+`">`+tc.want) {
				t.Fatalf("%s: no inline message %q\n%s", tc.form, tc.want, page.Body)
			}
			if !strings.Contains(page.Body, `action="/logout"`) || !strings.Contains(page.Body, `href="/dashboard/products"`) {
				t.Fatalf("%s: not the logged-in dashboard frame", tc.form)
			}
			if again := c.get(tc.form); strings.Contains(again.Body, `class="field-error"`) {
				t.Fatalf("%s: the message is shown twice", tc.form)
			}
		}
	}
	s.assertNothingStored(t)

	// Any other dashboard form that big: back to its page with a message.
	r := c.postFile("/dashboard/products/bulk", "/dashboard/products?q=x", "ids", huge)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/products?q=x" {
		t.Fatalf("bulk: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if page := c.get("/dashboard/products?q=x"); !strings.Contains(page.Body, `role="status">El archivo es demasiado grande.`) {
		t.Fatal("bulk: no message")
	}

	// In English too.
	c.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	c.postFile(images, images, "image", huge)
	if page := c.get(images); !strings.Contains(page.Body, `id="e-image">The image is larger than 8 MB`) {
		t.Fatal("no English message")
	}
}
