package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// settingsForm is a valid settings form for the store at slug.
func settingsForm(slug string) url.Values {
	v := url.Values{
		"name": {"Tacos Lupe"}, "slug": {slug}, "description": {"Los mejores tacos"},
		"whatsapp": {"55 8765 4321"}, "address": {"Av. Juárez 10"}, "city": {"Puebla"},
		"time_zone": {"America/Mexico_City"}, "language": {"es"},
		"primary_color": {"#065f46"}, "accent_color": {"#d97706"},
		"pickup_enabled": {"on"}, "delivery_enabled": {"on"}, "delivery_fee": {"35.50"}, "delivery_min": {"150"},
		"pay_cash": {"on"}, "pay_transfer": {"on"}, "pay_transfer_clabe": {"0021 8000 1234 5678 96"},
		"pay_transfer_bank": {"Banamex"}, "pay_transfer_holder": {"Guadalupe Hernández"},
		"instagram": {"@tacoslupe"}, "website": {"https://tacoslupe.mx"},
		"seo_title":    {"Tacos Lupe en Puebla"},
		"hours_1_open": {"on"}, "hours_1_opens": {"09:00"}, "hours_1_closes": {"18:00"},
		"hours_5_open": {"on"}, "hours_5_opens": {"20:00"}, "hours_5_closes": {"02:00"},
	}
	return v
}

func TestSettingsSave(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	if r := c.Get("/dashboard/settings"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Ajustes de la tienda") {
		t.Fatalf("form: %d", r.StatusCode)
	}
	form := settingsForm("tienda-a")
	form.Set("pay_transfer_clabe", "002180001234567896")
	// A closed day with a junk time stores only its valid time.
	form.Set("hours_3_opens", strings.Repeat("x", 500))
	form.Set("hours_3_closes", "10:00")
	r := c.PostForm("/dashboard/settings", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.StatusCode, r.Body)
	}
	b, _ := a.Repos.Businesses.Get(context.Background(), o.Business.ID)
	if b.Name != "Tacos Lupe" || b.WhatsApp != "+525587654321" || b.DeliveryFeeCents != 3550 || b.DeliveryMinCents != 15000 ||
		!b.PayTransfer || b.PayTransferCLABE != "002180001234567896" || b.Instagram != "https://instagram.com/tacoslupe" ||
		b.PrimaryColor != "#065f46" || b.PayCardOnDelivery {
		t.Fatalf("saved: %+v", b)
	}
	if !b.Hours[1].Open || b.Hours[1].Opens != "09:00" || !b.Hours[5].Open || b.Hours[5].Closes != "02:00" || b.Hours[2].Open ||
		b.Hours[3].Opens != "" || b.Hours[3].Closes != "10:00" {
		t.Fatalf("hours: %+v", b.Hours)
	}
	if r := c.Get("/dashboard/settings"); !strings.Contains(r.Body, "Cambios guardados") || !strings.Contains(r.Body, `value="35.50"`) {
		t.Fatal("saved values not shown")
	}
}

func TestSettingsValidation(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	a.CreateOwner("tienda-b")
	c := a.Client()
	c.Login(o.Email, o.Password)
	before, _ := a.Repos.Businesses.Get(context.Background(), o.Business.ID)

	cases := []struct {
		name    string
		change  map[string]string
		remove  []string
		field   string
		message string
	}{
		{"name required", map[string]string{"name": " "}, nil, "name", "obligatorio"},
		{"description long", map[string]string{"description": strings.Repeat("a", 1001)}, nil, "description", "Máximo 1000"},
		{"slug format", map[string]string{"slug": "Mi Tienda"}, nil, "slug", "Usa solo minúsculas"},
		{"slug reserved", map[string]string{"slug": "dashboard"}, nil, "slug", "reservado"},
		{"slug taken", map[string]string{"slug": "tienda-b"}, nil, "slug", "ocupado"},
		{"whatsapp", map[string]string{"whatsapp": "123"}, nil, "whatsapp", "WhatsApp válido"},
		{"time zone", map[string]string{"time_zone": "Europe/Madrid"}, nil, "time_zone", "zona horaria"},
		{"language", map[string]string{"language": "fr"}, nil, "language", "español o inglés"},
		{"color format", map[string]string{"primary_color": "green"}, nil, "primary_color", "#RRGGBB"},
		{"primary contrast", map[string]string{"primary_color": "#fde68a"}, nil, "primary_color", "muy claro"},
		{"accent contrast", map[string]string{"accent_color": "#fafafa"}, nil, "accent_color", "fondo blanco"},
		{"hours format", map[string]string{"hours_1_opens": "9am"}, nil, "hours_1", "HH:MM"},
		{"hours same", map[string]string{"hours_1_closes": "09:00"}, nil, "hours_1", "no pueden ser iguales"},
		{"no fulfilment", nil, []string{"pickup_enabled", "delivery_enabled"}, "fulfillment", "al menos una forma de entrega"},
		{"fee", map[string]string{"delivery_fee": "-5"}, nil, "delivery_fee", "monto válido"},
		{"minimum", map[string]string{"delivery_min": "12.345"}, nil, "delivery_min", "monto válido"},
		{"no payment", nil, []string{"pay_cash", "pay_transfer"}, "payments", "al menos una forma de pago"},
		{"clabe check digit", map[string]string{"pay_transfer_clabe": "002180001234567891"}, nil, "pay_transfer_clabe", "CLABE no es válida"},
		{"clabe length", map[string]string{"pay_transfer_clabe": "12345"}, nil, "pay_transfer_clabe", "CLABE no es válida"},
		{"holder required", map[string]string{"pay_transfer_holder": ""}, nil, "pay_transfer_holder", "obligatorio"},
		{"instagram", map[string]string{"instagram": "not a handle!"}, nil, "instagram", "usuario válido"},
		{"website", map[string]string{"website": "tacos.mx"}, nil, "website", "https://"},
		{"seo title", map[string]string{"seo_title": strings.Repeat("t", 71)}, nil, "seo_title", "Máximo 70"},
		{"closed message", map[string]string{"closed_message": strings.Repeat("m", 201)}, nil, "closed_message", "Máximo 200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := settingsForm("tienda-a")
			form.Set("pay_transfer_clabe", "002180001234567896")
			for k, v := range tc.change {
				form.Set(k, v)
			}
			for _, k := range tc.remove {
				form.Del(k)
			}
			r := c.PostForm("/dashboard/settings", form)
			if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.message) {
				t.Fatalf("status %d, want 400 with %q", r.StatusCode, tc.message)
			}
		})
	}
	after, _ := a.Repos.Businesses.Get(context.Background(), o.Business.ID)
	if after.Name != before.Name || after.Slug != before.Slug || after.WhatsApp != before.WhatsApp || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatalf("invalid forms changed the store: %+v", after)
	}
}

func TestSlugChangeKeepsOldLinkRedirecting(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	form := settingsForm("tacos-lupe")
	form.Set("pay_transfer_clabe", "002180001234567896")
	if r := c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", r.StatusCode, r.Body)
	}
	shopper := a.Client()
	r := shopper.Get("/tienda-a?utm=qr")
	if r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != "/tacos-lupe?utm=qr" {
		t.Fatalf("old link: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := shopper.Get("/tacos-lupe"); r.StatusCode != http.StatusOK {
		t.Fatalf("new link: %d", r.StatusCode)
	}
	// Nobody else can take the old slug while it redirects.
	p := a.CreateOwner("tienda-b")
	other := a.Client()
	other.Login(p.Email, p.Password)
	formB := settingsForm("tienda-a")
	formB.Del("pay_transfer")
	formB.Del("pay_transfer_clabe")
	if r := other.PostForm("/dashboard/settings", formB); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "ocupado") {
		t.Fatalf("old slug taken by another store: %d", r.StatusCode)
	}
	// The owner can go back to the old slug.
	form.Set("slug", "tienda-a")
	if r := c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename back: %d\n%s", r.StatusCode, r.Body)
	}
	if r := shopper.Get("/tienda-a"); r.StatusCode != http.StatusOK {
		t.Fatalf("back at old slug: %d", r.StatusCode)
	}
	if r := shopper.Get("/tacos-lupe"); r.StatusCode != http.StatusMovedPermanently {
		t.Fatalf("second slug no longer redirects: %d", r.StatusCode)
	}
	var n int64
	a.DB.Model(&domain.SlugRedirect{}).Where("business_id = ?", o.Business.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d redirects, want 1", n)
	}
}

func TestSettingsPurgeStoreCache(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	a.Cache.Set(o.Business.ID, "page", "old")
	c := a.Client()
	c.Login(o.Email, o.Password)
	form := settingsForm("tienda-a")
	form.Set("pay_transfer_clabe", "002180001234567896")
	if r := c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d\n%s", r.StatusCode, r.Body)
	}
	if _, ok := a.Cache.Get(o.Business.ID, "page"); ok {
		t.Fatal("store cache not purged")
	}
}

func TestSettingsShowsTheCurrentLogo(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	if r := c.Get("/dashboard/settings"); strings.Contains(r.Body, "/media/") || !strings.Contains(r.Body, `href="/dashboard/settings/logo"`) {
		t.Fatal("settings without a logo shows an image or no link to upload one")
	}
	img := a.Image(o.Business.ID, "b1/00112233445566aa", "jpeg", 800, 800)
	a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).Update("logo_image_id", img.ID)
	if r := c.Get("/dashboard/settings"); !strings.Contains(r.Body, img.URL(400)) || !strings.Contains(r.Body, "Cambiar o quitar") {
		t.Fatal("settings does not show the current logo")
	}
}
