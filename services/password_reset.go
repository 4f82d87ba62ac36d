package services

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// RequestPasswordReset emails a reset link if email has an account. It
// answers the same either way.
func (s *Accounts) RequestPasswordReset(ctx context.Context, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if v := (&domain.ValidationError{}); !checkEmail(v, "email", email) {
		return v
	}
	u, err := s.users.GetByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !s.allowEmail(ctx, u.Email) {
		return nil
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		return s.sendLink(ctx, u, domain.TokenResetPassword, s.clock())
	})
}

// CheckResetLink reports whether a reset link can still be used, without using it.
func (s *Accounts) CheckResetLink(ctx context.Context, signed string) error {
	return s.checkLink(ctx, signed, domain.TokenResetPassword)
}

// checkLink reports whether a signed link of purpose can still be used,
// without using it. Errors are liveLink's.
func (s *Accounts) checkLink(ctx context.Context, signed string, purpose domain.TokenPurpose) error {
	_, err := s.liveLink(ctx, signed, purpose, s.clock())
	return err
}

// ResetPassword sets a new password through a reset link and ends every
// session of the account.
func (s *Accounts) ResetPassword(ctx context.Context, signed, password string) error {
	if v := (&domain.ValidationError{}); !checkPassword(v, "password", password, "") {
		return v
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.consumeLink(ctx, signed, domain.TokenResetPassword)
		if err != nil {
			return err
		}
		if err := s.users.SetPasswordHash(ctx, t.UserID, string(hash)); err != nil {
			return err
		}
		// The link proved the owner reads this inbox.
		if err := s.users.MarkVerified(ctx, t.UserID, s.clock()); err != nil {
			return err
		}
		return s.sessions.DeleteForUser(ctx, t.UserID, 0)
	})
}

// ChangePassword replaces the password of a logged-in user and ends every
// other session of theirs.
func (s *Accounts) ChangePassword(ctx context.Context, userID, currentSessionID int64, current, next string) error {
	hash, err := s.passwordChange(ctx, userID, current, next, &domain.ValidationError{})
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		return s.applyPasswordChange(ctx, userID, currentSessionID, hash)
	})
}

// passwordChange checks a logged-in user's password change (the current
// password, the new one's rules) into v, which may already hold the
// caller's own errors, and returns the new password's hash. It is the one
// rule of owners' and admins' password changes.
func (s *Accounts) passwordChange(ctx context.Context, userID int64, current, next string, v *domain.ValidationError) (string, error) {
	u, err := s.users.Get(ctx, userID)
	if err != nil {
		return "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		v.Add("current_password", "validation.current_password", nil)
	}
	checkPassword(v, "new_password", next, u.Email)
	if err := v.Err(); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.BcryptCost)
	return string(hash), err
}

// applyPasswordChange stores hash as userID's password and ends their
// other sessions (all but keepSessionID); call it inside a transaction.
func (s *Accounts) applyPasswordChange(ctx context.Context, userID, keepSessionID int64, hash string) error {
	if err := s.users.SetPasswordHash(ctx, userID, hash); err != nil {
		return err
	}
	return s.sessions.DeleteForUser(ctx, userID, keepSessionID)
}
