package main

import (
	"context"
	"fmt"
	"io"

	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/stripe"
)

// stripeSetup runs `qubly stripe-setup`: it prepares the Stripe account of
// STRIPE_SECRET_KEY (stripe.Client.Setup), says what it found or created,
// and prints the environment lines to set.
func stripeSetup(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) int {
	if cfg.StripeSecretKey == "" {
		fmt.Fprintln(stderr, "qubly stripe-setup: set STRIPE_SECRET_KEY (sk_test_… or sk_live_…)")
		return 2
	}
	res, err := stripe.New(cfg.StripeSecretKey, cfg.StripeAPIBase).Setup(ctx, cfg.BaseURL, domain.Money(cfg.PlanPriceCents))
	if err != nil {
		fmt.Fprintf(stderr, "qubly stripe-setup: %v\n", err)
		return 1
	}
	say := func(created bool, what, id string) {
		verb := "found"
		if created {
			verb = "created"
		}
		fmt.Fprintf(stdout, "%-8s %s %s\n", verb, what, id)
	}
	say(res.PriceCreated, "price "+res.PriceAmount.Pesos()+" MXN/month ("+stripe.PriceLookupKey+")", res.PriceID)
	if res.PriceAmount != domain.Money(cfg.PlanPriceCents) {
		fmt.Fprintf(stdout, "warning: the price charges %s but PLAN_PRICE_CENTS is %d\n", res.PriceAmount.Pesos(), cfg.PlanPriceCents)
	}
	if res.WebhookLocal {
		fmt.Fprintln(stdout, "skipped  webhook endpoint: Stripe cannot reach "+cfg.BaseURL+"; for local testing run\n"+
			"         stripe listen --forward-to localhost:3000/webhooks/stripe\n"+
			"         and set the whsec_ secret it prints as STRIPE_WEBHOOK_SECRET")
	} else {
		say(res.WebhookCreated, "webhook endpoint "+res.WebhookURL+" (API "+stripe.APIVersion+")", res.WebhookID)
		if !res.WebhookCreated {
			fmt.Fprintln(stdout, "         its signing secret is in the Stripe Dashboard (Developers → Webhooks)")
		}
	}
	say(res.PortalCreated, "customer portal configuration", res.PortalID)
	if !res.PortalDefault {
		fmt.Fprintln(stdout, "         not the account's default, which portal sessions use: check Settings → Billing → Customer portal in the Dashboard")
	}
	fmt.Fprintln(stdout, "\nSet in the environment:")
	for _, l := range res.EnvLines() {
		fmt.Fprintln(stdout, l)
	}
	return 0
}
