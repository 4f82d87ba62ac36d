package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// business0011 is the businesses table's suspension columns.
type business0011 struct {
	ID              int64
	SuspendedAt     *time.Time
	SuspendedReason string `gorm:"size:300;not null;default:''"`
}

func (business0011) TableName() string { return "businesses" }

// user0011 is the users table's deactivation column.
type user0011 struct {
	ID            int64
	DeactivatedAt *time.Time
}

func (user0011) TableName() string { return "users" }

// auditEntry0011 is the audit_entries table as 0011 made it.
type auditEntry0011 struct {
	ID          int64     `gorm:"primaryKey"`
	ActorUserID *int64    `gorm:"index"`
	ActorEmail  string    `gorm:"size:254;not null;default:''"`
	Action      string    `gorm:"size:40;not null;index"`
	TargetType  string    `gorm:"size:20;not null;default:''"`
	TargetID    int64     `gorm:"not null;default:0"`
	Detail      string    `gorm:"size:1000;not null;default:''"`
	CreatedAt   time.Time `gorm:"not null;index"`
}

func (auditEntry0011) TableName() string { return "audit_entries" }

// admin adds what the platform admin needs (part 8): suspended stores,
// deactivated admins and the audit log of admin actions.
func admin() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0011_admin",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, col := range []string{"SuspendedAt", "SuspendedReason"} {
				if err := m.AddColumn(&business0011{}, col); err != nil {
					return err
				}
			}
			if err := m.AddColumn(&user0011{}, "DeactivatedAt"); err != nil {
				return err
			}
			return m.CreateTable(&auditEntry0011{})
		},
	}
}
