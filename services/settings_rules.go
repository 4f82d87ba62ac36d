package services

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// The rules of the store settings form, in the order the form shows them.
// Each step copies what it reads onto the business and records what is
// wrong in v; nothing here touches the database (the slug's uniqueness is
// StoreSettings.checkSlug).

// settingsLanguages are the languages a store can be shown in.
var settingsLanguages = []string{"es", "en"}

var handlePattern = regexp.MustCompile(`^@?[A-Za-z0-9._]{1,30}$`)

// settingsForm is the business being edited and the errors found so far.
type settingsForm struct {
	b domain.Business
	v *domain.ValidationError
}

// readSettings applies in to a copy of cur and checks every field but the
// slug.
func readSettings(cur *domain.Business, in SettingsInput) *settingsForm {
	f := &settingsForm{b: *cur, v: &domain.ValidationError{}}
	f.texts(in)
	f.contact(in)
	f.colors(in)
	f.hours(in)
	f.delivery(in)
	f.payments(in)
	f.social(in)
	return f
}

// texts reads the free-text fields: cleaned, required where marked, and
// within their limits.
func (f *settingsForm) texts(in SettingsInput) {
	b := &f.b
	b.Name = f.text("name", in.Name, domain.BusinessNameMax, true)
	b.Description = f.text("description", in.Description, domain.BusinessDescriptionMax, false)
	b.Address = f.text("address", in.Address, domain.BusinessAddressMax, false)
	b.City = f.text("city", in.City, domain.BusinessCityMax, false)
	b.ClosedMessage = f.text("closed_message", in.ClosedMessage, domain.BusinessClosedMessageMax, false)
	b.PayCashNote = f.text("pay_cash_note", in.PayCashNote, domain.PayNoteMax, false)
	b.PayTransferNote = f.text("pay_transfer_note", in.PayTransferNote, domain.PayNoteMax, false)
	b.PayCardOnDeliveryNote = f.text("pay_card_on_delivery_note", in.PayCardOnDeliveryNote, domain.PayNoteMax, false)
	b.PayTransferBank = f.text("pay_transfer_bank", in.PayTransferBank, domain.PayTransferBankMax, in.PayTransfer)
	b.PayTransferHolder = f.text("pay_transfer_holder", in.PayTransferHolder, domain.PayTransferHolderMax, in.PayTransfer)
	b.SEOTitle = f.text("seo_title", in.SEOTitle, domain.SEOTitleMax, false)
	b.SEODescription = f.text("seo_description", in.SEODescription, domain.SEODescriptionMax, false)
}

// text cleans val (text areas keep their lines) and checks it.
func (f *settingsForm) text(field, val string, max int, required bool) string {
	if field == "description" || field == "seo_description" {
		val = domain.CleanText(val)
	} else {
		val = domain.CleanLine(val)
	}
	_ = (!required || f.v.Required(field, val)) && f.v.MaxLen(field, val, max)
	return val
}

// contact reads the WhatsApp number (stored in E.164), time zone and language.
func (f *settingsForm) contact(in SettingsInput) {
	if phone, ok := NormalizePhone(in.WhatsApp); ok {
		f.b.WhatsApp = phone
	} else {
		f.v.Add("whatsapp", "validation.phone", nil)
	}
	f.b.TimeZone = in.TimeZone
	f.v.OneOf("time_zone", in.TimeZone, MexicoTimeZones, "settings.error.time_zone")
	f.b.Language = in.Language
	f.v.OneOf("language", in.Language, settingsLanguages, "settings.error.language")
}

// colors reads the two brand colours: hex, and readable under white text.
func (f *settingsForm) colors(in SettingsInput) {
	f.b.PrimaryColor, f.b.AccentColor = strings.ToLower(in.PrimaryColor), strings.ToLower(in.AccentColor)
	if !domain.IsHexColor(in.PrimaryColor) {
		f.v.Add("primary_color", "settings.error.color", nil)
	} else if r := domain.ContrastRatio(f.b.PrimaryColor, "#ffffff"); r < domain.MinPrimaryContrast {
		f.v.Add("primary_color", "settings.error.primary_contrast", map[string]any{"Ratio": fmt.Sprintf("%.1f", r)})
	}
	if !domain.IsHexColor(in.AccentColor) {
		f.v.Add("accent_color", "settings.error.color", nil)
	} else if r := domain.ContrastRatio(f.b.AccentColor, "#ffffff"); r < domain.MinAccentContrast {
		f.v.Add("accent_color", "settings.error.accent_contrast", map[string]any{"Ratio": fmt.Sprintf("%.1f", r)})
	}
}

// hours reads the week's opening hours (errors per day: hours_0 is Sunday)
// and the closed-now switches.
func (f *settingsForm) hours(in SettingsInput) {
	f.b.Hours = hoursFrom(in.Hours)
	errs := f.b.Hours.Validate()
	for d := time.Sunday; d <= time.Saturday; d++ {
		if key, bad := errs[d]; bad {
			f.v.Add("hours_"+strconv.Itoa(int(d)), key, nil)
		}
	}
	f.b.ClosedNow, f.b.OrdersWhenClosed = in.ClosedNow, in.OrdersWhenClosed
}

// delivery reads pickup/delivery (at least one) and the delivery fee and
// minimum (empty is zero).
func (f *settingsForm) delivery(in SettingsInput) {
	f.b.PickupEnabled, f.b.DeliveryEnabled = in.PickupEnabled, in.DeliveryEnabled
	f.v.Check("fulfillment", f.b.PickupEnabled || f.b.DeliveryEnabled, "settings.error.fulfillment", nil)
	f.b.DeliveryFeeCents = f.money("delivery_fee", in.DeliveryFee)
	f.b.DeliveryMinCents = f.money("delivery_min", in.DeliveryMin)
}

// money parses pesos text; empty is zero.
func (f *settingsForm) money(field, val string) domain.Money {
	if strings.TrimSpace(val) == "" {
		return 0
	}
	m, ok := domain.ParsePesos(val)
	f.v.Check(field, ok && m <= domain.DeliveryMoneyMax, "settings.error.money", nil)
	return m
}

// payments reads the payment methods (at least one) and the transfer's CLABE
// (spaces and dashes dropped; checked when transfer is on or one is typed).
func (f *settingsForm) payments(in SettingsInput) {
	b := &f.b
	b.PayCash, b.PayTransfer, b.PayCardOnDelivery = in.PayCash, in.PayTransfer, in.PayCardOnDelivery
	f.v.Check("payments", b.PayCash || b.PayTransfer || b.PayCardOnDelivery, "settings.error.payments", nil)
	clabe := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, in.PayTransferCLABE)
	b.PayTransferCLABE = clabe
	f.v.Check("pay_transfer_clabe", !in.PayTransfer && clabe == "" || domain.ValidCLABE(clabe), "settings.error.clabe", nil)
}

// social reads the social links: a full http(s) URL, or a handle that
// becomes the network's URL.
func (f *settingsForm) social(in SettingsInput) {
	f.b.Instagram = f.link("instagram", in.Instagram, "https://instagram.com/")
	f.b.Facebook = f.link("facebook", in.Facebook, "https://facebook.com/")
	f.b.TikTok = f.link("tiktok", in.TikTok, "https://www.tiktok.com/@")
	f.b.Website = f.link("website", in.Website, "")
}

// link checks one social link; prefix "" accepts only a URL.
func (f *settingsForm) link(field, val, prefix string) string {
	val = domain.CleanLine(val)
	switch {
	case val == "":
		return ""
	case strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "http://"):
		if u, err := url.Parse(val); err != nil || u.Host == "" || len(val) > domain.SocialURLMax {
			f.v.Add(field, "settings.error.url", nil)
		}
		return val
	case prefix != "" && handlePattern.MatchString(val):
		return prefix + strings.TrimPrefix(val, "@")
	}
	f.v.Add(field, "settings.error.url", nil)
	return val
}

// hoursFrom turns the hours form into the week: times trimmed, the second
// range kept only when turned on, the earlier range first. A closed day
// keeps its times only when they are valid, so nothing unchecked is stored.
func hoursFrom(days [7]DayInput) domain.WeekHours {
	var w domain.WeekHours
	for d, h := range days {
		day := domain.DayHours{Open: h.Open, Opens: strings.TrimSpace(h.Opens), Closes: strings.TrimSpace(h.Closes)}
		if h.Split {
			day.Opens2, day.Closes2 = strings.TrimSpace(h.Opens2), strings.TrimSpace(h.Closes2)
		}
		if !h.Open {
			for _, t := range []*string{&day.Opens, &day.Closes, &day.Opens2, &day.Closes2} {
				if _, err := domain.ParseClock(*t); err != nil {
					*t = ""
				}
			}
			if day.Opens2 == "" || day.Closes2 == "" {
				day.Opens2, day.Closes2 = "", ""
			}
		}
		w[d] = day.Sorted()
	}
	return w
}
