package services

import (
	"context"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// InviteTTL is how long an admin invitation link works.
const InviteTTL = 72 * time.Hour

// checkConfirm records on field "confirm_password" that the password typed
// twice differs.
func checkConfirm(v *domain.ValidationError, password, confirm string) {
	if password != "" && password != confirm {
		v.Add("confirm_password", "validation.password_mismatch", nil)
	}
}

// sendInvite emails u a new invitation link (valid InviteTTL) in u's
// language; their earlier unused invitation links stop working. It runs
// inside the caller's transaction.
func (s *AdminUsers) sendInvite(ctx context.Context, u *domain.User) error {
	return s.accounts.sendLink(ctx, u, domain.TokenAdminInvite, s.accounts.clock())
}

// ResendInvite emails admin id a new invitation link, valid InviteTTL
// again, and voids their earlier ones, audited. Only an active admin who
// has not accepted yet (no password set: not verified) has an invitation
// pending; anyone else is domain.ErrNoPendingInvite and nothing changes.
func (s *AdminUsers) ResendInvite(ctx context.Context, actor *domain.User, id int64) error {
	return s.accounts.tx.InTx(ctx, func(ctx context.Context) error {
		u, _, err := s.target(ctx, id)
		if err != nil {
			return err
		}
		if u.AdminState() != domain.AdminInvited {
			return domain.ErrNoPendingInvite
		}
		if err := s.sendInvite(ctx, u); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, domain.AuditInviteResent, domain.AuditTargetUser, id, u.Email)
	})
}

// CheckInviteLink reports whether an admin invitation link can still be
// used, without using it.
func (s *Accounts) CheckInviteLink(ctx context.Context, signed string) error {
	return s.checkLink(ctx, signed, domain.TokenAdminInvite)
}

// AcceptInvite sets the invited admin's password (typed twice) through
// their invitation link, marks them verified and logs them in: it opens a
// session for the browser (ip, userAgent) and returns its raw token. The
// link is single-use; a deactivated admin's link, or one reaching an admin
// who has set a password already, no longer works.
func (s *Accounts) AcceptInvite(ctx context.Context, signed, password, confirm, ip, userAgent string) (token string, user *domain.User, err error) {
	v := &domain.ValidationError{}
	checkPassword(v, "password", password, "")
	checkConfirm(v, password, confirm)
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		return "", nil, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.consumeLink(ctx, signed, domain.TokenAdminInvite)
		if err != nil {
			return err
		}
		if user, err = s.users.Get(ctx, t.UserID); err != nil {
			return err
		}
		// Only a pending invitation: an admin who has a password already
		// (accepted, or reset it) is not reset by a link left over from a
		// resend that crossed their acceptance.
		if !user.Role.IsAdmin() || user.AdminState() != domain.AdminInvited {
			return &domain.AuthError{Key: "link.invalid"}
		}
		if err := s.users.SetPasswordHash(ctx, user.ID, string(hash)); err != nil {
			return err
		}
		now := s.clock()
		if err := s.users.MarkVerified(ctx, user.ID, now); err != nil {
			return err
		}
		user.EmailVerifiedAt = &now
		token, err = s.openSession(ctx, user.ID, ip, userAgent)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, user, nil
}
