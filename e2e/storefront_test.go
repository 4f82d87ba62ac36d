package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/domain"
)

// TestShopperOrdersOnAPhone walks the shopper's path on a 390×844 phone:
// search the demo store, open a product, pick options, add two products,
// reload (the cart survives), check out with delivery, and check the order
// the server stored and the WhatsApp message it wrote.
func TestShopperOrdersOnAPhone(t *testing.T) {
	srv := startServer(t)
	ctx := context.Background()
	if _, err := srv.Demo.Seed(ctx, "demo-e2e-1"); err != nil {
		t.Fatal(err)
	}
	biz, err := srv.Repos.Businesses.GetBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	choice := func(product, name string) int64 {
		t.Helper()
		var c domain.OptionChoice
		err := srv.DB.Table("option_choices").Select("option_choices.*").
			Joins("JOIN option_groups ON option_groups.id = option_choices.group_id").
			Joins("JOIN products ON products.id = option_groups.product_id").
			Where("products.business_id = ? AND products.name = ? AND option_choices.name = ?", biz.ID, product, name).
			First(&c).Error
		if err != nil {
			t.Fatalf("choice %s/%s: %v", product, name, err)
		}
		return c.ID
	}
	harina, queso := choice("Taco al pastor", "Harina"), choice("Taco al pastor", "Queso")
	gigante := choice("Torta de milanesa", "Gigante")

	b := newBrowser(t, 390, 844)
	waURL := make(chan string, 1)
	chromedp.ListenTarget(b, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasPrefix(e.Request.URL, "https://wa.me/") {
			select {
			case waURL <- e.Request.URL:
			default:
			}
		}
	})
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(b, actions...); err != nil {
			var body string
			chromedp.Run(b, chromedp.OuterHTML("main", &body, chromedp.ByQuery))
			t.Fatalf("%s: %v\n%.3000s", step, err, body)
		}
	}
	cartCount := func() string {
		var n string
		run("read cart count", chromedp.Text("[data-cart-count]", &n, chromedp.ByQuery, chromedp.AtLeast(0)))
		return strings.TrimSpace(n)
	}

	run("open the store", network.Enable(), chromedp.Navigate(srv.URL+"/demo"), chromedp.WaitVisible("#q", chromedp.ByID))
	run("search",
		chromedp.SendKeys("#q", "pastor", chromedp.ByID),
		chromedp.Submit("#q", chromedp.ByID),
	)
	// The home page already lists the product: wait for the results page.
	waitFor(t, "search results", func() bool {
		var search, state string
		err := chromedp.Run(b, chromedp.Evaluate(`location.search`, &search), chromedp.Evaluate(`document.readyState`, &state))
		return err == nil && strings.Contains(search, "q=pastor") && state == "complete"
	})
	run("see results", chromedp.WaitVisible(`a[href="/demo/p/taco-al-pastor"]`, chromedp.ByQuery))
	var results string
	run("read results", chromedp.Text("main", &results, chromedp.ByQuery))
	if strings.Contains(results, "Torta de milanesa") {
		t.Fatal("search for pastor lists the milanesa torta")
	}

	run("open the product",
		chromedp.Click(`a[href="/demo/p/taco-al-pastor"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[data-add-to-cart]`, chromedp.ByQuery),
	)
	// The cart script runs once the page has loaded; clicking earlier would
	// take the no-JavaScript checkout instead.
	waitFor(t, "product page loaded", func() bool {
		var state string
		err := chromedp.Run(b, chromedp.Evaluate(`document.readyState`, &state))
		return err == nil && state == "complete"
	})
	run("pick options and add two",
		chromedp.Click(fmt.Sprintf(`input[name="options"][value="%d"]`, harina), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`input[name="options"][value="%d"]`, queso), chromedp.ByQuery),
		chromedp.SetValue(`form[data-add-to-cart] input[name="quantity"]`, "2", chromedp.ByQuery),
		chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery),
	)
	waitFor(t, "cart count 2 after the tacos", func() bool { return cartCount() == "2" })

	run("open the second product",
		chromedp.Navigate(srv.URL+"/demo/p/torta-de-milanesa"),
		chromedp.WaitVisible(`form[data-add-to-cart]`, chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`input[name="options"][value="%d"]`, gigante), chromedp.ByQuery),
		chromedp.Click(`form[data-add-to-cart] [type="submit"]`, chromedp.ByQuery),
	)
	waitFor(t, "cart count 3 after the torta", func() bool { return cartCount() == "3" })

	run("reload", chromedp.Reload(), chromedp.WaitVisible(`form[data-add-to-cart]`, chromedp.ByQuery))
	waitFor(t, "cart kept after reload", func() bool { return cartCount() == "3" })

	run("open the cart",
		chromedp.Click(`[data-cart-link]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-checkout-form]`, chromedp.ByQuery),
	)
	run("check out with delivery",
		chromedp.SendKeys(`[data-checkout-form] [name="name"]`, "Ana López", chromedp.ByQuery),
		chromedp.SendKeys(`[data-checkout-form] [name="phone"]`, "55 9876 5432", chromedp.ByQuery),
		chromedp.Click(`[data-checkout-form] input[name="fulfillment"][value="delivery"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-checkout-form] [name="address"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[data-checkout-form] [name="address"]`, "Calle Roble 12, Col. Centro", chromedp.ByQuery),
		chromedp.Click(`[data-checkout-form] input[name="payment_method"][value="cash"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[data-checkout-form] [name="notes"]`, "Sin cebolla", chromedp.ByQuery),
		chromedp.Click(`[data-checkout-form] [data-submit]`, chromedp.ByQuery),
	)

	var wa string
	select {
	case wa = <-waURL:
	case <-time.After(20 * time.Second):
		var body string
		chromedp.Run(b, chromedp.OuterHTML("main", &body, chromedp.ByQuery))
		t.Fatalf("WhatsApp was never opened\n%.3000s", body)
	}

	var orders []domain.Order
	if err := srv.DB.Where("business_id = ? AND customer_name = ?", biz.ID, "Ana López").Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 {
		t.Fatalf("%d orders stored, want 1", len(orders))
	}
	o := orders[0]
	// 2 × (25.00 + harina 5.00 + queso 10.00) + (85.00 + gigante 30.00) = 195.00; delivery 35.00.
	if o.SubtotalCents != 19500 || o.DeliveryFeeCents != 3500 || o.TotalCents != 23000 ||
		o.Fulfillment != domain.FulfillmentDelivery || o.CustomerPhone != "+525598765432" || o.Address != "Calle Roble 12, Col. Centro" {
		t.Fatalf("order = %+v", o)
	}
	var items []domain.OrderItem
	srv.DB.Where("order_id = ?", o.ID).Order("id").Find(&items)
	if len(items) != 2 || items[0].Quantity+items[1].Quantity != 3 {
		t.Fatalf("items = %+v", items)
	}

	u, err := url.Parse(wa)
	if err != nil || u.Path != "/"+biz.WhatsAppDigits() {
		t.Fatalf("WhatsApp URL %q does not go to the store's number %s", wa, biz.WhatsAppDigits())
	}
	msg := u.Query().Get("text")
	for _, want := range []string{
		"2", "Taco al pastor", "Harina", "Queso", "$80.00",
		"Torta de milanesa", "Gigante", "$115.00",
		"$195.00", "$35.00", "$230.00",
		"Calle Roble 12, Col. Centro", "Ana López", "Sin cebolla", o.Code, srv.URL + "/demo/o/" + o.Code,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("WhatsApp message lacks %q:\n%s", want, msg)
		}
	}
}

// waitFor polls cond until it holds, for at most 30 s (a readiness wait for
// the page's script, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	// Generous: under -race, CI runs this package beside the others on two
	// cores, and a shopper step once took over 10 s there.
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
