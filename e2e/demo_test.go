package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/services"
)

// TestDemoStoreLooksAlive opens the demo store on a phone and on a desktop:
// every product card shows its picture, loaded and drawn at card size; then
// the demo owner's dashboard home shows orders. With QUBLY_SCREENSHOTS=dir
// it saves the screens there to be looked at.
func TestDemoStoreLooksAlive(t *testing.T) {
	srv := startServer(t)
	if _, err := srv.Demo.Seed(context.Background(), "demo-e2e-2"); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name string
		w, h int
		card float64 // smallest width a product picture is drawn at
	}{{"390", 390, 844, 150}, {"1280", 1280, 900, 200}} {
		b := newBrowser(t, size.w, size.h)
		run := func(step string, actions ...chromedp.Action) {
			t.Helper()
			if err := chromedp.Run(b, actions...); err != nil {
				t.Fatalf("%s at %s px: %v", step, size.name, err)
			}
		}
		run("open the store", chromedp.Navigate(srv.URL+"/demo"), chromedp.WaitVisible("main", chromedp.ByQuery))
		screenshot(t, b, "demo-"+size.name)
		// Load the lazy pictures below the fold too, then check them all.
		run("load every picture", chromedp.Evaluate(`document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')`, nil))
		var state struct {
			Cards, Loaded, Sharp int
			MinWidth             float64
		}
		const probe = `(() => {
			const cards = [...document.querySelectorAll('main a[href^="/demo/p/"]')];
			const imgs = cards.map(a => a.querySelector('img')).filter(Boolean);
			return {
				Cards: cards.length,
				Loaded: imgs.filter(i => i.complete && i.naturalWidth > 0 && i.currentSrc.includes('/media/')).length,
				// The file the browser picked has at least as many pixels as the screen shows.
				Sharp: imgs.filter(i => {
					const m = i.currentSrc.match(/-(\d+)\.jpg$/);
					return m && +m[1] >= Math.floor(i.getBoundingClientRect().width * devicePixelRatio);
				}).length,
				MinWidth: Math.min(...imgs.map(i => i.getBoundingClientRect().width)),
			};
		})()`
		waitFor(t, "every product picture at "+size.name+" px", func() bool {
			return chromedp.Run(b, chromedp.Evaluate(probe, &state)) == nil && state.Cards >= 25 && state.Loaded == state.Cards
		})
		if state.Sharp != state.Cards {
			t.Errorf("at %s px only %d of %d pictures have enough pixels for their size", size.name, state.Sharp, state.Cards)
		}
		if state.MinWidth < size.card {
			t.Errorf("at %s px a product picture is drawn %.0f px wide", size.name, state.MinWidth)
		}

		run("log in as the demo owner",
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.SendKeys("#f-email", services.DemoEmail, chromedp.ByID),
			chromedp.SendKeys("#f-password", "demo-e2e-2", chromedp.ByID),
			chromedp.Submit("#f-password", chromedp.ByID),
			chromedp.WaitVisible(`[data-figure="orders"]`, chromedp.ByQuery),
		)
		var orders string
		run("read the orders figure", chromedp.Text(`[data-figure="orders"] dd`, &orders, chromedp.ByQuery))
		if n, err := strconv.Atoi(strings.TrimSpace(orders)); err != nil || n < 10 {
			t.Errorf("dashboard orders figure = %q at %s px", orders, size.name)
		}
		// Every figure stays on one line inside its card ("$2,999.00", not "$2,999.0 / 0").
		var broken []string
		run("read the figures", chromedp.Evaluate(`[...document.querySelectorAll('[data-figure] dd')].filter(d => {
			const lh = parseFloat(getComputedStyle(d).lineHeight);
			return d.getBoundingClientRect().height > 1.5 * lh || d.scrollWidth > d.clientWidth;
		}).map(d => d.parentElement.dataset.figure)`, &broken))
		if len(broken) > 0 {
			t.Errorf("at %s px these dashboard figures wrap or overflow: %v", size.name, broken)
		}
		screenshot(t, b, "dashboard-"+size.name)
	}
}

// screenshot saves the whole page as dir/name.png when QUBLY_SCREENSHOTS
// names a folder.
func screenshot(t *testing.T, b context.Context, name string) {
	t.Helper()
	dir := os.Getenv("QUBLY_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(b, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
