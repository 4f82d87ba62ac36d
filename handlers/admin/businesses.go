package admin

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const businessesPath = "/admin/businesses"

// Businesses serves the platform admin's businesses (tab "businesses"):
// the searchable list, one business's detail, its actions (extend the
// trial, suspend, unsuspend), and the audit log (tab "audit").
type Businesses struct {
	svc   *services.AdminBusinesses
	clock services.Clock
}

// NewBusinesses returns the businesses and audit log handlers.
func NewBusinesses(svc *services.AdminBusinesses, clock services.Clock) *Businesses {
	if clock == nil {
		clock = func() time.Time { return time.Now().UTC() }
	}
	return &Businesses{svc: svc, clock: clock}
}

// Register mounts the routes on r (the guarded /admin group): POSTs reach
// only a super_admin (Guard).
func (h *Businesses) Register(r fiber.Router) {
	r.Get("/businesses", h.list)
	r.Get("/businesses/:businessID", h.show)
	r.Post("/businesses/:businessID/trial", h.extendTrial)
	r.Post("/businesses/:businessID/suspend", h.suspend)
	r.Post("/businesses/:businessID/unsuspend", h.unsuspend)
	r.Get("/audit", h.auditLog)
}

// adminZone is the zone admin pages show times in.
var adminZone = func() *time.Location {
	loc, err := time.LoadLocation(domain.DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}()

// when writes t in Mexico City time for the viewer's language; "" for nil.
func when(t *time.Time, lang string) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return web.DateTime(t.In(adminZone), lang)
}

// day writes t's date in Mexico City; "" for nil.
func day(t *time.Time, lang string) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return web.Date(t.In(adminZone), lang)
}

// businessRow is one line of the list, its times written for the viewer.
type businessRow struct {
	domain.BusinessRow
	TrialEnd, Created, LastActivity string
}

func (h *Businesses) list(c *fiber.Ctx) error {
	f := domain.BusinessFilter{
		Query:     strings.Clone(c.Query("q")),
		Status:    domain.SubscriptionStatus(c.Query("status")),
		Suspended: c.Query("suspended"),
	}
	pageNo, _ := strconv.Atoi(c.Query("page"))
	rows, p, err := h.svc.Search(c.UserContext(), f, pageNo)
	if err != nil {
		return err
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	if f.Suspended != domain.SuspendedOnly && f.Suspended != domain.SuspendedNot {
		f.Suspended = ""
	}
	lang := web.Lang(c)
	out := make([]businessRow, len(rows))
	for i, r := range rows {
		created := r.Business.CreatedAt
		out[i] = businessRow{
			BusinessRow: r, TrialEnd: day(r.Business.TrialEndsAt, lang),
			Created: day(&created, lang), LastActivity: when(r.Activity.Last(), lang),
		}
	}
	link := func(page int) string {
		v := url.Values{}
		if f.Query != "" {
			v.Set("q", f.Query)
		}
		if f.Status != "" {
			v.Set("status", string(f.Status))
		}
		if f.Suspended != "" {
			v.Set("suspended", f.Suspended)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return businessesPath
		}
		return businessesPath + "?" + v.Encode()
	}
	data := fiber.Map{
		"Title": web.L(c).T("admin.businesses.title"), "Rows": out, "Pager": p, "Filter": f,
		"Statuses": domain.SubscriptionStatuses, "Filtered": f.Query != "" || f.Status != "" || f.Suspended != "",
	}
	if p.HasPrev() {
		data["PrevURL"] = link(p.PrevPage())
	}
	if p.HasNext() {
		data["NextURL"] = link(p.NextPage())
	}
	return page(c, fiber.StatusOK, "admin/businesses", "businesses", data)
}

// paramID is the positive ID in route parameter name; anything else is 404.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}
