// Package admin holds the platform admin pages under /admin: the
// platform's and the stores' metrics, businesses, the audit log, admin
// users and platform settings. One file per screen.
package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
)

// Guard is mounted in front of every /admin route (after web.RequireRole
// lets only admins in): an admin_viewer may look at every page but change
// nothing, so any request that is not GET or HEAD needs a super_admin.
// This is the one place the read-only rule lives. Its one exception is
// AnyAdminMayPost.
func Guard(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead:
		return c.Next()
	}
	if AnyAdminMayPost[strings.TrimSuffix(c.Path(), "/")] {
		return c.Next()
	}
	if u := web.CurrentUser(c); u == nil || u.Role != domain.RoleSuperAdmin {
		return fiber.ErrForbidden
	}
	return c.Next()
}

// AnyAdminMayPost are the /admin paths where an admin_viewer may send
// changes too: they change the admin's own account, not the platform (a
// viewer changes their own password). Keep it to such paths.
var AnyAdminMayPost = map[string]bool{
	"/admin/password": true,
}

// CanEdit reports whether the logged-in admin may change things (a
// super_admin); pages use it to show or hide their forms and buttons.
func CanEdit(c *fiber.Ctx) bool {
	u := web.CurrentUser(c)
	return u != nil && u.Role == domain.RoleSuperAdmin
}

// page renders an admin page with its tab (see partials/admin_nav) and
// whether the admin may edit.
func page(c *fiber.Ctx, status int, name, active string, data fiber.Map) error {
	data["Active"] = active
	data["CanEdit"] = CanEdit(c)
	return web.Page(c, status, name, data)
}
