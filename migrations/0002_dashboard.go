package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// business0002 holds the store profile columns added for the dashboard.
type business0002 struct {
	LogoImageID           *int64
	CoverImageID          *int64
	PrimaryColor          string `gorm:"size:7;not null;default:'#047857'"`
	AccentColor           string `gorm:"size:7;not null;default:'#f59e0b'"`
	Hours                 string `gorm:"type:text"`
	ClosedNow             bool   `gorm:"not null;default:false"`
	ClosedMessage         string `gorm:"size:200;not null;default:''"`
	PickupEnabled         bool   `gorm:"not null;default:true"`
	DeliveryEnabled       bool   `gorm:"not null;default:false"`
	DeliveryFeeCents      int64  `gorm:"not null;default:0"`
	DeliveryMinCents      int64  `gorm:"not null;default:0"`
	PayCash               bool   `gorm:"not null;default:true"`
	PayCashNote           string `gorm:"size:300;not null;default:''"`
	PayTransfer           bool   `gorm:"not null;default:false"`
	PayTransferCLABE      string `gorm:"column:pay_transfer_clabe;size:18;not null;default:''"`
	PayTransferBank       string `gorm:"size:80;not null;default:''"`
	PayTransferHolder     string `gorm:"size:120;not null;default:''"`
	PayTransferNote       string `gorm:"size:300;not null;default:''"`
	PayCardOnDelivery     bool   `gorm:"not null;default:false"`
	PayCardOnDeliveryNote string `gorm:"size:300;not null;default:''"`
	Instagram             string `gorm:"size:200;not null;default:''"`
	Facebook              string `gorm:"size:200;not null;default:''"`
	TikTok                string `gorm:"column:tiktok;size:200;not null;default:''"`
	Website               string `gorm:"size:200;not null;default:''"`
	SEOTitle              string `gorm:"column:seo_title;size:70;not null;default:''"`
	SEODescription        string `gorm:"column:seo_description;size:160;not null;default:''"`
	RatingCount           int    `gorm:"not null;default:0"`
	RatingSum             int    `gorm:"not null;default:0"`
}

func (business0002) TableName() string { return "businesses" }

// dashboard adds the store profile, slug redirects, images, product options
// and orders.
func dashboard() *gormigrate.Migration {
	type SlugRedirect struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index"`
		Slug       string `gorm:"size:40;not null;uniqueIndex"`
		CreatedAt  time.Time
	}
	type Image struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index"`
		Key        string `gorm:"size:100;not null;uniqueIndex"`
		Format     string `gorm:"size:10;not null"`
		Width      int    `gorm:"not null"`
		Height     int    `gorm:"not null"`
		Bytes      int64  `gorm:"not null;default:0"`
		CreatedAt  time.Time
	}
	type ProductImage struct {
		ID         int64 `gorm:"primaryKey"`
		BusinessID int64 `gorm:"not null;index"`
		ProductID  int64 `gorm:"not null;index"`
		ImageID    int64 `gorm:"not null"`
		Position   int   `gorm:"not null;default:0"`
		CreatedAt  time.Time
	}
	type OptionGroup struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index"`
		ProductID  int64  `gorm:"not null;index"`
		Name       string `gorm:"size:80;not null"`
		MinSelect  int    `gorm:"not null;default:0"`
		MaxSelect  int    `gorm:"not null;default:1"`
		Position   int    `gorm:"not null;default:0"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type OptionChoice struct {
		ID         int64  `gorm:"primaryKey"`
		BusinessID int64  `gorm:"not null;index"`
		GroupID    int64  `gorm:"not null;index"`
		Name       string `gorm:"size:80;not null"`
		DeltaCents int64  `gorm:"not null;default:0"`
		Position   int    `gorm:"not null;default:0"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type Order struct {
		ID               int64     `gorm:"primaryKey"`
		BusinessID       int64     `gorm:"not null;index:idx_orders_business_created,priority:1"`
		Code             string    `gorm:"size:16;not null;uniqueIndex"`
		Status           string    `gorm:"size:12;not null;default:pending;index"`
		CustomerName     string    `gorm:"size:100;not null"`
		CustomerPhone    string    `gorm:"size:20;not null"`
		Fulfillment      string    `gorm:"size:10;not null"`
		Address          string    `gorm:"size:300;not null;default:''"`
		PaymentMethod    string    `gorm:"size:20;not null"`
		Notes            string    `gorm:"size:500;not null;default:''"`
		Language         string    `gorm:"size:5;not null;default:es"`
		SubtotalCents    int64     `gorm:"not null"`
		DeliveryFeeCents int64     `gorm:"not null;default:0"`
		TotalCents       int64     `gorm:"not null"`
		CreatedAt        time.Time `gorm:"index:idx_orders_business_created,priority:2"`
		UpdatedAt        time.Time
		ConfirmedAt      *time.Time
		CompletedAt      *time.Time
		CancelledAt      *time.Time
	}
	type OrderItem struct {
		ID             int64  `gorm:"primaryKey"`
		BusinessID     int64  `gorm:"not null;index"`
		OrderID        int64  `gorm:"not null;index"`
		ProductID      int64  `gorm:"not null;index"`
		ProductName    string `gorm:"size:120;not null"`
		Quantity       int    `gorm:"not null"`
		UnitPriceCents int64  `gorm:"not null"`
		LineTotalCents int64  `gorm:"not null"`
		Options        string `gorm:"type:text"`
	}
	return &gormigrate.Migration{
		ID: "0002_dashboard",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, col := range []string{
				"LogoImageID", "CoverImageID", "PrimaryColor", "AccentColor", "Hours", "ClosedNow",
				"ClosedMessage", "PickupEnabled", "DeliveryEnabled", "DeliveryFeeCents", "DeliveryMinCents",
				"PayCash", "PayCashNote", "PayTransfer", "PayTransferCLABE", "PayTransferBank",
				"PayTransferHolder", "PayTransferNote", "PayCardOnDelivery", "PayCardOnDeliveryNote",
				"Instagram", "Facebook", "TikTok", "Website", "SEOTitle", "SEODescription",
				"RatingCount", "RatingSum",
			} {
				if err := m.AddColumn(&business0002{}, col); err != nil {
					return err
				}
			}
			return m.CreateTable(&SlugRedirect{}, &Image{}, &ProductImage{}, &OptionGroup{},
				&OptionChoice{}, &Order{}, &OrderItem{})
		},
	}
}
