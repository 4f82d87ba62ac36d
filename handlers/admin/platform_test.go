package admin_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// The platform page's figures on a known dataset (see platformData).
func TestAdminPlatformMetrics(t *testing.T) {
	a := testkit.NewApp(t)
	platformData(t, a)
	_, c := adminClient(t, a, domain.RoleSuperAdmin, "")

	r := c.Get("/admin")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	wantFigures(t, r.Body, map[string][2]string{
		"mrr":        {"$996.00", "4 negocios pagando × $249.00"},
		"conversion": {"71.4%", "5 de 7"},
		"churn":      {"25%", "1 de 4"},
	})

	if got, want := csvMap(getCSV(t, c, "subscriptions")), map[string]string{
		"En prueba": "2", "Activos": "3", "Pago vencido": "1", "Cancelados": "2", "Total": "8", "Suspendidos": "1",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("subscriptions = %v, want %v", got, want)
	}

	signups := getCSV(t, c, "signups")
	if want := []string{"Semana del", "Altas"}; !reflect.DeepEqual(signups[0], want) {
		t.Errorf("signups header %v", signups[0])
	}
	weeks := map[string]string{}
	for _, row := range signups[1:] {
		weeks[row[0]] = row[1]
	}
	wantWeeks := map[string]string{
		"2025-12-15": "0", "2025-12-22": "0", "2025-12-29": "1", "2026-01-05": "0", "2026-01-12": "0", "2026-01-19": "1",
		"2026-01-26": "0", "2026-02-02": "0", "2026-02-09": "2", "2026-02-16": "0", "2026-02-23": "1", "2026-03-02": "0",
	}
	if !reflect.DeepEqual(weeks, wantWeeks) || len(signups) != 13 {
		t.Errorf("sign-ups per week = %v, want %v", weeks, wantWeeks)
	}

	revenue := csvMap(getCSV(t, c, "revenue"))
	if len(revenue) != 12 || revenue["2025-04"] != "0|0.00" || revenue["2026-01"] != "1|249.00" ||
		revenue["2026-02"] != "3|747.00" || revenue["2026-03"] != "0|0.00" {
		t.Errorf("revenue per month = %v", revenue)
	}

	if got, want := csvMap(getCSV(t, c, "referrals")), map[string]string{
		"Referidos hechos": "4", "Convertidos (pagaron)": "2", "Recompensados": "1", "Pendientes": "1",
		"Sin recompensa (límite o autorreferido)": "1", "Tasa de éxito": "50.0",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("referrals = %v, want %v", got, want)
	}

	// The page shows the same figures in its tables, with a chart for each
	// series and the time they were computed (09:04 in Mexico City).
	for _, s := range []string{
		"Calculado a las 9:04", `<th scope="row"`, "$747.00", "feb 2026", "9 feb 2026",
		`data-chart="chart-revenue"`, `<script type="application/json" id="chart-revenue">`,
		`href="/admin/metrics/signups.csv"`, "vendor/chartjs/chart.umd.min.js", "js/admin_charts.js",
		`action="/admin/metrics/refresh"`,
	} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// Charts load only on the metrics pages.
func TestAdminChartsOnlyOnMetricsPages(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tacos-ana")
	c := a.Client()
	c.Login(o.Email, o.Password)
	for _, p := range []string{"/dashboard", "/dashboard/chatbot", "/", "/tacos-ana"} {
		if r := c.Get(p); strings.Contains(r.Body, "chartjs") {
			t.Errorf("%s loads Chart.js", p)
		}
	}
}

// An admin_viewer sees both pages and the CSVs, in English too, but no
// refresh button and may not refresh; owners and visitors get nothing.
func TestAdminMetricsAccess(t *testing.T) {
	a := testkit.NewApp(t)
	platformData(t, a)
	_, v := adminClient(t, a, domain.RoleAdminViewer, "")
	for _, p := range []string{"/admin", "/admin/customers", "/admin/metrics/revenue.csv", "/admin/metrics/chatbot.csv"} {
		if r := v.Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("viewer GET %s: %d", p, r.StatusCode)
		}
	}
	r := v.Get("/admin")
	if !strings.Contains(r.Body, "$996.00") || strings.Contains(r.Body, `action="/admin/metrics/refresh"`) {
		t.Error("viewer's page lacks the MRR or shows the refresh button")
	}
	if r := v.PostForm("/admin/metrics/refresh", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer refresh: %d", r.StatusCode)
	}
	if r := v.Get("/admin/metrics/nothing.csv"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown table: %d", r.StatusCode)
	}

	_, en := adminClient(t, a, domain.RoleAdminViewer, "en")
	r = en.Get("/admin")
	for _, s := range []string{"Computed at 9:04 AM", "4 paying businesses × $249.00", "Feb 2026", "Feb 9, 2026"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("English page lacks %q", s)
		}
	}

	o := a.CreateOwner("tacos-ana")
	oc := a.Client()
	oc.Login(o.Email, o.Password)
	anon := a.Client()
	for _, p := range []string{"/admin", "/admin/customers", "/admin/metrics/revenue.csv"} {
		if r := oc.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("owner GET %s: %d", p, r.StatusCode)
		}
		if r := anon.Get(p); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous GET %s: %d", p, r.StatusCode)
		}
	}
}
