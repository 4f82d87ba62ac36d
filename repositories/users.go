package repositories

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Users stores accounts. Users are platform-level rows (not tenant data).
type Users struct{ db *gorm.DB }

// NewUsers returns the users repository.
func NewUsers(db *gorm.DB) *Users { return &Users{db: db} }

// Create inserts u; a taken email is domain.ErrConflict.
func (r *Users) Create(ctx context.Context, u *domain.User) error {
	u.Email = strings.ToLower(u.Email)
	return mapErr(conn(ctx, r.db).Create(u).Error)
}

// Get loads a user by ID.
func (r *Users) Get(ctx context.Context, id int64) (*domain.User, error) {
	var u domain.User
	if err := conn(ctx, r.db).First(&u, id).Error; err != nil {
		return nil, mapErr(err)
	}
	return &u, nil
}

// GetByEmail loads a user by email, case-insensitively.
func (r *Users) GetByEmail(ctx context.Context, email string) (*domain.User, error) {
	var u domain.User
	if err := conn(ctx, r.db).Where("email = ?", strings.ToLower(email)).First(&u).Error; err != nil {
		return nil, mapErr(err)
	}
	return &u, nil
}

// EmailTaken reports whether an account uses email.
func (r *Users) EmailTaken(ctx context.Context, email string) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.User{}).Where("email = ?", strings.ToLower(email)).Count(&n).Error
	return n > 0, err
}

// MarkVerified records that the user confirmed their email.
func (r *Users) MarkVerified(ctx context.Context, id int64, at time.Time) error {
	return mapErr(conn(ctx, r.db).Model(&domain.User{}).Where("id = ? AND email_verified_at IS NULL", id).
		Update("email_verified_at", at).Error)
}

// SetPasswordHash replaces the user's password hash.
func (r *Users) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	res := conn(ctx, r.db).Model(&domain.User{}).Where("id = ?", id).Update("password_hash", hash)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// SetRole changes the user's role.
func (r *Users) SetRole(ctx context.Context, id int64, role domain.Role) error {
	return conn(ctx, r.db).Model(&domain.User{}).Where("id = ?", id).Update("role", role).Error
}

// Count returns how many accounts exist.
func (r *Users) Count(ctx context.Context) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.User{}).Count(&n).Error
	return n, err
}

// Owner returns the store owner of businessID (the first, should there be
// several).
func (r *Users) Owner(ctx context.Context, businessID int64) (*domain.User, error) {
	var u domain.User
	err := conn(ctx, r.db).Where("business_id = ? AND role = ?", businessID, domain.RoleOwner).Order("id").First(&u).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return &u, nil
}
