package dashboard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// tenantFixture is every kind of object owner A has, by route parameter name.
type tenantFixture struct {
	ids    map[string]int64
	secret string
}

func seedTenant(t *testing.T, a *testkit.App, o *testkit.Owner) tenantFixture {
	t.Helper()
	biz := o.Business.ID
	secret := "SECRETO-" + o.Business.Slug
	cat := a.Category(biz, secret+" categoría", func(c *domain.Category) { c.Slug = "cat-" + o.Business.Slug })
	prod := a.Product(biz, secret+" producto", testkit.InCategory(cat), testkit.Slug("prod-"+o.Business.Slug),
		testkit.Description(secret), testkit.Price(5000), testkit.Stock(7),
		testkit.OptionGroup(secret+" tamaño", 0, 1, testkit.Choice(secret+" grande", 1500)))
	group, choice := prod.Options[0], prod.Options[0].Choices[0]
	img := a.Image(biz, fmt.Sprintf("b%d/%s", biz, "0123456789abcdef"), "jpeg", 400, 400)
	a.Photo(prod, img, 0)
	order := a.Order(biz, &domain.Order{Code: "SECRET" + fmt.Sprint(biz), CustomerName: secret + " cliente",
		Items: []domain.OrderItem{testkit.Item(prod, 1, 5000)}})
	review := a.Review(biz, secret+" reseña", 5, testkit.Comment(secret))
	// An invoice whose link only the billing page shows.
	if err := a.DB.Create(&domain.Invoice{BusinessID: biz, StripeInvoiceID: "in_" + secret, Number: secret,
		AmountCents: 24900, Currency: "mxn", Status: domain.InvoicePaid,
		HostedURL: "https://invoice.stripe.com/i/" + secret, PeriodStart: a.Clock.Now(), PeriodEnd: a.Clock.Now().AddDate(0, 1, 0),
		EventAt: a.Clock.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	// An unanswered question to A's assistant: only A's chatbot page lists it.
	a.ChatExchange(biz, domain.ChatExchange{Question: secret + " pregunta", CreatedAt: a.Clock.Now()})
	// A business A referred: its name shows on A's referrals page only.
	referred := a.TestDB.Business(t, secret+" referido", "ref-"+o.Business.Slug)
	if err := a.DB.Create(&domain.Referral{ReferrerID: biz, ReferredID: referred.ID, Status: domain.ReferralPending}).Error; err != nil {
		t.Fatal(err)
	}
	return tenantFixture{secret: secret, ids: map[string]int64{
		"categoryID": cat.ID, "productID": prod.ID, "groupID": group.ID, "choiceID": choice.ID,
		"imageID": img.ID, "orderID": order.ID, "reviewID": review.ID,
	}}
}

// snapshot dumps every row owner A has, to compare before and after.
func snapshot(t *testing.T, a *testkit.App, biz int64) string {
	t.Helper()
	out := map[string]any{}
	for _, m := range domain.Models() {
		stmt := a.DB.Model(m).Statement
		if err := stmt.Parse(m); err != nil {
			t.Fatal(err)
		}
		table := stmt.Schema.Table
		var rows []map[string]any
		q := a.DB.Table(table).Order("id")
		switch {
		case table == "businesses":
			q = q.Where("id = ?", biz)
		case stmt.Schema.LookUpField("BusinessID") != nil:
			q = q.Where("business_id = ?", biz)
		default:
			continue
		}
		if err := q.Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = rows
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// TestTenantIsolationMatrix walks every /dashboard route and, logged in as
// owner B, tries it with owner A's object IDs. A route with an ID must answer
// 404; a route without one must not show or change A's data. New routes are
// covered automatically; a new ID parameter needs a fixture above.
func TestTenantIsolationMatrix(t *testing.T) {
	a := testkit.NewApp(t)
	ownerA, ownerB := a.CreateOwner("tienda-a"), a.CreateOwner("tienda-b")
	fa := seedTenant(t, a, ownerA)
	seedTenant(t, a, ownerB)
	before := snapshot(t, a, ownerA.Business.ID)

	b := a.Client()
	b.Login(ownerB.Email, ownerB.Password)

	// Form values that point at A's objects wherever a handler may read an ID.
	formWithAIDs := func() url.Values {
		v := url.Values{
			"name": {"B was here"}, "status": {"confirmed"}, "dir": {"up"}, "action": {"delete"},
			"price": {"1"}, "slug": {"b-was-here"}, "min": {"0"}, "max": {"1"}, "delta": {"1"},
		}
		for name, id := range fa.ids {
			s := fmt.Sprint(id)
			v.Add("ids", s)
			v.Add("ids[]", s)
			v.Set(strings.TrimSuffix(name, "ID")+"_id", s)
		}
		v.Set("id", fmt.Sprint(fa.ids["productID"]))
		return v
	}

	seen := map[string]bool{}
	tested := 0
	for _, rt := range a.Fiber.GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/dashboard") || (rt.Method != http.MethodGet && rt.Method != http.MethodPost) {
			continue
		}
		key := rt.Method + " " + rt.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		path := rt.Path
		for _, p := range rt.Params {
			id, ok := fa.ids[p]
			if !ok {
				t.Errorf("%s: no fixture for parameter :%s; add one to seedTenant", key, p)
				continue
			}
			path = strings.Replace(path, ":"+p, fmt.Sprint(id), 1)
		}
		tested++
		var r *testkit.Response
		if rt.Method == http.MethodGet {
			r = b.Get(path)
		} else {
			r = b.PostForm(path, formWithAIDs())
		}
		switch {
		case len(rt.Params) > 0 && r.StatusCode != http.StatusNotFound:
			t.Errorf("%s as B with A's IDs (%s): status %d, want 404", key, path, r.StatusCode)
		case len(rt.Params) == 0 && r.StatusCode >= 500:
			t.Errorf("%s: status %d", key, r.StatusCode)
		}
		if strings.Contains(r.Body, fa.secret) {
			t.Errorf("%s (%s) shows owner A's data", key, path)
		}
	}
	if tested < 5 {
		t.Fatalf("only %d dashboard routes found", tested)
	}
	if after := snapshot(t, a, ownerA.Business.ID); after != before {
		t.Errorf("owner A's data changed:\nbefore %s\nafter  %s", before, after)
	}
	// The 404s above are real: A opens the same pages with the same IDs.
	ca := a.Client()
	ca.Login(ownerA.Email, ownerA.Password)
	for key := range seen {
		method, path, _ := strings.Cut(key, " ")
		if method != http.MethodGet || !strings.Contains(path, ":") {
			continue
		}
		for name, id := range fa.ids {
			path = strings.Replace(path, ":"+name, fmt.Sprint(id), 1)
		}
		if r := ca.Get(path); r.StatusCode != http.StatusOK {
			t.Errorf("owner A: GET %s answered %d", path, r.StatusCode)
		}
	}
	t.Logf("checked %d dashboard routes", tested)
}
