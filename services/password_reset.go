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
	raw, ok := s.signer.Verify(string(domain.TokenResetPassword), signed)
	if !ok {
		return &domain.AuthError{Key: "link.invalid"}
	}
	t, err := s.tokens.Get(ctx, HashToken(raw), domain.TokenResetPassword)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return &domain.AuthError{Key: "link.invalid"}
	case err != nil:
		return err
	case t.UsedAt != nil:
		return &domain.AuthError{Key: "link.used"}
	case !s.clock().Before(t.ExpiresAt):
		return &domain.AuthError{Key: "link.expired"}
	}
	return nil
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
	u, err := s.users.Get(ctx, userID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		v.Add("current_password", "validation.current_password", nil)
	}
	checkPassword(v, "new_password", next, u.Email)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.BcryptCost)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.SetPasswordHash(ctx, userID, string(hash)); err != nil {
			return err
		}
		return s.sessions.DeleteForUser(ctx, userID, currentSessionID)
	})
}
