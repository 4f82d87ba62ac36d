package webhooks_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/testkit"
)

// appWithLog is a test app whose logs go to the returned buffer.
func appWithLog(t *testing.T) (*testkit.App, *testkit.LogBuffer) {
	logs := &testkit.LogBuffer{}
	a := testkit.NewApp(t, func(_ map[string]string, o *app.Options) {
		o.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	return a, logs
}

// logLine is the first log line containing every one of parts, or "".
func logLine(logs *testkit.LogBuffer, parts ...string) string {
	for _, l := range strings.Split(logs.String(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

// TestRefusedEvents: an event that is not signed right, or of another API
// version, is answered 400 with the reason logged, and stores nothing.
func TestRefusedEvents(t *testing.T) {
	a, logs := appWithLog(t)
	s := newShop(t, a, "tienda-firmas", "")
	now := a.Clock.Now()
	paid := activation(s, now)[0]
	wrongVersion := newEventVersion(paid.Type, now, map[string]any{
		"id": "cs_x", "object": "checkout.session", "client_reference_id": "1", "customer": s.Customer,
		"subscription": s.Sub, "payment_status": "paid",
	}, "2024-06-20")
	cases := []struct {
		name, sig, why string
		body           []byte
	}{
		{"missing signature", "", "no Stripe-Signature header", paid.Body},
		{"bad signature", testkit.SignStripe(paid.Body, "whsec_someone_else", time.Now()), "no valid signature", paid.Body},
		{"stale signature", testkit.SignStripe(paid.Body, testkit.StripeWebhookSecret, time.Now().Add(-6*time.Minute)), "tolerance", paid.Body},
		{"changed body", testkit.SignStripe(paid.Body, testkit.StripeWebhookSecret, time.Now()), "no valid signature",
			bytes.Replace(paid.Body, []byte(`"payment_status":"paid"`), []byte(`"payment_status":"unpaid"`), 1)},
		{"wrong API version", testkit.SignStripe(wrongVersion.Body, testkit.StripeWebhookSecret, time.Now()),
			`API version \"2024-06-20\", expected \"2023-10-16\"`, wrongVersion.Body},
	}
	before := stateOf(t, a, s.ID, s.Email)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, err := deliverRaw(a, c.body, c.sig)
			if err != nil || code != 400 {
				t.Fatalf("status %d, %v", code, err)
			}
			if logLine(logs, "stripe webhook refused", c.why) == "" {
				t.Fatalf("no log line saying %q in\n%s", c.why, logs)
			}
			if after := stateOf(t, a, s.ID, s.Email); !equalBilling(before, after) {
				t.Fatalf("changed: %+v", after)
			}
		})
	}
}

func equalBilling(a, b billing) bool {
	return a.Status == b.Status && a.Customer == b.Customer && a.Sub == b.Sub && a.Applied == b.Applied &&
		strings.Join(a.History, ",") == strings.Join(b.History, ",") &&
		strings.Join(a.Invoices, ",") == strings.Join(b.Invoices, ",")
}

// TestIgnoredAndUnknown: an event type billing does not handle, and an
// event for a customer no store has, are answered 200 and change nothing;
// the unknown customer is logged as a warning.
func TestIgnoredAndUnknown(t *testing.T) {
	a, logs := appWithLog(t)
	s := newShop(t, a, "tienda-rara", "")
	now := a.Clock.Now()
	before := stateOf(t, a, s.ID, s.Email)
	other := newEvent("customer.created", now, map[string]any{"id": s.Customer, "object": "customer", "email": s.Email})
	mustDeliver(t, a, other)
	if logLine(logs, other.ID, "outcome=ignored") == "" {
		t.Fatalf("not logged as ignored:\n%s", logs)
	}
	stranger := invoiceEvent(true, now, "cus_nobody", "sub_nobody", "in_nobody", now.AddDate(0, 1, 0))
	mustDeliver(t, a, stranger)
	if l := logLine(logs, "level=WARN", "no business for the event", stranger.ID, "cus_nobody"); l == "" {
		t.Fatalf("no warning for the unknown customer:\n%s", logs)
	}
	lost := checkoutCompleted(now, s.ID+1000, "cus_nobody", "sub_nobody")
	mustDeliver(t, a, lost)
	if logLine(logs, "level=WARN", "no business for the event", lost.ID) == "" {
		t.Fatalf("no warning for the unknown business:\n%s", logs)
	}
	if after := stateOf(t, a, s.ID, s.Email); !equalBilling(before, after) {
		t.Fatalf("changed: %+v", after)
	}
	for _, table := range []string{"stripe_events", "invoices"} {
		var n int64
		if err := a.DB.Table(table).Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("%s: %d rows, %v", table, n, err)
		}
	}
}

// TestRefusalLogged: a refused transition is logged with its event ID.
func TestRefusalLogged(t *testing.T) {
	a, logs := appWithLog(t)
	s := newShop(t, a, "tienda-rechazo", "")
	now := a.Clock.Now()
	e := invoiceEvent(false, now, s.Customer, s.Sub, "in_rechazo", now.AddDate(0, 1, 0))
	mustDeliver(t, a, e)
	if logLine(logs, "subscription transition refused", "stripe_event="+e.ID) == "" ||
		logLine(logs, e.ID, "outcome=refused") == "" {
		t.Fatalf("refusal not logged:\n%s", logs)
	}
}
