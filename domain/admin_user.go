package domain

import (
	"errors"
	"time"
)

// ErrLastSuperAdmin is returned when a change would leave the platform
// without an active super_admin (demoting or deactivating the last one).
var ErrLastSuperAdmin = errors.New("the last active super admin cannot be demoted or deactivated")

// ErrNoPendingInvite is returned when an invitation is re-sent to an admin
// who has none pending: they accepted it (or were created with a
// password), or they are deactivated.
var ErrNoPendingInvite = errors.New("the admin has no pending invitation")

// AdminState is where a platform admin's account stands.
type AdminState string

// Admin states.
const (
	AdminActive      AdminState = "active"
	AdminInvited     AdminState = "invited" // invited, password not set yet
	AdminDeactivated AdminState = "deactivated"
)

// AdminState says whether the admin is deactivated, invited (never set a
// password: not verified) or active.
func (u *User) AdminState() AdminState {
	switch {
	case !u.Active():
		return AdminDeactivated
	case !u.Verified():
		return AdminInvited
	}
	return AdminActive
}

// AdminRoles are the roles an admin user may be given.
var AdminRoles = []Role{RoleSuperAdmin, RoleAdminViewer}

// AdminUser is one row of the admin users list: the user and when one of
// their sessions was last seen (nil: never logged in, or all sessions gone).
type AdminUser struct {
	User
	LastSeenAt *time.Time
}
