package admin_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// settingsForm is the settings form as served, with changes applied.
func settingsForm(t *testing.T, c *testkit.Client, changes map[string]string) url.Values {
	t.Helper()
	r := c.Get("/admin/settings")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/settings: %d\n%s", r.StatusCode, r.Body)
	}
	v := testkit.ServedForm(t, r.Body, "/admin/settings")
	for k, val := range changes {
		if _, ok := v[k]; !ok {
			t.Fatalf("the form has no field %s", k)
		}
		v.Set(k, val)
	}
	return v
}

// saveSettings posts the served form with changes and follows the redirect,
// returning the page shown after it.
func saveSettings(t *testing.T, c *testkit.Client, changes map[string]string) string {
	t.Helper()
	r := c.PostForm("/admin/settings", settingsForm(t, c, changes))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/settings" {
		t.Fatalf("save settings: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	return html.UnescapeString(c.Get("/admin/settings").Body)
}

func auditEntries(t *testing.T, a *testkit.App) []domain.AuditEntry {
	t.Helper()
	var es []domain.AuditEntry
	if err := a.DB.Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

func storedSetting(t *testing.T, a *testkit.App, key string) (string, bool) {
	t.Helper()
	v, err := a.Repos.Settings.Get(context.Background(), key)
	if errors.Is(err, domain.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

func TestAdminSettingsDefaultsComeFromTheConfig(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("TRIAL_DAYS", "10"), testkit.WithEnv("GRACE_DAYS", "5"),
		testkit.WithEnv("REFERRAL_REWARD_PERCENT", "40"))
	if got := a.Platform.Current(); got != (services.PlatformValues{TrialDays: 10, GraceDays: 5, RewardPercent: 40}) {
		t.Fatalf("values in force = %+v, want the config's", got)
	}
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	body := html.UnescapeString(c.Get("/admin/settings").Body)
	form := testkit.ServedForm(t, body, "/admin/settings")
	if form.Get("trial_days") != "10" || form.Get("grace_days") != "5" || form.Get("referral_reward_percent") != "40" {
		t.Errorf("form values %v, want the config's", form)
	}
	if form.Get("robots_txt") != services.DefaultRobots {
		t.Errorf("robots textarea %q, want the default text", form.Get("robots_txt"))
	}
	for _, s := range []string{"Actual: 10 · Predeterminado: 10.", "Actual: 40 · Predeterminado: 40.",
		`aria-current="page"`, "Ahora se sirve el texto predeterminado."} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	// A new owner gets the configured trial.
	o := a.CreateOwner("diez")
	if want := a.Clock.Now().Add(10 * day); o.Business.TrialEndsAt == nil || !o.Business.TrialEndsAt.Equal(want) {
		t.Errorf("trial ends %v, want %v", o.Business.TrialEndsAt, want)
	}
}

func TestAdminSettingsTrialChangeAppliesToNewSignupsOnly(t *testing.T) {
	a := testkit.NewApp(t)
	before := a.CreateOwner("antes")
	super, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	page := saveSettings(t, c, map[string]string{"trial_days": "21"})
	if !strings.Contains(page, "Ajustes guardados.") || !strings.Contains(page, "Actual: 21 · Predeterminado: 14.") {
		t.Errorf("page after save lacks the flash or the new value:\n%s", page)
	}
	if v, _ := storedSetting(t, a, services.TrialDaysKey); v != "21" {
		t.Errorf("stored trial_days = %q, want 21", v)
	}
	// A sign-up through the form gets the new trial.
	s := a.Client()
	r := s.PostForm("/signup", url.Values{
		"owner_name": {"Nueva"}, "email": {"nueva@example.com"}, "password": {"secret-nueva-1"},
		"business_name": {"Tienda nueva"}, "slug": {"nueva"}, "whatsapp": {"55 1234 5670"}, "accept_terms": {"on"},
	})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "nueva@example.com") {
		t.Fatalf("signup: %d\n%s", r.StatusCode, r.Body)
	}
	biz, err := a.Repos.Businesses.GetBySlug(context.Background(), "nueva")
	if err != nil {
		t.Fatal(err)
	}
	if want := a.Clock.Now().Add(21 * day); biz.TrialEndsAt == nil || !biz.TrialEndsAt.Equal(want) {
		t.Errorf("new sign-up's trial ends %v, want %v", biz.TrialEndsAt, want)
	}
	// The landing page quotes the trial in force.
	if home := a.Client().Get("/"); !strings.Contains(home.Body, "Empieza gratis 21 días") {
		t.Errorf("landing page does not quote the 21-day trial:\n%s", home.Body)
	}
	// The trial started before keeps its end.
	old, err := a.Repos.Businesses.Get(context.Background(), before.Business.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !old.TrialEndsAt.Equal(*before.Business.TrialEndsAt) {
		t.Errorf("existing trial moved from %v to %v", before.Business.TrialEndsAt, old.TrialEndsAt)
	}
	es := auditEntries(t, a)
	if len(es) != 1 || es[0].Action != domain.AuditSettingsChanged || es[0].Detail != "trial_days: 14 → 21" ||
		es[0].ActorEmail != super.Email || es[0].TargetType != domain.AuditTargetSettings {
		t.Errorf("audit entries %+v, want one settings_changed \"trial_days: 14 → 21\" by %s", es, super.Email)
	}
}

func TestAdminSettingsGraceTakesPastDueStoresOfflineAtOnce(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("atrasada")
	since := a.Clock.Now().Add(-5 * day)
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).
		Updates(map[string]any{"subscription_status": domain.SubscriptionPastDue, "past_due_since": since}).Error; err != nil {
		t.Fatal(err)
	}
	shopper := a.Client()
	// Within the default 7 days of grace the store is online (and its page
	// is cached).
	for range 2 {
		if r := shopper.Get("/atrasada"); r.StatusCode != http.StatusOK {
			t.Fatalf("store within grace: %d", r.StatusCode)
		}
	}
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "en")
	page := saveSettings(t, c, map[string]string{"grace_days": "3"})
	if !strings.Contains(page, "Settings saved.") || !strings.Contains(page, "Current: 3 · Default: 7.") {
		t.Errorf("page after save lacks the flash or the new value:\n%s", page)
	}
	if r := shopper.Get("/atrasada"); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("store 5 days past due with 3 days of grace: %d, want 503", r.StatusCode)
	}
	// The owner's billing page tells the store is off.
	owner := a.Client()
	owner.Login(o.Email, o.Password)
	if r := owner.Get("/dashboard/billing"); !strings.Contains(r.Body, "tu tienda está desactivada") {
		t.Errorf("billing page does not say the store is off:\n%s", r.Body)
	}
	if es := auditEntries(t, a); len(es) != 1 || es[0].Detail != "grace_days: 7 → 3" {
		t.Errorf("audit entries %+v", es)
	}
}

func TestAdminSettingsRewardShowsOnReferralsAndSignup(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("recomienda")
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	saveSettings(t, c, map[string]string{"referral_reward_percent": "30"})
	owner := a.Client()
	owner.Login(o.Email, o.Password)
	body := html.UnescapeString(owner.Get("/dashboard/referrals").Body)
	// 30 % of $249.00 is $74.70.
	if !strings.Contains(body, "tienen 30 % de descuento") || !strings.Contains(body, "recibes $74.70") {
		t.Errorf("referrals page does not show the new reward:\n%s", body)
	}
	signup := a.Client().Get("/signup?ref=" + o.Business.ReferralCode)
	if !strings.Contains(signup.Body, "tienes 30 % de descuento en tu primer mes") {
		t.Errorf("sign-up note does not show the new reward:\n%s", signup.Body)
	}
	if es := auditEntries(t, a); len(es) != 1 || es[0].Detail != "referral_reward_percent: 50 → 30" {
		t.Errorf("audit entries %+v", es)
	}
}

func TestAdminSettingsRobotsChangesRobotsTxt(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	sitemap := "Sitemap: " + testkit.BaseURL + "/sitemap.xml\n"
	saveSettings(t, c, map[string]string{"robots_txt": "User-agent: *\r\nDisallow: /privado/\r\n"})
	if r := a.Client().Get("/robots.txt"); r.Body != "User-agent: *\nDisallow: /privado/\n"+sitemap {
		t.Errorf("robots.txt after save:\n%q", r.Body)
	}
	page := saveSettings(t, c, map[string]string{"robots_txt": ""})
	if r := a.Client().Get("/robots.txt"); r.Body != services.DefaultRobots+sitemap {
		t.Errorf("robots.txt after emptying it is not the default:\n%q", r.Body)
	}
	if !strings.Contains(page, "Ahora se sirve el texto predeterminado.") {
		t.Error("page does not say the default is served")
	}
	es := auditEntries(t, a)
	if len(es) != 2 || !strings.HasPrefix(es[0].Detail, "robots_txt: ") || !strings.HasSuffix(es[0].Detail, " bytes") {
		t.Errorf("audit entries %+v, want two robots_txt changes", es)
	}
}

func TestAdminSettingsRejectsBadInputInBothLanguages(t *testing.T) {
	a := testkit.NewApp(t)
	bad := map[string]string{
		"trial_days": "0", "grace_days": "31", "referral_reward_percent": "cien",
		"robots_txt": strings.Repeat("a", services.MaxRobotsLen+1),
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"es", []string{"Escribe un número entero de días entre 1 y 90.", "Escribe un número entero de días entre 0 y 30.",
			"Escribe un porcentaje entero entre 0 y 100.", "El texto no puede pasar de 10000 bytes."}},
		{"en", []string{"Enter a whole number of days from 1 to 90.", "Enter a whole number of days from 0 to 30.",
			"Enter a whole percent from 0 to 100.", "The text may not be longer than 10000 bytes."}},
	} {
		_, c := adminClient(t, a, domain.RoleSuperAdmin, tc.lang)
		r := c.PostForm("/admin/settings", settingsForm(t, c, bad))
		if r.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: status %d, want 400", tc.lang, r.StatusCode)
		}
		body := html.UnescapeString(r.Body)
		for _, s := range append(tc.want, `id="e-trial_days"`, `id="e-grace_days"`, `id="e-referral_reward_percent"`, `id="e-robots_txt"`) {
			if !strings.Contains(body, s) {
				t.Errorf("%s: page lacks %q", tc.lang, s)
			}
		}
		// What was typed stays in the form.
		if form := testkit.ServedForm(t, body, "/admin/settings"); form.Get("referral_reward_percent") != "cien" {
			t.Errorf("%s: typed value lost: %q", tc.lang, form.Get("referral_reward_percent"))
		}
		// One bad field keeps the good ones from being saved.
		if r := c.PostForm("/admin/settings", settingsForm(t, c, map[string]string{"trial_days": "30", "grace_days": "-1"})); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: one bad field: status %d", tc.lang, r.StatusCode)
		}
	}
	for _, key := range []string{services.TrialDaysKey, services.GraceDaysKey, services.RewardPercentKey, services.RobotsKey} {
		if v, ok := storedSetting(t, a, key); ok {
			t.Errorf("%s stored as %q after bad input", key, v)
		}
	}
	if es := auditEntries(t, a); len(es) != 0 {
		t.Errorf("audit entries after bad input: %+v", es)
	}
	if got := a.Platform.Current(); got != (services.PlatformValues{TrialDays: 14, GraceDays: 7, RewardPercent: 50}) {
		t.Errorf("values in force changed: %+v", got)
	}
}

func TestAdminSettingsUnchangedSaveWritesNothing(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	page := saveSettings(t, c, nil)
	if !strings.Contains(page, "No hubo cambios: no se guardó nada.") {
		t.Errorf("no 'no changes' flash:\n%s", page)
	}
	// The default values typed again, and the default robots.txt with CRLF
	// line ends, as a browser sends it, are no change either.
	saveSettings(t, c, map[string]string{
		"trial_days": " 14 ", "robots_txt": strings.ReplaceAll(services.DefaultRobots, "\n", "\r\n"),
	})
	for _, key := range []string{services.TrialDaysKey, services.GraceDaysKey, services.RewardPercentKey, services.RobotsKey} {
		if v, ok := storedSetting(t, a, key); ok {
			t.Errorf("%s stored as %q by an unchanged save", key, v)
		}
	}
	if es := auditEntries(t, a); len(es) != 0 {
		t.Errorf("audit entries after unchanged saves: %+v", es)
	}
	// After a change, saving the same values again writes nothing more.
	saveSettings(t, c, map[string]string{"grace_days": "10", "trial_days": "30"})
	page = saveSettings(t, c, nil)
	if !strings.Contains(page, "No hubo cambios") {
		t.Error("second save of the same values is not 'no changes'")
	}
	if es := auditEntries(t, a); len(es) != 1 || es[0].Detail != "trial_days: 14 → 30; grace_days: 7 → 10" {
		t.Errorf("audit entries %+v, want one with both changes", es)
	}
}

func TestAdminSettingsViewerSeesValuesReadOnly(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleAdminViewer, "")
	r := c.Get("/admin/settings")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("viewer GET: %d", r.StatusCode)
	}
	body := html.UnescapeString(r.Body)
	if strings.Contains(body, `action="/admin/settings"`) || strings.Contains(body, "Guardar ajustes") {
		t.Error("viewer sees the form")
	}
	for _, s := range []string{"14 días", "7 días", "50 %", "Predeterminado: 14.", "Disallow: /dashboard/", "solo lectura"} {
		if !strings.Contains(body, s) {
			t.Errorf("viewer page lacks %q", s)
		}
	}
	if r := c.PostForm("/admin/settings", url.Values{"trial_days": {"30"}, "grace_days": {"7"}, "referral_reward_percent": {"50"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer POST: %d, want 403", r.StatusCode)
	}
	if _, ok := storedSetting(t, a, services.TrialDaysKey); ok {
		t.Error("viewer's POST stored a value")
	}
}

// TestAdminSettingsReachAnotherInstanceOnReload runs a second instance on
// the same database: it keeps its snapshot until its reload (what StartJobs
// runs every app.PlatformReloadEvery) reads the change.
func TestAdminSettingsReachAnotherInstanceOnReload(t *testing.T) {
	a := testkit.NewApp(t)
	b := testkit.NewAppOn(t, a.TestDB)
	o := a.CreateOwner("atrasada")
	since := a.Clock.Now().Add(-5 * day)
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).
		Updates(map[string]any{"subscription_status": domain.SubscriptionPastDue, "past_due_since": since}).Error; err != nil {
		t.Fatal(err)
	}
	shopper := b.Client()
	if r := shopper.Get("/atrasada"); r.StatusCode != http.StatusOK {
		t.Fatalf("store within grace on b: %d", r.StatusCode)
	}
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "es")
	saveSettings(t, c, map[string]string{"grace_days": "3", "trial_days": "30", "referral_reward_percent": "20"})
	if got := b.Platform.Current(); got.GraceDays != 7 {
		t.Fatalf("b changed before its reload: %+v", got)
	}
	if err := b.Platform.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.Platform.Current(); got != (services.PlatformValues{TrialDays: 30, GraceDays: 3, RewardPercent: 20}) {
		t.Fatalf("b after reload: %+v", got)
	}
	// b's cached page of the store is dropped with the new grace period.
	if r := shopper.Get("/atrasada"); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("store on b after reload: %d, want 503", r.StatusCode)
	}
	if r := b.Client().Get("/signup?ref=" + o.Business.ReferralCode); !strings.Contains(r.Body, "tienes 20 % de descuento") {
		t.Error("b's sign-up note does not show the new reward")
	}
	n := b.CreateOwner("en-b")
	if want := b.Clock.Now().Add(30 * day); !n.Business.TrialEndsAt.Equal(want) {
		t.Errorf("sign-up on b: trial ends %v, want %v", n.Business.TrialEndsAt, want)
	}
}

// A stored value the rules refuse (written by hand in the database) is
// ignored: its default applies, the others still load.
func TestAdminSettingsIgnoresUnreadableStoredValues(t *testing.T) {
	a := testkit.NewApp(t)
	ctx := context.Background()
	for k, v := range map[string]string{services.TrialDaysKey: "catorce", services.GraceDaysKey: "99", services.RewardPercentKey: "25"} {
		if err := a.Repos.Settings.Set(ctx, k, v, a.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Platform.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if got := a.Platform.Current(); got != (services.PlatformValues{TrialDays: 14, GraceDays: 7, RewardPercent: 25}) {
		t.Errorf("values in force %+v, want the defaults but the valid reward", got)
	}
}
