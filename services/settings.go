package services

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// MexicoTimeZones are the IANA zones a store may pick, most common first.
var MexicoTimeZones = []string{
	"America/Mexico_City", "America/Monterrey", "America/Merida", "America/Cancun",
	"America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga", "America/Matamoros",
	"America/Mazatlan", "America/Bahia_Banderas", "America/Hermosillo", "America/Tijuana",
}

// SettingsStore is what StoreSettings needs of the businesses repository.
type SettingsStore interface {
	Get(ctx context.Context, id int64) (*domain.Business, error)
	SlugTakenByOther(ctx context.Context, slug string, exceptID int64) (bool, error)
	UpdateSettings(ctx context.Context, b *domain.Business) error
	ChangeSlug(ctx context.Context, id int64, old, slug string, now time.Time) error
}

// StoreSettings owns the store profile a shop owner edits.
type StoreSettings struct {
	stores SettingsStore
	tx     Transactor
	purger StorePurger
	clock  Clock
}

// NewStoreSettings returns the store settings service.
func NewStoreSettings(stores SettingsStore, tx Transactor, purger StorePurger, clock Clock) *StoreSettings {
	return &StoreSettings{stores: stores, tx: tx, purger: purger, clock: clock}
}

// Business loads the store the owner edits (every dashboard page shows it).
func (s *StoreSettings) Business(ctx context.Context, id int64) (*domain.Business, error) {
	return s.stores.Get(ctx, id)
}

// SettingsInput is the settings form as typed: money as pesos text, hours as
// "HH:MM", checkboxes as booleans.
type SettingsInput struct {
	Name, Slug, Description, WhatsApp, Address, City, TimeZone, Language  string
	PrimaryColor, AccentColor                                             string
	Hours                                                                 [7]DayInput
	ClosedNow                                                             bool
	ClosedMessage                                                         string
	OrdersWhenClosed                                                      bool
	PickupEnabled, DeliveryEnabled                                        bool
	DeliveryFee, DeliveryMin                                              string
	PayCash                                                               bool
	PayCashNote                                                           string
	PayTransfer                                                           bool
	PayTransferCLABE, PayTransferBank, PayTransferHolder, PayTransferNote string
	PayCardOnDelivery                                                     bool
	PayCardOnDeliveryNote                                                 string
	Instagram, Facebook, TikTok, Website                                  string
	SEOTitle, SEODescription                                              string
}

// DayInput is one weekday of the hours form: Split turns on the second
// range (a shop that closes at midday).
type DayInput struct {
	Open, Split     bool
	Opens, Closes   string
	Opens2, Closes2 string
}

// InputFrom fills the form from the stored business.
func InputFrom(b *domain.Business) SettingsInput {
	in := SettingsInput{
		Name: b.Name, Slug: b.Slug, Description: b.Description, WhatsApp: FormatPhone(b.WhatsApp),
		Address: b.Address, City: b.City, TimeZone: b.TimeZone, Language: b.Language,
		PrimaryColor: b.PrimaryColor, AccentColor: b.AccentColor,
		ClosedNow: b.ClosedNow, ClosedMessage: b.ClosedMessage, OrdersWhenClosed: b.OrdersWhenClosed,
		PickupEnabled: b.PickupEnabled, DeliveryEnabled: b.DeliveryEnabled,
		DeliveryFee: b.DeliveryFeeCents.Input(), DeliveryMin: b.DeliveryMinCents.Input(),
		PayCash: b.PayCash, PayCashNote: b.PayCashNote, PayTransfer: b.PayTransfer,
		PayTransferCLABE: b.PayTransferCLABE, PayTransferBank: b.PayTransferBank,
		PayTransferHolder: b.PayTransferHolder, PayTransferNote: b.PayTransferNote,
		PayCardOnDelivery: b.PayCardOnDelivery, PayCardOnDeliveryNote: b.PayCardOnDeliveryNote,
		Instagram: b.Instagram, Facebook: b.Facebook, TikTok: b.TikTok, Website: b.Website,
		SEOTitle: b.SEOTitle, SEODescription: b.SEODescription,
	}
	// A day without times offers the usual ones, unticked.
	hours, usual := b.Hours, domain.DefaultHours()
	for d := range hours {
		if hours[d].Opens == "" && hours[d].Closes == "" {
			hours[d].Opens, hours[d].Closes = usual[d].Opens, usual[d].Closes
		}
	}
	for d, h := range hours {
		in.Hours[d] = DayInput{
			Open: h.Open, Opens: h.Opens, Closes: h.Closes,
			Split: h.HasSecond(), Opens2: h.Opens2, Closes2: h.Closes2,
		}
	}
	return in
}

var (
	handlePattern = regexp.MustCompile(`^@?[A-Za-z0-9._]{1,30}$`)
)

// Update validates in and saves it on businessID. A new slug keeps the old
// one redirecting. Nothing is saved when any field is invalid.
func (s *StoreSettings) Update(ctx context.Context, businessID int64, in SettingsInput) (*domain.Business, error) {
	cur, err := s.stores.Get(ctx, businessID)
	if err != nil {
		return nil, err
	}
	b := *cur
	v := &domain.ValidationError{}
	text := func(field, val string, max int, required bool) string {
		if field == "description" || field == "seo_description" {
			val = domain.CleanText(val) // text areas keep their lines
		} else {
			val = domain.CleanLine(val)
		}
		switch n := utf8.RuneCountInString(val); {
		case n == 0 && required:
			v.Add(field, "validation.required", nil)
		case n > max:
			v.Add(field, "validation.too_long", map[string]any{"Max": max})
		}
		return val
	}
	b.Name = text("name", in.Name, 100, true)
	b.Description = text("description", in.Description, 1000, false)
	b.Address = text("address", in.Address, 255, false)
	b.City = text("city", in.City, 100, false)
	b.ClosedMessage = text("closed_message", in.ClosedMessage, 200, false)
	b.PayCashNote = text("pay_cash_note", in.PayCashNote, 300, false)
	b.PayTransferNote = text("pay_transfer_note", in.PayTransferNote, 300, false)
	b.PayCardOnDeliveryNote = text("pay_card_on_delivery_note", in.PayCardOnDeliveryNote, 300, false)
	b.PayTransferBank = text("pay_transfer_bank", in.PayTransferBank, 80, in.PayTransfer)
	b.PayTransferHolder = text("pay_transfer_holder", in.PayTransferHolder, 120, in.PayTransfer)
	b.SEOTitle = text("seo_title", in.SEOTitle, 70, false)
	b.SEODescription = text("seo_description", in.SEODescription, 160, false)

	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if key := domain.ValidateSlug(slug); key != "" {
		v.Add("slug", key, map[string]any{"Min": domain.SlugMinLen, "Max": domain.SlugMaxLen})
	} else if slug != cur.Slug {
		taken, err := s.stores.SlugTakenByOther(ctx, slug, businessID)
		if err != nil {
			return nil, err
		}
		if taken {
			v.Add("slug", "validation.slug_taken", nil)
		}
	}
	if phone, ok := NormalizePhone(in.WhatsApp); ok {
		b.WhatsApp = phone
	} else {
		v.Add("whatsapp", "validation.phone", nil)
	}
	b.TimeZone = in.TimeZone
	if !contains(MexicoTimeZones, in.TimeZone) {
		v.Add("time_zone", "settings.error.time_zone", nil)
	}
	b.Language = in.Language
	if in.Language != "es" && in.Language != "en" {
		v.Add("language", "settings.error.language", nil)
	}

	b.PrimaryColor, b.AccentColor = strings.ToLower(in.PrimaryColor), strings.ToLower(in.AccentColor)
	if !domain.IsHexColor(in.PrimaryColor) {
		v.Add("primary_color", "settings.error.color", nil)
	} else if r := domain.ContrastRatio(b.PrimaryColor, "#ffffff"); r < domain.MinPrimaryContrast {
		v.Add("primary_color", "settings.error.primary_contrast", map[string]any{"Ratio": fmt.Sprintf("%.1f", r)})
	}
	if !domain.IsHexColor(in.AccentColor) {
		v.Add("accent_color", "settings.error.color", nil)
	} else if r := domain.ContrastRatio(b.AccentColor, "#ffffff"); r < domain.MinAccentContrast {
		v.Add("accent_color", "settings.error.accent_contrast", map[string]any{"Ratio": fmt.Sprintf("%.1f", r)})
	}

	b.Hours = hoursFrom(in.Hours)
	hoursErrs := b.Hours.Validate()
	for d := time.Sunday; d <= time.Saturday; d++ {
		if key, bad := hoursErrs[d]; bad {
			v.Add("hours_"+strconv.Itoa(int(d)), key, nil)
		}
	}
	b.ClosedNow, b.OrdersWhenClosed = in.ClosedNow, in.OrdersWhenClosed

	b.PickupEnabled, b.DeliveryEnabled = in.PickupEnabled, in.DeliveryEnabled
	if !b.PickupEnabled && !b.DeliveryEnabled {
		v.Add("fulfillment", "settings.error.fulfillment", nil)
	}
	money := func(field, val string) domain.Money {
		if strings.TrimSpace(val) == "" {
			return 0
		}
		m, ok := domain.ParsePesos(val)
		if !ok || m > 10_000_00 {
			v.Add(field, "settings.error.money", nil)
		}
		return m
	}
	b.DeliveryFeeCents = money("delivery_fee", in.DeliveryFee)
	b.DeliveryMinCents = money("delivery_min", in.DeliveryMin)

	b.PayCash, b.PayTransfer, b.PayCardOnDelivery = in.PayCash, in.PayTransfer, in.PayCardOnDelivery
	if !b.PayCash && !b.PayTransfer && !b.PayCardOnDelivery {
		v.Add("payments", "settings.error.payments", nil)
	}
	clabe := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, in.PayTransferCLABE)
	b.PayTransferCLABE = clabe
	if in.PayTransfer || clabe != "" {
		if !domain.ValidCLABE(clabe) {
			v.Add("pay_transfer_clabe", "settings.error.clabe", nil)
		}
	}

	social := func(field, val, prefix string) string {
		val = domain.CleanLine(val)
		switch {
		case val == "":
			return ""
		case strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "http://"):
			if u, err := url.Parse(val); err != nil || u.Host == "" || len(val) > 200 {
				v.Add(field, "settings.error.url", nil)
			}
			return val
		case prefix != "" && handlePattern.MatchString(val):
			return prefix + strings.TrimPrefix(val, "@")
		}
		v.Add(field, "settings.error.url", nil)
		return val
	}
	b.Instagram = social("instagram", in.Instagram, "https://instagram.com/")
	b.Facebook = social("facebook", in.Facebook, "https://facebook.com/")
	b.TikTok = social("tiktok", in.TikTok, "https://www.tiktok.com/@")
	b.Website = social("website", in.Website, "")

	if err := v.Err(); err != nil {
		return nil, err
	}
	b.UpdatedAt = s.clock()
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.stores.UpdateSettings(ctx, &b); err != nil {
			return err
		}
		if slug != cur.Slug {
			if err := s.stores.ChangeSlug(ctx, businessID, cur.Slug, slug, b.UpdatedAt); err != nil {
				if errors.Is(err, domain.ErrConflict) {
					return domain.NewFieldError("slug", "validation.slug_taken")
				}
				return err
			}
			b.Slug = slug
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.purger.PurgeStore(ctx, businessID)
	return &b, nil
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

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
