package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
)

// phoneLangs are the phone languages tested: Chromium's Spanish for Latin
// America writes "09:00 p.m.", wider than English's "09:00 PM".
var phoneLangs = []struct{ ui, accept string }{{"es-419", "es-MX,es"}, {"en-US", "en-US,en"}}

// newPhone starts headless Chromium as a phone of the given size whose own
// language (and so its time format) is ui, asking pages in accept.
func newPhone(t *testing.T, width, height int, ui, accept string) context.Context {
	t.Helper()
	if ui != "en-US" {
		requireChromiumLocale(t, ui)
	}
	ctx := newBrowser(t, width, height,
		chromedp.Flag("lang", ui),
		chromedp.Env("LANGUAGE="+strings.ReplaceAll(ui, "-", "_")),
	)
	err := chromedp.Run(ctx,
		emulation.SetLocaleOverride().WithLocale(ui),
		network.Enable(),
		network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": accept}),
	)
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// requireChromiumLocale skips (fails in CI) when Chromium has no messages
// for lang: it then falls back to English formats. Debian ships them in
// chromium-l10n, which .ci/run installs.
func requireChromiumLocale(t *testing.T, lang string) {
	t.Helper()
	bin, err := filepath.EvalSymlinks(chromiumPath(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Dir(bin), "/usr/lib/chromium"} {
		if _, err := os.Stat(filepath.Join(dir, "locales", lang+".pak")); err == nil {
			return
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("Chromium has no %s locale; .ci/run installs chromium-l10n", lang)
	}
	t.Skipf("Chromium has no %s locale: apt-get install -y chromium-l10n", lang)
}

// hoursLayout is what the settings page measures of itself.
type hoursLayout struct {
	PageWidth, ViewWidth, ViewHeight float64
	Times                            []struct {
		Name                              string
		Scroll, Client, Box, Top, Natural float64
		Width                             float64
	}
	BarTop, BarBottom float64
	BarReachable      bool
	Locale            string
}

// A time input's user-agent shadow DOM is out of reach, so besides its
// scrollWidth each input is compared with its natural width: the width
// Chromium gives it to show its value whole in the phone's format.
const measureHours = `(() => {
  const natural = (i) => {
    const keep = [i.style.width, i.style.minWidth, i.style.maxWidth, i.style.flex];
    Object.assign(i.style, {width: "auto", minWidth: "auto", maxWidth: "none", flex: "none"});
    const w = i.getBoundingClientRect().width;
    [i.style.width, i.style.minWidth, i.style.maxWidth, i.style.flex] = keep;
    return w;
  };
  const bar = document.querySelector("[data-save-bar]");
  const btn = bar.querySelector("button");
  const r = bar.getBoundingClientRect(), b = btn.getBoundingClientRect();
  const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return {
    PageWidth: document.documentElement.scrollWidth, ViewWidth: innerWidth, ViewHeight: innerHeight,
    Times: [...document.querySelectorAll('input[type="time"]')].filter((i) => i.offsetParent)
      .map((i) => ({Name: i.name, Scroll: i.scrollWidth, Client: i.clientWidth, Box: i.getBoundingClientRect().right,
        Top: i.getBoundingClientRect().top, Width: i.getBoundingClientRect().width, Natural: natural(i)})),
    BarTop: r.top, BarBottom: r.bottom, BarReachable: !!hit && btn.contains(hit),
    Locale: Intl.DateTimeFormat().resolvedOptions().locale,
  };
})()`

// The opening-hours editor fits a phone in the phone's own time format:
// no sideways scrolling, every time fully visible (a.m./p.m. included), and
// the save bar on the screen.
func TestHoursEditorFitsPhones(t *testing.T) {
	srv := startServer(t)
	o := srv.CreateOwner("horario")
	var w domain.WeekHours
	for d := range w {
		w[d] = domain.DayHours{Open: true, Opens: "09:00", Closes: "21:00"}
	}
	w[time.Monday] = domain.DayHours{Open: true, Opens: "08:00", Closes: "14:00", Opens2: "17:00", Closes2: "23:30"}
	if err := srv.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).Select("hours").
		Updates(&domain.Business{Hours: w}).Error; err != nil {
		t.Fatal(err)
	}
	// Two phones, and a desktop, where the old inputs clipped too.
	for _, size := range [][2]int{{390, 844}, {360, 800}, {1280, 800}} {
		for _, lang := range phoneLangs {
			t.Run(fmt.Sprintf("%dx%d %s", size[0], size[1], lang.ui), func(t *testing.T) {
				b := newPhone(t, size[0], size[1], lang.ui, lang.accept)
				run := func(step string, actions ...chromedp.Action) {
					t.Helper()
					if err := chromedp.Run(b, actions...); err != nil {
						t.Fatalf("%s: %v", step, err)
					}
				}
				run("log in",
					chromedp.Navigate(srv.URL+"/login"),
					chromedp.WaitVisible("#f-email", chromedp.ByID),
					chromedp.SendKeys("#f-email", o.Email, chromedp.ByID),
					chromedp.SendKeys("#f-password", o.Password, chromedp.ByID),
					chromedp.Submit("#f-password", chromedp.ByID),
					chromedp.WaitVisible(`a[href="/dashboard/settings"]`, chromedp.ByQuery),
				)
				run("open the settings",
					chromedp.Navigate(srv.URL+"/dashboard/settings"),
					chromedp.WaitVisible(`[data-day="1"]`, chromedp.ByQuery),
					chromedp.ScrollIntoView(`[data-day="1"]`, chromedp.ByQuery),
				)
				var m hoursLayout
				run("measure", chromedp.Evaluate(measureHours, &m))
				if dir := os.Getenv("QUBLY_SCREENSHOTS"); dir != "" {
					var png []byte
					run("screenshot", chromedp.CaptureScreenshot(&png))
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("hours-%d-%s.png", size[0], lang.ui)), png, 0o644)
					run("screenshot the rest", chromedp.ScrollIntoView(`[name="orders_when_closed"]`, chromedp.ByQuery), chromedp.CaptureScreenshot(&png))
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("closed-%d-%s.png", size[0], lang.ui)), png, 0o644)
					run("screenshot the end", chromedp.ScrollIntoView(`#account-title`, chromedp.ByQuery), chromedp.CaptureScreenshot(&png))
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("account-%d-%s.png", size[0], lang.ui)), png, 0o644)
					run("back", chromedp.ScrollIntoView(`[data-day="1"]`, chromedp.ByQuery))
				}
				if m.PageWidth > m.ViewWidth {
					t.Errorf("page is %.0f px wide on a %.0f px screen", m.PageWidth, m.ViewWidth)
				}
				// 7 days of one range, Monday's second range.
				if len(m.Times) != 16 {
					t.Errorf("%d time inputs shown, want 16", len(m.Times))
				}
				for i, in := range m.Times {
					if in.Scroll > in.Client || in.Width+0.5 < in.Natural || in.Box > m.ViewWidth {
						t.Errorf("%s clips its time: %.0f px wide, needs %.0f (scroll %.0f in %.0f), right edge %.0f",
							in.Name, in.Width, in.Natural, in.Scroll, in.Client, in.Box)
					}
					// Opening and closing read as one line: "08:00 a.m. – 02:00 p.m.".
					if i%2 == 1 && in.Top != m.Times[i-1].Top {
						t.Errorf("%s wraps below %s", in.Name, m.Times[i-1].Name)
					}
				}
				if m.BarTop < 0 || m.BarBottom > m.ViewHeight || !m.BarReachable {
					t.Errorf("save bar at %.0f–%.0f on a %.0f px screen (button reachable: %t)", m.BarTop, m.BarBottom, m.ViewHeight, m.BarReachable)
				}
				t.Logf("locale %s: page %.0f/%.0f", m.Locale, m.PageWidth, m.ViewWidth)
			})
		}
	}
}
