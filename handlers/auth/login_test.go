package auth_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

var csrfValue = regexp.MustCompile(`(name="_csrf" value|name="csrf-token" content)="[^"]*"`)

func login(c *testkit.Client, email, password string) *testkit.Response {
	return c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
}

func TestLoginErrorsRevealNoAccount(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	wrong := login(a.Client(), o.Email, "not-the-password")
	unknown := login(a.Client(), "nobody@example.com", "not-the-password")
	if wrong.StatusCode != http.StatusUnauthorized || unknown.StatusCode != http.StatusUnauthorized {
		t.Fatalf("statuses %d, %d", wrong.StatusCode, unknown.StatusCode)
	}
	norm := func(r *testkit.Response, email string) string {
		return csrfValue.ReplaceAllString(strings.ReplaceAll(r.Body, email, "EMAIL"), "")
	}
	if norm(wrong, o.Email) != norm(unknown, "nobody@example.com") {
		t.Fatal("wrong password and unknown email give different pages")
	}
	if !strings.Contains(wrong.Body, "Correo o contraseña incorrectos") {
		t.Fatal("no error message")
	}
}

func TestLoginThrottlePerAccount(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	for i := 0; i < 5; i++ {
		if r := login(c, o.Email, "wrong"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("try %d: %d", i, r.StatusCode)
		}
	}
	// Even the right password is refused now, with a clear message.
	r := login(c, o.Email, o.Password)
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "Demasiados intentos") {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	// An unknown email is throttled the same way, so throttling reveals nothing.
	for i := 0; i < 5; i++ {
		login(c, "ghost@example.com", "wrong")
	}
	if r := login(c, "ghost@example.com", "wrong"); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("unknown email not throttled: %d", r.StatusCode)
	}
	// Another account from the same IP is not affected.
	p := a.CreateOwner("tienda-b")
	a.Client().Login(p.Email, p.Password)

	a.Clock.Advance(16 * time.Minute)
	a.Client().Login(o.Email, o.Password)
}

func TestLoginThrottlePerIP(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PROXY_HEADER", "X-Client-IP"))
	o := a.CreateOwner("tienda-a")
	attacker := a.Client()
	attacker.Header.Set("X-Client-IP", "203.0.113.9")
	for i := 0; i < 20; i++ {
		login(attacker, fmt.Sprintf("user%d@example.com", i), "wrong")
	}
	r := login(attacker, o.Email, o.Password)
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("IP not throttled: %d", r.StatusCode)
	}
	other := a.Client()
	other.Header.Set("X-Client-IP", "198.51.100.7")
	other.Login(o.Email, o.Password)
}

func TestLogoutRevokesSessionEverywhere(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	stolen := c.Cookie(web.SessionCookie)
	if stolen == "" {
		t.Fatal("no session cookie")
	}
	r := c.PostForm("/logout", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r := c.Get("/dashboard"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout dashboard answered %d", r.StatusCode)
	}
	// The old token no longer works from anywhere.
	thief := a.Client()
	req, _ := http.NewRequest(http.MethodGet, testkit.BaseURL+"/dashboard", nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: stolen})
	if r := thief.Do(req); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("revoked token answered %d", r.StatusCode)
	}
}

func TestChangePasswordRevokesOtherSessions(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	phone, laptop := a.Client(), a.Client()
	phone.Login(o.Email, o.Password)
	laptop.Login(o.Email, o.Password)

	r := phone.PostForm("/dashboard/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"nueva-clave-123"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "La contraseña actual no es correcta") {
		t.Fatalf("wrong current: %d", r.StatusCode)
	}
	r = phone.PostForm("/dashboard/account/password", url.Values{"current_password": {o.Password}, "new_password": {"corta"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "al menos 8") {
		t.Fatalf("short new: %d", r.StatusCode)
	}
	if r := laptop.Get("/dashboard"); r.StatusCode != http.StatusOK {
		t.Fatalf("failed changes revoked sessions: %d", r.StatusCode)
	}

	r = phone.PostForm("/dashboard/account/password", url.Values{"current_password": {o.Password}, "new_password": {"nueva-clave-123"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.StatusCode, r.Body)
	}
	if r := phone.Get("/dashboard"); r.StatusCode != http.StatusOK {
		t.Fatalf("current session lost: %d", r.StatusCode)
	}
	if r := laptop.Get("/dashboard"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other session kept: %d", r.StatusCode)
	}
	if r := login(a.Client(), o.Email, o.Password); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password still works: %d", r.StatusCode)
	}
	a.Client().Login(o.Email, "nueva-clave-123")
}

func TestPasswordReset(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	logged := a.Client()
	logged.Login(o.Email, o.Password)

	c := a.Client()
	r := c.PostForm("/password/forgot", url.Values{"email": {"nobody@example.com"}})
	if r.StatusCode != http.StatusOK || len(a.Emails("nobody@example.com")) != 0 {
		t.Fatalf("unknown email: %d", r.StatusCode)
	}
	r = c.PostForm("/password/forgot", url.Values{"email": {o.Email}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("forgot: %d", r.StatusCode)
	}
	link := a.LastLink(o.Email, "/password/reset")
	if r := c.Get(link); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Crea una contraseña nueva") {
		t.Fatalf("reset form: %d", r.StatusCode)
	}
	token, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
	r = c.PostForm("/password/reset", url.Values{"token": {token.Get("token")}, "password": {"123"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "al menos 8") {
		t.Fatalf("short password: %d", r.StatusCode)
	}
	r = c.PostForm("/password/reset", url.Values{"token": {token.Get("token")}, "password": {"otra-clave-segura"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.StatusCode, r.Body)
	}
	if r := logged.Get("/dashboard"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset kept an old session: %d", r.StatusCode)
	}
	a.Client().Login(o.Email, "otra-clave-segura")
	// The link works once.
	r = c.PostForm("/password/reset", url.Values{"token": {token.Get("token")}, "password": {"tercera-clave-1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "ya se usó") {
		t.Fatalf("reused reset link: %d", r.StatusCode)
	}
	// An expired link is refused.
	c.PostForm("/password/forgot", url.Values{"email": {o.Email}})
	late := a.LastLink(o.Email, "/password/reset")
	a.Clock.Advance(61 * time.Minute)
	if r := c.Get(late); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "venció") {
		t.Fatalf("expired reset link: %d", r.StatusCode)
	}
}

func TestCSRFRejectsFormsWithoutToken(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Get("/login")
	for _, tc := range []struct {
		name  string
		token string
	}{{"missing", ""}, {"wrong", "forged-token"}} {
		v := url.Values{"email": {o.Email}, "password": {o.Password}}
		if tc.token != "" {
			v.Set("_csrf", tc.token)
		}
		r := c.PostFormRaw("/login", v)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "El formulario expiró") {
			t.Fatalf("%s token: status %d", tc.name, r.StatusCode)
		}
		if c.Cookie(web.SessionCookie) != "" {
			t.Fatalf("%s token: logged in anyway", tc.name)
		}
	}
	r := c.PostFormRaw("/signup", signupForm(map[string]string{"email": "csrf@example.com"}))
	if r.StatusCode != http.StatusForbidden || countRows(t, a, &domain.User{}) != 1 {
		t.Fatalf("signup without token: %d", r.StatusCode)
	}
	// A token of another browser does not work either.
	other := a.Client()
	v := url.Values{"email": {o.Email}, "password": {o.Password}, "_csrf": {other.CSRF()}}
	if r := c.PostFormRaw("/login", v); r.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign token: %d", r.StatusCode)
	}
}

func TestRoleGuards(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	a.CreateUser("root@qubly.mx", "super-secret-1", domain.RoleSuperAdmin)
	a.CreateUser("viewer@qubly.mx", "viewer-secret-1", domain.RoleAdminViewer)

	anon := a.Client()
	for _, p := range []string{"/dashboard", "/admin", "/dashboard/account/password"} {
		r := anon.Get(p)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next="+url.QueryEscape(p) {
			t.Fatalf("anonymous %s: %d %s", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	owner := a.Client()
	owner.Login(o.Email, o.Password)
	if r := owner.Get("/admin"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("owner /admin: %d", r.StatusCode)
	}
	admin := a.Client()
	admin.Login("root@qubly.mx", "super-secret-1")
	if r := admin.Get("/admin"); r.StatusCode != http.StatusOK {
		t.Fatalf("super_admin /admin: %d", r.StatusCode)
	}
	if r := admin.Get("/dashboard"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("super_admin /dashboard: %d", r.StatusCode)
	}
	viewer := a.Client()
	viewer.Login("viewer@qubly.mx", "viewer-secret-1")
	if r := viewer.Get("/admin"); r.StatusCode != http.StatusOK {
		t.Fatalf("admin_viewer /admin: %d", r.StatusCode)
	}
}

func TestLoginRedirectsOnlyToLocalPaths(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	for next, want := range map[string]string{
		"/dashboard/account/password": "/dashboard/account/password",
		"https://evil.example":        "/dashboard",
		"//evil.example":              "/dashboard",
	} {
		r := a.Client().PostForm("/login", url.Values{"email": {o.Email}, "password": {o.Password}, "next": {next}})
		if r.Header.Get("Location") != want {
			t.Errorf("next=%s → %s, want %s", next, r.Header.Get("Location"), want)
		}
	}
}
