package dashboard_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

var demoFigure = regexp.MustCompile(`(?s)data-figure="([a-z0-9-]+)".*?<dd[^>]*>\s*([^<]*?)\s*</dd>`)

// The demo owner's dashboard is alive: orders, revenue and best sellers on
// the home page, and orders waiting in the list.
func TestDemoDashboardShowsOrdersAndBestSellers(t *testing.T) {
	ctx := context.Background()
	a := testkit.NewApp(t)
	if _, err := a.Demo.Seed(ctx, "demo-password"); err != nil {
		t.Fatal(err)
	}
	biz, err := a.Repos.Businesses.GetBySlug(ctx, services.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Client()
	c.Login(services.DemoEmail, "demo-password")

	home := c.Get("/dashboard")
	if home.StatusCode != 200 {
		t.Fatalf("GET /dashboard: %d", home.StatusCode)
	}
	figures := map[string]string{}
	for _, m := range demoFigure.FindAllStringSubmatch(home.Body, -1) {
		figures[m[1]] = m[2]
	}
	for _, name := range []string{"orders", "last-7", "last-30"} {
		if n, err := strconv.Atoi(figures[name]); err != nil || n < 10 {
			t.Errorf("figure %s = %q, want at least 10 orders", name, figures[name])
		}
	}
	if rev := figures["revenue"]; rev == "" || strings.HasPrefix(rev, "$0.00") {
		t.Errorf("revenue = %q", rev)
	}
	if !strings.Contains(home.Body, `id="top-products"`) || !strings.Contains(home.Body, "Taco al pastor") {
		t.Error("no best sellers on the home page")
	}

	counts, err := a.Repos.Orders.StatusCounts(ctx, biz.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts[domain.OrderPending] == 0 {
		t.Fatal("no pending order")
	}
	pending := c.Get("/dashboard/orders?status=pending")
	if pending.StatusCode != 200 || !strings.Contains(pending.Body, "Andrea Morales") {
		t.Fatalf("pending orders page (%d) lacks the newest order", pending.StatusCode)
	}
}
