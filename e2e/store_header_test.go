package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// The install button a browser offers must not push the store's name out
// of the header on a small phone, nor move the page when it appears (it
// comes after the page is drawn: a shopper about to tap would miss).
func TestStoreNameStaysWholeBesideTheInstallButton(t *testing.T) {
	srv := startServer(t)
	if _, err := srv.Demo.Seed(context.Background(), "demo-e2e-3"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{360, 390} {
		b := newBrowser(t, w, 800)
		var state struct {
			Install        bool
			NameCut        bool
			Overflow       bool
			InstallVisible bool
			Label          string
			MainMoved      float64 // px main moved down when the button appeared
			Shift          float64 // layout shift score meanwhile
		}
		err := chromedp.Run(b,
			chromedp.Navigate(srv.URL+"/demo"),
			chromedp.WaitVisible("main", chromedp.ByQuery),
			chromedp.Evaluate(`(() => {
				window.shift = 0;
				window.shifts = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.shift += e.value; });
				window.shifts.observe({ type: "layout-shift" });
				window.mainTop = document.querySelector("main").getBoundingClientRect().top;
			})()`, nil),
			// What Chromium fires when the store can be installed.
			chromedp.Evaluate(`dispatchEvent(new Event("beforeinstallprompt"))`, nil),
			chromedp.Evaluate(`new Promise((done) => requestAnimationFrame(() => setTimeout(() => {
				for (const e of window.shifts.takeRecords()) window.shift += e.value;
				const name = document.querySelector("header a[href='/demo'] span:last-child");
				const b = document.querySelector("[data-install]");
				const r = b?.getBoundingClientRect();
				done({
					Install: !!b,
					NameCut: name.scrollWidth > name.clientWidth,
					Overflow: document.documentElement.scrollWidth > innerWidth,
					InstallVisible: !!r && r.width > 0 && r.right <= innerWidth,
					Label: b?.innerText.trim() || b?.textContent.trim() || "",
					MainMoved: document.querySelector("main").getBoundingClientRect().top - window.mainTop,
					Shift: window.shift,
				});
			}, 200)))`, &state, awaitPromise),
		)
		if err != nil {
			t.Fatalf("at %d px: %v", w, err)
		}
		if !state.Install || !state.InstallVisible || state.NameCut || state.Overflow ||
			state.Label != "Instalar app" || state.MainMoved != 0 || state.Shift != 0 {
			t.Errorf("at %d px: %s", w, fmt.Sprintf("%+v", state))
		}
	}
}
