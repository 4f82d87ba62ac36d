package domain

import (
	"time"
	"unicode/utf8"
)

// AuditAction names what a platform admin did; the audit log shows it
// translated ("admin.audit.action.<action>").
type AuditAction string

// Audited admin actions.
const (
	AuditTrialExtended   AuditAction = "trial_extended"
	AuditStoreSuspended  AuditAction = "store_suspended"
	AuditStoreRestored   AuditAction = "store_unsuspended"
	AuditAdminCreated    AuditAction = "admin_created"
	AuditAdminInvited    AuditAction = "admin_invited"
	AuditInviteResent    AuditAction = "admin_invite_resent"
	AuditAdminRoleChange AuditAction = "admin_role_changed"
	AuditAdminDeactivate AuditAction = "admin_deactivated"
	AuditAdminReactivate AuditAction = "admin_reactivated"
	AuditPasswordChanged AuditAction = "admin_password_changed"
	AuditSettingsChanged AuditAction = "settings_changed"
	AuditCleanupRun      AuditAction = "cleanup_run"
)

// Audit target kinds.
const (
	AuditTargetBusiness = "business"
	AuditTargetUser     = "user"
	AuditTargetSettings = "settings"
)

// AuditDetailMax bounds an entry's detail text (characters).
const AuditDetailMax = 1000

// AuditEntry records one action of a platform admin: who, what, on what,
// when, and a free-text detail (a reason, the old and new value). Entries
// are never changed nor deleted. ActorEmail is kept as it was, so the log
// still reads after the admin is deactivated or renamed.
type AuditEntry struct {
	ID          int64       `gorm:"primaryKey"`
	ActorUserID *int64      `gorm:"index"` // nil for the system (jobs)
	ActorEmail  string      `gorm:"size:254;not null;default:''"`
	Action      AuditAction `gorm:"size:40;not null;index"`
	TargetType  string      `gorm:"size:20;not null;default:''"`
	TargetID    int64       `gorm:"not null;default:0"`
	Detail      string      `gorm:"size:1000;not null;default:''"`
	CreatedAt   time.Time   `gorm:"not null;index"`
}

// AuditFilter narrows the audit log: zero fields match everything.
type AuditFilter struct {
	TargetType string
	TargetID   int64
}

// AuditDetail cuts s to AuditDetailMax characters.
func AuditDetail(s string) string {
	if utf8.RuneCountInString(s) <= AuditDetailMax {
		return s
	}
	return string([]rune(s)[:AuditDetailMax])
}
