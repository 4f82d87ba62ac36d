// Package dashboard holds the shop owner's pages under /dashboard. Each
// feature has its own handler type and file; they share the owner's business
// (loaded once per request by Context) and the page frame (page).
package dashboard

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const (
	localBusiness = "dashboard.business"
	localPending  = "dashboard.pending"
)

// Context loads the logged-in owner's business and the pending-orders badge.
// Mount it after the owner role guard.
func Context(settings *services.StoreSettings, stats *services.Stats) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := web.CurrentUser(c)
		if u == nil || u.BusinessID == nil {
			return domain.ErrNotFound
		}
		b, err := settings.Business(c.UserContext(), *u.BusinessID)
		if err != nil {
			return err
		}
		c.Locals(localBusiness, b)
		if c.Method() == fiber.MethodGet {
			n, err := stats.PendingOrders(c.UserContext(), b.ID)
			if err != nil {
				return err
			}
			c.Locals(localPending, n)
		}
		return c.Next()
	}
}

// Business is the logged-in owner's business. Every query a dashboard
// handler makes is scoped by its ID.
func Business(c *fiber.Ctx) *domain.Business {
	b, _ := c.Locals(localBusiness).(*domain.Business)
	return b
}

// BusinessID is Business(c).ID.
func BusinessID(c *fiber.Ctx) int64 { return Business(c).ID }

// page renders a dashboard page with the navigation; active names the tab
// (home, orders, products, categories, reviews, chatbot, referrals, settings,
// billing); every page but billing's own shows the subscription banner.
func page(c *fiber.Ctx, status int, name, active string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	data["Business"] = Business(c)
	data["Active"] = active
	data["PendingOrders"], _ = c.Locals(localPending).(int64)
	if active != "billing" {
		data["BillingBanner"], _ = c.Locals(localBanner).(*billingBanner)
	}
	return web.Page(c, status, name, data)
}

// back redirects to the page the form came from when it is local, else fallback.
func back(c *fiber.Ctx, fallback string) error {
	return c.Redirect(web.SafeNext(c.FormValue("back"), fallback), fiber.StatusSeeOther)
}

// paramID reads a numeric route parameter; anything else is not found.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// pageLinks sets data's PrevURL and NextURL, the links of the pages around
// page of pages (none past either end), made by url.
func pageLinks(data fiber.Map, page, pages int, url func(page int) string) {
	if page > 1 {
		data["PrevURL"] = url(page - 1)
	}
	if page < pages {
		data["NextURL"] = url(page + 1)
	}
}
