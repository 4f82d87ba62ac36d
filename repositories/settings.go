package repositories

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Settings stores platform-wide key/values.
type Settings struct{ db *gorm.DB }

// NewSettings returns the settings repository.
func NewSettings(db *gorm.DB) *Settings { return &Settings{db: db} }

// GetOrCreate returns the value of key, storing value first if the key is
// missing. Concurrent callers all get the one stored value.
func (r *Settings) GetOrCreate(ctx context.Context, key, value string) (string, error) {
	db := conn(ctx, r.db)
	s := domain.Setting{Key: key, Value: value, UpdatedAt: clockNow(db)}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&s).Error; err != nil {
		return "", err
	}
	var got domain.Setting
	if err := db.Where("key = ?", key).First(&got).Error; err != nil {
		return "", mapErr(err)
	}
	return got.Value, nil
}
