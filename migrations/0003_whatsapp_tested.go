package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// business0003 holds the column the dashboard checklist adds.
type business0003 struct {
	WhatsAppTestedAt *time.Time `gorm:"column:whatsapp_tested_at"`
}

func (business0003) TableName() string { return "businesses" }

// whatsappTested records when the owner tried their order WhatsApp from the
// dashboard checklist.
func whatsappTested() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0003_whatsapp_tested",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().AddColumn(&business0003{}, "WhatsAppTestedAt")
		},
	}
}
