package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// LoginInput is the login form plus where it came from.
type LoginInput struct {
	Email, Password, IP, UserAgent string
}

// Login checks credentials and opens a session, returning its raw token.
// Failures are throttled per account and per IP; an unknown email and a wrong
// password give the same error after the same work.
func (s *Accounts) Login(ctx context.Context, in LoginInput) (token string, user *domain.User, err error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	acctKey := HashToken(email)
	now := s.clock()
	since := now.Add(-LoginWindow)
	if n, err := s.attempts.Count(ctx, attemptLoginAccount, acctKey, since); err != nil {
		return "", nil, err
	} else if n >= LoginMaxPerAcct {
		return "", nil, domain.ErrRateLimited
	}
	if n, err := s.attempts.Count(ctx, attemptLoginIP, in.IP, since); err != nil {
		return "", nil, err
	} else if n >= LoginMaxPerIP {
		return "", nil, domain.ErrRateLimited
	}

	u, err := s.users.GetByEmail(ctx, email)
	hash := s.dummyHash
	if err == nil {
		hash = []byte(u.PasswordHash)
	} else if !errors.Is(err, domain.ErrNotFound) {
		return "", nil, err
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(in.Password)) == nil
	if u == nil || !match {
		s.recordFailure(ctx, acctKey, in.IP, now)
		return "", nil, &domain.AuthError{Key: "login.invalid"}
	}
	// The password was right: saying the account is deactivated leaks
	// nothing to someone who does not know it.
	if !u.Active() {
		return "", nil, &domain.AuthError{Key: "login.deactivated"}
	}
	if !u.Verified() {
		return "", nil, &domain.AuthError{Key: "login.unverified"}
	}
	if err := s.attempts.Clear(ctx, attemptLoginAccount, acctKey); err != nil {
		s.log.Log(ctx, errLevel(err), "clear login attempts", "err", err)
	}
	token, err = s.openSession(ctx, u.ID, in.IP, in.UserAgent)
	return token, u, err
}

func (s *Accounts) recordFailure(ctx context.Context, acctKey, ip string, now time.Time) {
	if err := s.attempts.Record(ctx, attemptLoginAccount, acctKey, now); err != nil {
		s.log.Log(ctx, errLevel(err), "record login attempt", "err", err)
	}
	if err := s.attempts.Record(ctx, attemptLoginIP, ip, now); err != nil {
		s.log.Log(ctx, errLevel(err), "record login attempt", "err", err)
	}
}

func (s *Accounts) openSession(ctx context.Context, userID int64, ip, ua string) (string, error) {
	raw, hash := newToken()
	now := s.clock()
	if len(ua) > 255 {
		ua = ua[:255]
	}
	err := s.sessions.Create(ctx, &domain.Session{
		TokenHash: hash, UserID: userID, IP: ip, UserAgent: ua,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionTTL),
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return raw, nil
}

// Authenticate returns the user and session behind a session token, sliding
// the session's expiry at most once an hour. Unknown or expired tokens are
// domain.ErrNotFound, and so is the session of a deactivated user.
func (s *Accounts) Authenticate(ctx context.Context, token string) (*domain.User, *domain.Session, error) {
	if token == "" {
		return nil, nil, domain.ErrNotFound
	}
	now := s.clock()
	sess, err := s.sessions.GetValid(ctx, HashToken(token), now)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.users.Get(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	// Deactivating deletes the user's sessions; one that slipped through
	// (made meanwhile) still opens nothing.
	if !u.Active() {
		return nil, nil, domain.ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchGap {
		if err := s.sessions.Touch(ctx, sess.ID, now, now.Add(SessionTTL)); err != nil {
			s.log.Log(ctx, errLevel(err), "touch session", "err", err)
		}
	}
	return u, sess, nil
}

// Logout ends the session behind token.
func (s *Accounts) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.sessions.DeleteByHash(ctx, HashToken(token))
}

// DeleteExpired removes expired sessions and login/email throttling
// records older than a day (the hourly auth-cleanup job).
func (s *Accounts) DeleteExpired(ctx context.Context) error {
	now := s.clock()
	if _, err := s.sessions.DeleteExpired(ctx, now); err != nil {
		return err
	}
	return s.attempts.DeleteBefore(ctx, now.Add(-24*time.Hour))
}
