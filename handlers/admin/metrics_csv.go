package admin

import (
	"bytes"
	"encoding/csv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// csv serves one metrics table as CSV (/admin/metrics/<table>.csv): the
// header row, then the figures as exported (money in pesos with two
// decimals, dates as ISO), from the same cached figures as the page.
func (h *Handler) csv(c *fiber.Ctx) error {
	id := c.Params("table")
	l := web.L(c)
	var tables []metricsTable
	switch id {
	case "subscriptions", "signups", "revenue", "referrals":
		m, err := h.metrics.Platform(c.UserContext())
		if err != nil {
			return err
		}
		tables = platformTables(m, l)
	case "orders", "top-stores", "stores", "chatbot":
		m, err := h.metrics.Customers(c.UserContext())
		if err != nil {
			return err
		}
		tables = customerTables(m, l)
	}
	for _, t := range tables {
		if t.ID != id {
			continue
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		head := make([]string, len(t.Head))
		for i, h := range t.Head {
			head[i] = h.Text
		}
		_ = w.Write(head)
		for _, row := range t.Rows {
			rec := make([]string, len(row))
			for i, cl := range row {
				rec[i] = cl.CSV
			}
			_ = w.Write(rec)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="qubly-`+id+`.csv"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
	return fiber.ErrNotFound
}
