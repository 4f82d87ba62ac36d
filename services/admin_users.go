package services

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// AdminUserRepo is what AdminUsers needs of the users repository.
type AdminUserRepo interface {
	Create(ctx context.Context, u *domain.User) error
	Get(ctx context.Context, id int64) (*domain.User, error)
	EmailTaken(ctx context.Context, email string) (bool, error)
	ListAdmins(ctx context.Context) ([]domain.AdminUser, error)
	LockActiveSuperAdmins(ctx context.Context) (int64, error)
	SetRole(ctx context.Context, id int64, role domain.Role) error
	SetDeactivated(ctx context.Context, id int64, at *time.Time) error
}

// AdminUsers manages the platform admins (super_admin, admin_viewer):
// create, invite (and re-send an invitation), change role, deactivate and
// reactivate, and an admin's own password. Every change is audited in its
// transaction. The platform always keeps one active super_admin: demoting
// or deactivating the last one is domain.ErrLastSuperAdmin.
type AdminUsers struct {
	accounts *Accounts
	users    AdminUserRepo
	audit    *Audit
}

// NewAdminUsers returns the admin users service; it shares the accounts'
// transactions, sessions, links and password rules.
func NewAdminUsers(accounts *Accounts, users AdminUserRepo, audit *Audit) *AdminUsers {
	return &AdminUsers{accounts: accounts, users: users, audit: audit}
}

// AdminUserInput is the form that creates or invites an admin; Password is
// only for Create, Locale (the invitation email's language) only for Invite.
type AdminUserInput struct {
	Name, Email, Password string
	Role                  domain.Role
	Locale                string
}

// List returns every platform admin with their last-seen time.
func (s *AdminUsers) List(ctx context.Context) ([]domain.AdminUser, error) {
	return s.users.ListAdmins(ctx)
}

// check validates name, email and role, normalizing in.
func (s *AdminUsers) check(ctx context.Context, in *AdminUserInput, v *domain.ValidationError) error {
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if v.Required("name", in.Name) {
		v.Check("name", utf8.RuneCountInString(in.Name) <= domain.UserNameMax, "validation.too_long", map[string]any{"Max": domain.UserNameMax})
	}
	if checkEmail(v, "email", in.Email) {
		taken, err := s.users.EmailTaken(ctx, in.Email)
		if err != nil {
			return err
		}
		v.Check("email", !taken, "validation.admin_email_taken", nil)
	}
	v.Check("role", in.Role == domain.RoleSuperAdmin || in.Role == domain.RoleAdminViewer, "validation.admin_role", nil)
	return nil
}

// Create adds an active admin with a password the actor chose.
func (s *AdminUsers) Create(ctx context.Context, actor *domain.User, in AdminUserInput) (*domain.User, error) {
	v := &domain.ValidationError{}
	if err := s.check(ctx, &in, v); err != nil {
		return nil, err
	}
	checkPassword(v, "password", in.Password, in.Email)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.accounts.BcryptCost)
	if err != nil {
		return nil, err
	}
	now := s.accounts.clock()
	u := &domain.User{
		Email: in.Email, Name: in.Name, PasswordHash: string(hash), Role: in.Role,
		Locale: normLang(actor.Locale), EmailVerifiedAt: &now,
	}
	err = s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.create(ctx, u); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditAdminCreated, domain.AuditTargetUser, u.ID, u.Email+" ("+string(u.Role)+")")
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Invite adds an admin without a usable password and emails them a
// single-use link (valid InviteTTL) to set one, in in.Locale.
func (s *AdminUsers) Invite(ctx context.Context, actor *domain.User, in AdminUserInput) (*domain.User, error) {
	v := &domain.ValidationError{}
	if err := s.check(ctx, &in, v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// No password hash: no password matches until the invitee sets one.
	u := &domain.User{Email: in.Email, Name: in.Name, Role: in.Role, Locale: normLang(in.Locale)}
	err := s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.create(ctx, u); err != nil {
			return err
		}
		if err := s.sendInvite(ctx, u); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditAdminInvited, domain.AuditTargetUser, u.ID, u.Email+" ("+string(u.Role)+")")
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// create inserts u; an email taken meanwhile is the email field's error.
func (s *AdminUsers) create(ctx context.Context, u *domain.User) error {
	err := s.users.Create(ctx, u)
	if errors.Is(err, domain.ErrConflict) {
		return domain.NewFieldError("email", "validation.admin_email_taken")
	}
	return err
}

// target loads the admin id inside the change's transaction, after the
// super admins were locked; an owner or an unknown id is domain.ErrNotFound.
func (s *AdminUsers) target(ctx context.Context, id int64) (*domain.User, int64, error) {
	supers, err := s.users.LockActiveSuperAdmins(ctx)
	if err != nil {
		return nil, 0, err
	}
	u, err := s.users.Get(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if !u.Role.IsAdmin() {
		return nil, 0, domain.ErrNotFound
	}
	return u, supers, nil
}

// lastSuperAdmin reports whether u is the only active super admin left.
func lastSuperAdmin(u *domain.User, supers int64) bool {
	return u.Role == domain.RoleSuperAdmin && u.Active() && supers <= 1
}

// SetRole gives admin id the role. Demoting the last active super admin
// (the actor included) is domain.ErrLastSuperAdmin and changes nothing.
func (s *AdminUsers) SetRole(ctx context.Context, actor *domain.User, id int64, role domain.Role) error {
	if role != domain.RoleSuperAdmin && role != domain.RoleAdminViewer {
		return domain.NewFieldError("role", "validation.admin_role")
	}
	return s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		u, supers, err := s.target(ctx, id)
		if err != nil || u.Role == role {
			return err
		}
		if role != domain.RoleSuperAdmin && lastSuperAdmin(u, supers) {
			return domain.ErrLastSuperAdmin
		}
		if err := s.users.SetRole(ctx, id, role); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditAdminRoleChange, domain.AuditTargetUser, id,
			u.Email+": "+string(u.Role)+" → "+string(role))
	})
}

// Deactivate stops admin id from logging in: it ends their sessions and
// voids a pending invitation. Deactivating the last active super admin is
// domain.ErrLastSuperAdmin and changes nothing.
func (s *AdminUsers) Deactivate(ctx context.Context, actor *domain.User, id int64) error {
	return s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		u, supers, err := s.target(ctx, id)
		if err != nil || !u.Active() {
			return err
		}
		if lastSuperAdmin(u, supers) {
			return domain.ErrLastSuperAdmin
		}
		now := s.accounts.clock()
		if err := s.users.SetDeactivated(ctx, id, &now); err != nil {
			return err
		}
		if err := s.accounts.sessions.DeleteForUser(ctx, id, 0); err != nil {
			return err
		}
		if err := s.accounts.tokens.InvalidateForUser(ctx, id, domain.TokenAdminInvite, now); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditAdminDeactivate, domain.AuditTargetUser, id, u.Email)
	})
}

// Reactivate lets a deactivated admin log in again (an invited one still
// needs their invitation re-sent, or a password reset, to set a password).
func (s *AdminUsers) Reactivate(ctx context.Context, actor *domain.User, id int64) error {
	return s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		u, _, err := s.target(ctx, id)
		if err != nil || u.Active() {
			return err
		}
		if err := s.users.SetDeactivated(ctx, id, nil); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditAdminReactivate, domain.AuditTargetUser, id, u.Email)
	})
}

// ChangePassword changes the actor's own password with the owners' rule
// (Accounts.ChangePassword: the current password, the new one's rules,
// the other sessions ended), the new one typed twice, audited.
func (s *AdminUsers) ChangePassword(ctx context.Context, actor *domain.User, sessionID int64, current, next, confirm string) error {
	v := &domain.ValidationError{}
	checkConfirm(v, next, confirm)
	hash, err := s.accounts.passwordChange(ctx, actor.ID, current, next, v)
	if err != nil {
		return err
	}
	return s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.accounts.applyPasswordChange(ctx, actor.ID, sessionID, hash); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditPasswordChanged, domain.AuditTargetUser, actor.ID, actor.Email)
	})
}
