package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

// actionForm is what a refused action shows again: which form failed
// (Target: "trial" or "suspend"), what was typed and the messages.
type actionForm struct {
	Target string
	Values map[string]string
	Errors map[string]string
	// Error is a message about the action as a whole (not one field).
	Error string
}

// For returns the state when target is the failed form, else nil.
func (f *actionForm) For(target string) *actionForm {
	if f == nil || f.Target != target {
		return nil
	}
	return f
}

// Err is field's message, or "".
func (f *actionForm) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Val is what was typed in field, or def when the form did not fail.
func (f *actionForm) Val(field, def string) string {
	if f == nil {
		return def
	}
	return f.Values[field]
}

// historyRow is a subscription change with its time written for the viewer.
type historyRow struct {
	domain.SubscriptionChange
	When string
}

// invoiceRow is an invoice with its period written for the viewer.
type invoiceRow struct {
	domain.Invoice
	Period string
}

// referralRow is a referral with its dates written for the viewer.
type referralRow struct {
	domain.ReferralView
	Created, Decided string
}

// auditRow is an audit entry with its time written for the viewer.
type auditRow struct {
	domain.AuditEntry
	When, TargetLabel string
}

func (h *Businesses) show(c *fiber.Ctx) error {
	return h.renderDetail(c, fiber.StatusOK, nil)
}

// renderDetail renders the business page with status; form is the action
// that was refused, or nil.
func (h *Businesses) renderDetail(c *fiber.Ctx, status int, form *actionForm) error {
	id, err := paramID(c, "businessID")
	if err != nil {
		return err
	}
	d, err := h.svc.Detail(c.UserContext(), id)
	if err != nil {
		return err
	}
	lang := web.Lang(c)
	b := &d.Business
	now := h.clock()
	created := b.CreatedAt
	data := fiber.Map{
		"Title": b.Name, "D": d, "B": b, "Form": form,
		"Created": day(&created, lang), "TrialEnd": when(b.TrialEndsAt, lang),
		"TrialOver":   b.TrialEndsAt != nil && !b.TrialEndsAt.After(now),
		"SuspendedAt": when(b.SuspendedAt, lang), "Online": b.Online(now, h.svc.Rules()),
		"LastActivity": when(d.Activity.Last(), lang), "LastOrder": when(d.Activity.LastOrderAt, lang),
		"LastProduct": when(d.Activity.LastProductAt, lang), "LastStore": when(d.Activity.LastStoreAt, lang),
		"OwnerSeen": when(d.Activity.OwnerSeenAt, lang),
		"TrialMin":  domain.TrialExtendMinDays, "TrialMax": domain.TrialExtendMaxDays,
		"ReasonMax": domain.SuspendReasonMax,
	}
	if d.Owner != nil {
		data["OwnerCreated"] = day(&d.Owner.CreatedAt, lang)
	}
	if d.ReferredBy != nil {
		data["ReferredWhen"] = day(&d.ReferredBy.CreatedAt, lang)
	}
	history := make([]historyRow, len(d.History))
	for i, ch := range d.History {
		at := ch.CreatedAt
		history[i] = historyRow{SubscriptionChange: ch, When: when(&at, lang)}
	}
	invoices := make([]invoiceRow, len(d.Invoices))
	for i, inv := range d.Invoices {
		start, end := inv.PeriodStart, inv.PeriodEnd
		invoices[i] = invoiceRow{Invoice: inv, Period: day(&start, lang) + " – " + day(&end, lang)}
	}
	referred := make([]referralRow, len(d.Referred))
	for i, r := range d.Referred {
		created := r.CreatedAt
		referred[i] = referralRow{ReferralView: r, Created: day(&created, lang), Decided: day(r.DecidedAt, lang)}
	}
	audit := make([]auditRow, len(d.Audit))
	for i, e := range d.Audit {
		at := e.CreatedAt
		audit[i] = auditRow{AuditEntry: e, When: when(&at, lang)}
	}
	data["History"], data["Invoices"], data["Referred"], data["Audit"] = history, invoices, referred, audit
	if form != nil {
		data["Errors"] = form.Errors
	}
	return page(c, status, "admin/business", "businesses", data)
}
