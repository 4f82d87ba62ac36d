package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// The install button a browser offers must not push the store's name out
// of the header on a small phone.
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
		}
		err := chromedp.Run(b,
			chromedp.Navigate(srv.URL+"/demo"),
			chromedp.WaitVisible("main", chromedp.ByQuery),
			// What Chromium fires when the store can be installed.
			chromedp.Evaluate(`dispatchEvent(new Event("beforeinstallprompt"))`, nil),
			chromedp.Evaluate(`(() => {
				const name = document.querySelector("header a[href='/demo'] span:last-child");
				const b = document.querySelector("[data-install]");
				const r = b?.getBoundingClientRect();
				return {
					Install: !!b,
					NameCut: name.scrollWidth > name.clientWidth,
					Overflow: document.documentElement.scrollWidth > innerWidth,
					InstallVisible: !!r && r.width > 0 && r.right <= innerWidth,
				};
			})()`, &state),
		)
		if err != nil {
			t.Fatalf("at %d px: %v", w, err)
		}
		if !state.Install || !state.InstallVisible || state.NameCut || state.Overflow {
			t.Errorf("at %d px: %s", w, fmt.Sprintf("%+v", state))
		}
	}
}
