package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// sendLink creates a single-use link of purpose for u and enqueues its email.
func (s *Accounts) sendLink(ctx context.Context, u *domain.User, purpose domain.TokenPurpose, now time.Time) error {
	if err := s.tokens.ReplaceForUser(ctx, u.ID, purpose, now); err != nil {
		return fmt.Errorf("replace old links: %w", err)
	}
	raw, hash := newToken()
	ttl, path, tmpl := VerifyTTL, "/verify?token=", "verify_email"
	switch purpose {
	case domain.TokenResetPassword:
		ttl, path, tmpl = ResetTTL, "/password/reset?token=", "reset_password"
	case domain.TokenAdminInvite:
		ttl, path, tmpl = InviteTTL, "/invite?token=", "admin_invite"
	}
	if err := s.tokens.Create(ctx, &domain.EmailToken{
		TokenHash: hash, UserID: u.ID, Purpose: purpose, ExpiresAt: now.Add(ttl), CreatedAt: now,
	}); err != nil {
		return fmt.Errorf("store link: %w", err)
	}
	link := s.baseURL + path + s.signer.Sign(string(purpose), raw)
	return s.emails.Enqueue(ctx, u.Email, u.Locale, tmpl, map[string]any{
		"Name": u.Name, "Link": link, "Hours": int(ttl.Hours()),
	})
}

// liveLink returns the token behind a signed link of purpose while it can
// still be used. Otherwise the error is an AuthError: link.invalid,
// link.used, link.replaced (a newer link was sent) or link.expired.
func (s *Accounts) liveLink(ctx context.Context, signed string, purpose domain.TokenPurpose, now time.Time) (*domain.EmailToken, error) {
	raw, ok := s.signer.Verify(string(purpose), signed)
	if !ok {
		return nil, &domain.AuthError{Key: "link.invalid"}
	}
	t, err := s.tokens.Get(ctx, HashToken(raw), purpose)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return nil, &domain.AuthError{Key: "link.invalid"}
	case err != nil:
		return nil, err
	case t.UsedAt != nil:
		return nil, &domain.AuthError{Key: "link.used"}
	case t.ReplacedAt != nil:
		return nil, &domain.AuthError{Key: "link.replaced"}
	case !now.Before(t.ExpiresAt):
		return nil, &domain.AuthError{Key: "link.expired"}
	}
	return t, nil
}

// consumeLink checks a signed link and marks it used. Errors are
// liveLink's.
func (s *Accounts) consumeLink(ctx context.Context, signed string, purpose domain.TokenPurpose) (*domain.EmailToken, error) {
	now := s.clock()
	t, err := s.liveLink(ctx, signed, purpose, now)
	if err != nil {
		return nil, err
	}
	won, err := s.tokens.Consume(ctx, t.ID, now)
	if err != nil {
		return nil, err
	}
	if !won {
		return nil, &domain.AuthError{Key: "link.used"}
	}
	return t, nil
}

// VerifyEmail confirms the address behind a signed verification link and
// logs its owner in: it opens a fresh session (ip and userAgent describe the
// browser) and returns its raw token. The link stays single-use and expires
// as before; a link that fails opens no session.
func (s *Accounts) VerifyEmail(ctx context.Context, signed, ip, userAgent string) (token string, user *domain.User, err error) {
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.consumeLink(ctx, signed, domain.TokenVerifyEmail)
		if err != nil {
			return err
		}
		if err := s.users.MarkVerified(ctx, t.UserID, s.clock()); err != nil {
			return err
		}
		if user, err = s.users.Get(ctx, t.UserID); err != nil {
			return err
		}
		token, err = s.openSession(ctx, user.ID, ip, userAgent)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, user, nil
}

// ResendVerification sends a new verification link if email belongs to an
// unverified account. It answers the same either way.
func (s *Accounts) ResendVerification(ctx context.Context, email string) error {
	u, err := s.users.GetByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Verified() || !s.allowEmail(ctx, u.Email) {
		return nil
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		return s.sendLink(ctx, u, domain.TokenVerifyEmail, s.clock())
	})
}

// allowEmail limits how many account emails one address gets per hour.
func (s *Accounts) allowEmail(ctx context.Context, email string) bool {
	now := s.clock()
	key := HashToken(strings.ToLower(email))
	n, err := s.attempts.Count(ctx, attemptEmailSend, key, now.Add(-time.Hour))
	if err != nil || n >= emailSendMaxPerHr {
		return false
	}
	if err := s.attempts.Record(ctx, attemptEmailSend, key, now); err != nil {
		s.log.Log(ctx, errLevel(err), "record email send", "err", err)
	}
	return true
}
