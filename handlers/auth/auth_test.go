package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

func signupForm(overrides map[string]string) url.Values {
	v := url.Values{
		"owner_name":    {"Lupe Hernández"},
		"email":         {"lupe@example.com"},
		"password":      {"tacos-al-pastor"},
		"business_name": {"Tacos Doña Lupe"},
		"slug":          {"tacos-lupe"},
		"whatsapp":      {"55 1234 5678"},
		"referral_code": {""},
	}
	for k, val := range overrides {
		v.Set(k, val)
	}
	return v
}

func countRows(t *testing.T, a *testkit.App, model any) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignupCreatesUnverifiedOwnerAndSendsLink(t *testing.T) {
	a := testkit.NewApp(t)
	referrer := a.Shop("amigos", nil)
	c := a.Client()
	// The code as a friend might type it: lower case, with a space.
	typed := strings.ToLower(referrer.ReferralCode[:5]) + " " + referrer.ReferralCode[5:]
	r := c.PostForm("/signup", signupForm(map[string]string{"slug": "", "whatsapp": "(55) 1234-5678", "referral_code": typed}))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Revisa tu correo") {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	u, err := a.Repos.Users.GetByEmail(context.Background(), "lupe@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if u.Verified() || u.Role != domain.RoleOwner || u.BusinessID == nil {
		t.Fatalf("user = %+v", u)
	}
	b, err := a.Repos.Businesses.Get(context.Background(), *u.BusinessID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Slug != "tacos-dona-lupe" || b.WhatsApp != "+525512345678" || b.ReferredByCode != referrer.ReferralCode || b.TimeZone != "America/Mexico_City" {
		t.Fatalf("business = %+v", b)
	}
	// Its own code, a 14-day trial and a pending referral for the referrer.
	if code, ok := domain.NormalizeReferralCode(b.ReferralCode); !ok || code != b.ReferralCode || code == referrer.ReferralCode {
		t.Fatalf("own referral code %q", b.ReferralCode)
	}
	if b.SubscriptionStatus != domain.SubscriptionTrial || b.TrialEndsAt == nil || !b.TrialEndsAt.Equal(b.CreatedAt.Add(14*24*time.Hour)) {
		t.Fatalf("trial: %s until %v (created %v)", b.SubscriptionStatus, b.TrialEndsAt, b.CreatedAt)
	}
	ref, err := a.Repos.Referrals.OfReferred(context.Background(), b.ID)
	if err != nil || ref.ReferrerID != referrer.ID || ref.Status != domain.ReferralPending {
		t.Fatalf("referral = %+v, %v", ref, err)
	}
	es := a.Emails("lupe@example.com")
	if len(es) != 1 || es[0].Template != "verify_email" || !strings.Contains(es[0].Subject, "Confirma") {
		t.Fatalf("emails = %+v", es)
	}
	// Not verified yet: login is refused with a clear message.
	r = c.PostForm("/login", url.Values{"email": {"lupe@example.com"}, "password": {"tacos-al-pastor"}})
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "Confirma tu correo") {
		t.Fatalf("login before verify: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestSignupValidationErrors(t *testing.T) {
	cases := []struct {
		field, value, message string
	}{
		{"owner_name", "", "Este campo es obligatorio"},
		{"owner_name", strings.Repeat("a", 101), "Máximo 100 caracteres"},
		{"email", "", "Este campo es obligatorio"},
		{"email", "lupe@", "Escribe un correo válido"},
		{"email", "Lupe <lupe@example.com>", "Escribe un correo válido"},
		{"password", "", "Este campo es obligatorio"},
		{"password", "corta", "al menos 8 caracteres"},
		{"password", strings.Repeat("x", 73), "más de 72 bytes"},
		{"password", "lupe@example.com", "no puede ser tu correo"},
		{"business_name", "", "Este campo es obligatorio"},
		{"slug", "ab", "entre 3 y 40 caracteres"},
		{"slug", "Tacos Lupe", "Usa solo minúsculas"},
		{"slug", "tacos--lupe", "Usa solo minúsculas"},
		{"slug", "-tacos", "Usa solo minúsculas"},
		{"slug", "admin", "reservado"},
		{"slug", "login", "reservado"},
		{"slug", "dashboard", "reservado"},
		{"slug", "metrics", "reservado"},
		{"whatsapp", "", "número de WhatsApp válido"},
		{"whatsapp", "12345", "número de WhatsApp válido"},
		{"whatsapp", "55 1234 567", "número de WhatsApp válido"},
		{"referral_code", "no spaces!", "por ejemplo QUBLY1234"},
		{"referral_code", "AMIGO-10", "por ejemplo QUBLY1234"},
		{"referral_code", "QUBLY9999", "No encontramos ese código"},
	}
	a := testkit.NewApp(t)
	c := a.Client()
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			r := c.PostForm("/signup", signupForm(map[string]string{tc.field: tc.value}))
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.StatusCode)
			}
			if !strings.Contains(r.Body, tc.message) {
				t.Fatalf("page lacks %q", tc.message)
			}
			if !strings.Contains(r.Body, `id="e-`+tc.field+`"`) {
				t.Fatalf("error not attached to field %s", tc.field)
			}
			// The other values are kept, the password never is.
			if tc.field != "business_name" && !strings.Contains(r.Body, `value="Tacos Doña Lupe"`) {
				t.Fatalf("form values not kept")
			}
			if strings.Contains(r.Body, "tacos-al-pastor") {
				t.Fatalf("password echoed back")
			}
		})
	}
	if n := countRows(t, a, &domain.User{}); n != 0 {
		t.Fatalf("%d users created by invalid sign-ups", n)
	}
	if n := countRows(t, a, &domain.Business{}); n != 0 {
		t.Fatalf("%d businesses created by invalid sign-ups", n)
	}
	if n := countRows(t, a, &domain.OutboxEmail{}); n != 0 {
		t.Fatalf("%d emails written by invalid sign-ups", n)
	}
}

func TestSignupInEnglish(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	c.Header.Set("Accept-Language", "en-US,en;q=0.9")
	r := c.PostForm("/signup", signupForm(map[string]string{"email": "bad"}))
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Enter a valid email") {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
}

func TestSignupDuplicateEmailRevealsNothing(t *testing.T) {
	a := testkit.NewApp(t)
	first := a.Client().PostForm("/signup", signupForm(nil))
	second := a.Client().PostForm("/signup", signupForm(map[string]string{"slug": "otra-tienda", "email": "LUPE@example.com"}))
	if second.StatusCode != first.StatusCode || !strings.Contains(second.Body, "Revisa tu correo") {
		t.Fatalf("duplicate sign-up answered %d\n%s", second.StatusCode, second.Body)
	}
	if n := countRows(t, a, &domain.User{}); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
	if n := countRows(t, a, &domain.Business{}); n != 1 {
		t.Fatalf("%d businesses, want 1", n)
	}
	es := a.Emails("lupe@example.com")
	if len(es) != 2 || es[1].Template != "account_exists" {
		t.Fatalf("emails = %+v", es)
	}
}

func TestSignupDuplicateSlug(t *testing.T) {
	a := testkit.NewApp(t)
	a.Client().PostForm("/signup", signupForm(nil))
	r := a.Client().PostForm("/signup", signupForm(map[string]string{"email": "otra@example.com"}))
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "ya está ocupado") {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	if n := countRows(t, a, &domain.User{}); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

func TestSlugOfDeletedStoreCanBeReused(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("reusable")
	if err := a.DB.Delete(o.Business).Error; err != nil { // soft delete
		t.Fatal(err)
	}
	r := a.Client().PostForm("/signup", signupForm(map[string]string{"slug": "reusable", "email": "new@example.com"}))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
}

func TestEmailVerificationLink(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	c.PostForm("/signup", signupForm(nil))
	link := a.LastLink("lupe@example.com", "/verify")

	t.Run("tampered", func(t *testing.T) {
		tampered := link[:len(link)-3] + "AAA"
		if tampered == link {
			tampered = link[:len(link)-3] + "BBB"
		}
		r := c.Get(tampered)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "no es válido") {
			t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
		}
		r = c.Get("/verify?token=garbage")
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "no es válido") {
			t.Fatalf("garbage: status %d", r.StatusCode)
		}
	})
	t.Run("valid", func(t *testing.T) {
		// A valid link logs the owner in (a fresh session) and opens the dashboard.
		r := c.Get(link)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard" || c.Cookie(web.SessionCookie) == "" {
			t.Fatalf("status %d location %q", r.StatusCode, r.Header.Get("Location"))
		}
		r = c.Get("/dashboard")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Tacos Doña Lupe") || !strings.Contains(r.Body, "Correo confirmado") {
			t.Fatalf("dashboard: %d", r.StatusCode)
		}
		// The password still works.
		c2 := a.Client()
		c2.Login("lupe@example.com", "tacos-al-pastor")
	})
	t.Run("reused", func(t *testing.T) {
		// Single use: a second visit, even from another browser, neither
		// verifies again nor logs in.
		other := a.Client()
		r := other.Get(link)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "ya se usó") || other.Cookie(web.SessionCookie) != "" {
			t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
		}
		if r := other.Get("/dashboard"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reused link logged in: %d", r.StatusCode)
		}
	})
}

func TestEmailVerificationExpires(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	c.PostForm("/signup", signupForm(nil))
	link := a.LastLink("lupe@example.com", "/verify")
	a.Clock.Advance(48*time.Hour + time.Second)
	r := c.Get(link)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "venció") {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	u, _ := a.Repos.Users.GetByEmail(context.Background(), "lupe@example.com")
	if u.Verified() || c.Cookie(web.SessionCookie) != "" {
		t.Fatal("expired link verified the account or logged in")
	}

	// Resend gives a new link that works; the old one stays dead.
	r = c.PostForm("/verify/resend", url.Values{"email": {"lupe@example.com"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("resend: %d", r.StatusCode)
	}
	fresh := a.LastLink("lupe@example.com", "/verify")
	if fresh == link {
		t.Fatal("resend gave the same link")
	}
	if r := c.Get(fresh); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("fresh link: %d\n%s", r.StatusCode, r.Body)
	}
}

// A link replaced by a newer one (the owner asked to resend) says so and
// points to the latest email, rather than "already used"; only the newest
// link verifies.
func TestEmailVerificationReplacedLinkSaysSo(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	c.PostForm("/signup", signupForm(nil))
	old := a.LastLink("lupe@example.com", "/verify")
	if r := c.PostForm("/verify/resend", url.Values{"email": {"lupe@example.com"}}); r.StatusCode != http.StatusOK {
		t.Fatalf("resend: %d", r.StatusCode)
	}
	fresh := a.LastLink("lupe@example.com", "/verify")
	other := a.Client()
	r := other.Get(old)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "te enviamos uno más nuevo") || other.Cookie(web.SessionCookie) != "" {
		t.Fatalf("replaced link: %d\n%s", r.StatusCode, r.Body)
	}
	if u, _ := a.Repos.Users.GetByEmail(context.Background(), "lupe@example.com"); u.Verified() {
		t.Fatal("the replaced link verified the account")
	}
	if r := c.Get(fresh); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("fresh link: %d\n%s", r.StatusCode, r.Body)
	}
	// Used, the newest link says so; the replaced one still says replaced.
	if r := other.Get(fresh); !strings.Contains(r.Body, "ya se usó") {
		t.Fatalf("used link: %d\n%s", r.StatusCode, r.Body)
	}
	if r := other.Get(old); !strings.Contains(r.Body, "te enviamos uno más nuevo") {
		t.Fatalf("replaced link after the new one was used: %d", r.StatusCode)
	}
}

func TestResendAnswersTheSameForUnknownEmail(t *testing.T) {
	a := testkit.NewApp(t)
	r := a.Client().PostForm("/verify/resend", url.Values{"email": {"nobody@example.com"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "nobody@example.com") {
		t.Fatalf("status %d", r.StatusCode)
	}
	if n := countRows(t, a, &domain.OutboxEmail{}); n != 0 {
		t.Fatalf("%d emails for unknown address", n)
	}
}
