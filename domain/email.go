package domain

import "time"

// OutboxStatus is where an outgoing email stands.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSent    OutboxStatus = "sent"
	OutboxDead    OutboxStatus = "dead"
)

// OutboxEmail is an email written in the same transaction as the change that
// causes it, and sent later by the outbox job.
type OutboxEmail struct {
	ID             int64  `gorm:"primaryKey"`
	IdempotencyKey string `gorm:"size:64;not null;uniqueIndex"`
	ToAddress      string `gorm:"size:254;not null"`
	Subject        string `gorm:"size:255;not null"`
	HTMLBody       string `gorm:"not null"`
	TextBody       string `gorm:"not null"`
	// Template names the email kind, e.g. "verify_email".
	Template      string       `gorm:"size:40;not null"`
	Status        OutboxStatus `gorm:"size:10;not null;default:pending;index:idx_outbox_due,priority:1"`
	Attempts      int          `gorm:"not null;default:0"`
	NextAttemptAt time.Time    `gorm:"not null;index:idx_outbox_due,priority:2"`
	LastError     string       `gorm:"size:1000;not null;default:''"`
	ProviderID    string       `gorm:"size:100;not null;default:''"`
	SentAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
