package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// EmailTokens stores single-use email links by hash.
type EmailTokens struct{ db *gorm.DB }

// NewEmailTokens returns the email tokens repository.
func NewEmailTokens(db *gorm.DB) *EmailTokens { return &EmailTokens{db: db} }

// Create inserts t.
func (r *EmailTokens) Create(ctx context.Context, t *domain.EmailToken) error {
	return mapErr(conn(ctx, r.db).Create(t).Error)
}

// Get loads a token by hash and purpose, used or not.
func (r *EmailTokens) Get(ctx context.Context, hash string, purpose domain.TokenPurpose) (*domain.EmailToken, error) {
	var t domain.EmailToken
	err := conn(ctx, r.db).Where("token_hash = ? AND purpose = ?", hash, purpose).First(&t).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return &t, nil
}

// Consume marks an unused token used. It reports false when another request
// used it (or a newer link replaced it) first, which makes each link
// single-use even under races.
func (r *EmailTokens) Consume(ctx context.Context, id int64, now time.Time) (bool, error) {
	res := conn(ctx, r.db).Model(&domain.EmailToken{}).
		Where("id = ? AND used_at IS NULL AND replaced_at IS NULL", id).Update("used_at", now)
	return res.RowsAffected == 1, res.Error
}

// InvalidateForUser marks every unused token of a purpose used: none of the
// user's links of that purpose works any more.
func (r *EmailTokens) InvalidateForUser(ctx context.Context, userID int64, purpose domain.TokenPurpose, now time.Time) error {
	return conn(ctx, r.db).Model(&domain.EmailToken{}).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, purpose).Update("used_at", now).Error
}

// ReplaceForUser marks every unused, not yet replaced token of a purpose
// replaced, before a newer link is sent: only the newest one works.
func (r *EmailTokens) ReplaceForUser(ctx context.Context, userID int64, purpose domain.TokenPurpose, now time.Time) error {
	return conn(ctx, r.db).Model(&domain.EmailToken{}).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL AND replaced_at IS NULL", userID, purpose).
		Update("replaced_at", now).Error
}
