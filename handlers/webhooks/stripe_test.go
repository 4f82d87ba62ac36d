package webhooks_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/qubly/qubly/testkit"
)

// activation is what Stripe sends when a store in trial subscribes:
// the Checkout session, the new subscription and its first paid invoice.
func activation(s *shop, at time.Time) []stripeEvent {
	end := at.AddDate(0, 1, 0)
	return []stripeEvent{
		checkoutCompleted(at, s.ID, s.Customer, s.Sub),
		subscriptionEvent("created", at, s.Customer, s.Sub, "active", end),
		invoiceEvent(true, at.Add(time.Second), s.Customer, s.Sub, "in_"+s.Slug+"_1", end),
	}
}

// renewalFailsThenPays is a month later: the renewal fails, the
// subscription goes past_due, the retry is paid and it is active again.
func renewalFailsThenPays(s *shop, at time.Time) []stripeEvent {
	end := at.AddDate(0, 1, 0)
	inv := "in_" + s.Slug + "_2"
	return []stripeEvent{
		invoiceEvent(false, at, s.Customer, s.Sub, inv, end),
		subscriptionEvent("updated", at.Add(time.Second), s.Customer, s.Sub, "past_due", end),
		invoiceEvent(true, at.Add(time.Hour), s.Customer, s.Sub, inv, end),
		subscriptionEvent("updated", at.Add(time.Hour+time.Second), s.Customer, s.Sub, "active", end),
	}
}

func deliverAll(t *testing.T, a *testkit.App, es []stripeEvent) {
	t.Helper()
	for _, e := range es {
		mustDeliver(t, a, e)
	}
}

func wantStatus(t *testing.T, got billing, status string, history ...string) {
	t.Helper()
	if string(got.Status) != status {
		t.Fatalf("status = %s, want %s", got.Status, status)
	}
	want := append([]string{">trial"}, history...)
	if !slices.Equal(got.History, want) {
		t.Fatalf("history = %v, want %v", got.History, want)
	}
}

func TestTrialToActive(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-activa", "")
	deliverAll(t, a, activation(s, a.Clock.Now()))
	got := stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "active", "trial>active")
	if got.Sub != s.Sub || got.PeriodEnd == nil || got.PastDue || got.Applied != 3 {
		t.Fatalf("subscription %+v", got)
	}
	if !slices.Equal(got.Invoices, []string{"in_tienda-activa_1:paid:24900"}) || len(got.EmailKinds) != 0 {
		t.Fatalf("invoices %v, emails %v", got.Invoices, got.EmailKinds)
	}
	if r := a.Client().Get("/" + s.Slug); r.StatusCode != 200 {
		t.Fatalf("store page: %d", r.StatusCode)
	}
}

func TestPastDueAndRecovery(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-morosa", "")
	now := a.Clock.Now()
	deliverAll(t, a, activation(s, now))
	renewal := renewalFailsThenPays(s, now.AddDate(0, 1, 0))
	deliverAll(t, a, renewal[:2])
	got := stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "past_due", "trial>active", "active>past_due")
	if !got.PastDue || !slices.Equal(got.EmailKinds, []string{"payment_failed"}) {
		t.Fatalf("past due: %+v", got)
	}
	if r := a.Client().Get("/" + s.Slug); r.StatusCode != 200 {
		t.Fatalf("store page in grace period: %d", r.StatusCode)
	}
	deliverAll(t, a, renewal[2:])
	got = stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "active", "trial>active", "active>past_due", "past_due>active")
	if got.PastDue || !slices.Equal(got.EmailKinds, []string{"payment_failed", "payment_recovered"}) {
		t.Fatalf("recovered: %+v", got)
	}
	if !slices.Equal(got.Invoices, []string{"in_tienda-morosa_2:paid:24900", "in_tienda-morosa_1:paid:24900"}) {
		t.Fatalf("invoices %v", got.Invoices)
	}
}

func TestCancellation(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-baja", "")
	now := a.Clock.Now()
	deliverAll(t, a, activation(s, now))
	if r := a.Client().Get("/" + s.Slug); r.StatusCode != 200 {
		t.Fatalf("store page while active: %d", r.StatusCode)
	}
	mustDeliver(t, a, subscriptionEvent("deleted", now.Add(time.Hour), s.Customer, s.Sub, "canceled", now.AddDate(0, 1, 0)))
	got := stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "cancelled", "trial>active", "active>cancelled")
	if !slices.Equal(got.EmailKinds, []string{"subscription_cancelled"}) {
		t.Fatalf("emails %v", got.EmailKinds)
	}
	// The page cached while active was purged: shoppers see it unavailable.
	if r := a.Client().Get("/" + s.Slug); r.StatusCode != 503 {
		t.Fatalf("store page once cancelled: %d", r.StatusCode)
	}
}

// TestForbiddenTransitions: an event asking for a transition the machine
// refuses is answered 200 and changes nothing, not even its invoice.
func TestForbiddenTransitions(t *testing.T) {
	a := testkit.NewApp(t)
	now := a.Clock.Now()
	cases := []struct {
		name  string
		setup func(s *shop) []stripeEvent
		event func(s *shop) stripeEvent
	}{
		{"trial to past_due by a failed payment", nil, func(s *shop) stripeEvent {
			return invoiceEvent(false, now.Add(time.Hour), s.Customer, s.Sub, "in_"+s.Slug, now.AddDate(0, 1, 0))
		}},
		{"trial to past_due by the subscription", nil, func(s *shop) stripeEvent {
			return subscriptionEvent("updated", now.Add(time.Hour), s.Customer, s.Sub, "past_due", now.AddDate(0, 1, 0))
		}},
		{"cancelled to past_due by a failed payment", cancelled(now), func(s *shop) stripeEvent {
			return invoiceEvent(false, now.Add(2*time.Hour), s.Customer, s.Sub, "in_"+s.Slug+"_9", now.AddDate(0, 2, 0))
		}},
		{"cancelled to past_due by the subscription", cancelled(now), func(s *shop) stripeEvent {
			return subscriptionEvent("updated", now.Add(2*time.Hour), s.Customer, s.Sub, "unpaid", now.AddDate(0, 2, 0))
		}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newShop(t, a, "prohibida-"+string(rune('a'+i)), "")
			if c.setup != nil {
				deliverAll(t, a, c.setup(s))
			}
			before := stateOf(t, a, s.ID, s.Email)
			mustDeliver(t, a, c.event(s))
			if after := stateOf(t, a, s.ID, s.Email); !reflect.DeepEqual(before, after) {
				t.Fatalf("changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// cancelled is the events of a store that subscribed and cancelled.
func cancelled(now time.Time) func(s *shop) []stripeEvent {
	return func(s *shop) []stripeEvent {
		return append(activation(s, now), subscriptionEvent("deleted", now.Add(time.Hour), s.Customer, s.Sub, "canceled", now.AddDate(0, 1, 0)))
	}
}

// TestOutOfOrder: an event older than the last one applied never rolls the
// status back, and a paid invoice stays paid.
func TestOutOfOrder(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-desorden", "")
	now := a.Clock.Now()
	deliverAll(t, a, activation(s, now))
	r := renewalFailsThenPays(s, now.AddDate(0, 1, 0))
	// The retry's success and the subscription going active come first.
	deliverAll(t, a, []stripeEvent{r[2], r[3], r[0], r[1]})
	got := stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "active", "trial>active")
	if got.PastDue || len(got.EmailKinds) != 0 || got.Applied != 7 {
		t.Fatalf("late failure rolled back: %+v", got)
	}
	if !slices.Equal(got.Invoices, []string{"in_tienda-desorden_2:paid:24900", "in_tienda-desorden_1:paid:24900"}) {
		t.Fatalf("invoices %v", got.Invoices)
	}
}

// TestResubscription: a cancelled store subscribes again with a new
// subscription; news of the old one no longer changes its status.
func TestResubscription(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-vuelve", "")
	now := a.Clock.Now()
	deliverAll(t, a, cancelled(now)(s))
	old := s.Sub
	s.Sub, s.Slug = "sub_tienda-vuelve_2", "tienda-vuelve-2" // the new subscription's IDs
	deliverAll(t, a, activation(s, now.Add(24*time.Hour)))
	mustDeliver(t, a, subscriptionEvent("updated", now.Add(25*time.Hour), s.Customer, old, "canceled", now.AddDate(0, 1, 0)))
	got := stateOf(t, a, s.ID, s.Email)
	wantStatus(t, got, "active", "trial>active", "active>cancelled", "cancelled>active")
	if got.Sub != s.Sub || len(got.Invoices) != 2 {
		t.Fatalf("%+v", got)
	}
}
