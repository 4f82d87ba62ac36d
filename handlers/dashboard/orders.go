package dashboard

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Orders serves the owner's order list, order detail and status changes.
//
// A status change the machine refuses (e.g. completed → cancelled, or a
// second tab acting on a stale page) answers 409 Conflict with the order
// page and a message saying why; nothing changes. An unknown status value is
// bad input: 400.
type Orders struct{ orders *services.Orders }

// NewOrders returns the orders handler.
func NewOrders(orders *services.Orders) *Orders { return &Orders{orders: orders} }

// Register mounts the routes on r.
func (h *Orders) Register(r fiber.Router) {
	r.Get("/orders", h.list)
	r.Get("/orders/:orderID", h.show)
	r.Post("/orders/:orderID/status", h.setStatus)
}

type orderTab struct {
	Status string
	Count  int64
	Active bool
	URL    string
}

func (h *Orders) list(c *fiber.Ctx) error {
	biz := Business(c)
	status := domain.OrderStatus(c.Query("status"))
	if !status.Valid() {
		status = ""
	}
	query := c.Query("q")
	pageNo, _ := strconv.Atoi(c.Query("page"))
	res, err := h.orders.List(c.UserContext(), biz.ID, services.OrderFilter{Status: status, Query: query, Page: pageNo})
	if err != nil {
		return err
	}
	link := func(s domain.OrderStatus, page int) string {
		v := url.Values{}
		if s != "" {
			v.Set("status", string(s))
		}
		if query != "" {
			v.Set("q", query)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/dashboard/orders"
		}
		return "/dashboard/orders?" + v.Encode()
	}
	tabs := []orderTab{{Status: "", Count: res.All, Active: status == "", URL: link("", 1)}}
	for _, s := range domain.OrderStatuses {
		tabs = append(tabs, orderTab{Status: string(s), Count: res.Counts[s], Active: status == s, URL: link(s, 1)})
	}
	loc := biz.Location()
	rows := make([]fiber.Map, 0, len(res.Orders))
	for i := range res.Orders {
		o := &res.Orders[i]
		rows = append(rows, fiber.Map{"Order": o, "Created": web.NumericDateTime(o.CreatedAt.In(loc), web.Lang(c))})
	}
	data := fiber.Map{
		"Title": web.L(c).T("orders.title"), "Tabs": tabs, "Rows": rows, "Query": query,
		"Status": string(status), "Page": res.Page, "Pages": res.Pages, "Total": res.Total,
	}
	pageLinks(data, res.Page, res.Pages, func(page int) string { return link(status, page) })
	return page(c, fiber.StatusOK, "dashboard/orders", "orders", data)
}

func (h *Orders) show(c *fiber.Ctx) error {
	id, err := paramID(c, "orderID")
	if err != nil {
		return err
	}
	o, err := h.orders.Get(c.UserContext(), BusinessID(c), id)
	if err != nil {
		return err
	}
	return h.renderOrder(c, fiber.StatusOK, o, "")
}

func (h *Orders) renderOrder(c *fiber.Ctx, status int, o *domain.Order, errMsg string) error {
	biz := Business(c)
	loc := biz.Location()
	lang := web.Lang(c)
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return web.NumericDateTime(t.In(loc), lang)
	}
	next := make([]string, 0, 2)
	for _, s := range o.Status.NextStatuses() {
		next = append(next, string(s))
	}
	return page(c, status, "dashboard/order", "orders", fiber.Map{
		"Title":       web.L(c).T("orders.detail_title", "Code", o.Code),
		"Order":       o,
		"Next":        next,
		"Error":       errMsg,
		"WhatsAppURL": h.orders.WhatsAppReplyURL(o, biz, o.Language),
		"FirstName":   orderFirstName(o.CustomerName),
		"Zone":        web.ZoneName(web.L(c), loc.String()),
		"Created":     stamp(&o.CreatedAt),
		"Confirmed":   stamp(o.ConfirmedAt),
		"Completed":   stamp(o.CompletedAt),
		"Cancelled":   stamp(o.CancelledAt),
	})
}

func (h *Orders) setStatus(c *fiber.Ctx) error {
	id, err := paramID(c, "orderID")
	if err != nil {
		return err
	}
	bizID := BusinessID(c)
	to := domain.OrderStatus(c.FormValue("status"))
	_, err = h.orders.Transition(c.UserContext(), bizID, id, to)
	var bad *domain.ErrBadTransition
	switch {
	case errors.As(err, &bad):
		o, gerr := h.orders.Get(c.UserContext(), bizID, id)
		if gerr != nil {
			return gerr
		}
		l := web.L(c)
		msg := l.T("orders.error.bad_transition",
			"From", l.T("orders.status."+string(bad.From)), "To", l.T("orders.status."+string(bad.To)))
		return h.renderOrder(c, fiber.StatusConflict, o, msg)
	case err != nil:
		var ve *domain.ValidationError
		if errors.As(err, &ve) {
			o, gerr := h.orders.Get(c.UserContext(), bizID, id)
			if gerr != nil {
				return gerr
			}
			return h.renderOrder(c, fiber.StatusBadRequest, o, web.L(c).T("orders.error.status"))
		}
		return err
	}
	web.SetFlash(c, "success", "orders.changed."+string(to))
	return c.Redirect("/dashboard/orders/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

func orderFirstName(s string) string {
	for i, r := range s {
		if r == ' ' {
			return s[:i]
		}
	}
	return s
}
