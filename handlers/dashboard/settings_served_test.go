package dashboard_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// A new owner opens Ajustes and saves without touching anything: every
// default the form serves must pass every rule, and nothing changes.
func TestNewStoreSavesSettingsAsServed(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := testkit.NewApp(t)
			o := a.CreateOwner("tienda-nueva")
			ctx := context.Background()
			if lang == "en" {
				if err := a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).Update("language", "en").Error; err != nil {
					t.Fatal(err)
				}
			}
			before, _ := a.Repos.Businesses.Get(ctx, o.Business.ID)
			c := a.Client()
			c.Login(o.Email, o.Password)
			page := c.Get("/dashboard/settings")
			if page.StatusCode != http.StatusOK {
				t.Fatalf("settings: %d", page.StatusCode)
			}
			form := testkit.ServedForm(t, page.Body, "/dashboard/settings")
			for _, name := range []string{"_csrf", "name", "slug", "whatsapp", "time_zone", "language", "primary_color",
				"accent_color", "hours_1_opens", "orders_when_closed", "pickup_enabled", "pay_cash"} {
				if form.Get(name) == "" {
					t.Errorf("served form has no %s", name)
				}
			}
			r := c.PostFormRaw("/dashboard/settings", form)
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("saving the form as served: %d\n%v", r.StatusCode, form)
			}
			after, _ := a.Repos.Businesses.Get(ctx, o.Business.ID)
			if after.AccentColor != domain.DefaultAccentColor || after.PrimaryColor != before.PrimaryColor ||
				after.TimeZone != before.TimeZone || after.Language != lang || after.Slug != before.Slug ||
				after.WhatsApp != before.WhatsApp || !after.OrdersWhenClosed || after.ClosedNow {
				t.Errorf("saving untouched changed the store:\nbefore %+v\nafter  %+v", before, after)
			}
			// No day was ticked: the store still has no hours and stays open.
			if !after.Hours.IsEmpty() || !after.IsOpen(a.Clock.Now()) {
				t.Errorf("saving untouched set hours: %+v", after.Hours)
			}
		})
	}
}
