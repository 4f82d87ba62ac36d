package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/qubly/qubly/domain"
)

// Errors of ParseEvent; each is answered 400 (Stripe shows it on the
// endpoint and retries, which only helps once the configuration is fixed).
var (
	// ErrSignature is a missing, bad or stale (older than 5 minutes)
	// Stripe-Signature, or no webhook secret configured.
	ErrSignature = errors.New("stripe webhook signature")
	// ErrAPIVersion is an event rendered in another API version than
	// APIVersion: its objects would be misread, so it is not parsed.
	ErrAPIVersion = errors.New("stripe webhook API version")
	// ErrPayload is a signed body that is not a Stripe event.
	ErrPayload = errors.New("stripe webhook payload")
)

// envelope is an event without its object decoded: the API version is
// checked before the object is read.
type envelope struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Created    int64  `json:"created"`
	APIVersion string `json:"api_version"`
	Data       struct {
		Object json.RawMessage `json:"object"`
	} `json:"data"`
}

// ParseEvent verifies payload against the Stripe-Signature header sigHeader
// with the endpoint's secret (stripe-go's tolerance of 5 minutes) and reads
// it as a domain.BillingEvent. It fails with ErrSignature, ErrAPIVersion
// (the message names the version that came and the one expected) or
// ErrPayload.
func ParseEvent(payload []byte, sigHeader, secret string) (domain.BillingEvent, error) {
	if secret == "" {
		return domain.BillingEvent{}, fmt.Errorf("%w: STRIPE_WEBHOOK_SECRET is not set", ErrSignature)
	}
	if err := webhook.ValidatePayload(payload, sigHeader, secret); err != nil {
		return domain.BillingEvent{}, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return domain.BillingEvent{}, fmt.Errorf("%w: %w", ErrPayload, err)
	}
	if env.APIVersion != APIVersion {
		return domain.BillingEvent{}, fmt.Errorf("%w: event %s (%s) is API version %q, expected %q: create the webhook endpoint with version %s (qubly stripe-setup)",
			ErrAPIVersion, env.ID, env.Type, env.APIVersion, APIVersion, APIVersion)
	}
	if env.ID == "" || env.Type == "" {
		return domain.BillingEvent{}, fmt.Errorf("%w: event without id or type", ErrPayload)
	}
	e := domain.BillingEvent{ID: env.ID, Type: env.Type, Created: unix(env.Created)}
	if !e.Handled() {
		return e, nil
	}
	if err := readObject(&e, env.Data.Object); err != nil {
		return domain.BillingEvent{}, fmt.Errorf("%w: %s %s: %w", ErrPayload, e.Type, e.ID, err)
	}
	return e, nil
}

// readObject fills e's fields from the event's object, of e.Type.
func readObject(e *domain.BillingEvent, raw json.RawMessage) error {
	switch e.Type {
	case domain.EventCheckoutCompleted:
		var s stripego.CheckoutSession
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		e.CustomerID, e.SubscriptionID = customerID(s.Customer), subscriptionID(s.Subscription)
		e.Checkout = &domain.CheckoutCompleted{
			BusinessID: businessID(s.ClientReferenceID, s.Metadata), PaymentStatus: string(s.PaymentStatus),
		}
	case domain.EventSubscriptionCreated, domain.EventSubscriptionUpdated, domain.EventSubscriptionDeleted:
		var s stripego.Subscription
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		e.CustomerID, e.SubscriptionID = customerID(s.Customer), s.ID
		e.Subscription = &domain.StripeSubscription{
			Status: string(s.Status), CurrentPeriodEnd: unix(s.CurrentPeriodEnd), CancelAtPeriodEnd: s.CancelAtPeriodEnd,
		}
	default: // invoice.payment_*
		var inv stripego.Invoice
		if err := json.Unmarshal(raw, &inv); err != nil {
			return err
		}
		e.CustomerID, e.SubscriptionID = customerID(inv.Customer), subscriptionID(inv.Subscription)
		e.Invoice = invoice(&inv)
	}
	return nil
}

// invoice reads what billing keeps of a Stripe invoice.
func invoice(inv *stripego.Invoice) *domain.StripeInvoice {
	out := &domain.StripeInvoice{
		ID: inv.ID, Number: inv.Number, Amount: domain.Money(inv.AmountDue), Currency: string(inv.Currency),
		Status: string(inv.Status), HostedURL: inv.HostedInvoiceURL, BillingReason: string(inv.BillingReason),
		PeriodStart: unix(inv.PeriodStart), PeriodEnd: unix(inv.PeriodEnd),
	}
	if inv.Status == stripego.InvoiceStatusPaid {
		out.Amount = domain.Money(inv.AmountPaid)
	}
	// An invoice's own period is the one before it (what usage it bills);
	// its subscription line says which month it pays for.
	if inv.Lines != nil {
		for _, l := range inv.Lines.Data {
			if l != nil && l.Type == stripego.InvoiceLineItemTypeSubscription && l.Period != nil {
				out.PeriodStart, out.PeriodEnd = unix(l.Period.Start), unix(l.Period.End)
				break
			}
		}
	}
	return out
}

// businessID is the business a Checkout session was opened for: its
// client_reference_id, else its metadata business_id; 0 when neither is one.
func businessID(ref string, metadata map[string]string) int64 {
	for _, s := range []string{ref, metadata["business_id"]} {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			return id
		}
	}
	return 0
}

func customerID(c *stripego.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

func subscriptionID(s *stripego.Subscription) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// unix is a Stripe timestamp in UTC; 0 is the zero time.
func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
