package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// auditActions lists the audit log's actions, oldest first.
func auditActions(t *testing.T, a *testkit.App) []string {
	t.Helper()
	var es []domain.AuditEntry
	if err := a.DB.Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e.Action)
	}
	return out
}

// TestAdminUsersList shows admins (not owners) with role, state and last
// activity.
func TestAdminUsersList(t *testing.T) {
	a := testkit.NewApp(t)
	me, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	owner := a.CreateOwner("tienda-lista")
	a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	gone := a.CreateUser("ido@example.com", "ido-pass-1", domain.RoleAdminViewer)
	now := a.Clock.Now()
	a.DB.Model(&domain.User{}).Where("id = ?", gone.ID).Update("deactivated_at", &now)

	r := c.Get("/admin/users")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	for _, want := range []string{me.Email, "lector@example.com", "ido@example.com", "Super admin", "Lector", "Desactivado", "Nunca", `action="/admin/users/invite"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if strings.Contains(r.Body, owner.Email) {
		t.Error("the list shows a store owner")
	}
	// The viewer sees the list, without the forms.
	v := a.Client()
	v.Login("lector@example.com", "lector-pass")
	r = v.Get("/admin/users")
	if r.StatusCode != http.StatusOK || strings.Contains(r.Body, `action="/admin/users/invite"`) || strings.Contains(r.Body, "/deactivate") {
		t.Fatalf("viewer's list: %d, forms shown", r.StatusCode)
	}
}

// TestAdminUsersCreate: bad input is refused field by field and creates
// nothing; a good form creates an active admin who can log in, audited.
func TestAdminUsersCreate(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	a.CreateOwner("tienda-ocupada")

	r := c.PostForm("/admin/users", url.Values{"name": {""}, "email": {"no-es-correo"}, "role": {"owner"}, "password": {"corta"}})
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad input: %d", r.StatusCode)
	}
	for _, want := range []string{"Este campo es obligatorio.", "Escribe un correo válido", "Elige un rol de la lista.", "al menos 8 caracteres"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("bad input page lacks %q", want)
		}
	}
	r = c.PostForm("/admin/users", url.Values{"name": {"Ana"}, "email": {"tienda-ocupada@example.com"}, "role": {"admin_viewer"}, "password": {"buena-pass-1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Ya hay una cuenta con ese correo.") {
		t.Fatalf("taken email: %d", r.StatusCode)
	}
	if n := len(auditActions(t, a)); n != 0 {
		t.Fatalf("%d audit entries after refused forms", n)
	}

	r = c.PostForm("/admin/users", url.Values{"name": {"Ana"}, "email": {" Ana@Example.com "}, "role": {"admin_viewer"}, "password": {"buena-pass-1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.StatusCode, r.Body)
	}
	u, err := a.Repos.Users.GetByEmail(t.Context(), "ana@example.com")
	if err != nil || u.Role != domain.RoleAdminViewer || u.AdminState() != domain.AdminActive {
		t.Fatalf("created %+v, %v", u, err)
	}
	if got := auditActions(t, a); len(got) != 1 || got[0] != string(domain.AuditAdminCreated) {
		t.Fatalf("audit %v", got)
	}
	ana := a.Client()
	ana.Login("ana@example.com", "buena-pass-1")
	if r := ana.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Fatalf("the new admin's page: %d", r.StatusCode)
	}
}

// TestAdminUsersInvite: an invitation creates a pending admin who cannot
// log in, and emails a single-use link where they set their password (twice)
// and are logged in; a used or expired link gets a clear error page.
func TestAdminUsersInvite(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")

	r := c.PostForm("/admin/users/invite", url.Values{"name": {"Beto"}, "email": {"beto@example.com"}, "role": {"super_admin"}, "locale": {"en"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", r.StatusCode, r.Body)
	}
	u, err := a.Repos.Users.GetByEmail(t.Context(), "beto@example.com")
	if err != nil || u.AdminState() != domain.AdminInvited || u.Role != domain.RoleSuperAdmin {
		t.Fatalf("invited %+v, %v", u, err)
	}
	if r := c.Get("/admin/users"); !strings.Contains(r.Body, "Invitación pendiente") {
		t.Error("the list does not show the pending invitation")
	}
	if es := a.Emails("beto@example.com"); len(es) != 1 || es[0].Template != "admin_invite" || !strings.Contains(es[0].Subject, "invited") {
		t.Fatalf("emails %+v", es)
	}
	// No password works before the invitee sets one.
	b := a.Client()
	if r := b.PostForm("/login", url.Values{"email": {"beto@example.com"}, "password": {""}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login before accepting: %d", r.StatusCode)
	}
	link := a.LastLink("beto@example.com", "/invite")
	if r := b.Get(link); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `action="/invite"`) {
		t.Fatalf("invite page: %d", r.StatusCode)
	}
	token := strings.TrimPrefix(link, "/invite?token=")
	token, _ = url.QueryUnescape(token)
	r = b.PostForm("/invite", url.Values{"token": {token}, "password": {"beto-pass-1"}, "confirm_password": {"otra-cosa-1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Las contraseñas no coinciden.") {
		t.Fatalf("mismatch: %d", r.StatusCode)
	}
	r = b.PostForm("/invite", url.Values{"token": {token}, "password": {"beto-pass-1"}, "confirm_password": {"beto-pass-1"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin" || b.Cookie(web.SessionCookie) == "" {
		t.Fatalf("accept: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := b.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Fatalf("logged in after accepting: %d", r.StatusCode)
	}
	if u, _ := a.Repos.Users.Get(t.Context(), u.ID); u.AdminState() != domain.AdminActive {
		t.Fatalf("state %s after accepting", u.AdminState())
	}
	// Used: a clear page, nothing logged in.
	other := a.Client()
	if r := other.Get(link); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Este enlace ya se usó.") {
		t.Fatalf("used link: %d", r.StatusCode)
	}
	r = other.PostForm("/invite", url.Values{"token": {token}, "password": {"ladron-pass-1"}, "confirm_password": {"ladron-pass-1"}})
	if r.StatusCode != http.StatusBadRequest || other.Cookie(web.SessionCookie) != "" {
		t.Fatalf("used link posted: %d", r.StatusCode)
	}
	// Expired.
	c.PostForm("/admin/users/invite", url.Values{"name": {"Ceci"}, "email": {"ceci@example.com"}, "role": {"admin_viewer"}})
	late := a.LastLink("ceci@example.com", "/invite")
	a.Clock.Advance(73 * time.Hour)
	if r := other.Get(late); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Este enlace venció.") {
		t.Fatalf("expired link: %d", r.StatusCode)
	}
	// Altered.
	if r := other.Get(late + "x"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "no es válido") {
		t.Fatalf("altered link: %d", r.StatusCode)
	}
	if got := auditActions(t, a); len(got) != 2 || got[0] != string(domain.AuditAdminInvited) {
		t.Fatalf("audit %v", got)
	}
}

// TestAdminUsersDeactivate: deactivating ends the admin's sessions, login
// is refused with a clear message, a pending invitation dies; reactivating
// lets them in again. Both audited.
func TestAdminUsersDeactivate(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	v := a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	vc := a.Client()
	vc.Login("lector@example.com", "lector-pass")

	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", v.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", r.StatusCode)
	}
	if r := vc.Get("/admin"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("the deactivated admin's session still works: %d", r.StatusCode)
	}
	r := vc.PostForm("/login", url.Values{"email": {"lector@example.com"}, "password": {"lector-pass"}})
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "está desactivada") {
		t.Fatalf("login of a deactivated admin: %d", r.StatusCode)
	}
	// A wrong password says nothing about the account.
	r = vc.PostForm("/login", url.Values{"email": {"lector@example.com"}, "password": {"mala-pass-1"}})
	if strings.Contains(r.Body, "está desactivada") {
		t.Fatal("a wrong password learns the account is deactivated")
	}
	// An invitation dies with the deactivation.
	c.PostForm("/admin/users/invite", url.Values{"name": {"Dani"}, "email": {"dani@example.com"}, "role": {"admin_viewer"}})
	dani, _ := a.Repos.Users.GetByEmail(t.Context(), "dani@example.com")
	link := a.LastLink("dani@example.com", "/invite")
	c.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", dani.ID), nil)
	if r := a.Client().Get(link); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("invitation of a deactivated admin: %d", r.StatusCode)
	}

	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/reactivate", v.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", r.StatusCode)
	}
	vc.Login("lector@example.com", "lector-pass")
	want := []string{"admin_deactivated", "admin_invited", "admin_deactivated", "admin_reactivated"}
	if got := auditActions(t, a); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit %v, want %v", got, want)
	}
	// Owners are not admin users: not found.
	owner := a.CreateOwner("tienda-x")
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", owner.User.ID), nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deactivating an owner: %d", r.StatusCode)
	}
}

// TestSessionOfDeactivatedUserRejected: a session that outlived the
// deactivation (its row not deleted) opens nothing.
func TestSessionOfDeactivatedUserRejected(t *testing.T) {
	a := testkit.NewApp(t)
	u, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	a.CreateUser("otro@example.com", "otro-pass", domain.RoleSuperAdmin)
	now := a.Clock.Now()
	a.DB.Model(&domain.User{}).Where("id = ?", u.ID).Update("deactivated_at", &now)
	if r := c.Get("/admin/users"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("deactivated user's session: %d", r.StatusCode)
	}
}

// TestAdminUsersChangeRole changes a role, audited with the old and new role.
func TestAdminUsersChangeRole(t *testing.T) {
	a := testkit.NewApp(t)
	super, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	v := a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/role", v.ID), url.Values{"role": {"owner"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Elige un rol de la lista.") {
		t.Fatalf("role owner: %d", r.StatusCode)
	}
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/role", v.ID), url.Values{"role": {"super_admin"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("promote: %d", r.StatusCode)
	}
	var e domain.AuditEntry
	a.DB.Last(&e)
	if u, _ := a.Repos.Users.Get(t.Context(), v.ID); u.Role != domain.RoleSuperAdmin || e.Action != domain.AuditAdminRoleChange ||
		e.TargetID != v.ID || !strings.Contains(e.Detail, "admin_viewer → super_admin") || e.ActorEmail != super.Email {
		t.Fatalf("role %s, audit %+v", u.Role, e)
	}
}

// TestAdminChangeOwnPassword: a viewer changes their own password (the
// Guard's exception): the current one is checked, the new one typed twice,
// their other sessions end and this one stays.
func TestAdminChangeOwnPassword(t *testing.T) {
	a := testkit.NewApp(t)
	a.CreateUser("super@example.com", "super-pass", domain.RoleSuperAdmin)
	a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	c, elsewhere := a.Client(), a.Client()
	c.Login("lector@example.com", "lector-pass")
	elsewhere.Login("lector@example.com", "lector-pass")

	if r := c.Get("/admin/password"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `action="/admin/password"`) {
		t.Fatalf("form: %d", r.StatusCode)
	}
	r := c.PostForm("/admin/password", url.Values{"current_password": {"mala"}, "new_password": {"nueva-pass-1"}, "confirm_password": {"nueva-pass-1"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "La contraseña actual no es correcta.") {
		t.Fatalf("wrong current: %d", r.StatusCode)
	}
	r = c.PostForm("/admin/password", url.Values{"current_password": {"lector-pass"}, "new_password": {"nueva-pass-1"}, "confirm_password": {"nueva-pass-2"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Las contraseñas no coinciden.") {
		t.Fatalf("mismatch: %d", r.StatusCode)
	}
	if n := len(auditActions(t, a)); n != 0 {
		t.Fatalf("refused changes audited: %d", n)
	}
	r = c.PostForm("/admin/password", url.Values{"current_password": {"lector-pass"}, "new_password": {"nueva-pass-1"}, "confirm_password": {"nueva-pass-1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.StatusCode, r.Body)
	}
	if r := c.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Fatalf("this session after the change: %d", r.StatusCode)
	}
	if r := elsewhere.Get("/admin/users"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other session after the change: %d", r.StatusCode)
	}
	a.Client().Login("lector@example.com", "nueva-pass-1")
	if got := auditActions(t, a); len(got) != 1 || got[0] != string(domain.AuditPasswordChanged) {
		t.Fatalf("audit %v", got)
	}
}

// TestEnsureAdminKeepsAdminsDecision: the ADMIN_EMAIL admin keeps the
// password it set (a restart with ADMIN_PASSWORD does not reset it) and,
// demoted or deactivated on /admin/users, stays so at the next start (which
// used to refuse to start); an owner's email is still refused.
func TestEnsureAdminKeepsAdminsDecision(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	seed := a.CreateUser("semilla@example.com", "semilla-pass", domain.RoleSuperAdmin)
	if err := a.Accounts.EnsureAdmin(t.Context(), "semilla@example.com", "semilla-nueva"); err != nil {
		t.Fatal(err)
	}
	if r := a.Client().PostForm("/login", url.Values{"email": {"semilla@example.com"}, "password": {"semilla-pass"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the admin's own password no longer works after a start with ADMIN_PASSWORD: %d", r.StatusCode)
	}
	c.PostForm(fmt.Sprintf("/admin/users/%d/role", seed.ID), url.Values{"role": {"admin_viewer"}})
	c.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", seed.ID), nil)
	if err := a.Accounts.EnsureAdmin(t.Context(), "semilla@example.com", "semilla-nueva"); err != nil {
		t.Fatalf("start with a demoted ADMIN_EMAIL: %v", err)
	}
	if u, _ := a.Repos.Users.Get(t.Context(), seed.ID); u.Role != domain.RoleAdminViewer || u.Active() {
		t.Fatalf("the start undid the admins' decision: role %s active %v", u.Role, u.Active())
	}
	owner := a.CreateOwner("tienda-semilla")
	if err := a.Accounts.EnsureAdmin(t.Context(), owner.Email, "semilla-nueva"); err == nil {
		t.Fatal("an owner's email became the admin")
	}
}
