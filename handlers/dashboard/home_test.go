package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// line is one order item of a test order.
type line struct {
	p   *domain.Product
	qty int
}

// addOrder inserts an order of biz with its items at $10.00 each, created
// at at, with total as its subtotal and total.
func addOrder(a *testkit.App, biz int64, status domain.OrderStatus, total domain.Money, at time.Time, lines ...line) *domain.Order {
	o := &domain.Order{Status: status, SubtotalCents: total, TotalCents: total, CreatedAt: at, UpdatedAt: at}
	for _, l := range lines {
		o.Items = append(o.Items, testkit.Item(l.p, l.qty, 1000))
	}
	return a.Order(biz, o)
}

// figure reads the value of a figure card on the dashboard home.
func figure(t *testing.T, body, name string) string {
	t.Helper()
	re := regexp.MustCompile(`data-figure="` + regexp.QuoteMeta(name) + `"><dt[^>]*>[^<]*</dt><dd[^>]*>([^<]*)</dd>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("figure %s not on the page", name)
	}
	return m[1]
}

var topProduct = regexp.MustCompile(`data-product="(\d+)"`)

// topProducts lists the product IDs of the best-sellers list, in order.
func topProducts(body string) []string {
	var out []string
	for _, m := range topProduct.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestHomeFigures(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	other := a.CreateOwner("tienda-b")
	biz := o.Business.ID
	now := a.Clock.Now()
	day := 24 * time.Hour

	taco := a.Product(biz, "Taco", testkit.Price(1000))
	torta := a.Product(biz, "Torta", testkit.Price(1000))
	agua := a.Product(biz, "Agua", testkit.Price(1000))
	flan := a.Product(biz, "Flan", testkit.Price(1000))
	churro := a.Product(biz, "Churro", testkit.Price(1000))
	gringa := a.Product(biz, "Gringa", testkit.Price(1000), testkit.Inactive())
	a.Product(other.Business.ID, "Ajeno", testkit.Price(1000))

	// Non-cancelled orders: 1 day, 6 days, 8 days, 29 days and 31 days ago.
	addOrder(a, biz, domain.OrderCompleted, 12050, now.Add(-1*day), line{taco, 5}, line{torta, 1})
	addOrder(a, biz, domain.OrderPending, 9900, now.Add(-6*day), line{agua, 4}, line{taco, 1})
	addOrder(a, biz, domain.OrderConfirmed, 5000, now.Add(-8*day), line{torta, 3}, line{flan, 2})
	addOrder(a, biz, domain.OrderCompleted, 100000, now.Add(-29*day), line{churro, 1}, line{gringa, 7})
	addOrder(a, biz, domain.OrderCompleted, 2500, now.Add(-31*day), line{flan, 1})
	// Cancelled orders count nowhere, even with many units.
	addOrder(a, biz, domain.OrderCancelled, 99999, now.Add(-1*day), line{agua, 50})
	// Another store's orders count nowhere either.
	ajeno := a.Product(other.Business.ID, "Ajeno dos", testkit.Price(1000))
	addOrder(a, other.Business.ID, domain.OrderCompleted, 777700, now, line{ajeno, 99})

	c := a.Client()
	c.Login(o.Email, o.Password)
	r := c.Get("/dashboard")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("home: %d\n%s", r.StatusCode, r.Body)
	}
	checks := map[string]string{
		"orders": "5", "revenue": "$1,145.50", "active-products": "5", "last-7": "2", "last-30": "4",
	}
	for name, want := range checks {
		if got := figure(t, r.Body, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// Units: gringa 7 (inactive now, but it sold), taco 6, torta 4, agua 4,
	// flan 3, churro 1: the top 5 by units, ties by product ID.
	want := []string{fmt.Sprint(gringa.ID), fmt.Sprint(taco.ID), fmt.Sprint(torta.ID), fmt.Sprint(agua.ID), fmt.Sprint(flan.ID)}
	if got := topProducts(r.Body); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("top products %v, want %v", got, want)
	}
	if !strings.Contains(r.Body, "7 vendidos") || !strings.Contains(r.Body, "Gringa") || strings.Contains(r.Body, "Ajeno") {
		t.Fatal("top product names and units")
	}

	// Two days later the windows move with the clock (after the cache goes).
	a.Clock.Advance(2 * day)
	a.Cache.PurgeStore(context.Background(), biz)
	r = c.Get("/dashboard")
	if got := figure(t, r.Body, "last-7"); got != "1" {
		t.Errorf("last-7 after two days = %s, want 1", got)
	}
	if got := figure(t, r.Body, "last-30"); got != "3" {
		t.Errorf("last-30 after two days = %s, want 3", got)
	}
	if got := figure(t, r.Body, "orders"); got != "5" {
		t.Errorf("orders after two days = %s, want 5", got)
	}
}

func TestHomeFiguresAreCachedUntilPurged(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	biz := o.Business.ID
	p := a.Product(biz, "Taco", testkit.Price(1000))
	addOrder(a, biz, domain.OrderCompleted, 1000, a.Clock.Now(), line{p, 1})

	c := a.Client()
	c.Login(o.Email, o.Password)
	if got := figure(t, c.Get("/dashboard").Body, "orders"); got != "1" {
		t.Fatalf("orders = %s", got)
	}
	addOrder(a, biz, domain.OrderCompleted, 2000, a.Clock.Now(), line{p, 2})
	r := c.Get("/dashboard")
	if got := figure(t, r.Body, "orders"); got != "1" {
		t.Fatalf("figures recomputed without a purge: orders = %s", got)
	}
	// Another store's purge leaves this store's figures alone.
	a.Cache.PurgeStore(context.Background(), biz+1000)
	if got := figure(t, c.Get("/dashboard").Body, "orders"); got != "1" {
		t.Fatalf("another store's purge dropped these figures: orders = %s", got)
	}
	a.Cache.PurgeStore(context.Background(), biz)
	r = c.Get("/dashboard")
	if got := figure(t, r.Body, "orders"); got != "2" {
		t.Fatalf("after purge: orders = %s, want 2", got)
	}
	if got := figure(t, r.Body, "revenue"); got != "$30.00" {
		t.Fatalf("after purge: revenue = %s", got)
	}
}

func TestHomeStoreLinkAndQR(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	link := testkit.BaseURL + "/tienda-a"

	r := c.Get("/dashboard")
	for _, want := range []string{
		`id="store-url">` + link + `<`,
		`data-copy="` + link + `"`,
		`href="https://wa.me/?text=` + strings.ReplaceAll(url.QueryEscape("¡Haz tu pedido en Store tienda-a! "+link), "+", "%20") + `"`,
		"Compartir por WhatsApp",
		`<img src="/dashboard/qr.png`,
		`href="/dashboard/qr.png?download=1"`, `href="/dashboard/qr.svg?download=1"`,
		`src="/static/js/share.js?v=`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	if strings.Contains(r.Body, "style=") || strings.Contains(r.Body, "<script>") {
		t.Error("inline style or script on the home page")
	}

	r = c.Get("/dashboard/qr.png")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("png: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	img, err := png.Decode(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("png does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 256 || b.Dx() != b.Dy() {
		t.Fatalf("png size %v", b)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != "" {
		t.Fatalf("inline png has Content-Disposition %q", cd)
	}
	r = c.Get("/dashboard/qr.png?download=1")
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, `filename="qubly-tienda-a.png"`) {
		t.Fatalf("png download disposition %q", cd)
	}

	r = c.Get("/dashboard/qr.svg?download=1")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("svg: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="qubly-tienda-a.svg"`) {
		t.Fatalf("svg download disposition %q", cd)
	}
	if !strings.Contains(r.Body, "<svg") {
		t.Fatal("no <svg")
	}
	dec := xml.NewDecoder(strings.NewReader(r.Body))
	root, paths := "", 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("svg is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "path" {
				paths++
			}
		}
	}
	if root != "svg" || paths != 1 {
		t.Fatalf("svg root %q with %d paths", root, paths)
	}

	// The QR encodes the store URL: a different slug gives a different code.
	other := a.CreateOwner("tienda-b")
	cb := a.Client()
	cb.Login(other.Email, other.Password)
	if bytes.Equal([]byte(cb.Get("/dashboard/qr.svg").Body), []byte(c.Get("/dashboard/qr.svg").Body)) {
		t.Fatal("two stores got the same QR code")
	}
}

func TestHomeChecklist(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	biz := o.Business.ID
	ctx := context.Background()
	c := a.Client()
	c.Login(o.Email, o.Password)

	step := func(body, name string) string {
		t.Helper()
		m := regexp.MustCompile(`data-step="` + name + `" data-done="(true|false)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("checklist step %s not shown", name)
		}
		return m[1]
	}
	wantSteps := func(want map[string]string) {
		t.Helper()
		body := c.Get("/dashboard").Body
		if !strings.Contains(body, `id="checklist"`) {
			t.Fatal("checklist hidden too early")
		}
		for name, w := range want {
			if got := step(body, name); got != w {
				t.Errorf("step %s done=%s, want %s", name, got, w)
			}
		}
	}
	wantSteps(map[string]string{"logo": "false", "products": "false", "whatsapp": "false", "hours": "false"})
	if !strings.Contains(c.Get("/dashboard").Body, "Te faltan 4 pasos") {
		t.Fatal("remaining steps")
	}

	// Logo.
	img := a.Image(biz, "b/logo", "png", 200, 200)
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", biz).Update("logo_image_id", img.ID).Error; err != nil {
		t.Fatal(err)
	}
	wantSteps(map[string]string{"logo": "true", "products": "false", "whatsapp": "false", "hours": "false"})

	// Products: four are not enough, five are (the catalog purges the cache on writes).
	for i := 1; i <= 4; i++ {
		a.Product(biz, fmt.Sprintf("Producto %d", i), testkit.Price(1000))
	}
	a.Product(biz, "Apagado", testkit.Price(1000), testkit.Inactive())
	a.Cache.PurgeStore(ctx, biz)
	wantSteps(map[string]string{"products": "false"})
	a.Product(biz, "Producto 5", testkit.Price(1000))
	a.Cache.PurgeStore(ctx, biz)
	wantSteps(map[string]string{"logo": "true", "products": "true", "whatsapp": "false", "hours": "false"})

	// WhatsApp: the button records the test and opens the owner's own chat.
	home := c.Get("/dashboard")
	if csp := home.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://wa.me") {
		t.Fatalf("home CSP does not let the test form reach wa.me: %s", csp)
	}
	r := c.PostForm("/dashboard/checklist/whatsapp-tested", nil)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "https://wa.me/525512345678?text=") {
		t.Fatalf("whatsapp test: %d %q", r.StatusCode, loc)
	}
	b, _ := a.Repos.Businesses.Get(ctx, biz)
	if b.WhatsAppTestedAt == nil || !b.WhatsAppTestedAt.Equal(a.Clock.Now()) {
		t.Fatalf("whatsapp test not recorded: %v", b.WhatsAppTestedAt)
	}
	// Trying again keeps the first time.
	a.Clock.Advance(time.Hour)
	c.PostForm("/dashboard/checklist/whatsapp-tested", nil)
	if b2, _ := a.Repos.Businesses.Get(ctx, biz); !b2.WhatsAppTestedAt.Equal(*b.WhatsAppTestedAt) {
		t.Fatal("second test overwrote the first")
	}
	wantSteps(map[string]string{"logo": "true", "products": "true", "whatsapp": "true", "hours": "false"})

	// Hours: once set, every step is done and the box goes away.
	hours, _ := json.Marshal(domain.DefaultHours())
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", biz).Update("hours", string(hours)).Error; err != nil {
		t.Fatal(err)
	}
	body := c.Get("/dashboard").Body
	if strings.Contains(body, `id="checklist"`) || strings.Contains(body, "Probar WhatsApp") {
		t.Fatal("checklist still shown when every step is done")
	}
	if !strings.Contains(body, `id="store-url"`) {
		t.Fatal("home page broken")
	}
}

func TestHomeInEnglish(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}})
	r := c.Get("/dashboard")
	if !strings.Contains(r.Body, "Your numbers") || !strings.Contains(r.Body, "Test WhatsApp") || strings.Contains(r.Body, "home.") {
		t.Fatal("home page not in English or a key is missing")
	}
	r = c.Get("/dashboard/reviews")
	if !strings.Contains(r.Body, "You have no reviews to check.") || strings.Contains(r.Body, "reviews.") {
		t.Fatal("reviews page not in English or a key is missing")
	}
}
