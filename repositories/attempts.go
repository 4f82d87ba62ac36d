package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// AuthAttempts stores failed auth attempts for throttling. Kept in the
// database so every instance sees the same counts.
type AuthAttempts struct{ db *gorm.DB }

// NewAuthAttempts returns the attempts repository.
func NewAuthAttempts(db *gorm.DB) *AuthAttempts { return &AuthAttempts{db: db} }

// Record stores one attempt.
func (r *AuthAttempts) Record(ctx context.Context, kind, key string, at time.Time) error {
	return conn(ctx, r.db).Create(&domain.AuthAttempt{Kind: kind, Key: key, CreatedAt: at}).Error
}

// Count returns how many attempts of kind and key happened since since.
func (r *AuthAttempts) Count(ctx context.Context, kind, key string, since time.Time) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.AuthAttempt{}).
		Where("kind = ? AND key = ? AND created_at > ?", kind, key, since).Count(&n).Error
	return n, err
}

// Clear forgets the attempts of kind and key (after a successful login).
func (r *AuthAttempts) Clear(ctx context.Context, kind, key string) error {
	return conn(ctx, r.db).Where("kind = ? AND key = ?", kind, key).Delete(&domain.AuthAttempt{}).Error
}

// DeleteBefore removes attempts older than before.
func (r *AuthAttempts) DeleteBefore(ctx context.Context, before time.Time) error {
	return conn(ctx, r.db).Where("created_at < ?", before).Delete(&domain.AuthAttempt{}).Error
}
