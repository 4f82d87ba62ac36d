package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestScratchLandingShots(t *testing.T) {
	s := startServer(t)
	for _, sz := range []struct{ w, h int }{{360, 800}, {390, 844}, {1280, 900}} {
		for _, lang := range []string{"es", "en"} {
			for _, p := range []string{"/", "/privacy"} {
				if p == "/privacy" && (sz.w == 390) {
					continue
				}
				ctx := newBrowser(t, sz.w, sz.h)
				var png []byte
				var sw int
				err := chromedp.Run(ctx, network.Enable(), network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": lang}),
					chromedp.Navigate(s.URL+p), chromedp.Evaluate(`document.documentElement.scrollWidth`, &sw),

				)
				_ = err
				if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 80)); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("/tmp/lp/shot-%d-%s-%s.png", sz.w, lang, map[string]string{"/": "home", "/privacy": "privacy"}[p])
				os.WriteFile(name, png, 0o644)
				t.Logf("%s scrollWidth=%d", name, sw)
			}
		}
	}
}
