package webhooks_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/handlers/webhooks"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// TestDatabaseError: an event whose effect cannot be stored is answered 500
// (Stripe retries it) and leaves nothing half done.
func TestDatabaseError(t *testing.T) {
	a := testkit.NewApp(t)
	s := newShop(t, a, "tienda-rota", "")
	es := activation(s, a.Clock.Now())
	deliverAll(t, a, es[:2])
	before := stateOf(t, a, s.ID, s.Email)
	if err := a.DB.Migrator().RenameTable("invoices", "invoices_away"); err != nil {
		t.Fatal(err)
	}
	code, body, err := deliverRaw(a, es[2].Body, testkit.SignStripe(es[2].Body, testkit.StripeWebhookSecret, time.Now()))
	if err != nil || code != 500 || !strings.Contains(body, `"request_id"`) {
		t.Fatalf("status %d %s, %v", code, body, err)
	}
	if err := a.DB.Migrator().RenameTable("invoices_away", "invoices"); err != nil {
		t.Fatal(err)
	}
	if after := stateOf(t, a, s.ID, s.Email); !equalBilling(before, after) {
		t.Fatalf("half applied: %+v", after)
	}
	// Stripe's retry applies it.
	mustDeliver(t, a, es[2])
	if got := stateOf(t, a, s.ID, s.Email); len(got.Invoices) != 1 || got.Applied != 3 {
		t.Fatalf("retry: %+v", got)
	}
}

type unavailableEvents struct{}

func (unavailableEvents) ApplyEvent(context.Context, domain.BillingEvent) (services.EventOutcome, error) {
	return "", fmt.Errorf("apply: %w: connection refused", domain.ErrUnavailable)
}

// TestDatabaseUnavailable: while the database cannot be reached the event
// is answered 503 with Retry-After, and Stripe retries it.
func TestDatabaseUnavailable(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := fiber.New(fiber.Config{ErrorHandler: web.NewErrorHandler(bundle)})
	parse := func([]byte, string) (domain.BillingEvent, error) {
		return domain.BillingEvent{ID: "evt_1", Type: domain.EventPaymentSucceeded}, nil
	}
	webhooks.NewStripe(parse, unavailableEvents{}).Register(f)
	req, _ := http.NewRequest("POST", webhooks.StripePath, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.Test(req, -1)
	if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("%v %v", resp, err)
	}
}

// TestBodyTooLarge: a body over 256 KiB is refused before it is parsed.
func TestBodyTooLarge(t *testing.T) {
	a := testkit.NewApp(t)
	body := []byte(`{"id":"evt_big","pad":"` + strings.Repeat("x", webhooks.StripeBodyMax) + `"}`)
	code, _, err := deliverRaw(a, body, testkit.SignStripe(body, testkit.StripeWebhookSecret, time.Now()))
	if err != nil || code != 413 {
		t.Fatalf("status %d, %v", code, err)
	}
}
