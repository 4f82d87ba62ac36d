package dashboard_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// Settings and sign-up drop invisible format and control characters too.
func TestOwnerSettingsAreStoredWithoutInvisibleCharacters(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tienda-a")
	c := a.Client()
	c.Login(o.Email, o.Password)
	form := settingsForm("tienda-a")
	form.Set("name", "\u202eTacos\u202c Lupe\x00")
	form.Set("description", "Los mejores\u2066 tacos\u2069\r\nde Puebla\u200b")
	form.Set("city", "Pue\u200ebla")
	form.Set("pay_transfer_holder", "Guadalupe\tHernández\ufeff")
	form.Set("instagram", "@tacoslupe\u202e")
	if r := c.PostForm("/dashboard/settings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.StatusCode, r.Body)
	}
	b, _ := a.Repos.Businesses.Get(context.Background(), o.Business.ID)
	if b.Name != "Tacos Lupe" || b.Description != "Los mejores tacos\nde Puebla" || b.City != "Puebla" ||
		b.PayTransferHolder != "Guadalupe Hernández" || b.Instagram != "https://instagram.com/tacoslupe" {
		t.Fatalf("stored %q / %q / %q / %q / %q", b.Name, b.Description, b.City, b.PayTransferHolder, b.Instagram)
	}

	res, err := a.Accounts.Signup(context.Background(), services.SignupInput{
		OwnerName: "\u202eLupe\u202c", Email: "lupe@example.com", Password: "una-clave-larga",
		BusinessName: "Tortas\u2067 Lupe\u2069", Slug: "tortas-lupe", WhatsApp: "55 1234 5678", Lang: "es",
	})
	if err != nil || !res.Created {
		t.Fatalf("signup: %v", err)
	}
	biz, _ := a.Repos.Businesses.Get(context.Background(), *res.User.BusinessID)
	if res.User.Name != "Lupe" || biz.Name != "Tortas Lupe" {
		t.Fatalf("signup stored %q / %q", res.User.Name, biz.Name)
	}
}
