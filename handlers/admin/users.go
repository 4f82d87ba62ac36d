package admin

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const usersPath = "/admin/users"

// Users serves the platform admins at /admin/users (list; a super admin
// creates, invites, re-sends invitations, changes roles, deactivates and
// reactivates them) and every admin's own password at /admin/password.
type Users struct{ admins *services.AdminUsers }

// NewUsers returns the admin users handler.
func NewUsers(admins *services.AdminUsers) *Users { return &Users{admins: admins} }

// Register mounts the routes on r (the /admin group).
func (h *Users) Register(r fiber.Router) {
	r.Get("/users", h.list)
	r.Post("/users", h.create)
	r.Post("/users/invite", h.invite)
	r.Post("/users/:userID/role", h.setRole)
	r.Post("/users/:userID/deactivate", h.deactivate)
	r.Post("/users/:userID/reactivate", h.reactivate)
	r.Post("/users/:userID/resend-invite", h.resendInvite)
	r.Get("/password", h.passwordForm)
	r.Post("/password", h.changePassword)
}

// userForm is a refused form re-rendered: which one (Target), what was
// typed and the errors.
type userForm struct {
	Target string
	Values map[string]string
	Errors map[string]string
}

// For returns the state when target is the refused form, else nil.
func (f *userForm) For(target string) *userForm {
	if f == nil || f.Target != target {
		return nil
	}
	return f
}

// Err is the error message of field, or "".
func (f *userForm) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Val is the typed value of field, or def when the form was not refused.
func (f *userForm) Val(field, def string) string {
	if f == nil {
		return def
	}
	return f.Values[field]
}

// adminRow is one admin as the list shows them.
type adminRow struct {
	ID                  int64
	Name, Email         string
	Role                domain.Role
	State               domain.AdminState
	Created, LastSeen   string
	Self, CanDeactivate bool
}

func (h *Users) list(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, nil, "")
}

// render shows the list, with a refused form or a refusal message when
// status is not 200.
func (h *Users) render(c *fiber.Ctx, status int, form *userForm, msg string) error {
	admins, err := h.admins.List(c.UserContext())
	if err != nil {
		return err
	}
	l, lang, me := web.L(c), web.Lang(c), web.CurrentUser(c)
	rows := make([]adminRow, len(admins))
	for i, a := range admins {
		r := adminRow{
			ID: a.ID, Name: a.Name, Email: a.Email, Role: a.Role, State: a.AdminState(),
			Created: web.Date(a.CreatedAt, lang), LastSeen: l.T("admin_users.never"), Self: a.ID == me.ID,
		}
		if a.LastSeenAt != nil {
			r.LastSeen = web.DateTime(*a.LastSeenAt, lang)
		}
		rows[i] = r
	}
	data := fiber.Map{
		"Title": l.T("admin_users.title"), "Rows": rows, "Form": form,
		"Roles": domain.AdminRoles,
	}
	if msg != "" {
		data["FormError"] = msg
	}
	if form != nil {
		data["Errors"] = form.Errors
	}
	return page(c, status, "admin/users", "users", data)
}

// refused re-renders the list after a refused action: a form's field errors
// (400), the last super admin rule or no invitation to re-send (409); other
// errors go on.
func (h *Users) refused(c *fiber.Ctx, target string, err error) error {
	errs := web.FormErrors(c, err)
	if errs != nil && target == "" {
		// A row's action (a role): its one field's message on top.
		return h.render(c, fiber.StatusBadRequest, nil, errs["role"])
	}
	if errs != nil {
		values := map[string]string{}
		for _, k := range []string{"name", "email", "role"} {
			values[k] = c.FormValue(k)
		}
		return h.render(c, fiber.StatusBadRequest, &userForm{Target: target, Values: values, Errors: errs}, "")
	}
	if errors.Is(err, domain.ErrLastSuperAdmin) {
		return h.render(c, fiber.StatusConflict, nil, web.L(c).T("admin_users.last_super_admin"))
	}
	if errors.Is(err, domain.ErrNoPendingInvite) {
		return h.render(c, fiber.StatusConflict, nil, web.L(c).T("admin_users.no_pending_invite"))
	}
	return err
}

func (h *Users) input(c *fiber.Ctx) services.AdminUserInput {
	return services.AdminUserInput{
		Name: c.FormValue("name"), Email: c.FormValue("email"), Password: c.FormValue("password"),
		Role: domain.Role(c.FormValue("role")), Locale: c.FormValue("locale", web.Lang(c)),
	}
}

func (h *Users) create(c *fiber.Ctx) error {
	if _, err := h.admins.Create(c.UserContext(), web.CurrentUser(c), h.input(c)); err != nil {
		return h.refused(c, "create", err)
	}
	web.SetFlash(c, "success", "admin_users.created")
	return c.Redirect(usersPath, fiber.StatusSeeOther)
}

func (h *Users) invite(c *fiber.Ctx) error {
	if _, err := h.admins.Invite(c.UserContext(), web.CurrentUser(c), h.input(c)); err != nil {
		return h.refused(c, "invite", err)
	}
	web.SetFlash(c, "success", "admin_users.invited")
	return c.Redirect(usersPath, fiber.StatusSeeOther)
}
