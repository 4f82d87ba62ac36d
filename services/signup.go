package services

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

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
	in = in.normalized()
	lang := normLang(in.Lang)
	phone, referrer, err := s.validateSignup(ctx, in)
	if err != nil {
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
	user, err := s.createOwner(ctx, in, newOwner{phone: phone, lang: lang, hash: string(hash), referrer: referrer})
	if errors.Is(err, domain.ErrConflict) {
		// The email was registered by a concurrent request.
		return &SignupResult{Created: false}, s.notifyExisting(ctx, in.Email, lang)
	}
	if err != nil {
		return nil, err
	}
	return &SignupResult{Created: true, User: user}, nil
}

// normalized trims the form, folds the email and slug to lower case, and
// derives the slug from the business name when it was left empty.
func (in SignupInput) normalized() SignupInput {
	in.OwnerName = domain.CleanLine(in.OwnerName)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.BusinessName = domain.CleanLine(in.BusinessName)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if code, ok := domain.NormalizeReferralCode(in.ReferralCode); ok {
		in.ReferralCode = code
	} else {
		in.ReferralCode = strings.TrimSpace(in.ReferralCode)
	}
	if in.Slug == "" {
		in.Slug = domain.Slugify(in.BusinessName, domain.SlugMaxLen)
	}
	return in
}

// checkSignup checks the normalized form's fields (all but the slug being
// free) and returns the WhatsApp number in E.164.
func checkSignup(in SignupInput) (phone string, v *domain.ValidationError) {
	v = &domain.ValidationError{}
	_ = v.Required("owner_name", in.OwnerName) && v.MaxLen("owner_name", in.OwnerName, domain.UserNameMax)
	checkEmail(v, "email", in.Email)
	checkPassword(v, "password", in.Password, in.Email)
	_ = v.Required("business_name", in.BusinessName) && v.MaxLen("business_name", in.BusinessName, domain.BusinessNameMax)
	v.StoreSlug("slug", in.Slug)
	phone, ok := NormalizePhone(in.WhatsApp)
	v.Check("whatsapp", ok, "validation.phone", nil)
	if _, ok := domain.NormalizeReferralCode(in.ReferralCode); in.ReferralCode != "" && !ok {
		v.Add("referral_code", "validation.referral", nil)
	}
	return phone, v
}

// validateSignup checks the normalized form, that its slug is free and that
// its referral code (if any) is a business's, and returns the WhatsApp
// number in E.164 and the referrer (nil without a code).
func (s *Accounts) validateSignup(ctx context.Context, in SignupInput) (phone string, referrer *domain.Business, err error) {
	phone, v := checkSignup(in)
	if !v.Has("slug") {
		taken, err := s.businesses.SlugTaken(ctx, in.Slug)
		if err != nil {
			return "", nil, fmt.Errorf("check slug: %w", err)
		}
		if taken {
			v.Add("slug", "validation.slug_taken", nil)
		}
	}
	if in.ReferralCode != "" && !v.Has("referral_code") {
		referrer, err = s.referrals.Referrer(ctx, "referral_code", in.ReferralCode)
		var fe *domain.ValidationError
		if errors.As(err, &fe) {
			v.Fields = append(v.Fields, fe.Fields...)
		} else if err != nil {
			return "", nil, fmt.Errorf("check referral code: %w", err)
		}
	}
	return phone, referrer, v.Err()
}

// newOwner is what sign-up checked and derived for createOwner.
type newOwner struct {
	phone, lang, hash string
	referrer          *domain.Business
}

// createOwnerTries bounds the retries of createOwner when the referral code
// it picked was taken by a concurrent sign-up between check and insert.
const createOwnerTries = 3

// createOwner creates the business (in trial, with a referral code of its
// own and, with a code typed, a pending referral) and its owner, and
// enqueues the verification email, in one transaction: the email goes out
// (through the outbox) only if every row was committed. An email taken
// meanwhile is domain.ErrConflict; a slug taken meanwhile is a field error.
func (s *Accounts) createOwner(ctx context.Context, in SignupInput, o newOwner) (*domain.User, error) {
	for try := 1; ; try++ {
		user, err := s.createOwnerOnce(ctx, in, o)
		if errors.Is(err, domain.ErrReferralCodeTaken) && try < createOwnerTries {
			continue
		}
		return user, err
	}
}

func (s *Accounts) createOwnerOnce(ctx context.Context, in SignupInput, o newOwner) (*domain.User, error) {
	now := s.clock()
	user := &domain.User{
		Email: in.Email, Name: in.OwnerName, PasswordHash: o.hash,
		Role: domain.RoleOwner, Locale: o.lang,
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		code, err := s.referrals.NewCode(ctx)
		if err != nil {
			return err
		}
		biz := &domain.Business{
			Name: in.BusinessName, Slug: in.Slug, WhatsApp: o.phone, TimeZone: domain.DefaultTimeZone,
			Language: o.lang, ReferralCode: code, ReferredByCode: in.ReferralCode,
		}
		s.subscriptions.StartTrial(biz, now)
		if err := s.businesses.Create(ctx, biz); err != nil {
			if errors.Is(err, domain.ErrConflict) {
				return domain.NewFieldError("slug", "validation.slug_taken")
			}
			return fmt.Errorf("create business: %w", err)
		}
		if err := s.subscriptions.RecordStart(ctx, biz.ID, now); err != nil {
			return fmt.Errorf("record trial: %w", err)
		}
		if o.referrer != nil {
			if err := s.referrals.Refer(ctx, o.referrer.ID, biz.ID); err != nil {
				return fmt.Errorf("record referral: %w", err)
			}
		}
		user.BusinessID = &biz.ID
		if err := s.users.Create(ctx, user); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		return s.sendLink(ctx, user, domain.TokenVerifyEmail, now)
	})
	if err != nil {
		return nil, err
	}
	return user, nil
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
