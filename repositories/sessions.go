package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Sessions stores logged-in browsers by token hash.
type Sessions struct{ db *gorm.DB }

// NewSessions returns the sessions repository.
func NewSessions(db *gorm.DB) *Sessions { return &Sessions{db: db} }

// Create inserts s.
func (r *Sessions) Create(ctx context.Context, s *domain.Session) error {
	return mapErr(conn(ctx, r.db).Create(s).Error)
}

// GetValid loads an unexpired session by token hash.
func (r *Sessions) GetValid(ctx context.Context, tokenHash string, now time.Time) (*domain.Session, error) {
	var s domain.Session
	err := conn(ctx, r.db).Where("token_hash = ? AND expires_at > ?", tokenHash, now).First(&s).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return &s, nil
}

// Touch extends a session's expiry and last-seen time.
func (r *Sessions) Touch(ctx context.Context, id int64, now, expires time.Time) error {
	return conn(ctx, r.db).Model(&domain.Session{}).Where("id = ?", id).
		Updates(map[string]any{"last_seen_at": now, "expires_at": expires}).Error
}

// DeleteByHash removes one session.
func (r *Sessions) DeleteByHash(ctx context.Context, tokenHash string) error {
	return conn(ctx, r.db).Where("token_hash = ?", tokenHash).Delete(&domain.Session{}).Error
}

// DeleteForUser removes every session of a user except keepID (0 keeps none).
func (r *Sessions) DeleteForUser(ctx context.Context, userID, keepID int64) error {
	q := conn(ctx, r.db).Where("user_id = ?", userID)
	if keepID != 0 {
		q = q.Where("id <> ?", keepID)
	}
	return q.Delete(&domain.Session{}).Error
}

// DeleteExpired removes sessions that expired before now.
func (r *Sessions) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res := conn(ctx, r.db).Where("expires_at <= ?", now).Delete(&domain.Session{})
	return res.RowsAffected, res.Error
}
