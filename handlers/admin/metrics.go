package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// metricsScripts are the scripts of the metrics pages only: Chart.js and
// the code that draws each table's chart.
var metricsScripts = []string{"vendor/chartjs/chart.umd.min.js", "js/admin_charts.js"}

// Handler serves the metrics pages: /admin (Qubly as a business) and
// /admin/customers (the stores), their CSV exports and the refresh.
type Handler struct{ metrics *services.AdminMetrics }

// New returns the metrics handlers.
func New(metrics *services.AdminMetrics) *Handler { return &Handler{metrics: metrics} }

// Register mounts the routes on r (already guarded for admin roles).
func (h *Handler) Register(r fiber.Router) {
	r.Get("/", h.platform)
	r.Get("/customers", h.customers)
	r.Get("/metrics/:table.csv", h.csv)
	r.Post("/metrics/refresh", h.refresh)
}

// metricsCard is a headline figure with its definition.
type metricsCard struct {
	ID, Label, Value, Detail, Help string
}

func (h *Handler) platform(c *fiber.Ctx) error {
	m, err := h.metrics.Platform(c.UserContext())
	if err != nil {
		return err
	}
	l := web.L(c)
	cards := []metricsCard{
		{ID: "mrr", Label: l.T("admin_metrics.mrr"), Value: m.MRR.Pesos(),
			Detail: l.T("admin_metrics.mrr.detail", "Paying", m.Paying, "Price", m.PlanPrice.Pesos()),
			Help:   l.T("admin_metrics.mrr.help")},
		{ID: "conversion", Label: l.T("admin_metrics.conversion"), Value: percent(m.Conversion.Value()),
			Detail: l.T("admin_metrics.of", "Num", m.Conversion.Num, "Den", m.Conversion.Den),
			Help:   l.T("admin_metrics.conversion.help")},
		{ID: "churn", Label: l.T("admin_metrics.churn"), Value: percent(m.Churn.Value()),
			Detail: l.T("admin_metrics.of", "Num", m.Churn.Num, "Den", m.Churn.Den),
			Help:   l.T("admin_metrics.churn.help")},
	}
	return page(c, fiber.StatusOK, "admin/platform", "platform", fiber.Map{
		"Title": l.T("admin_metrics.platform.title"), "Cards": cards,
		"Tables": platformTables(m, l), "ComputedAt": computedAt(m.ComputedAt, l.Lang()),
		"Back": "/admin", "Scripts": metricsScripts,
	})
}

// refresh drops the cached figures (super admin only, by Guard) and goes
// back to the page it was asked from.
func (h *Handler) refresh(c *fiber.Ctx) error {
	h.metrics.Refresh()
	back := "/admin"
	if c.FormValue("back") == "/admin/customers" {
		back = "/admin/customers"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
