package services_test

import (
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

func TestChatFallbackAnswersEachIntentFromTheStoresFacts(t *testing.T) {
	e := newChatEnv(t)
	err := e.db.Model(&domain.Business{}).Where("id = ?", e.biz.ID).Updates(map[string]any{
		"delivery_enabled": true, "delivery_fee_cents": 3500, "delivery_min_cents": 15000,
		"address": "Av. Juárez 10", "pay_transfer": true, "pay_cash_note": "Llevamos cambio",
	}).Error
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.First(e.biz, e.biz.ID).Error; err != nil {
		t.Fatal(err)
	}
	e.rows.Review(e.biz.ID, "Ana", 5, testkit.Approved(), testkit.Comment("El mejor latte de la colonia"))
	e.rows.Review(e.biz.ID, "Beto", 1, testkit.Comment("Pendiente de moderar"))
	if err := e.db.Model(&domain.Business{}).Where("id = ?", e.biz.ID).Updates(map[string]any{"rating_count": 1, "rating_sum": 5}).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.First(e.biz, e.biz.ID).Error; err != nil {
		t.Fatal(err)
	}
	c := e.chat(nil, 0)
	cases := []struct {
		question string
		intent   domain.Intent
		want     []string
		not      []string
	}{
		{"¿hacen envíos?", domain.IntentDelivery, []string{"$35.00", "$150.00", "Av. Juárez 10"}, nil},
		{"como puedo pagar", domain.IntentPayment, []string{"\n• Efectivo: Llevamos cambio", "\n• Transferencia"}, nil},
		{"¿qué opinan de ustedes?", domain.IntentReviews, []string{"5.0 de 5 (1 opinión)", "El mejor latte de la colonia", "Ana"}, []string{"Pendiente"}},
		{"cuanto cuesta la concha", domain.IntentPrice, []string{"Concha: $18.00"}, nil},
		{"¿tienen pizza?", domain.IntentProduct, []string{"No encontré eso"}, nil},
		{"¿a qué hora abren?", domain.IntentHours, []string{"Ahora estamos"}, nil},
	}
	for _, tc := range cases {
		r := ask(t, c, e.biz, tc.question, nil)
		if r.Source != domain.ChatSourceFallback || r.Intent != tc.intent {
			t.Errorf("%q: %s %s, want fallback %s", tc.question, r.Source, r.Intent, tc.intent)
		}
		for _, w := range append(tc.want, "asistente automático de Café Luna") {
			if !strings.Contains(r.Reply, w) {
				t.Errorf("%q: reply lacks %q:\n%s", tc.question, w, r.Reply)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.Reply, n) {
				t.Errorf("%q: reply holds %q:\n%s", tc.question, n, r.Reply)
			}
		}
	}
	answered := map[string]bool{}
	for _, x := range e.exchanges() {
		answered[x.Question] = x.Answered
	}
	if answered["¿tienen pizza?"] || !answered["cuanto cuesta la concha"] || !answered["¿hacen envíos?"] {
		t.Errorf("answered flags %v: pizza is the one the catalog could not answer", answered)
	}
}
