package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// ownerBrowser is a phone browser with an owner logged in through the form.
type ownerBrowser struct {
	t     *testing.T
	srv   *server
	ctx   context.Context
	owner *testkit.Owner
}

func newOwnerBrowser(t *testing.T, width int) *ownerBrowser {
	t.Helper()
	return newOwnerBrowserWith(t, width)
}

// newOwnerBrowserWith is newOwnerBrowser with more app options.
func newOwnerBrowserWith(t *testing.T, width int, opts ...testkit.AppOption) *ownerBrowser {
	t.Helper()
	srv := startServerWith(t, append([]testkit.AppOption{testkit.WithEnv("DATA_DIR", t.TempDir())}, opts...)...)
	o := srv.CreateOwner("tienda-e2e")
	b := &ownerBrowser{t: t, srv: srv, ctx: newBrowser(t, width, 844), owner: o}
	b.run("log in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email", chromedp.ByID),
		chromedp.SendKeys("#f-email", o.Email, chromedp.ByID),
		chromedp.SendKeys("#f-password", o.Password, chromedp.ByID),
		chromedp.Submit("#f-password", chromedp.ByID),
	)
	waitFor(t, "the dashboard after logging in", func() bool {
		var path string
		return chromedp.Run(b.ctx, chromedp.Evaluate(`location.pathname`, &path)) == nil && path == "/dashboard"
	})
	return b
}

func (b *ownerBrowser) run(step string, actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		var body string
		chromedp.Run(b.ctx, chromedp.OuterHTML("main", &body, chromedp.ByQuery))
		b.t.Fatalf("%s: %v\n%.3000s", step, err, body)
	}
}

// open loads path and waits until its scripts have run.
func (b *ownerBrowser) open(path, visible string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.srv.URL+path), chromedp.WaitVisible(visible, chromedp.ByQuery))
	waitFor(b.t, path+" loaded", func() bool {
		var state string
		return chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState`, &state)) == nil && state == "complete"
	})
}

func (b *ownerBrowser) text(sel string) string {
	var s string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, sel), &s)); err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

func (b *ownerBrowser) product(name string) *domain.Product {
	b.t.Helper()
	return b.srv.Product(b.owner.Business.ID, name)
}

// fileOf writes a file of size bytes (a JPEG when size is 0) and returns its path.
func fileOf(t *testing.T, name string, size int) string {
	t.Helper()
	data := make([]byte, size)
	if size == 0 {
		data = testkit.JPEG(t, 64, 64)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A file over an upload form's limit is refused in the browser, before it
// is sent, with the server's inline message; a file within it is sent.
func TestUploadSizeIsCheckedInTheBrowser(t *testing.T) {
	b := newOwnerBrowser(t, 390)
	p := b.product("Taco al pastor")
	photos := fmt.Sprintf("/dashboard/products/%d/images", p.ID)
	sent := 0
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if e, ok := ev.(*page.EventFrameRequestedNavigation); ok && strings.Contains(e.URL, "/images") {
			sent++
		}
	})

	b.open(photos, "#f-image")
	big := fileOf(t, "grande.jpg", 9<<20)
	b.run("choose a 9 MB photo", chromedp.SetUploadFiles("#f-image", []string{big}, chromedp.ByID))
	waitFor(t, "inline message", func() bool { return b.text("#e-image") != "" })
	if got := b.text("#e-image"); got != "The image is larger than 8 MB. Choose a lighter one." {
		t.Fatalf("inline message %q", got)
	}
	var invalid string
	b.run("submit it", chromedp.AttributeValue("#f-image", "aria-invalid", &invalid, nil, chromedp.ByID),
		chromedp.Click(`form[enctype="multipart/form-data"] button[type="submit"]`, chromedp.ByQuery))
	if invalid != "true" {
		t.Fatal("the field is not marked invalid")
	}
	var path string
	b.run("still on the form", chromedp.Sleep(500*time.Millisecond), chromedp.Evaluate(`location.pathname`, &path))
	var n int64
	b.srv.DB.Model(&domain.ProductImage{}).Count(&n)
	if path != photos || n != 0 || sent != 0 {
		t.Fatalf("the big photo was sent: at %s, %d images, %d navigations", path, n, sent)
	}

	// A good photo clears the message and is uploaded.
	b.run("choose a small photo", chromedp.SetUploadFiles("#f-image", []string{fileOf(t, "taco.jpg", 0)}, chromedp.ByID))
	waitFor(t, "message cleared", func() bool { return b.text("#e-image") == "" })
	b.run("upload it", chromedp.Click(`form[enctype="multipart/form-data"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main img[srcset]`, chromedp.ByQuery))
	b.srv.DB.Model(&domain.ProductImage{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d images after a good upload", n)
	}

	// The CSV import and the logo form check theirs too.
	b.open("/dashboard/products/import", "#f-file")
	b.run("choose a 3 MB CSV", chromedp.SetUploadFiles("#f-file", []string{fileOf(t, "productos.csv", 3<<20)}, chromedp.ByID))
	waitFor(t, "CSV inline message", func() bool { return strings.HasPrefix(b.text("#e-file"), "The file is larger than 2 MB") })
	b.open("/dashboard/settings/logo", "#f-image")
	b.run("choose a 9 MB logo", chromedp.SetUploadFiles("#f-image", []string{big}, chromedp.ByID))
	waitFor(t, "logo inline message", func() bool { return strings.HasPrefix(b.text("#e-image"), "The image is larger than 8 MB") })
}

// Without the script (or past it), a file over the server's body limit
// still lands the owner back on the form, logged in, with the message.
func TestUploadOverTheBodyLimitWithoutJavaScript(t *testing.T) {
	b := newOwnerBrowser(t, 390)
	p := b.product("Taco al pastor")
	photos := fmt.Sprintf("/dashboard/products/%d/images", p.ID)
	b.run("turn JavaScript off", emulation.SetScriptExecutionDisabled(true))
	b.open(photos, "#f-image")
	b.run("send 11 MB",
		chromedp.SetUploadFiles("#f-image", []string{fileOf(t, "enorme.jpg", 11<<20)}, chromedp.ByID),
		chromedp.Click(`form[enctype="multipart/form-data"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#e-image", chromedp.ByID),
	)
	if got := b.text("#e-image"); got != "The image is larger than 8 MB. Choose a lighter one." {
		t.Fatalf("inline message %q", got)
	}
	var path string
	var logout []*cdp.Node
	b.run("where", chromedp.Location(&path), chromedp.Nodes(`form[action="/logout"]`, &logout, chromedp.ByQuery, chromedp.AtLeast(0)))
	if path != b.srv.URL+photos || len(logout) == 0 {
		t.Fatalf("not back on the form logged in: %s", path)
	}
}

// A bulk delete asks first, naming how many; cancelling keeps the products.
func TestBulkDeleteAsksFirst(t *testing.T) {
	b := newOwnerBrowser(t, 390)
	for _, n := range []string{"Uno", "Dos", "Tres"} {
		b.product(n)
	}
	var asked []string
	accept := false
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			asked = append(asked, e.Message)
			go chromedp.Run(b.ctx, page.HandleJavaScriptDialog(accept))
		}
	})
	tickTwo := func() {
		b.open("/dashboard/products", "#bulk")
		b.run("tick two and choose delete",
			chromedp.Click(`input[name="ids"]`, chromedp.ByQuery, chromedp.NodeVisible),
			chromedp.Evaluate(`document.querySelectorAll('input[name="ids"]')[1].click()`, nil),
			chromedp.SetValue("#f-action", "delete", chromedp.ByID),
		)
	}
	count := func() int {
		ps, err := b.srv.Repos.Catalog.Products.List(context.Background(), b.owner.Business.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}

	tickTwo()
	b.run("apply, then cancel", chromedp.Click(`#bulk button[type="submit"]`, chromedp.ByQuery), chromedp.Sleep(700*time.Millisecond))
	if len(asked) != 1 || asked[0] != "Delete 2 products? This cannot be undone." {
		t.Fatalf("question: %q", asked)
	}
	if count() != 3 {
		t.Fatal("deleted after cancelling")
	}

	accept = true
	tickTwo()
	b.run("apply, then agree", chromedp.Click(`#bulk button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.alert-success`, chromedp.ByQuery))
	if got := b.text(".alert-success"); got != "2 products deleted." || count() != 1 {
		t.Fatalf("after agreeing: %q, %d left", got, count())
	}
}

// Every dashboard tab is on screen on a phone (360 and 390 px, es and en),
// none hidden past the edge of a scrolling bar.
func TestDashboardTabsAllInView(t *testing.T) {
	for _, width := range []int{360, 390} {
		b := newOwnerBrowser(t, width)
		// Pending orders add a badge to the Orders tab: the widest case.
		for i := 0; i < 12; i++ {
			b.srv.Order(b.owner.Business.ID, &domain.Order{Code: fmt.Sprintf("CODE%04d", i), Status: domain.OrderPending,
				CustomerName: "Ana", CustomerPhone: "+525512345678", SubtotalCents: 100})
		}
		for _, lang := range []string{"es", "en"} {
			b.open("/dashboard/reviews", `nav a.dash-tab`)
			b.run("language "+lang, chromedp.Click(fmt.Sprintf(`footer button[value="%s"]`, lang), chromedp.ByQuery))
			want := map[string]string{"es": "es-MX", "en": "en"}[lang]
			waitFor(t, "the page in "+lang, func() bool {
				var got string
				err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.readyState === "complete" ? document.documentElement.lang : ""`, &got))
				return err == nil && got == want
			})
			var out []string
			b.run("measure tabs", chromedp.Evaluate(`[...document.querySelectorAll("nav a.dash-tab")].map((a) => {
				const r = a.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				const ok = r.left >= 0 && r.right <= innerWidth && r.width > 0 && a.contains(hit) && a.scrollWidth <= a.clientWidth + 1;
				return (ok ? "ok " : "HIDDEN ") + a.textContent.trim().replace(/\s+/g, " ");
			})`, &out))
			if len(out) != 9 {
				t.Fatalf("%d px %s: %d tabs", width, lang, len(out))
			}
			for _, s := range out {
				if !strings.HasPrefix(s, "ok ") {
					t.Errorf("%d px %s: tab %q not fully in view (%v)", width, lang, s, out)
				}
			}
		}
	}
}

// Links inside footer text are underlined, not told apart by colour alone
// (Lighthouse "link-in-text-block").
func TestFooterLinksInTextAreUnderlined(t *testing.T) {
	srv := startServer(t)
	if _, err := srv.Demo.Seed(context.Background(), "demo-e2e-footer"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 390, 844)
	var out []string
	if err := chromedp.Run(b, chromedp.Navigate(srv.URL+"/demo"), chromedp.WaitVisible("footer", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("footer p a")].map((a) =>
			getComputedStyle(a).textDecorationLine + " " + a.textContent.trim())`, &out)); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no links in the store footer")
	}
	for _, s := range out {
		if !strings.HasPrefix(s, "underline") {
			t.Errorf("footer link not underlined: %q", s)
		}
	}
}
