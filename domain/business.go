package domain

import (
	"time"

	"gorm.io/gorm"
)

// DefaultTimeZone is the IANA zone a new store gets.
const DefaultTimeZone = "America/Mexico_City"

// Colors a new store gets. Both pass the settings' contrast rules against
// white: 4.5:1 for the primary color (white text on buttons), 3:1 for the
// accent (stars and badges on white).
const (
	DefaultPrimaryColor = "#047857"
	DefaultAccentColor  = "#d97706"
)

// Contrast against white a store's colors need (WCAG): text on the primary
// color, and the accent as a graphic on white.
const (
	MinPrimaryContrast = 4.5
	MinAccentContrast  = 3.0
)

// Limits of the store settings, in characters; each is also the size of
// its column (see TestLimitsMatchColumns) and the maxlength of its input.
// The slug's are SlugMinLen and SlugMaxLen.
const (
	BusinessNameMax          = 100
	BusinessDescriptionMax   = 1000
	BusinessAddressMax       = 255
	BusinessCityMax          = 100
	BusinessClosedMessageMax = 200
	PayNoteMax               = 300
	PayTransferBankMax       = 80
	PayTransferHolderMax     = 120
	SEOTitleMax              = 70
	SEODescriptionMax        = 160
	SocialURLMax             = 200
	// ReferredByCodeMax bounds the column of the code typed at sign-up.
	ReferredByCodeMax = 40
	// CLABEInputMax is the CLABE's 18 digits with room for the spaces and
	// dashes people type between them (dropped before the check).
	CLABEInputMax = 22
	// DeliveryMoneyMax caps the delivery fee and minimum: $10,000.00.
	DeliveryMoneyMax Money = 10_000_00
)

// Business is a tenant: one shop with its public store at /{slug}.
type Business struct {
	ID          int64  `gorm:"primaryKey"`
	Name        string `gorm:"size:100;not null"`
	Slug        string `gorm:"size:40;not null;uniqueIndex:idx_businesses_slug,where:deleted_at IS NULL"`
	Description string `gorm:"size:1000;not null;default:''"`
	WhatsApp    string `gorm:"column:whatsapp;size:20;not null"`
	TimeZone    string `gorm:"size:64;not null;default:'America/Mexico_City'"`
	Language    string `gorm:"size:5;not null;default:es"`
	Address     string `gorm:"size:255;not null;default:''"`
	City        string `gorm:"size:100;not null;default:''"`
	// ReferralCode is the business's own code, which it shares to refer others.
	ReferralCode string `gorm:"size:20;not null;uniqueIndex"`
	// ReferredByCode is the code typed at sign-up, as typed (see Referral).
	ReferredByCode string `gorm:"size:40;not null;default:''"`
	// Demo marks the seeded demo store.
	Demo bool `gorm:"not null;default:false"`

	LogoImageID  *int64
	CoverImageID *int64
	// PrimaryColor and AccentColor are "#rrggbb".
	PrimaryColor string `gorm:"size:7;not null;default:'#047857'"`
	AccentColor  string `gorm:"size:7;not null;default:'#d97706'"`

	// Hours is the weekly schedule, evaluated in TimeZone.
	Hours WeekHours `gorm:"type:text;serializer:json"`
	// ClosedNow is the owner's manual "closed" switch; ClosedMessage tells shoppers why.
	ClosedNow     bool   `gorm:"not null;default:false"`
	ClosedMessage string `gorm:"size:200;not null;default:''"`
	// OrdersWhenClosed takes orders outside the hours, to be answered when the
	// store opens; false takes none until it opens.
	OrdersWhenClosed bool `gorm:"not null;default:true"`

	PickupEnabled    bool  `gorm:"not null;default:true"`
	DeliveryEnabled  bool  `gorm:"not null;default:false"`
	DeliveryFeeCents Money `gorm:"not null;default:0"`
	DeliveryMinCents Money `gorm:"not null;default:0"`

	PayCash               bool   `gorm:"not null;default:true"`
	PayCashNote           string `gorm:"size:300;not null;default:''"`
	PayTransfer           bool   `gorm:"not null;default:false"`
	PayTransferCLABE      string `gorm:"column:pay_transfer_clabe;size:18;not null;default:''"`
	PayTransferBank       string `gorm:"size:80;not null;default:''"`
	PayTransferHolder     string `gorm:"size:120;not null;default:''"`
	PayTransferNote       string `gorm:"size:300;not null;default:''"`
	PayCardOnDelivery     bool   `gorm:"not null;default:false"`
	PayCardOnDeliveryNote string `gorm:"size:300;not null;default:''"`

	Instagram string `gorm:"size:200;not null;default:''"`
	Facebook  string `gorm:"size:200;not null;default:''"`
	TikTok    string `gorm:"column:tiktok;size:200;not null;default:''"`
	Website   string `gorm:"size:200;not null;default:''"`

	SEOTitle       string `gorm:"column:seo_title;size:70;not null;default:''"`
	SEODescription string `gorm:"column:seo_description;size:160;not null;default:''"`

	// RatingCount and RatingSum cover approved reviews; kept up to date on moderation.
	RatingCount int `gorm:"not null;default:0"`
	RatingSum   int `gorm:"not null;default:0"`
	// WhatsAppTestedAt is when the owner first tried their order WhatsApp from the dashboard checklist.
	WhatsAppTestedAt *time.Time `gorm:"column:whatsapp_tested_at"`

	Billing `gorm:"embedded"`

	// SuspendedAt is when a platform admin took the store offline (nil when
	// it is not suspended); SuspendedReason says why (audit log too).
	SuspendedAt     *time.Time
	SuspendedReason string `gorm:"size:300;not null;default:''"`

	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt `gorm:"index"`
}

// WhatsAppDigits is the number as wa.me takes it: E.164 without the plus.
func (b *Business) WhatsAppDigits() string {
	if len(b.WhatsApp) > 0 && b.WhatsApp[0] == '+' {
		return b.WhatsApp[1:]
	}
	return b.WhatsApp
}

// RatingAverage is the mean of approved reviews' stars, 0 without reviews.
func (b *Business) RatingAverage() float64 {
	if b.RatingCount == 0 {
		return 0
	}
	return float64(b.RatingSum) / float64(b.RatingCount)
}

// SlugRedirect keeps an old store slug pointing at its business after a rename.
type SlugRedirect struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index"`
	Slug       string `gorm:"size:40;not null;uniqueIndex"`
	CreatedAt  time.Time
}

// SuspendReasonMax bounds the reason an admin gives for suspending a store.
const SuspendReasonMax = 300

// Suspended reports whether a platform admin took the store offline.
func (b *Business) Suspended() bool { return b.SuspendedAt != nil }

// Online reports whether the business's public store may be shown at now:
// never while suspended; the demo store always otherwise; any other store
// as its subscription allows.
func (b *Business) Online(now time.Time, r BillingRules) bool {
	if b.Suspended() {
		return false
	}
	return b.Demo || b.Billing.Online(now, r)
}
