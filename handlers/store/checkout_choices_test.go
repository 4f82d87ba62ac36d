package store_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// With no delivery or payment chosen, the messages say what to do, in the
// store's language, from the service (so every client gets them).
func TestOrderWithNothingChosenSaysWhatToChoose(t *testing.T) {
	s := newShop(t)
	for _, tc := range []struct {
		lang, fulfillment, payment string
	}{
		{"es", "Elige cómo quieres recibir tu pedido.", "Elige cómo vas a pagar."},
		{"en", "Choose how you want to get your order.", "Choose how you will pay."},
	} {
		s.update(t, map[string]any{"language": tc.lang})
		body := s.validOrder()
		delete(body, "fulfillment")
		body["payment_method"] = ""
		r := postJSON(t, s.a.Client(), "/tacos/orders", body)
		var ans struct {
			Fields map[string]string `json:"fields"`
		}
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if r.StatusCode != http.StatusUnprocessableEntity || ans.Fields["fulfillment"] != tc.fulfillment || ans.Fields["payment_method"] != tc.payment {
			t.Fatalf("%s: %d %v", tc.lang, r.StatusCode, ans.Fields)
		}
		// A value the store does not offer still says so.
		body["fulfillment"], body["payment_method"] = "drone", "bitcoin"
		r = postJSON(t, s.a.Client(), "/tacos/orders", body)
		must(t, json.Unmarshal([]byte(r.Body), &ans))
		if ans.Fields["fulfillment"] == tc.fulfillment || ans.Fields["payment_method"] == tc.payment {
			t.Fatalf("%s: unknown values answered as missing: %v", tc.lang, ans.Fields)
		}
	}
	// The no-JavaScript checkout shows the same words by the fields.
	s.update(t, map[string]any{"language": "es"})
	r := s.a.Client().PostForm("/tacos/checkout/confirm", url.Values{
		"product_id": {fmt.Sprint(s.agua.ID)}, "quantity": {"5"}, "name": {"Ana"}, "phone": {"55 9876 5432"},
	})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Elige cómo quieres recibir tu pedido.") ||
		!strings.Contains(r.Body, "Elige cómo vas a pagar.") {
		t.Fatalf("form checkout: %d\n%s", r.StatusCode, r.Body)
	}
	if n := s.orders(t); n != 0 {
		t.Fatalf("%d orders stored", n)
	}
}
