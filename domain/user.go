package domain

import "time"

// Role is what a user may do on the platform.
type Role string

// Roles.
const (
	RoleOwner       Role = "owner"
	RoleSuperAdmin  Role = "super_admin"
	RoleAdminViewer Role = "admin_viewer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleOwner || r == RoleSuperAdmin || r == RoleAdminViewer
}

// IsAdmin reports whether r may see the platform admin pages.
func (r Role) IsAdmin() bool { return r == RoleSuperAdmin || r == RoleAdminViewer }

// Account limits. Names and emails are characters; a password is at least
// PasswordMinLen characters and at most PasswordMaxLen bytes (bcrypt's limit).
const (
	UserNameMax    = 100
	EmailMax       = 254
	PasswordMinLen = 8
	PasswordMaxLen = 72
)

// User is a person who logs in: a shop owner or a platform admin.
type User struct {
	ID              int64  `gorm:"primaryKey"`
	Email           string `gorm:"size:254;not null;uniqueIndex"`
	Name            string `gorm:"size:100;not null"`
	PasswordHash    string `gorm:"size:255;not null"`
	Role            Role   `gorm:"size:20;not null;default:owner"`
	Locale          string `gorm:"size:5;not null;default:es"`
	BusinessID      *int64 `gorm:"index"`
	EmailVerifiedAt *time.Time
	// DeactivatedAt is when a super admin deactivated this admin; a
	// deactivated user cannot log in and has no sessions.
	DeactivatedAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Active reports whether the user may log in (not deactivated).
func (u *User) Active() bool { return u.DeactivatedAt == nil }

// Verified reports whether the user confirmed their email address.
func (u *User) Verified() bool { return u.EmailVerifiedAt != nil }

// Session is a logged-in browser. Only the token's SHA-256 is stored.
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

// TokenPurpose says what a one-time email link is for.
type TokenPurpose string

// Token purposes.
const (
	TokenVerifyEmail   TokenPurpose = "verify_email"
	TokenResetPassword TokenPurpose = "reset_password"
	// TokenAdminInvite is the link a new platform admin sets a password with.
	TokenAdminInvite TokenPurpose = "admin_invite"
)

// EmailToken is a single-use link sent by email. Only the token's hash is stored.
type EmailToken struct {
	ID        int64        `gorm:"primaryKey"`
	TokenHash string       `gorm:"size:64;not null;uniqueIndex"`
	UserID    int64        `gorm:"not null;index"`
	Purpose   TokenPurpose `gorm:"size:20;not null"`
	ExpiresAt time.Time    `gorm:"not null"`
	UsedAt    *time.Time
	// ReplacedAt is when a newer link of the same purpose replaced this one.
	ReplacedAt *time.Time
	CreatedAt  time.Time
}

// AuthAttempt records a failed login (or another throttled auth action) for
// throttling per account and per IP.
type AuthAttempt struct {
	ID        int64     `gorm:"primaryKey"`
	Kind      string    `gorm:"size:20;not null;index:idx_auth_attempts_lookup,priority:1"`
	Key       string    `gorm:"size:128;not null;index:idx_auth_attempts_lookup,priority:2"`
	CreatedAt time.Time `gorm:"not null;index:idx_auth_attempts_lookup,priority:3"`
}

// Setting is a platform-wide key/value, such as the generated secret key.
type Setting struct {
	Key       string `gorm:"primaryKey;size:64"`
	Value     string `gorm:"not null"`
	UpdatedAt time.Time
}
