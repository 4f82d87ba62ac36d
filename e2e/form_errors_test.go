package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A form the server sends back with errors puts focus on the first marked
// field, not on the form's first field or nowhere.
func TestServerFormErrorsFocusTheFirstMarkedField(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, 360, 800)
	var focused struct {
		ID       string
		OnScreen bool
	}
	err := chromedp.Run(b,
		chromedp.Navigate(srv.URL+"/signup"),
		chromedp.WaitVisible("#f-owner_name", chromedp.ByQuery),
		chromedp.SendKeys("#f-owner_name", "Lupita Hernández", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "no-es-un-correo", chromedp.ByQuery),
		chromedp.SendKeys("#f-password", "123", chromedp.ByQuery),
		// The server's own checks, as a browser without them would send it.
		chromedp.Evaluate(`document.querySelectorAll("form").forEach((f) => { f.noValidate = true; })`, nil),
		chromedp.Submit("#f-email", chromedp.ByQuery),
		chromedp.WaitVisible("#e-email", chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const el = document.activeElement, r = el.getBoundingClientRect();
			return {ID: el.id, OnScreen: r.top >= 0 && r.bottom <= innerHeight};
		})()`, &focused),
	)
	if err != nil {
		t.Fatal(err)
	}
	if focused.ID != "f-email" || !focused.OnScreen {
		t.Fatalf("focus after a refused sign-up: %+v, want f-email on screen", focused)
	}
}
