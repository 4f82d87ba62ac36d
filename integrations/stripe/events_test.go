package stripe

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/qubly/qubly/domain"
)

const testSecret = "whsec_test"

func signed(t *testing.T, body string) (domain.BillingEvent, error) {
	t.Helper()
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: []byte(body), Secret: testSecret, Timestamp: time.Now(),
	}).Header
	return ParseEvent([]byte(body), sig, testSecret)
}

func TestParseInvoiceUsesTheSubscriptionLine(t *testing.T) {
	e, err := signed(t, `{"id":"evt_1","object":"event","api_version":"2023-10-16","created":1767225600,
		"type":"invoice.payment_failed","data":{"object":{"id":"in_1","object":"invoice","customer":"cus_1",
		"subscription":"sub_1","status":"open","number":"N-1","amount_due":24900,"amount_paid":0,"currency":"mxn",
		"hosted_invoice_url":"https://invoice.stripe.com/i/1","billing_reason":"subscription_cycle",
		"period_start":1764547200,"period_end":1767225600,
		"lines":{"object":"list","data":[
			{"id":"il_0","object":"line_item","type":"invoiceitem","period":{"start":1,"end":2}},
			{"id":"il_1","object":"line_item","type":"subscription","subscription":"sub_1","period":{"start":1767225600,"end":1769904000}}]}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	inv := e.Invoice
	if e.CustomerID != "cus_1" || e.SubscriptionID != "sub_1" || inv == nil || inv.ID != "in_1" ||
		inv.Amount != 24900 || inv.Currency != "mxn" || inv.Status != "open" || inv.Number != "N-1" ||
		inv.BillingReason != "subscription_cycle" || inv.HostedURL == "" ||
		inv.PeriodStart.Unix() != 1767225600 || inv.PeriodEnd.Unix() != 1769904000 || e.Created.Unix() != 1767225600 {
		t.Fatalf("%+v %+v", e, inv)
	}
}

func TestParseCheckoutBusiness(t *testing.T) {
	for body, want := range map[string]int64{
		`"client_reference_id":"42","metadata":{"business_id":"7"}`: 42,
		`"client_reference_id":null,"metadata":{"business_id":"7"}`: 7,
		`"client_reference_id":"x","metadata":{}`:                   0,
	} {
		e, err := signed(t, `{"id":"evt_2","api_version":"2023-10-16","created":1,"type":"checkout.session.completed",
			"data":{"object":{"id":"cs_1","object":"checkout.session","customer":"cus_1","subscription":"sub_1",
			"payment_status":"paid",`+body+`}}}`)
		if err != nil || e.Checkout == nil || e.Checkout.BusinessID != want || e.Checkout.PaymentStatus != "paid" ||
			e.CustomerID != "cus_1" || e.SubscriptionID != "sub_1" {
			t.Fatalf("%s: %+v %+v %v", body, e, e.Checkout, err)
		}
	}
}

func TestParseOtherTypesOnlyNamed(t *testing.T) {
	e, err := signed(t, `{"id":"evt_3","api_version":"2023-10-16","created":1,"type":"charge.refunded","data":{"object":{"id":"ch_1","customer":"cus_1"}}}`)
	if err != nil || e.ID != "evt_3" || e.Type != "charge.refunded" || e.CustomerID != "" || e.Handled() {
		t.Fatalf("%+v %v", e, err)
	}
}

func TestParseRefuses(t *testing.T) {
	e, err := signed(t, `{"id":"evt_4","api_version":"2024-04-10","created":1,"type":"invoice.payment_succeeded","data":{"object":{"id":"in_1","subscription_details":{}}}}`)
	if !errors.Is(err, ErrAPIVersion) || !strings.Contains(err.Error(), `"2024-04-10"`) || !strings.Contains(err.Error(), `"2023-10-16"`) || e.ID != "" {
		t.Fatalf("%+v %v", e, err)
	}
	if _, err := ParseEvent([]byte(`{}`), "", testSecret); !errors.Is(err, ErrSignature) {
		t.Fatalf("missing signature: %v", err)
	}
	body := []byte(`{"id":"evt_5","api_version":"2023-10-16","type":"customer.created"}`)
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "", Timestamp: time.Now()}).Header
	if _, err := ParseEvent(body, sig, ""); !errors.Is(err, ErrSignature) {
		t.Fatalf("no secret configured must refuse everything: %v", err)
	}
	if _, err := signed(t, `{"id":"evt_6","api_version":"2023-10-16","type":"invoice.payment_failed","data":{"object":{"lines":7}}}`); !errors.Is(err, ErrPayload) {
		t.Fatalf("bad object: %v", err)
	}
}
