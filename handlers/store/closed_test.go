package store_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
)

// setHours gives the shop the same hours every day of the week.
func (s *shop) setHours(t *testing.T, day domain.DayHours) {
	t.Helper()
	var w domain.WeekHours
	for d := range w {
		w[d] = day
	}
	must(t, s.a.DB.Model(&domain.Business{}).Where("id = ?", s.biz.ID).Select("hours").Updates(&domain.Business{Hours: w}).Error)
	s.update(t, map[string]any{})
}

// The test clock is Monday 2 March 2026, 09:04 in Mexico City.

func TestClosedStoreSaysWhenItOpens(t *testing.T) {
	s := newShop(t)
	s.setHours(t, domain.DayHours{Open: true, Opens: "07:00", Closes: "09:00", Opens2: "17:00", Closes2: "22:00"})
	body := html.UnescapeString(s.a.Client().Get("/tacos").Body)
	for _, want := range []string{"Cerrado ahora", "Abrimos hoy a las 17:00.", "Puedes hacer tu pedido: te respondemos al abrir.",
		"7:00 – 9:00 y 17:00 – 22:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("store page lacks %q", want)
		}
	}
	var ld struct {
		Hours []struct {
			Days          []string `json:"dayOfWeek"`
			Opens, Closes string
		} `json:"openingHoursSpecification"`
	}
	for _, m := range strings.Split(body, `<script type="application/ld+json">`)[1:] {
		raw := m[:strings.Index(m, "</script>")]
		if strings.Contains(raw, "openingHoursSpecification") {
			must(t, json.Unmarshal([]byte(raw), &ld))
		}
	}
	if len(ld.Hours) != 2 || ld.Hours[0].Opens != "07:00" || ld.Hours[0].Closes != "09:00" ||
		ld.Hours[1].Opens != "17:00" || ld.Hours[1].Closes != "22:00" || len(ld.Hours[1].Days) != 7 {
		t.Errorf("JSON-LD opening hours: %+v", ld.Hours)
	}

	// In English, with the 12-hour clock; tomorrow after closing time.
	s.update(t, map[string]any{"language": "en"})
	s.a.Clock.Advance(14 * time.Hour) // 23:04
	body = html.UnescapeString(s.a.Client().Get("/tacos").Body)
	for _, want := range []string{"We open tomorrow at 7:00 AM.", "7:00 AM – 9:00 AM, 5:00 PM – 10:00 PM"} {
		if !strings.Contains(body, want) {
			t.Errorf("English store page lacks %q", want)
		}
	}
}

func TestNextOpeningWords(t *testing.T) {
	cases := []struct {
		name  string
		hours func(w *domain.WeekHours)
		want  string
	}{
		{"later today", func(w *domain.WeekHours) {
			w[time.Monday] = domain.DayHours{Open: true, Opens: "13:00", Closes: "18:00"}
		}, "Abrimos hoy a las 13:00."},
		{"at one", func(w *domain.WeekHours) {
			w[time.Tuesday] = domain.DayHours{Open: true, Opens: "01:30", Closes: "05:00"}
		}, "Abrimos mañana a la 1:30."},
		{"weekday", func(w *domain.WeekHours) {
			w[time.Thursday] = domain.DayHours{Open: true, Opens: "09:00", Closes: "14:00"}
		}, "Abrimos el jueves a las 9:00."},
		{"next week", func(w *domain.WeekHours) {
			w[time.Monday] = domain.DayHours{Open: true, Opens: "08:00", Closes: "09:00"}
		}, "Abrimos el próximo lunes a las 8:00."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newShop(t)
			var w domain.WeekHours
			tc.hours(&w)
			must(t, s.a.DB.Model(&domain.Business{}).Where("id = ?", s.biz.ID).Select("hours").Updates(&domain.Business{Hours: w}).Error)
			s.update(t, map[string]any{})
			if body := html.UnescapeString(s.a.Client().Get("/tacos").Body); !strings.Contains(body, tc.want) {
				t.Errorf("store page lacks %q", tc.want)
			}
		})
	}
}

func TestClosedStoreTakingNoOrders(t *testing.T) {
	s := newShop(t)
	s.setHours(t, domain.DayHours{Open: true, Opens: "17:00", Closes: "22:00"})
	s.update(t, map[string]any{"orders_when_closed": false})
	c := s.a.Client()
	const refusal = "La tienda no está recibiendo pedidos en este momento. Abrimos hoy a las 17:00."

	cart := html.UnescapeString(c.Get("/tacos/cart").Body)
	if !strings.Contains(cart, "Por ahora no recibimos pedidos. Abrimos hoy a las 17:00.") ||
		!strings.Contains(cart, `data-submit disabled aria-describedby="no-orders-cart"`) || !strings.Contains(cart, "data-no-orders") {
		t.Error("the cart does not disable ordering with the reason")
	}
	r := postJSON(t, c, "/tacos/orders", s.validOrder())
	var res struct {
		Error  string            `json:"error"`
		Fields map[string]string `json:"fields"`
	}
	must(t, json.Unmarshal([]byte(r.Body), &res))
	if r.StatusCode != http.StatusBadRequest || res.Error != refusal || res.Fields["store"] != refusal {
		t.Fatalf("order to a store taking none: %d %s", r.StatusCode, r.Body)
	}

	// Without JavaScript: the checkout page disables its button, and a post
	// anyway is refused with the same words.
	form := url.Values{"product_id": {strconv.FormatInt(s.agua.ID, 10)}, "quantity": {"1"}}
	page := html.UnescapeString(c.PostForm("/tacos/checkout", form).Body)
	if !strings.Contains(page, `disabled aria-describedby="no-orders-checkout"`) {
		t.Error("the checkout page does not disable ordering")
	}
	form.Set("name", "Ana")
	form.Set("phone", "55 9876 5432")
	form.Set("fulfillment", "pickup")
	form.Set("payment_method", "cash")
	if r := c.PostForm("/tacos/checkout/confirm", form); r.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.Body), refusal) {
		t.Fatalf("no-JS order to a store taking none: %d", r.StatusCode)
	}
	if s.orders(t) != 0 {
		t.Fatal("an order was stored")
	}

	// At 17:00 the store is open and takes the order.
	s.a.Clock.Advance(8 * time.Hour)
	s.a.Cache.PurgeStore(t.Context(), s.biz.ID)
	if p := s.place(t, c, s.validOrder()); p.StoreOpen == nil || !*p.StoreOpen {
		t.Fatalf("store_open = %v at 17:04", p.StoreOpen)
	}
}

func TestOwnerSwitchTakesNoOrders(t *testing.T) {
	s := newShop(t)
	// Within hours, taking orders for later: the switch still closes ordering.
	s.setHours(t, domain.DayHours{Open: true, Opens: "08:00", Closes: "22:00"})
	s.update(t, map[string]any{"closed_now": true, "closed_message": "Volvemos el lunes 9 de marzo", "language": "en"})
	body := html.UnescapeString(s.a.Client().Get("/tacos").Body)
	if !strings.Contains(body, "Volvemos el lunes 9 de marzo") || !strings.Contains(body, "We are not taking orders right now.") ||
		strings.Contains(body, "We open") {
		t.Error("store page under the owner's switch")
	}
	r := postJSON(t, s.a.Client(), "/tacos/orders", s.validOrder())
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "The store is not taking orders right now.") {
		t.Fatalf("order under the owner's switch: %d %s", r.StatusCode, r.Body)
	}
	if s.orders(t) != 0 {
		t.Fatal("an order was stored")
	}
}
