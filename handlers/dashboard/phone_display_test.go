package dashboard_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
)

var whatsappInput = regexp.MustCompile(`<input[^>]*name="whatsapp"[^>]*>`)

// The owner reads phones as people write them, and a settings form shown
// with the national form saves the same E.164 number back.
func TestDashboardShowsPhonesAsPeopleReadThem(t *testing.T) {
	f := newOrdFixture(t)
	biz := f.owner.Business.ID
	if err := f.a.DB.Model(&domain.Business{}).Where("id = ?", biz).Update("whatsapp", "+523312345678").Error; err != nil {
		t.Fatal(err)
	}

	in := whatsappInput.FindString(f.c.Get("/dashboard/settings").Body)
	if !strings.Contains(in, `value="33 1234 5678"`) {
		t.Fatalf("settings input: %s", in)
	}
	form := settingsForm("tacos")
	form.Set("whatsapp", "33 1234 5678")
	if r := f.c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.StatusCode, r.Body)
	}
	if b, _ := f.a.Repos.Businesses.Get(context.Background(), biz); b.WhatsApp != "+523312345678" {
		t.Fatalf("re-saved whatsapp = %q", b.WhatsApp)
	}

	if home := html.UnescapeString(f.c.Get("/dashboard").Body); !strings.Contains(home, "llegan a tu WhatsApp (33 1234 5678)") {
		t.Errorf("home checklist does not show 33 1234 5678:\n%s", home)
	}

	o := f.order(t, biz, domain.OrderPending, "ABCD2345", "Ana López", time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC))
	detail := html.UnescapeString(f.c.Get(fmt.Sprintf("/dashboard/orders/%d", o.ID)).Body)
	if !strings.Contains(detail, `<a href="tel:+525598765432">55 9876 5432</a>`) {
		t.Errorf("order detail does not show 55 9876 5432:\n%s", detail)
	}

	// A foreign number shows and saves in international form.
	if err := f.a.DB.Model(&domain.Business{}).Where("id = ?", biz).Update("whatsapp", "+14155552671").Error; err != nil {
		t.Fatal(err)
	}
	in = html.UnescapeString(whatsappInput.FindString(f.c.Get("/dashboard/settings").Body))
	if !strings.Contains(in, `value="+1 415-555-2671"`) {
		t.Fatalf("settings input: %s", in)
	}
	form.Set("whatsapp", "+1 415-555-2671")
	f.c.PostForm("/dashboard/settings", form)
	if b, _ := f.a.Repos.Businesses.Get(context.Background(), biz); b.WhatsApp != "+14155552671" {
		t.Fatalf("re-saved foreign whatsapp = %q", b.WhatsApp)
	}
}
