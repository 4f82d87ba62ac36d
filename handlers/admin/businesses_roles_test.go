package admin_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
)

// An admin_viewer sees every page without a form and is refused every
// action; an owner finds none of the pages; nothing changes.
func TestAdminBusinessesRoles(t *testing.T) {
	e := newAdminEnv(t)
	biz := e.a.Shop("ajena", nil)
	suspended := e.a.Shop("ya-suspendida", map[string]any{"suspended_at": e.a.Clock.Now(), "suspended_reason": "prueba"})
	_, viewer := adminClient(t, e.a, domain.RoleAdminViewer, "")
	owner := e.a.Client()
	o := e.a.CreateOwner("duena")
	owner.Login(o.Email, o.Password)

	pages := []string{
		"/admin/businesses", "/admin/businesses?q=ajena",
		fmt.Sprintf("/admin/businesses/%d", biz.ID), fmt.Sprintf("/admin/businesses/%d", suspended.ID), "/admin/audit",
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{fmt.Sprintf("/admin/businesses/%d/trial", biz.ID), url.Values{"days": {"5"}}},
		{fmt.Sprintf("/admin/businesses/%d/suspend", biz.ID), url.Values{"reason": {"no"}}},
		{fmt.Sprintf("/admin/businesses/%d/unsuspend", suspended.ID), nil},
	}
	for _, p := range pages {
		r := viewer.Get(p)
		if r.StatusCode != http.StatusOK {
			t.Errorf("viewer GET %s: %d", p, r.StatusCode)
		}
		if strings.Contains(r.Body, `method="post" action="/admin/`) {
			t.Errorf("viewer sees a form on %s", p)
		}
		if r := owner.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("owner GET %s: %d", p, r.StatusCode)
		}
	}
	// The super admin sees the forms the viewer does not.
	if r := e.super.Get(fmt.Sprintf("/admin/businesses/%d", biz.ID)); !strings.Contains(r.Body, fmt.Sprintf(`action="/admin/businesses/%d/suspend"`, biz.ID)) ||
		!strings.Contains(r.Body, fmt.Sprintf(`action="/admin/businesses/%d/trial"`, biz.ID)) {
		t.Errorf("super admin sees no forms")
	}
	if r := e.super.Get(fmt.Sprintf("/admin/businesses/%d", suspended.ID)); !strings.Contains(r.Body, fmt.Sprintf(`action="/admin/businesses/%d/unsuspend"`, suspended.ID)) {
		t.Errorf("super admin sees no unsuspend form")
	}
	for _, p := range posts {
		// Each client posts its own copy (PostForm adds its CSRF token).
		if r := viewer.PostForm(p.path, clone(p.form)); r.StatusCode != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d", p.path, r.StatusCode)
		}
		if r := owner.PostForm(p.path, clone(p.form)); r.StatusCode != http.StatusNotFound {
			t.Errorf("owner POST %s: %d", p.path, r.StatusCode)
		}
	}
	if b := e.business(t, biz.ID); b.Suspended() || !b.TrialEndsAt.Equal(*biz.TrialEndsAt) {
		t.Errorf("refused actions changed the business")
	}
	if b := e.business(t, suspended.ID); !b.Suspended() {
		t.Errorf("refused unsuspend lifted the suspension")
	}
	var n int64
	e.a.DB.Model(&domain.AuditEntry{}).Count(&n)
	if n != 0 {
		t.Errorf("%d audit entries after refused actions", n)
	}
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Every domain.AuditAction constant (parsed from domain/audit.go, so one
// added later is checked too) has its label in both languages.
func TestAuditActionsAreTranslated(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../../domain/audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "AuditAction" {
			return true
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				actions = append(actions, s)
			}
		}
		return true
	})
	if len(actions) < 3 {
		t.Fatalf("found %d audit actions", len(actions))
	}
	for _, lang := range []string{"es", "en"} {
		raw, err := os.ReadFile("../../i18n/locales/admin_businesses." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var keys map[string]any
		if err := json.Unmarshal(raw, &keys); err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if _, ok := keys["admin.audit.action."+a]; !ok {
				t.Errorf("%s: no label for audit action %q", lang, a)
			}
		}
	}
}
