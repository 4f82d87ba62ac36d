package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// customers serves /admin/customers: the stores' figures.
func (h *Handler) customers(c *fiber.Ctx) error {
	m, err := h.metrics.Customers(c.UserContext())
	if err != nil {
		return err
	}
	l := web.L(c)
	var orders, value int64
	for _, p := range m.Orders {
		orders += p.Count
		value += int64(p.Cents)
	}
	cards := []metricsCard{
		{ID: "active-stores", Label: l.T("admin_metrics.stores.active"), Value: percent(m.Active.Value()),
			Detail: l.T("admin_metrics.of", "Num", m.Active.Num, "Den", m.Active.Den),
			Help:   l.T("admin_metrics.stores.active.help")},
		{ID: "cache-rate", Label: l.T("admin_metrics.chat.cache_rate"), Value: percent(m.CacheHits.Value()),
			Detail: l.T("admin_metrics.of", "Num", m.CacheHits.Num, "Den", m.CacheHits.Den),
			Help:   l.T("admin_metrics.chat.cache_rate.help")},
		{ID: "per-store", Label: l.T("admin_metrics.stores.per_store"), Value: average(m.PerStore).Text,
			Detail: l.T("admin_metrics.stores.products_detail", "Products", m.Products),
			Help:   l.T("admin_metrics.stores.per_store.help")},
	}
	return page(c, fiber.StatusOK, "admin/customers", "customers", fiber.Map{
		"Title": l.T("admin_metrics.customers.title"), "Cards": cards,
		"Tables": customerTables(m, l), "ComputedAt": computedAt(m.ComputedAt, l.Lang()),
		"Back": "/admin/customers", "Scripts": metricsScripts,
	})
}
