package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// Account rules.
const (
	PasswordMinLen = 8
	// PasswordMaxLen is bcrypt's limit in bytes.
	PasswordMaxLen = 72

	SessionTTL      = 30 * 24 * time.Hour
	sessionTouchGap = time.Hour
	VerifyTTL       = 48 * time.Hour
	ResetTTL        = time.Hour

	// Login throttling: failed logins per account and per IP in the window.
	LoginWindow       = 15 * time.Minute
	LoginMaxPerAcct   = 5
	LoginMaxPerIP     = 20
	emailSendMaxPerHr = 3
)

// Throttle kinds stored in auth attempts.
const (
	attemptLoginAccount = "login_acct"
	attemptLoginIP      = "login_ip"
	attemptEmailSend    = "email_send"
)

// UserStore is what Accounts needs of the users repository.
type UserStore interface {
	Create(ctx context.Context, u *domain.User) error
	Get(ctx context.Context, id int64) (*domain.User, error)
	GetByEmail(ctx context.Context, email string) (*domain.User, error)
	EmailTaken(ctx context.Context, email string) (bool, error)
	MarkVerified(ctx context.Context, id int64, at time.Time) error
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	Count(ctx context.Context) (int64, error)
}

// BusinessStore is what Accounts needs of the businesses repository.
type BusinessStore interface {
	Create(ctx context.Context, b *domain.Business) error
	SlugTaken(ctx context.Context, slug string) (bool, error)
}

// SessionStore is what Accounts needs of the sessions repository.
type SessionStore interface {
	Create(ctx context.Context, s *domain.Session) error
	GetValid(ctx context.Context, tokenHash string, now time.Time) (*domain.Session, error)
	Touch(ctx context.Context, id int64, now, expires time.Time) error
	DeleteByHash(ctx context.Context, tokenHash string) error
	DeleteForUser(ctx context.Context, userID, keepID int64) error
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// TokenStore is what Accounts needs of the email tokens repository.
type TokenStore interface {
	Create(ctx context.Context, t *domain.EmailToken) error
	Get(ctx context.Context, hash string, purpose domain.TokenPurpose) (*domain.EmailToken, error)
	Consume(ctx context.Context, id int64, now time.Time) (bool, error)
	InvalidateForUser(ctx context.Context, userID int64, purpose domain.TokenPurpose, now time.Time) error
}

// AttemptStore is what Accounts needs of the auth attempts repository.
type AttemptStore interface {
	Record(ctx context.Context, kind, key string, at time.Time) error
	Count(ctx context.Context, kind, key string, since time.Time) (int64, error)
	Clear(ctx context.Context, kind, key string) error
	DeleteBefore(ctx context.Context, before time.Time) error
}

// EmailQueue renders and enqueues an email.
type EmailQueue interface {
	Enqueue(ctx context.Context, to, lang, name string, data map[string]any) error
}

// Accounts owns sign-up, email verification, login, sessions and passwords.
type Accounts struct {
	users      UserStore
	businesses BusinessStore
	sessions   SessionStore
	tokens     TokenStore
	attempts   AttemptStore
	emails     EmailQueue
	tx         Transactor
	signer     *Signer
	clock      Clock
	log        *slog.Logger
	baseURL    string
	// BcryptCost is the password hashing cost (tests lower it).
	BcryptCost int
	dummyHash  []byte
}

// AccountsDeps groups what NewAccounts needs.
type AccountsDeps struct {
	Users      UserStore
	Businesses BusinessStore
	Sessions   SessionStore
	Tokens     TokenStore
	Attempts   AttemptStore
	Emails     EmailQueue
	Tx         Transactor
	Signer     *Signer
	Clock      Clock
	Log        *slog.Logger
	BaseURL    string
	BcryptCost int
}

// NewAccounts returns the accounts service.
func NewAccounts(d AccountsDeps) *Accounts {
	cost := d.BcryptCost
	if cost == 0 {
		cost = 12
	}
	dummy, _ := bcrypt.GenerateFromPassword([]byte("qubly-dummy-password"), cost)
	return &Accounts{
		users: d.Users, businesses: d.Businesses, sessions: d.Sessions, tokens: d.Tokens,
		attempts: d.Attempts, emails: d.Emails, tx: d.Tx, signer: d.Signer, clock: d.Clock,
		log: d.Log, baseURL: d.BaseURL, BcryptCost: cost, dummyHash: dummy,
	}
}

// SignupInput is the sign-up form.
type SignupInput struct {
	OwnerName    string
	Email        string
	Password     string
	BusinessName string
	Slug         string
	WhatsApp     string
	ReferralCode string
	Lang         string
}

var referralPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// SignupResult tells the handler what happened without revealing to the
// visitor whether the email already had an account.
type SignupResult struct {
	// Created is false when the email already had an account; that owner
	// was sent a notice instead.
	Created bool
	User    *domain.User
}

// Signup validates the form, creates the owner and their business, and sends
// the verification email. An email that already has an account gets a
// notice by email and the visitor sees the same answer as a new sign-up, so
// sign-up never reveals who has an account.
func (s *Accounts) Signup(ctx context.Context, in SignupInput) (*SignupResult, error) {
	in.OwnerName = domain.CleanLine(in.OwnerName)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.BusinessName = domain.CleanLine(in.BusinessName)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	in.ReferralCode = strings.TrimSpace(in.ReferralCode)
	lang := normLang(in.Lang)

	v := &domain.ValidationError{}
	switch n := utf8.RuneCountInString(in.OwnerName); {
	case n == 0:
		v.Add("owner_name", "validation.required", nil)
	case n > 100:
		v.Add("owner_name", "validation.too_long", map[string]any{"Max": 100})
	}
	if key := validateEmail(in.Email); key != "" {
		v.Add("email", key, nil)
	}
	if key := validatePassword(in.Password, in.Email); key != "" {
		v.Add("password", key, map[string]any{"Min": PasswordMinLen, "Max": PasswordMaxLen})
	}
	switch n := utf8.RuneCountInString(in.BusinessName); {
	case n == 0:
		v.Add("business_name", "validation.required", nil)
	case n > 100:
		v.Add("business_name", "validation.too_long", map[string]any{"Max": 100})
	}
	if in.Slug == "" {
		in.Slug = domain.Slugify(in.BusinessName, domain.SlugMaxLen)
	}
	if key := domain.ValidateSlug(in.Slug); key != "" {
		v.Add("slug", key, map[string]any{"Min": domain.SlugMinLen, "Max": domain.SlugMaxLen})
	}
	phone, ok := NormalizePhone(in.WhatsApp)
	if !ok {
		v.Add("whatsapp", "validation.phone", nil)
	}
	if in.ReferralCode != "" && !referralPattern.MatchString(in.ReferralCode) {
		v.Add("referral_code", "validation.referral", nil)
	}
	if !v.Has("slug") {
		taken, err := s.businesses.SlugTaken(ctx, in.Slug)
		if err != nil {
			return nil, fmt.Errorf("check slug: %w", err)
		}
		if taken {
			v.Add("slug", "validation.slug_taken", nil)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}

	// Hash before knowing whether the email is taken so both paths cost the same.
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	taken, err := s.users.EmailTaken(ctx, in.Email)
	if err != nil {
		return nil, fmt.Errorf("check email: %w", err)
	}
	if taken {
		return &SignupResult{Created: false}, s.notifyExisting(ctx, in.Email, lang)
	}

	now := s.clock()
	user := &domain.User{
		Email: in.Email, Name: in.OwnerName, PasswordHash: string(hash),
		Role: domain.RoleOwner, Locale: lang,
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		biz := &domain.Business{
			Name: in.BusinessName, Slug: in.Slug, WhatsApp: phone, TimeZone: domain.DefaultTimeZone,
			Language: lang, ReferralCode: in.ReferralCode,
		}
		if err := s.businesses.Create(ctx, biz); err != nil {
			if errors.Is(err, domain.ErrConflict) {
				return domain.NewFieldError("slug", "validation.slug_taken")
			}
			return fmt.Errorf("create business: %w", err)
		}
		user.BusinessID = &biz.ID
		if err := s.users.Create(ctx, user); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		return s.sendLink(ctx, user, domain.TokenVerifyEmail, now)
	})
	if errors.Is(err, domain.ErrConflict) {
		// The email was registered by a concurrent request.
		return &SignupResult{Created: false}, s.notifyExisting(ctx, in.Email, lang)
	}
	if err != nil {
		return nil, err
	}
	return &SignupResult{Created: true, User: user}, nil
}

func (s *Accounts) notifyExisting(ctx context.Context, email, lang string) error {
	u, err := s.users.GetByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("load existing account: %w", err)
	}
	if !s.allowEmail(ctx, u.Email) {
		return nil
	}
	return s.emails.Enqueue(ctx, u.Email, lang, "account_exists", map[string]any{
		"Name": u.Name, "LoginURL": s.baseURL + "/login", "ResetURL": s.baseURL + "/password/forgot",
	})
}

// sendLink creates a single-use link of purpose for u and enqueues its email.
func (s *Accounts) sendLink(ctx context.Context, u *domain.User, purpose domain.TokenPurpose, now time.Time) error {
	if err := s.tokens.InvalidateForUser(ctx, u.ID, purpose, now); err != nil {
		return fmt.Errorf("invalidate old links: %w", err)
	}
	raw, hash := newToken()
	ttl, path, tmpl := VerifyTTL, "/verify?token=", "verify_email"
	if purpose == domain.TokenResetPassword {
		ttl, path, tmpl = ResetTTL, "/password/reset?token=", "reset_password"
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

// consumeLink checks a signed link and marks it used. Errors are AuthErrors
// with keys link.invalid, link.used or link.expired.
func (s *Accounts) consumeLink(ctx context.Context, signed string, purpose domain.TokenPurpose) (*domain.EmailToken, error) {
	raw, ok := s.signer.Verify(string(purpose), signed)
	if !ok {
		return nil, &domain.AuthError{Key: "link.invalid"}
	}
	t, err := s.tokens.Get(ctx, HashToken(raw), purpose)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, &domain.AuthError{Key: "link.invalid"}
	}
	if err != nil {
		return nil, err
	}
	now := s.clock()
	if t.UsedAt != nil {
		return nil, &domain.AuthError{Key: "link.used"}
	}
	if !now.Before(t.ExpiresAt) {
		return nil, &domain.AuthError{Key: "link.expired"}
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
// domain.ErrNotFound.
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

// RequestPasswordReset emails a reset link if email has an account. It
// answers the same either way.
func (s *Accounts) RequestPasswordReset(ctx context.Context, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if key := validateEmail(email); key != "" {
		return domain.NewFieldError("email", key)
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
	if key := validatePassword(password, ""); key != "" {
		return passwordError("password", key)
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
	if key := validatePassword(next, u.Email); key != "" {
		v.Add("new_password", key, map[string]any{"Min": PasswordMinLen, "Max": PasswordMaxLen})
	}
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

// EnsureAdmin creates or promotes a verified super_admin with email and password.
func (s *Accounts) EnsureAdmin(ctx context.Context, email, password string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if key := validateEmail(email); key != "" {
		return fmt.Errorf("ADMIN_EMAIL: %s", key)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		return err
	}
	now := s.clock()
	u, err := s.users.GetByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		return s.users.Create(ctx, &domain.User{
			Email: email, Name: "Admin", PasswordHash: string(hash), Role: domain.RoleSuperAdmin,
			Locale: "es", EmailVerifiedAt: &now,
		})
	}
	if err != nil {
		return err
	}
	if u.Role != domain.RoleSuperAdmin {
		return fmt.Errorf("ADMIN_EMAIL %s belongs to a %s account; use another address", email, u.Role)
	}
	if err := s.users.MarkVerified(ctx, u.ID, now); err != nil {
		return err
	}
	return s.users.SetPasswordHash(ctx, u.ID, string(hash))
}

func passwordError(field, key string) error {
	v := &domain.ValidationError{}
	v.Add(field, key, map[string]any{"Min": PasswordMinLen, "Max": PasswordMaxLen})
	return v
}

func validateEmail(email string) string {
	if email == "" {
		return "validation.required"
	}
	if len(email) > 254 {
		return "validation.email"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "validation.email"
	}
	return ""
}

func validatePassword(pw, email string) string {
	switch {
	case pw == "":
		return "validation.required"
	case utf8.RuneCountInString(pw) < PasswordMinLen:
		return "validation.password_short"
	case len(pw) > PasswordMaxLen:
		return "validation.password_long"
	case email != "" && strings.EqualFold(pw, email):
		return "validation.password_is_email"
	}
	return ""
}

func normLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "es"
}

// UserCount is how many users the platform has (admins included).
func (s *Accounts) UserCount(ctx context.Context) (int64, error) {
	return s.users.Count(ctx)
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
