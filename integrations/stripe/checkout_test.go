package stripe_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/stripe"
	"github.com/qubly/qubly/testkit"
)

func TestCreateCustomer(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	c := stripe.New("sk_test_123", calls.URL)
	id, err := c.CreateCustomer(context.Background(), domain.CustomerRequest{
		BusinessID: 42, Email: "lupe@example.com", Name: "Tacos Lupe", IdempotencyKey: "qubly-customer-42",
	})
	if err != nil || !strings.HasPrefix(id, "cus_") {
		t.Fatalf("CreateCustomer = %q, %v", id, err)
	}
	sent := calls.To("POST", "/v1/customers")
	if len(sent) != 1 {
		t.Fatalf("%d customer requests", len(sent))
	}
	f := sent[0].Form
	if f.Get("email") != "lupe@example.com" || f.Get("name") != "Tacos Lupe" || f.Get("metadata[business_id]") != "42" {
		t.Errorf("customer sent as %v", f)
	}
	if sent[0].IdempotencyKey != "qubly-customer-42" {
		t.Errorf("idempotency key %q", sent[0].IdempotencyKey)
	}
}

func TestCheckoutSession(t *testing.T) {
	for _, tc := range []struct {
		name, lang, coupon, locale string
	}{
		{"spanish without coupon", "es", "", "es-419"},
		{"english with coupon", "en", "co_123", "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := testkit.NewStripeCalls(t)
			c := stripe.New("sk_test_123", calls.URL)
			url, err := c.CheckoutSession(context.Background(), domain.CheckoutRequest{
				BusinessID: 7, CustomerID: "cus_abc", PriceID: "price_249",
				SuccessURL: "http://qubly.test/dashboard/billing?checkout=success",
				CancelURL:  "http://qubly.test/dashboard/billing?checkout=cancelled",
				Lang:       tc.lang, CouponID: tc.coupon,
			})
			if err != nil || url == "" {
				t.Fatalf("CheckoutSession = %q, %v", url, err)
			}
			sent := calls.To("POST", "/v1/checkout/sessions")
			if len(sent) != 1 {
				t.Fatalf("%d session requests", len(sent))
			}
			f := sent[0].Form
			want := map[string]string{
				"mode": "subscription", "customer": "cus_abc", "client_reference_id": "7",
				"metadata[business_id]": "7", "subscription_data[metadata][business_id]": "7",
				"line_items[0][price]": "price_249", "line_items[0][quantity]": "1",
				"success_url": "http://qubly.test/dashboard/billing?checkout=success",
				"cancel_url":  "http://qubly.test/dashboard/billing?checkout=cancelled",
				"locale":      tc.locale,
			}
			if tc.coupon != "" {
				want["discounts[0][coupon]"] = tc.coupon
				want["allow_promotion_codes"] = ""
			} else {
				want["allow_promotion_codes"] = "true"
				want["discounts[0][coupon]"] = ""
			}
			for k, v := range want {
				if f.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, f.Get(k), v)
				}
			}
		})
	}
}

func TestReferralCoupon(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	c := stripe.New("sk_test_123", calls.URL)
	id, err := c.ReferralCoupon(context.Background(), domain.CouponRequest{
		BusinessID: 9, PercentOff: 50, Name: "Referido: 50% de descuento", IdempotencyKey: "qubly-coupon-9",
	})
	if err != nil || id == "" {
		t.Fatalf("ReferralCoupon = %q, %v", id, err)
	}
	sent := calls.To("POST", "/v1/coupons")
	if len(sent) != 1 {
		t.Fatalf("%d coupon requests", len(sent))
	}
	f := sent[0].Form
	for k, v := range map[string]string{
		"duration": "once", "max_redemptions": "1",
		"name": "Referido: 50% de descuento", "metadata[business_id]": "9",
	} {
		if f.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, f.Get(k), v)
		}
	}
	if pct, err := strconv.ParseFloat(f.Get("percent_off"), 64); err != nil || pct != 50 {
		t.Errorf("percent_off = %q", f.Get("percent_off"))
	}
	if sent[0].IdempotencyKey != "qubly-coupon-9" {
		t.Errorf("idempotency key %q", sent[0].IdempotencyKey)
	}
}

func TestPortalSession(t *testing.T) {
	calls := testkit.NewStripeCalls(t)
	c := stripe.New("sk_test_123", calls.URL)
	url, err := c.PortalSession(context.Background(), "cus_abc", "http://qubly.test/dashboard/billing")
	if err != nil || url == "" {
		t.Fatalf("PortalSession = %q, %v", url, err)
	}
	sent := calls.To("POST", "/v1/billing_portal/sessions")
	if len(sent) != 1 || sent[0].Form.Get("customer") != "cus_abc" || sent[0].Form.Get("return_url") != "http://qubly.test/dashboard/billing" {
		t.Fatalf("portal requests %v", sent)
	}
}
