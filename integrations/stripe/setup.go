package stripe

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/qubly/qubly/domain"
)

// PriceLookupKey names Qubly's monthly price in Stripe, so setup finds it
// again instead of creating a second one.
const PriceLookupKey = "qubly_monthly_mxn"

// WebhookPath is where Stripe posts events to the app.
const WebhookPath = "/webhooks/stripe"

// WebhookEvents are the events the app handles; the endpoint sends only these.
var WebhookEvents = []string{
	"checkout.session.completed",
	"customer.subscription.created",
	"customer.subscription.updated",
	"customer.subscription.deleted",
	"invoice.payment_succeeded",
	"invoice.payment_failed",
}

// portalMetadataKey marks the customer portal configuration setup made.
const portalMetadataKey = "qubly"

// SetupResult is what Setup found or created.
type SetupResult struct {
	PriceID      string
	PriceAmount  domain.Money
	PriceCreated bool
	// WebhookSecret is the new endpoint's signing secret; Stripe shows it
	// only when the endpoint is created, so it is empty for an existing one.
	WebhookURL, WebhookID, WebhookSecret string
	WebhookCreated                       bool
	// WebhookLocal is set when baseURL is this machine, which Stripe cannot
	// reach: no endpoint is made (use `stripe listen` instead).
	WebhookLocal                 bool
	PortalID                     string
	PortalCreated, PortalDefault bool
}

// Setup prepares a Stripe account for Qubly, creating only what is missing:
// the product and its monthly MXN price of priceCents (lookup key
// PriceLookupKey), the webhook endpoint at baseURL+WebhookPath with
// APIVersion and WebhookEvents, and a customer portal configuration (cancel
// at period end, update the payment method, invoice history). Running it
// again changes nothing. A baseURL on this machine gets no webhook endpoint:
// Stripe could not reach it.
func (c *Client) Setup(ctx context.Context, baseURL string, priceCents domain.Money) (*SetupResult, error) {
	res := &SetupResult{WebhookURL: strings.TrimRight(baseURL, "/") + WebhookPath}
	if err := c.setupPrice(ctx, priceCents, res); err != nil {
		return nil, fmt.Errorf("stripe price: %w", err)
	}
	res.WebhookLocal = isLocal(baseURL)
	if !res.WebhookLocal {
		if err := c.setupWebhook(ctx, res); err != nil {
			return nil, fmt.Errorf("stripe webhook endpoint: %w", err)
		}
	}
	if err := c.setupPortal(ctx, strings.TrimRight(baseURL, "/")+"/dashboard/billing", res); err != nil {
		return nil, fmt.Errorf("stripe customer portal: %w", err)
	}
	return res, nil
}

// isLocal reports whether baseURL points at this machine.
func isLocal(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return false
	}
	if h := u.Hostname(); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

func (c *Client) setupPrice(ctx context.Context, priceCents domain.Money, res *SetupResult) error {
	list := &stripego.PriceListParams{LookupKeys: stripego.StringSlice([]string{PriceLookupKey})}
	list.Context = ctx
	it := c.api.Prices.List(list)
	for it.Next() {
		p := it.Price()
		if p.LookupKey == PriceLookupKey {
			res.PriceID, res.PriceAmount = p.ID, domain.Money(p.UnitAmount)
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	prod := &stripego.ProductParams{
		Name:        stripego.String("Qubly"),
		Description: stripego.String("Tu tienda en línea con pedidos por WhatsApp, sin comisiones."),
	}
	prod.Context = ctx
	product, err := c.api.Products.New(prod)
	if err != nil {
		return err
	}
	params := &stripego.PriceParams{
		Product:    stripego.String(product.ID),
		Currency:   stripego.String("mxn"),
		UnitAmount: stripego.Int64(int64(priceCents)),
		Recurring:  &stripego.PriceRecurringParams{Interval: stripego.String("month")},
		LookupKey:  stripego.String(PriceLookupKey),
		Nickname:   stripego.String("Qubly mensual"),
	}
	params.Context = ctx
	price, err := c.api.Prices.New(params)
	if err != nil {
		return err
	}
	res.PriceID, res.PriceAmount, res.PriceCreated = price.ID, priceCents, true
	return nil
}

func (c *Client) setupWebhook(ctx context.Context, res *SetupResult) error {
	list := &stripego.WebhookEndpointListParams{}
	list.Context = ctx
	it := c.api.WebhookEndpoints.List(list)
	for it.Next() {
		if e := it.WebhookEndpoint(); e.URL == res.WebhookURL {
			res.WebhookID = e.ID
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	params := &stripego.WebhookEndpointParams{
		URL:           stripego.String(res.WebhookURL),
		APIVersion:    stripego.String(APIVersion),
		EnabledEvents: stripego.StringSlice(WebhookEvents),
		Description:   stripego.String("Qubly"),
	}
	params.Context = ctx
	e, err := c.api.WebhookEndpoints.New(params)
	if err != nil {
		return err
	}
	res.WebhookID, res.WebhookSecret, res.WebhookCreated = e.ID, e.Secret, true
	return nil
}

func (c *Client) setupPortal(ctx context.Context, returnURL string, res *SetupResult) error {
	list := &stripego.BillingPortalConfigurationListParams{Active: stripego.Bool(true)}
	list.Context = ctx
	it := c.api.BillingPortalConfigurations.List(list)
	for it.Next() {
		if p := it.BillingPortalConfiguration(); p.Metadata[portalMetadataKey] == "portal" {
			res.PortalID, res.PortalDefault = p.ID, p.IsDefault
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	params := &stripego.BillingPortalConfigurationParams{
		BusinessProfile:  &stripego.BillingPortalConfigurationBusinessProfileParams{Headline: stripego.String("Qubly")},
		DefaultReturnURL: stripego.String(returnURL),
		Features: &stripego.BillingPortalConfigurationFeaturesParams{
			InvoiceHistory:      &stripego.BillingPortalConfigurationFeaturesInvoiceHistoryParams{Enabled: stripego.Bool(true)},
			PaymentMethodUpdate: &stripego.BillingPortalConfigurationFeaturesPaymentMethodUpdateParams{Enabled: stripego.Bool(true)},
			SubscriptionCancel: &stripego.BillingPortalConfigurationFeaturesSubscriptionCancelParams{
				Enabled: stripego.Bool(true), Mode: stripego.String("at_period_end"),
			},
		},
		Metadata: map[string]string{portalMetadataKey: "portal"},
	}
	params.Context = ctx
	p, err := c.api.BillingPortalConfigurations.New(params)
	if err != nil {
		return err
	}
	res.PortalID, res.PortalDefault, res.PortalCreated = p.ID, p.IsDefault, true
	return nil
}

// EnvLines are the environment variables to set after Setup: the price
// always, the webhook secret when the endpoint was just created.
func (r *SetupResult) EnvLines() []string {
	lines := []string{"STRIPE_PRICE_ID=" + r.PriceID}
	if r.WebhookSecret != "" {
		lines = append(lines, "STRIPE_WEBHOOK_SECRET="+r.WebhookSecret)
	}
	return lines
}
