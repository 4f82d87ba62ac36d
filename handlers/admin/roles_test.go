package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/admin"
	"github.com/qubly/qubly/testkit"
)

// adminFixture is one object per /admin route parameter name. A route with
// a parameter not listed here fails TestAdminRoleMatrix: add its fixture.
func adminFixture(t *testing.T, a *testkit.App) map[string]string {
	t.Helper()
	owner := a.CreateOwner("tienda-matriz")
	target := a.CreateUser("objetivo@example.com", "objetivo-pass", domain.RoleAdminViewer)
	return map[string]string{
		"userID": fmt.Sprint(target.ID),
		// /admin/businesses/:id (contract) and any :businessID.
		"id": fmt.Sprint(owner.Business.ID), "businessID": fmt.Sprint(owner.Business.ID),
		// /admin/metrics/:table.csv
		"table": "subscriptions",
	}
}

// matrixForm is what every POST sends: plausible values for the admin
// forms, so a super admin's POST reaches its handler.
func matrixForm() url.Values {
	return url.Values{
		"name": {"Matriz"}, "email": {"matriz@example.com"}, "role": {string(domain.RoleAdminViewer)},
		"password": {"matriz-pass-1"}, "reason": {"matriz"}, "days": {"7"},
		"current_password": {"incorrecta"}, "new_password": {"nueva-pass-1"}, "confirm_password": {"nueva-pass-1"},
	}
}

// TestAdminRoleMatrix walks every GET and POST route under /admin as the
// real app registers it (routes added later are covered automatically)
// as an anonymous visitor, a store owner, an admin_viewer and a
// super_admin:
//   - anonymous: GET → 303 to /login; POST → 303 to /login or 403
//   - owner: 404 (the admin pages do not exist for them)
//   - viewer: GET 200; POST 403, but for admin.AnyAdminMayPost
//   - super admin: GET 200; POST neither 403 nor 404 (nor a 5xx)
func TestAdminRoleMatrix(t *testing.T) {
	a := testkit.NewApp(t)
	ids := adminFixture(t, a)
	owner := a.CreateOwner("tienda-duena")

	anon := a.Client()
	ownerC := a.Client()
	ownerC.Login(owner.Email, owner.Password)
	_, viewer := adminClient(t, a, domain.RoleAdminViewer, "")
	_, super := adminClient(t, a, domain.RoleSuperAdmin, "")

	seen := map[string]bool{}
	for _, rt := range a.Fiber.GetRoutes(true) {
		if !(rt.Path == "/admin" || strings.HasPrefix(rt.Path, "/admin/")) ||
			(rt.Method != http.MethodGet && rt.Method != http.MethodPost) {
			continue
		}
		key := rt.Method + " " + rt.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		path := rt.Path
		for _, p := range rt.Params {
			id, ok := ids[p]
			if !ok {
				t.Errorf("%s: no fixture for parameter :%s; add one to adminFixture", key, p)
				continue
			}
			path = strings.Replace(path, ":"+p, id, 1)
		}
		if strings.Contains(path, ":") || strings.Contains(path, "*") {
			continue
		}
		get := rt.Method == http.MethodGet
		do := func(c *testkit.Client) *testkit.Response {
			if get {
				return c.Get(path)
			}
			return c.PostForm(path, matrixForm())
		}

		r := do(anon)
		switch {
		case r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login"):
		case !get && r.StatusCode == http.StatusForbidden:
		default:
			t.Errorf("%s anonymous: %d %q, want 303 to /login", key, r.StatusCode, r.Header.Get("Location"))
		}
		if r := do(ownerC); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s owner: %d, want 404", key, r.StatusCode)
		}
		r = do(viewer)
		switch {
		case get && r.StatusCode != http.StatusOK:
			t.Errorf("%s viewer: %d, want 200", key, r.StatusCode)
		case !get && admin.AnyAdminMayPost[path] && (r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusNotFound || r.StatusCode >= 500):
			t.Errorf("%s viewer (allowed to post): %d", key, r.StatusCode)
		case !get && !admin.AnyAdminMayPost[path] && r.StatusCode != http.StatusForbidden:
			t.Errorf("%s viewer: %d, want 403", key, r.StatusCode)
		}
		r = do(super)
		switch {
		case get && r.StatusCode != http.StatusOK:
			t.Errorf("%s super admin: %d, want 200", key, r.StatusCode)
		case !get && (r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusNotFound || r.StatusCode >= 500):
			t.Errorf("%s super admin: %d, want the action to run\n%s", key, r.StatusCode, r.Body)
		}
	}
	for _, want := range []string{"GET /admin/users", "POST /admin/users/:userID/deactivate", "POST /admin/users/:userID/resend-invite", "POST /admin/password"} {
		if !seen[want] {
			t.Errorf("route %s not found: the matrix walks the wrong routes", want)
		}
	}
	t.Logf("checked %d admin routes × 4 roles", len(seen))
}

// TestAdminGuardViewerMayOnlyPostAllowList: the viewer's exception is
// exactly the allow-list; a viewer's POST anywhere else is refused and
// changes nothing.
func TestAdminGuardViewerMayOnlyPostAllowList(t *testing.T) {
	a := testkit.NewApp(t)
	v := a.CreateUser("lector@example.com", "lector-pass", domain.RoleAdminViewer)
	a.CreateUser("super@example.com", "super-pass", domain.RoleSuperAdmin)
	c := a.Client()
	c.Login("lector@example.com", "lector-pass")
	r := c.PostForm("/admin/users", url.Values{"name": {"X"}, "email": {"x@example.com"}, "role": {"super_admin"}, "password": {"xxxxxxxxx1"}})
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer creating an admin: %d", r.StatusCode)
	}
	if taken, _ := a.Repos.Users.EmailTaken(t.Context(), "x@example.com"); taken {
		t.Fatal("the viewer's POST created an admin")
	}
	r = c.PostForm(fmt.Sprintf("/admin/users/%d/role", v.ID), url.Values{"role": {"super_admin"}})
	if u, _ := a.Repos.Users.Get(t.Context(), v.ID); r.StatusCode != http.StatusForbidden || u.Role != domain.RoleAdminViewer {
		t.Fatalf("viewer promoting themselves: %d, role %s", r.StatusCode, u.Role)
	}
	r = c.PostForm("/admin/password/", url.Values{"current_password": {"lector-pass"}, "new_password": {"lector-nueva"}, "confirm_password": {"lector-nueva"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("viewer changing their password: %d", r.StatusCode)
	}
}

// TestLastSuperAdminRule: the only active super admin can be neither
// demoted nor deactivated, by themselves included, with a clear message
// and nothing changed; with a second super admin both are allowed.
func TestLastSuperAdminRule(t *testing.T) {
	a := testkit.NewApp(t)
	s, c := adminClient(t, a, domain.RoleSuperAdmin, "")
	audits := func() int64 {
		var n int64
		a.DB.Model(&domain.AuditEntry{}).Count(&n)
		return n
	}

	for _, try := range []struct {
		path string
		form url.Values
	}{
		{fmt.Sprintf("/admin/users/%d/role", s.ID), url.Values{"role": {"admin_viewer"}}},
		{fmt.Sprintf("/admin/users/%d/deactivate", s.ID), nil},
	} {
		r := c.PostForm(try.path, try.form)
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "último super admin activo") {
			t.Fatalf("%s on the last super admin: %d\n%s", try.path, r.StatusCode, r.Body)
		}
		u, _ := a.Repos.Users.Get(t.Context(), s.ID)
		if u.Role != domain.RoleSuperAdmin || !u.Active() || audits() != 0 {
			t.Fatalf("%s changed something: role %s active %v, %d audit entries", try.path, u.Role, u.Active(), audits())
		}
	}
	// A deactivated super admin does not count as the other one.
	other := a.CreateUser("otro@example.com", "otro-pass", domain.RoleSuperAdmin)
	now := a.Clock.Now()
	a.DB.Model(&domain.User{}).Where("id = ?", other.ID).Update("deactivated_at", &now)
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/role", s.ID), url.Values{"role": {"admin_viewer"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("demoting with only a deactivated second super admin: %d", r.StatusCode)
	}
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/reactivate", other.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", r.StatusCode)
	}
	// Now two: the first may step down, and then the other is the last.
	if r := c.PostForm(fmt.Sprintf("/admin/users/%d/role", s.ID), url.Values{"role": {"admin_viewer"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("demoting one of two super admins: %d\n%s", r.StatusCode, r.Body)
	}
	if u, _ := a.Repos.Users.Get(t.Context(), s.ID); u.Role != domain.RoleAdminViewer {
		t.Fatalf("role %s after the demotion", u.Role)
	}
	o := a.Client()
	o.Login("otro@example.com", "otro-pass")
	if r := o.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", other.ID), nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("the new last super admin deactivating themselves: %d", r.StatusCode)
	}
	if r := o.PostForm(fmt.Sprintf("/admin/users/%d/deactivate", s.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivating the (now viewer) first admin: %d", r.StatusCode)
	}
}

// TestLastSuperAdminConcurrent: two super admins demote each other at the
// same time, again and again; exactly one demotion may win each round (on
// PostgreSQL the check locks the super admins' rows, see
// repositories.Users.LockActiveSuperAdmins).
func TestLastSuperAdminConcurrent(t *testing.T) {
	a := testkit.NewApp(t)
	x := a.CreateUser("x@example.com", "x-pass-123", domain.RoleSuperAdmin)
	y := a.CreateUser("y@example.com", "y-pass-123", domain.RoleSuperAdmin)
	cx, cy := a.Client(), a.Client()
	cx.Login("x@example.com", "x-pass-123")
	cy.Login("y@example.com", "y-pass-123")
	cx.CSRF()
	cy.CSRF()
	for round := 0; round < 8; round++ {
		a.DB.Model(&domain.User{}).Where("id IN ?", []int64{x.ID, y.ID}).Update("role", domain.RoleSuperAdmin)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, p := range []struct {
			c  *testkit.Client
			id int64
		}{{cx, y.ID}, {cy, x.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = p.c.PostForm(fmt.Sprintf("/admin/users/%d/role", p.id), url.Values{"role": {"admin_viewer"}}).StatusCode
			}()
		}
		wg.Wait()
		var supers int64
		a.DB.Model(&domain.User{}).Where("role = ? AND deactivated_at IS NULL", domain.RoleSuperAdmin).Count(&supers)
		if supers != 1 {
			t.Fatalf("round %d: %d super admins left (answers %v)", round, supers, codes)
		}
		// The loser is refused by the rule (409), or, when it arrived after
		// the winner's commit, as the viewer it now is (403).
		won := 0
		for _, code := range codes {
			switch code {
			case http.StatusSeeOther:
				won++
			case http.StatusConflict, http.StatusForbidden:
			default:
				t.Fatalf("round %d: answers %v", round, codes)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: answers %v, want one 303", round, codes)
		}
	}
}
