package dashboard_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

var waLink = regexp.MustCompile(`href="https://wa\.me/\?text=([^"]+)"`)

func TestReferralsPageShowsCodeLinkAndReferrals(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("recomienda")
	code := o.Business.ReferralCode
	ctx := context.Background()
	// Two sign-ups with the code, one paid (successful) and one failed.
	for i, slug := range []string{"llega", "propia"} {
		res, err := a.Accounts.Signup(ctx, services.SignupInput{
			OwnerName: "Dueña " + slug, Email: slug + "@example.com", Password: "secret-" + slug,
			BusinessName: "Negocio " + slug, Slug: slug, WhatsApp: fmt.Sprintf("55 1234 560%d", i+1),
			ReferralCode: code, Lang: "es",
		})
		if err != nil || !res.Created {
			t.Fatalf("signup %s: %v", slug, err)
		}
	}
	refs, err := a.Repos.Referrals.ByReferrer(ctx, o.Business.ID)
	if err != nil || len(refs) != 2 {
		t.Fatalf("referrals: %v %v", refs, err)
	}
	for _, r := range refs {
		status, reason := domain.ReferralSuccessful, ""
		if r.BusinessName == "Negocio propia" {
			status, reason = domain.ReferralFailed, domain.ReferralFailedSelf
		}
		if _, err := a.Repos.Referrals.Decide(ctx, r.ID, status, reason, a.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// A reward of last year does not count in this year's.
	lastYear := a.Clock.Now().AddDate(-1, 0, 0)
	other := a.TestDB.Business(t, "Negocio viejo", "viejo")
	if err := a.DB.Create(&domain.Referral{ReferrerID: o.Business.ID, ReferredID: other.ID, Status: domain.ReferralSuccessful,
		DecidedAt: &lastYear, CreatedAt: lastYear}).Error; err != nil {
		t.Fatal(err)
	}

	c := a.Client()
	c.Login(o.Email, o.Password)
	link := testkit.BaseURL + "/signup?ref=" + code
	for _, tc := range []struct {
		lang  string
		want  []string
		share string
	}{
		{"es", []string{"Referidos", "Recompensas este año: 1/3", "Recompensa ganada", "Sin recompensa", "Es tu propio negocio.",
			"Negocio llega", "Negocio propia", "Negocio viejo"}, "Con mi código " + code},
		{"en", []string{"Referrals", "Rewards this year: 1/3", "Reward earned", "No reward", "It is your own business."}, "With my code " + code},
	} {
		if r := c.PostForm("/lang", url.Values{"lang": {tc.lang}, "next": {"/dashboard/referrals"}}); r.StatusCode >= 400 {
			t.Fatalf("set language %s: %d", tc.lang, r.StatusCode)
		}
		r := c.Get("/dashboard/referrals")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.lang, r.StatusCode)
		}
		body := html.UnescapeString(r.Body)
		for _, s := range append(tc.want, code, link, `href="/dashboard/referrals" aria-current="page"`) {
			if !strings.Contains(body, s) {
				t.Errorf("%s page lacks %q", tc.lang, s)
			}
		}
		// The WhatsApp button carries the code and link in its message.
		m := waLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s page has no WhatsApp share link", tc.lang)
		}
		text, err := url.QueryUnescape(m[1])
		if err != nil || !strings.Contains(text, tc.share) || !strings.Contains(text, link) {
			t.Errorf("%s WhatsApp message %q lacks %q or the link", tc.lang, text, tc.share)
		}
	}
}

func TestSignupWithRefLinkShowsTheCodeAndDiscount(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("recomienda")
	code := o.Business.ReferralCode
	r := a.Client().Get("/signup?ref=" + strings.ToLower(code))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, `value="`+strings.ToLower(code)+`"`) {
		t.Error("the code field is not prefilled from ?ref=")
	}
	if !strings.Contains(r.Body, "código "+code+": tienes 50 % de descuento en tu primer mes") {
		t.Errorf("no discount note for the ?ref= code:\n%s", r.Body)
	}
	if plain := a.Client().Get("/signup"); strings.Contains(plain.Body, "referral-note") {
		t.Error("the discount note shows without a code")
	}
}
