package stripe

import (
	"context"
	"fmt"

	stripego "github.com/stripe/stripe-go/v76"
)

// PortalSession creates a customer portal session for customerID, where the
// owner changes the card, sees invoices or cancels, and returns its URL;
// the portal's way back leads to returnURL.
func (c *Client) PortalSession(ctx context.Context, customerID, returnURL string) (string, error) {
	p := &stripego.BillingPortalSessionParams{
		Customer:  stripego.String(customerID),
		ReturnURL: stripego.String(returnURL),
	}
	p.Context = ctx
	s, err := c.api.BillingPortalSessions.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create portal session of customer %s: %w", customerID, err)
	}
	return s.URL, nil
}
