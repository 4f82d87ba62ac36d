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

// inviteToken is the signed token of an /invite link.
func inviteToken(t *testing.T, link string) string {
	t.Helper()
	token, err := url.QueryUnescape(strings.TrimPrefix(link, "/invite?token="))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestAdminUsersResendInvite: a super admin re-sends a pending invitation:
// a second email (same template and language) with a new link valid 72 h
// from now, the earlier link dead, audited; the new link lets the invitee
// set their password.
func TestAdminUsersResendInvite(t *testing.T) {
	a := testkit.NewApp(t)
	super, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	c.PostForm("/admin/users/invite", url.Values{"name": {"Beto"}, "email": {"beto@example.com"}, "role": {"admin_viewer"}, "locale": {"en"}})
	beto, err := a.Repos.Users.GetByEmail(t.Context(), "beto@example.com")
	if err != nil {
		t.Fatal(err)
	}
	old := a.LastLink("beto@example.com", "/invite")
	resend := fmt.Sprintf("/admin/users/%d/resend-invite", beto.ID)

	r := c.Get("/admin/users")
	if !strings.Contains(r.Body, `action="`+resend+`"`) || !strings.Contains(r.Body, "Reenviar invitación") {
		t.Fatal("the pending invitation has no resend button")
	}
	if strings.Count(r.Body, `/resend-invite"`) != 1 {
		t.Fatal("a resend button on an admin without a pending invitation")
	}

	a.Clock.Advance(48 * time.Hour)
	if r := c.PostForm(resend, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/users" {
		t.Fatalf("resend: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if r := c.Get("/admin/users"); !strings.Contains(r.Body, "Invitación reenviada") {
		t.Error("no flash after the resend")
	}
	es := a.Emails("beto@example.com")
	if len(es) != 2 || es[1].Template != "admin_invite" || !strings.Contains(es[1].Subject, "invited") {
		t.Fatalf("emails %+v", es)
	}
	link := a.LastLink("beto@example.com", "/invite")
	if link == old {
		t.Fatal("the resent email has the old link")
	}

	// The earlier link no longer works, not even to look.
	b := a.Client()
	if r := b.Get(old); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "te enviamos uno más nuevo") {
		t.Fatalf("old link: %d\n%s", r.StatusCode, r.Body)
	}
	r = b.PostForm("/invite", url.Values{"token": {inviteToken(t, old)}, "password": {"beto-pass-1"}, "confirm_password": {"beto-pass-1"}})
	if r.StatusCode != http.StatusBadRequest || b.Cookie(web.SessionCookie) != "" {
		t.Fatalf("old link posted: %d", r.StatusCode)
	}

	// The new one works 72 h from the resend (96 h after the first invite).
	a.Clock.Advance(48 * time.Hour)
	if r := b.Get(link); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `action="/invite"`) {
		t.Fatalf("new link: %d", r.StatusCode)
	}
	r = b.PostForm("/invite", url.Values{"token": {inviteToken(t, link)}, "password": {"beto-pass-1"}, "confirm_password": {"beto-pass-1"}})
	if r.StatusCode != http.StatusSeeOther || b.Cookie(web.SessionCookie) == "" {
		t.Fatalf("accept with the new link: %d\n%s", r.StatusCode, r.Body)
	}
	if u, _ := a.Repos.Users.Get(t.Context(), beto.ID); u.AdminState() != domain.AdminActive {
		t.Fatalf("state %s after accepting", u.AdminState())
	}

	var e domain.AuditEntry
	a.DB.Last(&e)
	if got := auditActions(t, a); strings.Join(got, ",") != "admin_invited,admin_invite_resent" {
		t.Fatalf("audit %v", got)
	}
	if e.TargetType != domain.AuditTargetUser || e.TargetID != beto.ID || *e.ActorUserID != super.ID || e.Detail != "beto@example.com" {
		t.Fatalf("audit entry %+v", e)
	}
}

// TestAdminUsersResendInviteRefused: no invitation is pending for an admin
// who accepted, one created with a password or a deactivated invitee: 409
// with the reason, no email, no audit entry, the links unchanged; an owner
// is not found and a viewer may not resend.
func TestAdminUsersResendInviteRefused(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	// Accepted.
	c.PostForm("/admin/users/invite", url.Values{"name": {"Beto"}, "email": {"beto@example.com"}, "role": {"admin_viewer"}})
	beto, _ := a.Repos.Users.GetByEmail(t.Context(), "beto@example.com")
	b := a.Client()
	b.PostForm("/invite", url.Values{"token": {inviteToken(t, a.LastLink("beto@example.com", "/invite"))}, "password": {"beto-pass-1"}, "confirm_password": {"beto-pass-1"}})
	// Created with a password.
	lector := a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	// Invited, then deactivated.
	c.PostForm("/admin/users/invite", url.Values{"name": {"Dani"}, "email": {"dani@example.com"}, "role": {"admin_viewer"}})
	dani, _ := a.Repos.Users.GetByEmail(t.Context(), "dani@example.com")
	c.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", dani.ID), nil)

	before := auditActions(t, a)
	for _, u := range []*domain.User{beto, lector, dani} {
		r := c.PostForm(fmt.Sprintf("/admin/users/%d/resend-invite", u.ID), nil)
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "no tiene una invitación pendiente") {
			t.Fatalf("resend to %s: %d\n%s", u.Email, r.StatusCode, r.Body)
		}
	}
	if n := len(a.Emails("beto@example.com")); n != 1 {
		t.Errorf("%d emails to the accepted admin", n)
	}
	if n := len(a.Emails("lector@example.com")); n != 0 {
		t.Errorf("%d emails to the admin created with a password", n)
	}
	if n := len(a.Emails("dani@example.com")); n != 1 {
		t.Errorf("%d emails to the deactivated invitee", n)
	}
	if got := auditActions(t, a); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Fatalf("refused resends audited: %v, before %v", got, before)
	}
	if u, _ := a.Repos.Users.Get(t.Context(), dani.ID); u.AdminState() != domain.AdminDeactivated {
		t.Fatalf("the deactivated invitee is %s", u.AdminState())
	}

	owner := a.CreateOwner("tienda-reenvio")
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/resend-invite", owner.User.ID), nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("resend to an owner: %d", r.StatusCode)
	}

	// A viewer neither sees the button nor may post.
	c.PostForm("/admin/users/invite", url.Values{"name": {"Eva"}, "email": {"eva@example.com"}, "role": {"admin_viewer"}})
	eva, _ := a.Repos.Users.GetByEmail(t.Context(), "eva@example.com")
	v := a.Client()
	v.Login("lector@example.com", "lector-pass")
	if r := v.Get("/admin/users"); strings.Contains(r.Body, "/resend-invite") {
		t.Error("the viewer sees the resend button")
	}
	if r := v.PostForm(fmt.Sprintf("/admin/users/%d/resend-invite", eva.ID), nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer resending: %d", r.StatusCode)
	}
	if n := len(a.Emails("eva@example.com")); n != 1 {
		t.Fatalf("%d emails after the viewer's resend", n)
	}
}

// An invitation link left over (a resend that crossed the invitee's
// acceptance, or a password reset before it) does not set the password of
// an admin who has one already.
func TestAdminInviteLinkRefusedOnceTheAdminHasAPassword(t *testing.T) {
	a := testkit.NewApp(t)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	c.PostForm("/admin/users/invite", url.Values{"name": {"Beto"}, "email": {"beto@example.com"}, "role": {"admin_viewer"}, "locale": {"es"}})
	link := a.LastLink("beto@example.com", "/invite")
	beto, err := a.Repos.Users.GetByEmail(t.Context(), "beto@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Beto set a password another way (the reset link marks him verified).
	if err := a.Repos.Users.MarkVerified(t.Context(), beto.ID, a.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	b := a.Client()
	r := b.PostForm("/invite", url.Values{"token": {inviteToken(t, link)}, "password": {"otra-clave-1"}, "confirm_password": {"otra-clave-1"}})
	if r.StatusCode != http.StatusBadRequest || b.Cookie(web.SessionCookie) != "" {
		t.Fatalf("leftover link posted: %d", r.StatusCode)
	}
	after, err := a.Repos.Users.Get(t.Context(), beto.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.PasswordHash != beto.PasswordHash {
		t.Error("the leftover link changed the password")
	}
}
