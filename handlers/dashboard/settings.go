package dashboard

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Settings serves the store profile at /dashboard/settings.
type Settings struct {
	settings *services.StoreSettings
	images   *services.Images
}

// NewSettings returns the settings handler.
func NewSettings(settings *services.StoreSettings, images *services.Images) *Settings {
	return &Settings{settings: settings, images: images}
}

// storeImage is the logo or cover shown on the settings page (Image is nil
// when none is set); its own page uploads or removes it.
type storeImage struct {
	Slot  string
	Image *domain.Image
}

func (h *Settings) storeImages(c *fiber.Ctx) ([]storeImage, error) {
	b := Business(c)
	out := []storeImage{{Slot: services.SlotLogo}, {Slot: services.SlotCover}}
	for i, id := range []*int64{b.LogoImageID, b.CoverImageID} {
		if id == nil {
			continue
		}
		img, err := h.images.Get(c.UserContext(), b.ID, *id)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return nil, err
		}
		out[i].Image = img
	}
	return out, nil
}

// Register mounts the routes on r.
func (h *Settings) Register(r fiber.Router) {
	r.Get("/settings", h.form)
	r.Post("/settings", h.save)
}

// zoneOption is a time zone in the select: its IANA name and what the owner reads.
type zoneOption struct{ Value, Label string }

// weekOrder shows Monday first; values index time.Weekday.
var weekOrder = []int{1, 2, 3, 4, 5, 6, 0}

func (h *Settings) form(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, services.InputFrom(Business(c)), nil)
}

func (h *Settings) render(c *fiber.Ctx, status int, in services.SettingsInput, errs map[string]string) error {
	imgs, err := h.storeImages(c)
	if err != nil {
		return err
	}
	l := web.L(c)
	zones := make([]zoneOption, len(services.MexicoTimeZones))
	for i, z := range services.MexicoTimeZones {
		zones[i] = zoneOption{Value: z, Label: web.ZoneName(l, z)}
	}
	zone := in.TimeZone
	if !slices.Contains(services.MexicoTimeZones, zone) {
		zone = Business(c).Location().String()
	}
	return page(c, status, "dashboard/settings", "settings", fiber.Map{
		"Title": l.T("settings.title"), "Form": in, "Errors": errs,
		"Days": weekOrder, "TimeZones": zones, "ZoneName": web.ZoneName(l, zone), "StoreImages": imgs,
	})
}

func (h *Settings) save(c *fiber.Ctx) error {
	on := func(k string) bool { v := c.FormValue(k); return v == "on" || v == "1" || v == "true" }
	in := services.SettingsInput{
		Name: c.FormValue("name"), Slug: c.FormValue("slug"), Description: c.FormValue("description"),
		WhatsApp: c.FormValue("whatsapp"), Address: c.FormValue("address"), City: c.FormValue("city"),
		TimeZone: c.FormValue("time_zone"), Language: c.FormValue("language"),
		PrimaryColor: c.FormValue("primary_color"), AccentColor: c.FormValue("accent_color"),
		ClosedNow: on("closed_now"), ClosedMessage: c.FormValue("closed_message"),
		OrdersWhenClosed: c.FormValue("orders_when_closed") != "none",
		PickupEnabled:    on("pickup_enabled"), DeliveryEnabled: on("delivery_enabled"),
		DeliveryFee: c.FormValue("delivery_fee"), DeliveryMin: c.FormValue("delivery_min"),
		PayCash: on("pay_cash"), PayCashNote: c.FormValue("pay_cash_note"),
		PayTransfer: on("pay_transfer"), PayTransferCLABE: c.FormValue("pay_transfer_clabe"),
		PayTransferBank: c.FormValue("pay_transfer_bank"), PayTransferHolder: c.FormValue("pay_transfer_holder"),
		PayTransferNote:   c.FormValue("pay_transfer_note"),
		PayCardOnDelivery: on("pay_card_on_delivery"), PayCardOnDeliveryNote: c.FormValue("pay_card_on_delivery_note"),
		Instagram: c.FormValue("instagram"), Facebook: c.FormValue("facebook"), TikTok: c.FormValue("tiktok"),
		Website: c.FormValue("website"), SEOTitle: c.FormValue("seo_title"), SEODescription: c.FormValue("seo_description"),
	}
	for d := 0; d < 7; d++ {
		p := "hours_" + strconv.Itoa(d) + "_"
		in.Hours[d] = services.DayInput{
			Open: on(p + "open"), Opens: c.FormValue(p + "opens"), Closes: c.FormValue(p + "closes"),
			Split: on(p + "split"), Opens2: c.FormValue(p + "opens2"), Closes2: c.FormValue(p + "closes2"),
		}
	}
	_, err := h.settings.Update(c.UserContext(), BusinessID(c), in)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.render(c, fiber.StatusBadRequest, in, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect("/dashboard/settings", fiber.StatusSeeOther)
}
