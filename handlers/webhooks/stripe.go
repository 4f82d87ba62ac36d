// Package webhooks serves the endpoints other services call: Stripe's
// billing events at /webhooks/stripe. They carry no session nor CSRF token
// (the CSRF middleware skips /webhooks/); each checks its caller's
// signature instead.
package webhooks

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// StripePath is where Stripe posts its events (qubly stripe-setup creates
// the endpoint there).
const StripePath = "/webhooks/stripe"

// StripeBodyMax bounds an event's body; Stripe's are a few KiB.
const StripeBodyMax = 256 << 10

// StripeParser verifies a Stripe event's signature and reads it
// (integrations/stripe.ParseEvent bound to the endpoint's secret); any
// error is the request's fault: a bad or stale signature, another API
// version or a body that is not an event.
type StripeParser func(payload []byte, sigHeader string) (domain.BillingEvent, error)

// BillingEvents applies Stripe events to subscriptions.
type BillingEvents interface {
	ApplyEvent(ctx context.Context, e domain.BillingEvent) (services.EventOutcome, error)
}

// StripeMetrics counts the events received by type and result
// (integrations/metrics).
type StripeMetrics interface {
	StripeEvent(eventType, result string)
}

// Results of an event besides its services.EventOutcome.
const (
	ResultTooLarge = "too_large"
	ResultInvalid  = "invalid"
	ResultError    = "error"
	// typeUnread is the type of an event that could not be read.
	typeUnread = "unknown"
)

// Stripe serves POST /webhooks/stripe.
type Stripe struct {
	parse   StripeParser
	events  BillingEvents
	metrics StripeMetrics
}

// NewStripe returns the Stripe webhook handler.
func NewStripe(parse StripeParser, events BillingEvents) *Stripe {
	return &Stripe{parse: parse, events: events}
}

// WithMetrics makes h count the events in m; it returns h.
func (h *Stripe) WithMetrics(m StripeMetrics) *Stripe {
	h.metrics = m
	return h
}

// count reports one event to the metrics, if any.
func (h *Stripe) count(eventType, result string) {
	if h.metrics != nil {
		h.metrics.StripeEvent(eventType, result)
	}
}

// Register mounts the route on r.
func (h *Stripe) Register(r fiber.Router) {
	r.Post(StripePath, h.receive)
}

// receive answers 400 to an event it cannot trust or read (logged with the
// reason; Stripe retries it), 200 {"received":true} to every other, applied
// or not (a duplicate, an ignored type, an unknown customer, a refused
// transition: retrying would not change them), and lets the central error
// handler answer a database error (500, or 503 while it is unreachable), so
// Stripe retries the event later.
func (h *Stripe) receive(c *fiber.Ctx) error {
	log := web.Log(c)
	body := c.Body()
	if len(body) > StripeBodyMax {
		log.Warn("stripe webhook refused: body too large", "bytes", len(body))
		h.count(typeUnread, ResultTooLarge)
		return c.Status(fiber.StatusRequestEntityTooLarge).JSON(fiber.Map{"error": "body too large"})
	}
	e, err := h.parse(body, c.Get("Stripe-Signature"))
	if err != nil {
		log.Warn("stripe webhook refused", "err", err)
		h.count(typeUnread, ResultInvalid)
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid event"})
	}
	out, err := h.events.ApplyEvent(c.UserContext(), e)
	if err != nil {
		h.count(e.Type, ResultError)
		return err
	}
	h.count(e.Type, string(out))
	switch out {
	case services.EventUnknownCustomer:
		log.Warn("stripe webhook: no business for the event", "stripe_event", e.ID, "type", e.Type,
			"customer", e.CustomerID, "subscription", e.SubscriptionID)
	default:
		log.Info("stripe webhook", "stripe_event", e.ID, "type", e.Type, "outcome", string(out))
	}
	return c.JSON(fiber.Map{"received": true})
}
