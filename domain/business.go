package domain

import (
	"time"

	"gorm.io/gorm"
)

// DefaultTimeZone is the IANA zone a new store gets.
const DefaultTimeZone = "America/Mexico_City"

// Business is a tenant: one shop with its public store at /{slug}.
type Business struct {
	ID           int64  `gorm:"primaryKey"`
	Name         string `gorm:"size:100;not null"`
	Slug         string `gorm:"size:40;not null;uniqueIndex:idx_businesses_slug,where:deleted_at IS NULL"`
	Description  string `gorm:"size:1000;not null;default:''"`
	WhatsApp     string `gorm:"column:whatsapp;size:20;not null"`
	TimeZone     string `gorm:"size:64;not null;default:'America/Mexico_City'"`
	Language     string `gorm:"size:5;not null;default:es"`
	Address      string `gorm:"size:255;not null;default:''"`
	City         string `gorm:"size:100;not null;default:''"`
	ReferralCode string `gorm:"size:40;not null;default:''"`
	// Demo marks the seeded demo store.
	Demo      bool `gorm:"not null;default:false"`
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
