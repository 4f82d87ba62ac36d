package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// chatExchange0010 is the chat_exchanges table as 0010 made it.
type chatExchange0010 struct {
	ID         int64     `gorm:"primaryKey"`
	BusinessID int64     `gorm:"not null;index:idx_chat_exchanges_business_created,priority:1"`
	SessionID  string    `gorm:"size:64;not null;default:''"`
	Question   string    `gorm:"size:500;not null"`
	Intent     string    `gorm:"size:16;not null"`
	Source     string    `gorm:"size:16;not null"`
	Answered   bool      `gorm:"not null"`
	LatencyMS  int       `gorm:"column:latency_ms;not null"`
	TokensIn   int       `gorm:"not null;default:0"`
	TokensOut  int       `gorm:"not null;default:0"`
	CreatedAt  time.Time `gorm:"not null;index:idx_chat_exchanges_business_created,priority:2"`
}

func (chatExchange0010) TableName() string { return "chat_exchanges" }

// chatExchanges adds the log of the store assistant's exchanges (part 7).
func chatExchanges() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0010_chat_exchanges",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&chatExchange0010{})
		},
	}
}
