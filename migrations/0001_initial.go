package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// initial creates accounts, sessions, email tokens and outbox, businesses,
// catalog and reviews.
func initial() *gormigrate.Migration {
	type User struct {
		ID              int64  `gorm:"primaryKey"`
		Email           string `gorm:"size:254;not null;uniqueIndex"`
		Name            string `gorm:"size:100;not null"`
		PasswordHash    string `gorm:"size:255;not null"`
		Role            string `gorm:"size:20;not null;default:owner"`
		Locale          string `gorm:"size:5;not null;default:es"`
		BusinessID      *int64 `gorm:"index"`
		EmailVerifiedAt *time.Time
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	type Session struct {
		ID         int64  `gorm:"primaryKey"`
		TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
		UserID     int64  `gorm:"not null;index"`
		UserAgent  string `gorm:"size:255"`
		IP         string `gorm:"size:64"`
		CreatedAt  time.Time
		LastSeenAt time.Time
		ExpiresAt  time.Time `gorm:"not null;index"`
	}
	type EmailToken struct {
		ID        int64     `gorm:"primaryKey"`
		TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
		UserID    int64     `gorm:"not null;index"`
		Purpose   string    `gorm:"size:20;not null"`
		ExpiresAt time.Time `gorm:"not null"`
		UsedAt    *time.Time
		CreatedAt time.Time
	}
	type AuthAttempt struct {
		ID        int64     `gorm:"primaryKey"`
		Kind      string    `gorm:"size:20;not null;index:idx_auth_attempts_lookup,priority:1"`
		Key       string    `gorm:"size:128;not null;index:idx_auth_attempts_lookup,priority:2"`
		CreatedAt time.Time `gorm:"not null;index:idx_auth_attempts_lookup,priority:3"`
	}
	type Setting struct {
		Key       string `gorm:"primaryKey;size:64"`
		Value     string `gorm:"not null"`
		UpdatedAt time.Time
	}
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
		Demo         bool   `gorm:"not null;default:false"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
		DeletedAt    gorm.DeletedAt `gorm:"index"`
	}
	type Category struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index;uniqueIndex:idx_categories_slug,priority:1,where:deleted_at IS NULL"`
		Name       string `gorm:"size:80;not null"`
		Slug       string `gorm:"size:80;not null;uniqueIndex:idx_categories_slug,priority:2,where:deleted_at IS NULL"`
		Position   int    `gorm:"not null;default:0"`
		Hidden     bool   `gorm:"not null;default:false"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
		DeletedAt  gorm.DeletedAt `gorm:"index"`
	}
	type Product struct {
		ID             int64  `gorm:"primaryKey"`
		BusinessID     int64  `gorm:"not null;index;uniqueIndex:idx_products_slug,priority:1,where:deleted_at IS NULL"`
		CategoryID     *int64 `gorm:"index"`
		Name           string `gorm:"size:120;not null"`
		Slug           string `gorm:"size:120;not null;uniqueIndex:idx_products_slug,priority:2,where:deleted_at IS NULL"`
		Description    string `gorm:"size:2000;not null;default:''"`
		PriceCents     int64  `gorm:"not null"`
		CompareAtCents *int64
		Active         bool `gorm:"not null;default:true"`
		SoldOut        bool `gorm:"not null;default:false"`
		Stock          *int
		Position       int `gorm:"not null;default:0"`
		CreatedAt      time.Time
		UpdatedAt      time.Time
		DeletedAt      gorm.DeletedAt `gorm:"index"`
	}
	type Review struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index:idx_reviews_business_status,priority:1"`
		AuthorName string `gorm:"size:80;not null"`
		Rating     int    `gorm:"not null"`
		Comment    string `gorm:"size:1000;not null;default:''"`
		Status     string `gorm:"size:20;not null;default:pending;index:idx_reviews_business_status,priority:2"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type OutboxEmail struct {
		ID             int64     `gorm:"primaryKey"`
		IdempotencyKey string    `gorm:"size:64;not null;uniqueIndex"`
		ToAddress      string    `gorm:"size:254;not null"`
		Subject        string    `gorm:"size:255;not null"`
		HTMLBody       string    `gorm:"not null"`
		TextBody       string    `gorm:"not null"`
		Template       string    `gorm:"size:40;not null"`
		Status         string    `gorm:"size:10;not null;default:pending;index:idx_outbox_due,priority:1"`
		Attempts       int       `gorm:"not null;default:0"`
		NextAttemptAt  time.Time `gorm:"not null;index:idx_outbox_due,priority:2"`
		LastError      string    `gorm:"size:1000;not null;default:''"`
		ProviderID     string    `gorm:"size:100;not null;default:''"`
		SentAt         *time.Time
		CreatedAt      time.Time
		UpdatedAt      time.Time
	}
	tables := []any{&User{}, &Session{}, &EmailToken{}, &AuthAttempt{}, &Setting{},
		&Business{}, &Category{}, &Product{}, &Review{}, &OutboxEmail{}}
	return &gormigrate.Migration{
		ID: "0001_initial",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(tables...)
		},
	}
}
