package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
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

func TestSettingsTwoRangesADay(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	ctx := context.Background()

	form := settingsForm("tienda-a")
	// Typed afternoon first: stored morning first. Tuesday's second range is
	// not turned on, so it is dropped.
	form.Set("hours_1_split", "on")
	form.Set("hours_1_opens", "17:00")
	form.Set("hours_1_closes", "21:00")
	form.Set("hours_1_opens2", "08:00")
	form.Set("hours_1_closes2", "14:00")
	form.Set("hours_2_open", "on")
	form.Set("hours_2_opens", "09:00")
	form.Set("hours_2_closes", "13:00")
	form.Set("hours_2_opens2", "16:00")
	form.Set("hours_2_closes2", "19:00")
	form.Set("orders_when_closed", "none")
	if r := c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.StatusCode, r.Body)
	}
	b, _ := a.Repos.Businesses.Get(ctx, o.Business.ID)
	if b.Hours[1] != (domain.DayHours{Open: true, Opens: "08:00", Closes: "14:00", Opens2: "17:00", Closes2: "21:00"}) ||
		b.Hours[2] != (domain.DayHours{Open: true, Opens: "09:00", Closes: "13:00"}) || b.OrdersWhenClosed {
		t.Fatalf("saved %+v, orders when closed %t", b.Hours, b.OrdersWhenClosed)
	}
	served := testkit.ServedForm(t, c.Get("/dashboard/settings").Body, "/dashboard/settings")
	if served.Get("hours_1_split") != "on" || served.Get("hours_1_opens2") != "17:00" || served.Get("hours_2_split") != "" ||
		served.Get("orders_when_closed") != "none" {
		t.Fatalf("form shows %v", served)
	}

	for _, tc := range []struct {
		name, opens2, closes2, message string
	}{
		{"overlap", "13:00", "20:00", "Los dos horarios se enciman"},
		{"half", "16:00", "", "Escribe las dos horas del segundo horario"},
	} {
		bad := settingsForm("tienda-a")
		bad.Set("hours_1_split", "on")
		bad.Set("hours_1_opens2", tc.opens2)
		bad.Set("hours_1_closes2", tc.closes2)
		r := c.PostForm("/dashboard/settings", bad)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.Body), tc.message) {
			t.Errorf("%s: %d", tc.name, r.StatusCode)
		}
	}
	// Friday runs to 02:00; Saturday opening at 01:00 would overlap it.
	bad := settingsForm("tienda-a")
	bad.Set("hours_6_open", "on")
	bad.Set("hours_6_opens", "01:00")
	bad.Set("hours_6_closes", "10:00")
	if r := c.PostForm("/dashboard/settings", bad); r.StatusCode != http.StatusBadRequest ||
		!strings.Contains(html.UnescapeString(r.Body), "se encima con el horario del día siguiente") {
		t.Errorf("past midnight into the next day: %d", r.StatusCode)
	}
	after, _ := a.Repos.Businesses.Get(ctx, o.Business.ID)
	if after.Hours != b.Hours {
		t.Error("a refused form changed the hours")
	}
}

// Time zones read as places, never as IANA names, on the settings page.
func TestSettingsNamesTheTimeZones(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	body := html.UnescapeString(c.Get("/dashboard/settings").Body)
	if !strings.Contains(body, "Horas de la zona Centro de México (Ciudad de México, Guadalajara).") {
		t.Error("hours hint does not name the zone")
	}
	for _, z := range services.MexicoTimeZones {
		// The value attribute carries the IANA name; no text shows it.
		if strings.Count(body, z) != 1 || !strings.Contains(body, `value="`+z+`"`) {
			t.Errorf("%s shown raw or missing: %d times", z, strings.Count(body, z))
		}
	}
	if !strings.Contains(body, "Sureste (Cancún, Quintana Roo)") {
		t.Error("zone label missing")
	}
}

// Changing the password is an account action, not part of saving the store.
func TestPasswordChangeIsOutsideTheSaveBar(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	body := c.Get("/dashboard/settings").Body
	bar := body[strings.Index(body, "data-save-bar"):]
	bar = bar[:strings.Index(bar, "</div>")]
	if strings.Contains(bar, "/dashboard/account/password") {
		t.Error("password link in the save bar")
	}
	form := body[strings.Index(body, `action="/dashboard/settings"`):]
	form = form[:strings.Index(form, "</form>")]
	if strings.Contains(form, "/dashboard/account/password") {
		t.Error("password link inside the settings form")
	}
	if !strings.Contains(body, `<a class="nav-link" href="/dashboard/account/password" data-account-link>`) {
		t.Error("no account link in the header, next to logging out")
	}
}
