package repositories

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// ChatStats reads a store's assistant exchanges (chat_exchanges) for the
// owner's chatbot page. It only reads.
type ChatStats struct{ db *gorm.DB }

// NewChatStats returns the chat stats repository.
func NewChatStats(db *gorm.DB) *ChatStats { return &ChatStats{db: db} }

// Totals sums businessID's exchanges created at or after since.
func (r *ChatStats) Totals(ctx context.Context, businessID int64, since time.Time) (domain.ChatTotals, error) {
	var row domain.ChatTotals
	err := conn(ctx, r.db).Model(&domain.ChatExchange{}).Select(
		"COUNT(*) AS exchanges, "+
			"CAST(COALESCE(SUM(CASE WHEN source = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS cache_hits, "+
			"CAST(COALESCE(SUM(CASE WHEN answered = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS unanswered, "+
			"CAST(COALESCE(SUM(latency_ms), 0) AS BIGINT) AS latency_ms, "+
			"CAST(COALESCE(SUM(tokens_in), 0) AS BIGINT) AS tokens_in, "+
			"CAST(COALESCE(SUM(tokens_out), 0) AS BIGINT) AS tokens_out",
		domain.ChatSourceCache, false,
	).Where("business_id = ? AND created_at >= ?", businessID, since.UTC()).Scan(&row).Error
	if err != nil {
		return domain.ChatTotals{}, fmt.Errorf("chat totals of business %d: %w", businessID, err)
	}
	return row, nil
}

// IntentCounts counts businessID's exchanges created at or after since by
// intent; intents never asked are absent.
func (r *ChatStats) IntentCounts(ctx context.Context, businessID int64, since time.Time) ([]domain.ChatIntentCount, error) {
	var rows []domain.ChatIntentCount
	err := conn(ctx, r.db).Model(&domain.ChatExchange{}).
		Select("intent, COUNT(*) AS count").
		Where("business_id = ? AND created_at >= ?", businessID, since.UTC()).
		Group("intent").Order("intent").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("chat intents of business %d: %w", businessID, err)
	}
	return rows, nil
}

// Unanswered returns businessID's questions left unanswered since then,
// grouped as logged, most asked first (ties alphabetically), at most limit.
func (r *ChatStats) Unanswered(ctx context.Context, businessID int64, since time.Time, limit int) ([]domain.ChatQuestionCount, error) {
	var rows []domain.ChatQuestionCount
	err := conn(ctx, r.db).Model(&domain.ChatExchange{}).
		Select("question, COUNT(*) AS count").
		Where("business_id = ? AND created_at >= ? AND answered = ?", businessID, since.UTC(), false).
		Group("question").Order("count DESC, question ASC").Limit(limit).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("unanswered chat questions of business %d: %w", businessID, err)
	}
	return rows, nil
}

// Any reports whether businessID's assistant was ever asked anything.
func (r *ChatStats) Any(ctx context.Context, businessID int64) (bool, error) {
	var ids []int64
	err := conn(ctx, r.db).Model(&domain.ChatExchange{}).
		Where("business_id = ?", businessID).Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("any chat exchange of business %d: %w", businessID, err)
	}
	return len(ids) > 0, nil
}
