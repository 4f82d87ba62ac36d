package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
)

// The admin metrics pages on a phone (360 px, Spanish) and a desktop
// (English): every chart is drawn by Chart.js and nothing is wider than the
// screen. QUBLY_SCREENSHOTS=dir saves a screenshot of each.
func TestAdminMetricsOnPhones(t *testing.T) {
	srv := startServer(t)
	now := srv.Clock.Now()
	statuses := []domain.SubscriptionStatus{"active", "active", "active", "past_due", "cancelled", "trial"}
	for i, st := range statuses {
		o := srv.CreateOwner(fmt.Sprintf("tienda-numero-%d", i+1))
		b := o.Business.ID
		if err := srv.DB.Model(o.Business).Updates(map[string]any{"subscription_status": st,
			"created_at": now.Add(-time.Duration(i*9) * 24 * time.Hour)}).Error; err != nil {
			t.Fatal(err)
		}
		for w := 0; w < 12; w++ {
			for k := 0; k <= (w+i)%4; k++ {
				srv.Order(b, &domain.Order{CreatedAt: now.Add(-time.Duration(w*7*24+k) * time.Hour),
					TotalCents: domain.Money(15000 + 2500*k + 1000*i), SubtotalCents: domain.Money(15000 + 2500*k + 1000*i)})
			}
		}
		for m := 0; m < 6 && st != "trial"; m++ {
			start := now.AddDate(0, -m, 0)
			inv := &domain.Invoice{BusinessID: b, StripeInvoiceID: fmt.Sprintf("in_%d_%d", i, m), AmountCents: 24900, Currency: "mxn",
				Status: domain.InvoicePaid, PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), EventAt: start}
			if err := srv.DB.Create(inv).Error; err != nil {
				t.Fatal(err)
			}
		}
		for k, src := range []domain.ChatSource{"llm", "llm", "cache", "fallback", "llm"} {
			if k <= i {
				srv.ChatExchange(b, domain.ChatExchange{Source: src, CreatedAt: now.Add(-time.Hour)})
			}
		}
	}
	srv.CreateUser("admin@qubly.test", "secret-admin-1", domain.RoleSuperAdmin)
	b := &ownerBrowser{t: t, srv: srv, ctx: newBrowser(t, 360, 800)}
	b.run("log in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email", chromedp.ByID),
		chromedp.SendKeys("#f-email", "admin@qubly.test", chromedp.ByID),
		chromedp.SendKeys("#f-password", "secret-admin-1", chromedp.ByID),
		chromedp.Submit("#f-password", chromedp.ByID),
	)
	waitFor(t, "logged in", func() bool {
		var path string
		return chromedp.Run(b.ctx, chromedp.Evaluate(`location.pathname`, &path)) == nil && path != "/login"
	})
	// Spanish on a phone, English on a desktop: both languages and both
	// widths, at half the cost of every pair.
	for _, pair := range []struct {
		lang  string
		width int
	}{{"es", 360}, {"en", 1280}} {
		lang, width := pair.lang, pair.width
		b.run("resize", chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile))
		b.open("/admin", `nav a.dash-tab`)
		b.run("language "+lang, chromedp.Click(fmt.Sprintf(`footer button[value="%s"]`, lang), chromedp.ByQuery))
		want := map[string]string{"es": "es-MX", "en": "en"}[lang]
		waitFor(t, "the page in "+lang, func() bool {
			var got string
			err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState === "complete" ? document.documentElement.lang : ""`, &got))
			return err == nil && got == want
		})
		if width > 360 {
			b.run("resize", chromedp.EmulateViewport(int64(width), 900))
		}
		for _, path := range []string{"/admin", "/admin/customers"} {
			b.open(path, `canvas[data-chart]`)
			var charts, drawn int
			waitFor(t, path+" charts drawn", func() bool {
				err := chromedp.Run(b.ctx, chromedp.Evaluate(`[...document.querySelectorAll("canvas[data-chart]")].filter(c => window.Chart && Chart.getChart(c) && c.width > 0).length`, &drawn),
					chromedp.Evaluate(`document.querySelectorAll("canvas[data-chart]").length`, &charts))
				return err == nil && charts > 0 && drawn == charts
			})
			var wide int
			b.run("measure", chromedp.Evaluate(`document.documentElement.scrollWidth - innerWidth`, &wide))
			if wide > 0 {
				t.Errorf("%d px %s %s: %d px wider than the screen", width, lang, path, wide)
			}
			if dir := os.Getenv("QUBLY_SCREENSHOTS"); dir != "" {
				// Screen by screen: a full-page shot of a phone is too tall to read.
				var height, view int
				b.run("height", chromedp.Evaluate(`document.documentElement.scrollHeight`, &height), chromedp.Evaluate(`innerHeight`, &view))
				for i, y := 0, 0; y < height; i, y = i+1, y+view {
					var png []byte
					b.run("screenshot", chromedp.Evaluate(fmt.Sprintf(`window.scrollTo(0, %d)`, y), nil), chromedp.CaptureScreenshot(&png))
					name := fmt.Sprintf("admin-%s-%s-%d-%d.png", filepath.Base(path), lang, width, i)
					os.WriteFile(filepath.Join(dir, name), png, 0o644)
				}
			}
		}
	}
}
