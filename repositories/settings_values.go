package repositories

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Get returns the value stored under key, or domain.ErrNotFound.
func (r *Settings) Get(ctx context.Context, key string) (string, error) {
	var s domain.Setting
	if err := conn(ctx, r.db).Where("key = ?", key).Take(&s).Error; err != nil {
		return "", mapErr(err)
	}
	return s.Value, nil
}

// Set stores value under key, replacing what was there.
func (r *Settings) Set(ctx context.Context, key, value string, now time.Time) error {
	s := domain.Setting{Key: key, Value: value, UpdatedAt: now.UTC()}
	return mapErr(conn(ctx, r.db).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&s).Error)
}
