package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// emailToken0012 is the email_tokens table's replacement column.
type emailToken0012 struct {
	ID         int64
	ReplacedAt *time.Time
}

func (emailToken0012) TableName() string { return "email_tokens" }

// tokenReplaced records when a newer link of the same kind replaced an
// email link, so an old link can say so instead of "already used".
func tokenReplaced() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0012_token_replaced",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().AddColumn(&emailToken0012{}, "ReplacedAt")
		},
	}
}
