package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
)

// The referrals page fits a phone (360 and 390 px, es and en): nothing
// wider than the screen, the long share link and business names wrapped.
// With QUBLY_SCREENSHOTS=dir it saves the screens there.
func TestReferralsPageFitsAPhone(t *testing.T) {
	for _, width := range []int{360, 390} {
		b := newOwnerBrowser(t, width)
		now := b.srv.Clock.Now()
		for i, st := range []domain.ReferralStatus{domain.ReferralSuccessful, domain.ReferralFailed, domain.ReferralPending} {
			name := fmt.Sprintf("Panadería y Pastelería La Esperanza de Guadalupe %d", i)
			referred := b.srv.TestDB.Business(t, name, fmt.Sprintf("referida-%d", i))
			ref := &domain.Referral{ReferrerID: b.owner.Business.ID, ReferredID: referred.ID, Status: st, DecidedAt: &now}
			if st == domain.ReferralFailed {
				ref.FailReason = domain.ReferralFailedYearLimit
			}
			if err := b.srv.DB.Create(ref).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range []string{"es", "en"} {
			b.open("/dashboard/referrals", "#referral-link")
			b.run("language "+lang, chromedp.Click(fmt.Sprintf(`footer button[value="%s"]`, lang), chromedp.ByQuery))
			want := map[string]string{"es": "es-MX", "en": "en"}[lang]
			waitFor(t, "the page in "+lang, func() bool {
				var got string
				err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState === "complete" ? document.documentElement.lang : ""`, &got))
				return err == nil && got == want
			})
			var wide []string
			b.run("measure", chromedp.Evaluate(`[...document.querySelectorAll("main *")].filter((e) => {
				const r = e.getBoundingClientRect();
				return r.width > 0 && (r.left < 0 || r.right > innerWidth + 0.5);
			}).map((e) => e.tagName + "." + e.className)`, &wide))
			if len(wide) > 0 {
				t.Errorf("%d px %s: wider than the screen: %v", width, lang, wide)
			}
			var pageWidth int
			b.run("page width", chromedp.Evaluate(`document.documentElement.scrollWidth`, &pageWidth))
			if pageWidth > width {
				t.Errorf("%d px %s: the page scrolls sideways (%d px)", width, lang, pageWidth)
			}
			screenshot(t, b.ctx, fmt.Sprintf("referrals-%d-%s", width, lang))
		}
		// A friend opens the share link: the code is filled in and the
		// discount told.
		friend := newBrowser(t, width, 844)
		var code, note string
		if err := chromedp.Run(friend, chromedp.Navigate(b.srv.URL+"/signup?ref="+b.owner.Business.ReferralCode),
			chromedp.WaitVisible("#referral-note", chromedp.ByID),
			chromedp.Value("#f-referral_code", &code, chromedp.ByID),
			chromedp.Text("#referral-note", &note, chromedp.ByID)); err != nil {
			t.Fatal(err)
		}
		if code != b.owner.Business.ReferralCode || note == "" {
			t.Errorf("sign-up from the share link: code %q, note %q", code, note)
		}
		screenshot(t, friend, fmt.Sprintf("signup-ref-%d", width))
	}
}
