package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// Account rules.
const (
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

// UserRepo is what Accounts needs of the users repository.
type UserRepo interface {
	Create(ctx context.Context, u *domain.User) error
	Get(ctx context.Context, id int64) (*domain.User, error)
	GetByEmail(ctx context.Context, email string) (*domain.User, error)
	EmailTaken(ctx context.Context, email string) (bool, error)
	MarkVerified(ctx context.Context, id int64, at time.Time) error
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	Count(ctx context.Context) (int64, error)
}

// BusinessRepo is what Accounts needs of the businesses repository.
type BusinessRepo interface {
	Create(ctx context.Context, b *domain.Business) error
	SlugTaken(ctx context.Context, slug string) (bool, error)
}

// SessionRepo is what Accounts needs of the sessions repository.
type SessionRepo interface {
	Create(ctx context.Context, s *domain.Session) error
	GetValid(ctx context.Context, tokenHash string, now time.Time) (*domain.Session, error)
	Touch(ctx context.Context, id int64, now, expires time.Time) error
	DeleteByHash(ctx context.Context, tokenHash string) error
	DeleteForUser(ctx context.Context, userID, keepID int64) error
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// TokenRepo is what Accounts needs of the email tokens repository.
type TokenRepo interface {
	Create(ctx context.Context, t *domain.EmailToken) error
	Get(ctx context.Context, hash string, purpose domain.TokenPurpose) (*domain.EmailToken, error)
	Consume(ctx context.Context, id int64, now time.Time) (bool, error)
	InvalidateForUser(ctx context.Context, userID int64, purpose domain.TokenPurpose, now time.Time) error
	ReplaceForUser(ctx context.Context, userID int64, purpose domain.TokenPurpose, now time.Time) error
}

// AttemptRepo is what Accounts needs of the auth attempts repository.
type AttemptRepo interface {
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
	users      UserRepo
	businesses BusinessRepo
	sessions   SessionRepo
	tokens     TokenRepo
	attempts   AttemptRepo
	emails     EmailQueue
	tx         Transactor
	signer     *Signer
	// referrals and subscriptions give a new business its code, its
	// referral and its trial.
	referrals     *Referrals
	subscriptions *Subscriptions
	clock         Clock
	log           *slog.Logger
	baseURL       string
	// BcryptCost is the password hashing cost (tests lower it).
	BcryptCost int
	dummyHash  []byte
}

// AccountsDeps groups what NewAccounts needs.
type AccountsDeps struct {
	Users         UserRepo
	Businesses    BusinessRepo
	Sessions      SessionRepo
	Tokens        TokenRepo
	Attempts      AttemptRepo
	Emails        EmailQueue
	Tx            Transactor
	Signer        *Signer
	Referrals     *Referrals
	Subscriptions *Subscriptions
	Clock         Clock
	Log           *slog.Logger
	BaseURL       string
	BcryptCost    int
}

// defaultBcryptCost hashes passwords when no cost is given.
const defaultBcryptCost = 12

// bcryptCostOrDefault is cost, or defaultBcryptCost when cost is 0.
func bcryptCostOrDefault(cost int) int {
	if cost == 0 {
		return defaultBcryptCost
	}
	return cost
}

// defaultDummyHash is dummyPassword hashed at defaultBcryptCost, so that
// building the service (every start, every seed-demo) does not pay for it.
const (
	dummyPassword    = "qubly-dummy-password"
	defaultDummyHash = "$2a$12$BJZTQGOJJGqM3agZBFnjp.aPyLKTxIDXKl.GdFmgcqaTyq2iHu5mS"
)

// NewAccounts returns the accounts service.
func NewAccounts(d AccountsDeps) *Accounts {
	cost := bcryptCostOrDefault(d.BcryptCost)
	dummy := []byte(defaultDummyHash)
	if cost != defaultBcryptCost {
		dummy, _ = bcrypt.GenerateFromPassword([]byte(dummyPassword), cost)
	}
	return &Accounts{
		users: d.Users, businesses: d.Businesses, sessions: d.Sessions, tokens: d.Tokens,
		attempts: d.Attempts, emails: d.Emails, tx: d.Tx, signer: d.Signer, clock: d.Clock,
		referrals: d.Referrals, subscriptions: d.Subscriptions,
		log: d.Log, baseURL: d.BaseURL, BcryptCost: cost, dummyHash: dummy,
	}
}

// EnsureAdmin creates a verified super_admin with email and password when
// no user has that email (the first start). An existing admin is left as
// it is: its own password, and its role and state as super admins set them.
// An owner's email is refused.
func (s *Accounts) EnsureAdmin(ctx context.Context, email, password string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if v := (&domain.ValidationError{}); !checkEmail(v, "email", email) {
		return fmt.Errorf("ADMIN_EMAIL: %s", v.Fields[0].Key)
	}
	u, err := s.users.GetByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
		if err != nil {
			return err
		}
		now := s.clock()
		return s.users.Create(ctx, &domain.User{
			Email: email, Name: "Admin", PasswordHash: string(hash), Role: domain.RoleSuperAdmin,
			Locale: "es", EmailVerifiedAt: &now,
		})
	}
	if err != nil {
		return err
	}
	if !u.Role.IsAdmin() {
		return fmt.Errorf("ADMIN_EMAIL %s belongs to a %s account; use another address", email, u.Role)
	}
	// The account exists: what the admins did to it since stays. Its
	// password is the one its admin set at /admin/password (or by the
	// emailed reset), and a super admin may have demoted or deactivated it
	// on /admin/users; a restart undoes neither.
	if u.Role != domain.RoleSuperAdmin || !u.Active() {
		s.log.WarnContext(ctx, "ADMIN_EMAIL is no longer an active super admin; left as the admins set it",
			"email", email, "role", u.Role, "active", u.Active())
	}
	return nil
}

// checkEmail records on field what is wrong with email (already trimmed
// and lower case): missing, longer than domain.EmailMax bytes, or not one
// plain address with a dot in its domain.
func checkEmail(v *domain.ValidationError, field, email string) bool {
	return v.Required(field, email) &&
		v.Check(field, len(email) <= domain.EmailMax && plainEmail(email), "validation.email", nil)
}

func plainEmail(email string) bool {
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && strings.Contains(email[strings.LastIndex(email, "@"):], ".")
}

// checkPassword records on field what is wrong with a new password: missing,
// shorter than domain.PasswordMinLen characters, longer than bcrypt's
// domain.PasswordMaxLen bytes, or the account's email.
func checkPassword(v *domain.ValidationError, field, pw, email string) bool {
	args := map[string]any{"Min": domain.PasswordMinLen, "Max": domain.PasswordMaxLen}
	return v.Check(field, pw != "", domain.KeyRequired, args) &&
		v.Check(field, utf8.RuneCountInString(pw) >= domain.PasswordMinLen, "validation.password_short", args) &&
		v.Check(field, len(pw) <= domain.PasswordMaxLen, "validation.password_long", args) &&
		v.Check(field, email == "" || !strings.EqualFold(pw, email), "validation.password_is_email", args)
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
