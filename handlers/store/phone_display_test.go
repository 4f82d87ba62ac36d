package store_test

import (
	"html"
	"strings"
	"testing"
)

// Phones are stored in E.164 but shown as people read them: the store's on
// the tracking page and in the footer, the shopper's in the owner's email.
// wa.me links keep the digits.
func TestPhonesAreShownAsPeopleReadThem(t *testing.T) {
	s := newShop(t)
	s.update(t, map[string]any{"whatsapp": "+523312345678"})
	c := s.a.Client()
	body := s.validOrder()
	body["customer"] = map[string]any{"name": "Ana López", "phone": "+52 1 55 9876 5432"}
	p := s.place(t, c, body)

	page := html.UnescapeString(c.Get("/tacos/o/" + p.Code + "?placed=1").Body)
	if !strings.Contains(page, "comunícate con la tienda al 33 1234 5678 con tu código") {
		t.Errorf("tracking page does not show the store's number as 33 1234 5678:\n%s", page)
	}
	if !strings.Contains(page, "https://wa.me/523312345678?text=") {
		t.Error("tracking page lost the wa.me link with the E.164 digits")
	}

	home := html.UnescapeString(c.Get("/tacos").Body)
	if !strings.Contains(home, `<a href="tel:+523312345678" class="whitespace-nowrap text-gray-700">33 1234 5678</a>`) || !strings.Contains(home, `href="https://wa.me/523312345678"`) {
		t.Errorf("store footer does not show the number:\n%s", home)
	}

	es := s.a.Emails("tacos@example.com")
	var sent bool
	for _, e := range es {
		if strings.Contains(e.TextBody, p.Code) {
			sent = true
			if !strings.Contains(e.TextBody, "Ana López · 55 9876 5432") || !strings.Contains(e.HTMLBody, "Ana López · 55 9876 5432") {
				t.Errorf("new order email does not show the shopper's phone as 55 9876 5432:\n%s", e.TextBody)
			}
		}
	}
	if !sent {
		t.Fatalf("no new order email among %d", len(es))
	}

	// A foreign number is shown in international form.
	s.update(t, map[string]any{"whatsapp": "+14155552671"})
	if home := html.UnescapeString(s.a.Client().Get("/tacos").Body); !strings.Contains(home, ">+1 415-555-2671</a>") {
		t.Errorf("foreign number not in international form:\n%s", home)
	}
}
