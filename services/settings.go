package services

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// MexicoTimeZones are the IANA zones a store may pick, most common first.
var MexicoTimeZones = []string{
	"America/Mexico_City", "America/Monterrey", "America/Merida", "America/Cancun",
	"America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga", "America/Matamoros",
	"America/Mazatlan", "America/Bahia_Banderas", "America/Hermosillo", "America/Tijuana",
}

// SettingsRepo is what StoreSettings needs of the businesses repository.
type SettingsRepo interface {
	Get(ctx context.Context, id int64) (*domain.Business, error)
	SlugTakenByOther(ctx context.Context, slug string, exceptID int64) (bool, error)
	UpdateSettings(ctx context.Context, b *domain.Business) error
	ChangeSlug(ctx context.Context, id int64, old, slug string, now time.Time) error
}

// StoreSettings owns the store profile a shop owner edits.
type StoreSettings struct {
	stores SettingsRepo
	writes *StoreWrites
	clock  Clock
}

// NewStoreSettings returns the store settings service.
func NewStoreSettings(stores SettingsRepo, writes *StoreWrites, clock Clock) *StoreSettings {
	return &StoreSettings{stores: stores, writes: writes, clock: clock}
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

// Update validates in and saves it on businessID. A new slug keeps the old
// one redirecting. Nothing is saved when any field is invalid.
func (s *StoreSettings) Update(ctx context.Context, businessID int64, in SettingsInput) (*domain.Business, error) {
	cur, err := s.stores.Get(ctx, businessID)
	if err != nil {
		return nil, err
	}
	f := readSettings(cur, in)
	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if err := s.checkSlug(ctx, f.v, cur, slug); err != nil {
		return nil, err
	}
	if err := f.v.Err(); err != nil {
		return nil, err
	}
	b := f.b
	b.UpdatedAt = s.clock()
	if err := s.save(ctx, &b, cur.Slug, slug); err != nil {
		return nil, err
	}
	return &b, nil
}

// checkSlug adds to v what is wrong with the store's new slug: its form, or
// that another store has it.
func (s *StoreSettings) checkSlug(ctx context.Context, v *domain.ValidationError, cur *domain.Business, slug string) error {
	if !v.StoreSlug("slug", slug) {
		return nil
	}
	if slug == cur.Slug {
		return nil
	}
	taken, err := s.stores.SlugTakenByOther(ctx, slug, cur.ID)
	if err != nil {
		return err
	}
	if taken {
		v.Add("slug", "validation.slug_taken", nil)
	}
	return nil
}

// save writes b's settings and, when slug differs from old, moves the store
// to it (the old slug redirects), in one store write.
func (s *StoreSettings) save(ctx context.Context, b *domain.Business, old, slug string) error {
	return s.writes.Write(ctx, b.ID, func(ctx context.Context) error {
		if err := s.stores.UpdateSettings(ctx, b); err != nil {
			return err
		}
		if slug == old {
			return nil
		}
		if err := s.stores.ChangeSlug(ctx, b.ID, old, slug, b.UpdatedAt); err != nil {
			if errors.Is(err, domain.ErrConflict) {
				return domain.NewFieldError("slug", "validation.slug_taken")
			}
			return err
		}
		b.Slug = slug
		return nil
	})
}
