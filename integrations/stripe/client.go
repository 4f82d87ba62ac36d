// Package stripe is Qubly's adapter to Stripe: Checkout and the customer
// portal for subscriptions, coupons and balance credits for referrals,
// webhook verification and parsing, and the one-time account setup. It
// speaks API version 2023-10-16 through stripe-go v76.
package stripe

import (
	"net/http"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// APIVersion is the Stripe API version stripe-go v76 speaks; webhook
// endpoints must be created with it (see Setup).
const APIVersion = stripego.APIVersion

// Client calls Stripe's API with one account's secret key.
type Client struct {
	api *client.API
}

// New returns a client for secretKey. A non-empty apiBase (STRIPE_API_BASE,
// e.g. a stripe-mock at http://127.0.0.1:12111) replaces Stripe's API and
// uploads hosts.
func New(secretKey, apiBase string) *Client {
	cfg := &stripego.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 20 * time.Second},
		MaxNetworkRetries: stripego.Int64(2),
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelError},
	}
	if apiBase != "" {
		cfg.URL = stripego.String(strings.TrimRight(apiBase, "/"))
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, cfg),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, cfg),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, cfg),
	}
	return &Client{api: client.New(secretKey, backends)}
}
