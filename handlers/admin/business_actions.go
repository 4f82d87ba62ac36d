package admin

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// The actions on one business. Guard lets only a super_admin post them.
// Bad input re-renders the page with 400 and the message next to the
// field; an action the business's state refuses re-renders it with 409;
// success redirects to the page with a flash.

func (h *Businesses) extendTrial(c *fiber.Ctx) error {
	id, err := paramID(c, "businessID")
	if err != nil {
		return err
	}
	days := c.FormValue("days")
	err = h.svc.ExtendTrial(c.UserContext(), web.CurrentUser(c), id, days)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderDetail(c, fiber.StatusBadRequest, &actionForm{
			Target: "trial", Values: map[string]string{"days": days}, Errors: errs,
		})
	}
	if errors.Is(err, services.ErrTrialNotExtendable) {
		return h.renderDetail(c, fiber.StatusConflict, &actionForm{
			Target: "trial", Values: map[string]string{"days": days},
			Error: web.L(c).T("admin.businesses.error.not_extendable"),
		})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "admin.businesses.flash.trial_extended")
	return c.Redirect(businessPath(id), fiber.StatusSeeOther)
}

func (h *Businesses) suspend(c *fiber.Ctx) error {
	id, err := paramID(c, "businessID")
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	err = h.svc.Suspend(c.UserContext(), web.CurrentUser(c), id, reason)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderDetail(c, fiber.StatusBadRequest, &actionForm{
			Target: "suspend", Values: map[string]string{"reason": reason}, Errors: errs,
		})
	}
	return h.done(c, id, err, "admin.businesses.flash.suspended")
}

func (h *Businesses) unsuspend(c *fiber.Ctx) error {
	id, err := paramID(c, "businessID")
	if err != nil {
		return err
	}
	return h.done(c, id, h.svc.Unsuspend(c.UserContext(), web.CurrentUser(c), id), "admin.businesses.flash.unsuspended")
}

// done redirects to the business page with the flash key after a
// suspension change, or with a note when the store already was in the
// state asked for (a stale page).
func (h *Businesses) done(c *fiber.Ctx, id int64, err error, key string) error {
	switch {
	case errors.Is(err, services.ErrSuspensionUnchanged):
		web.SetFlash(c, "info", "admin.businesses.flash.unchanged")
	case err != nil:
		return err
	default:
		web.SetFlash(c, "success", key)
	}
	return c.Redirect(businessPath(id), fiber.StatusSeeOther)
}

func businessPath(id int64) string { return businessesPath + "/" + strconv.FormatInt(id, 10) }
