package admin

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

// auditTargets are the target types the audit log filters by.
var auditTargets = []string{domain.AuditTargetBusiness, domain.AuditTargetUser, domain.AuditTargetSettings}

// auditLog is the audit log (tab "audit"), newest first, paginated, with
// an optional filter by target type (?type=business).
func (h *Businesses) auditLog(c *fiber.Ctx) error {
	f := domain.AuditFilter{}
	for _, t := range auditTargets {
		if c.Query("type") == t {
			f.TargetType = t
		}
	}
	pageNo, _ := strconv.Atoi(c.Query("page"))
	entries, p, err := h.svc.AuditLog(c.UserContext(), f, pageNo)
	if err != nil {
		return err
	}
	lang := web.Lang(c)
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		at := e.CreatedAt
		rows[i] = auditRow{AuditEntry: e.AuditEntry, When: when(&at, lang), TargetLabel: e.TargetLabel}
	}
	link := func(page int) string {
		v := url.Values{}
		if f.TargetType != "" {
			v.Set("type", f.TargetType)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/admin/audit"
		}
		return "/admin/audit?" + v.Encode()
	}
	data := fiber.Map{
		"Title": web.L(c).T("admin.audit.title"), "Rows": rows, "Pager": p,
		"Type": f.TargetType, "Types": auditTargets,
	}
	if p.HasPrev() {
		data["PrevURL"] = link(p.PrevPage())
	}
	if p.HasNext() {
		data["NextURL"] = link(p.NextPage())
	}
	return page(c, fiber.StatusOK, "admin/audit", "audit", data)
}
