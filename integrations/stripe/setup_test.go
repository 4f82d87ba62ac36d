package stripe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qubly/qubly/integrations/stripe"
)

func TestSetupCreatesPriceWebhookAndPortal(t *testing.T) {
	mock := newRecorder(t)
	res, err := stripe.New("sk_test_123", mock.URL).Setup(context.Background(), "https://qubly.example/", 24900)
	if err != nil {
		t.Fatal(err)
	}
	if !res.PriceCreated || !res.WebhookCreated || !res.PortalCreated || res.PriceID == "" || res.WebhookID == "" || res.PortalID == "" {
		t.Fatalf("result = %+v, want everything created", res)
	}
	if len(mock.requests("POST", "/v1/products")) != 1 {
		t.Error("no product created")
	}
	price := mock.requests("POST", "/v1/prices")
	if len(price) != 1 {
		t.Fatalf("%d prices created", len(price))
	}
	for k, want := range map[string]string{
		"unit_amount": "24900", "currency": "mxn", "recurring[interval]": "month", "lookup_key": stripe.PriceLookupKey,
	} {
		if got := price[0].Form.Get(k); got != want {
			t.Errorf("price %s = %q, want %q", k, got, want)
		}
	}
	hook := mock.requests("POST", "/v1/webhook_endpoints")
	if len(hook) != 1 {
		t.Fatalf("%d webhook endpoints created", len(hook))
	}
	f := hook[0].Form
	if f.Get("url") != "https://qubly.example/webhooks/stripe" || f.Get("api_version") != "2023-10-16" {
		t.Errorf("webhook endpoint url %q, api_version %q", f.Get("url"), f.Get("api_version"))
	}
	var events []string
	for i := 0; f.Has(fmt.Sprintf("enabled_events[%d]", i)); i++ {
		events = append(events, f.Get(fmt.Sprintf("enabled_events[%d]", i)))
	}
	if got := strings.Join(events, ","); got != strings.Join(stripe.WebhookEvents, ",") {
		t.Errorf("webhook events %q", got)
	}
	portal := mock.requests("POST", "/v1/billing_portal/configurations")
	if len(portal) != 1 {
		t.Fatalf("%d portal configurations created", len(portal))
	}
	for k, want := range map[string]string{
		"features[subscription_cancel][enabled]": "true", "features[subscription_cancel][mode]": "at_period_end",
		"features[payment_method_update][enabled]": "true", "features[invoice_history][enabled]": "true",
		"default_return_url": "https://qubly.example/dashboard/billing",
	} {
		if got := portal[0].Form.Get(k); got != want {
			t.Errorf("portal %s = %q, want %q", k, got, want)
		}
	}
	if lines := res.EnvLines(); lines[0] != "STRIPE_PRICE_ID="+res.PriceID {
		t.Errorf("env lines %q", lines)
	}
}

func TestSetupEnvLinesTellANewWebhookSecret(t *testing.T) {
	r := &stripe.SetupResult{PriceID: "price_1", WebhookSecret: "whsec_new", WebhookCreated: true}
	if got := strings.Join(r.EnvLines(), "\n"); got != "STRIPE_PRICE_ID=price_1\nSTRIPE_WEBHOOK_SECRET=whsec_new" {
		t.Errorf("env lines %q", got)
	}
}

// existingAccount answers Stripe's list calls with what a set-up account
// has, and fails any attempt to create something.
func existingAccount(t *testing.T) string {
	t.Helper()
	lists := map[string]string{
		"/v1/prices": `{"object":"list","url":"/v1/prices","has_more":false,"data":[{"id":"price_old","object":"price","lookup_key":"qubly_monthly_mxn","unit_amount":24900,"currency":"mxn"}]}`,
		"/v1/webhook_endpoints": `{"object":"list","url":"/v1/webhook_endpoints","has_more":false,"data":[
			{"id":"we_other","object":"webhook_endpoint","url":"https://other.example/hook"},
			{"id":"we_old","object":"webhook_endpoint","url":"https://qubly.example/webhooks/stripe"}]}`,
		"/v1/billing_portal/configurations": `{"object":"list","url":"/v1/billing_portal/configurations","has_more":false,"data":[{"id":"bpc_old","object":"billing_portal.configuration","is_default":true,"metadata":{"qubly":"portal"}}]}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := lists[r.URL.Path]
		if r.Method != http.MethodGet || !ok {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			http.Error(w, `{"error":{"message":"unexpected"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSetupKeepsWhatExists(t *testing.T) {
	res, err := stripe.New("sk_test_123", existingAccount(t)).Setup(context.Background(), "https://qubly.example", 24900)
	if err != nil {
		t.Fatal(err)
	}
	if res.PriceCreated || res.WebhookCreated || res.PortalCreated {
		t.Fatalf("created something on a set-up account: %+v", res)
	}
	if res.PriceID != "price_old" || res.WebhookID != "we_old" || res.PortalID != "bpc_old" || !res.PortalDefault {
		t.Fatalf("result = %+v", res)
	}
	if lines := res.EnvLines(); len(lines) != 1 || lines[0] != "STRIPE_PRICE_ID=price_old" {
		t.Errorf("env lines %q, want only the price (no new secret)", lines)
	}
}

func TestSetupMakesNoWebhookForALocalBaseURL(t *testing.T) {
	for _, base := range []string{"http://localhost:3000", "http://127.0.0.1:3000"} {
		mock := newRecorder(t)
		res, err := stripe.New("sk_test_123", mock.URL).Setup(context.Background(), base, 24900)
		if err != nil {
			t.Fatal(err)
		}
		if !res.WebhookLocal || res.WebhookCreated || len(mock.requests("POST", "/v1/webhook_endpoints")) != 0 {
			t.Errorf("%s: a webhook endpoint Stripe cannot reach was made: %+v", base, res)
		}
	}
}
