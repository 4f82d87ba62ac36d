package testkit

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Client drives the app like a browser: it keeps cookies and adds the CSRF
// token to forms.
type Client struct {
	t    testing.TB
	app  *fiber.App
	jar  *cookiejar.Jar
	base *url.URL
	csrf string
	// Header is added to every request (e.g. the client IP header when the
	// app runs with PROXY_HEADER).
	Header http.Header
}

// Response is an answered request with its body read.
type Response struct {
	*http.Response
	Body string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func newClient(t testing.TB, app *fiber.App) *Client {
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(BaseURL)
	return &Client{t: t, app: app, jar: jar, base: base, Header: http.Header{}}
}

// Do sends req with the client's cookies and stores the cookies it gets back.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	// Cookies by the request's URL, as a browser keeps them: a cookie set
	// without Path belongs to the folder of the page that set it.
	for _, ck := range c.jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(req.URL, resp.Cookies())
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := csrfMeta.FindStringSubmatch(string(body)); m != nil {
		c.csrf = m[1]
	}
	return &Response{Response: resp, Body: string(body)}
}

// Get requests path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	return c.Do(httptestRequest(http.MethodGet, path, nil))
}

// PostForm posts values to path with the CSRF token (fetched from the home
// page if the client has none yet).
func (c *Client) PostForm(path string, values url.Values) *Response {
	c.t.Helper()
	if values == nil {
		values = url.Values{}
	}
	if values.Get("_csrf") == "" {
		values.Set("_csrf", c.CSRF())
	}
	return c.PostFormRaw(path, values)
}

// PostFormRaw posts values exactly as given (no CSRF token added).
func (c *Client) PostFormRaw(path string, values url.Values) *Response {
	c.t.Helper()
	req := httptestRequest(http.MethodPost, path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// CSRF returns the client's CSRF token, loading a page to get one if needed.
func (c *Client) CSRF() string {
	c.t.Helper()
	if c.csrf == "" {
		c.Get("/login")
	}
	if c.csrf == "" {
		c.t.Fatal("no CSRF token on /login")
	}
	return c.csrf
}

// Login logs in through the form and fails the test unless it succeeds.
func (c *Client) Login(email, password string) {
	c.t.Helper()
	r := c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d\n%s", email, r.StatusCode, r.Body)
	}
}

// Cookie returns the value of the named cookie, or "".
func (c *Client) Cookie(name string) string {
	for _, ck := range c.jar.Cookies(c.base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func httptestRequest(method, path string, body io.Reader) *http.Request {
	req, _ := http.NewRequest(method, BaseURL+path, body)
	return req
}
