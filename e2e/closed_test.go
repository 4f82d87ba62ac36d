package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// A store closed by its hours whose owner takes no orders then: on a phone
// the shopper reads when it opens, can fill a cart, and finds "Pedir por
// WhatsApp" disabled with the reason, even after the cart script has run.
func TestClosedStoreTakingNoOrdersOnAPhone(t *testing.T) {
	srv := startServer(t)
	o := srv.CreateOwner("cerrada")
	var w domain.WeekHours
	for d := range w {
		w[d] = domain.DayHours{Open: true, Opens: "07:00", Closes: "09:00", Opens2: "17:00", Closes2: "22:00"}
	}
	// The test clock is Monday 09:04 in Mexico City: closed until 17:00.
	err := srv.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).Select("hours", "orders_when_closed").
		Updates(&domain.Business{Hours: w, OrdersWhenClosed: false}).Error
	if err != nil {
		t.Fatal(err)
	}
	srv.Product(o.Business.ID, "Tamal verde", testkit.Position(1))

	b := newPhone(t, 360, 800, "es-419", "es-MX,es")
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(b, actions...); err != nil {
			var body string
			chromedp.Run(b, chromedp.OuterHTML("body", &body, chromedp.ByQuery))
			t.Fatalf("%s: %v\n%.2000s", step, err, body)
		}
	}
	shot := func(name string) {
		if dir := os.Getenv("QUBLY_SCREENSHOTS"); dir != "" {
			var png []byte
			run("screenshot", chromedp.CaptureScreenshot(&png))
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	var banner string
	run("open the store", chromedp.Navigate(srv.URL+"/cerrada"), chromedp.Text("[data-closed-banner]", &banner, chromedp.ByQuery))
	shot("closed-store")
	for _, want := range []string{"Ahora estamos cerrados.", "Abrimos hoy a las 17:00.", "Por ahora no recibimos pedidos."} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner %q lacks %q", banner, want)
		}
	}
	run("add to the cart",
		chromedp.Navigate(srv.URL+"/cerrada/p/tamal-verde"),
		chromedp.WaitVisible(`form[data-add-to-cart]`, chromedp.ByQuery),
	)
	waitFor(t, "product page loaded", func() bool {
		var state string
		return chromedp.Run(b, chromedp.Evaluate(`document.readyState`, &state)) == nil && state == "complete"
	})
	run("add", chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery))
	waitFor(t, "cart count 1", func() bool {
		var n string
		return chromedp.Run(b, chromedp.Text("[data-cart-count]", &n, chromedp.ByQuery)) == nil && strings.TrimSpace(n) == "1"
	})
	run("open the cart", chromedp.Navigate(srv.URL+"/cerrada/cart"), chromedp.WaitVisible(`[data-cart-lines] [data-line]`, chromedp.ByQuery))
	var state struct {
		Disabled bool
		Reason   string
	}
	run("read the button", chromedp.ScrollIntoView(`[data-submit]`, chromedp.ByQuery), chromedp.Evaluate(`(() => {
		const b = document.querySelector("[data-submit]");
		return {Disabled: b.disabled, Reason: document.getElementById(b.getAttribute("aria-describedby") || "x")?.textContent || ""};
	})()`, &state))
	shot("closed-cart")
	if !state.Disabled || !strings.Contains(state.Reason, "Por ahora no recibimos pedidos. Abrimos hoy a las 17:00.") {
		t.Errorf("Pedir por WhatsApp: disabled %t, reason %q", state.Disabled, state.Reason)
	}
	var n int64
	srv.DB.Model(&domain.Order{}).Count(&n)
	if n != 0 {
		t.Fatal(fmt.Sprint(n, " orders stored"))
	}
}
