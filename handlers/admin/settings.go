package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const settingsPath = "/admin/settings"

// Settings serves /admin/settings: the platform's trial length, grace
// period, referral reward and robots.txt text.
type Settings struct{ platform *services.PlatformSettings }

// NewSettings returns the platform settings page.
func NewSettings(platform *services.PlatformSettings) *Settings {
	return &Settings{platform: platform}
}

// Register mounts the routes on r (already guarded for admin roles).
func (h *Settings) Register(r fiber.Router) {
	r.Get("/settings", h.show)
	r.Post("/settings", h.save)
}

func (h *Settings) show(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, nil, nil)
}

// render shows the page; form holds what was typed when it failed (nil
// shows the stored values).
func (h *Settings) render(c *fiber.Ctx, status int, form *services.PlatformSettingsInput, errs map[string]string) error {
	view, err := h.platform.View(c.UserContext())
	if err != nil {
		return err
	}
	if form == nil {
		form = &services.PlatformSettingsInput{
			TrialDays: strconv.Itoa(view.Current.TrialDays), GraceDays: strconv.Itoa(view.Current.GraceDays),
			RewardPercent: strconv.Itoa(view.Current.RewardPercent), Robots: view.Robots,
		}
	}
	return page(c, status, "admin/settings", "settings", fiber.Map{
		"Title": web.L(c).T("admin_settings.title"), "View": view, "Form": form, "Errors": errs,
	})
}

func (h *Settings) save(c *fiber.Ctx) error {
	in := services.PlatformSettingsInput{
		TrialDays: c.FormValue("trial_days"), GraceDays: c.FormValue("grace_days"),
		RewardPercent: c.FormValue("referral_reward_percent"), Robots: c.FormValue("robots_txt"),
	}
	changed, err := h.platform.Save(c.UserContext(), web.CurrentUser(c), in)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.render(c, fiber.StatusBadRequest, &in, errs)
	}
	if err != nil {
		return err
	}
	if changed {
		web.SetFlash(c, "success", "admin_settings.saved")
	} else {
		web.SetFlash(c, "info", "admin_settings.unchanged")
	}
	return c.Redirect(settingsPath, fiber.StatusSeeOther)
}
