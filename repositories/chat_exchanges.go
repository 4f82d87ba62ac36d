package repositories

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// ChatExchanges logs the questions shoppers ask a store's assistant.
type ChatExchanges struct{ db *gorm.DB }

// NewChatExchanges returns the chat exchange log.
func NewChatExchanges(db *gorm.DB) *ChatExchanges { return &ChatExchanges{db: db} }

// Insert records e as one of businessID's exchanges.
func (r *ChatExchanges) Insert(ctx context.Context, businessID int64, e *domain.ChatExchange) error {
	e.BusinessID = businessID
	if err := conn(ctx, r.db).Create(e).Error; err != nil {
		return fmt.Errorf("log chat exchange: %w", mapErr(err))
	}
	return nil
}

// TokensSince is how many LLM tokens (in and out) businessID's assistant
// used from since on, for its daily budget.
func (r *ChatExchanges) TokensSince(ctx context.Context, businessID int64, since time.Time) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.ChatExchange{}).
		Select("COALESCE(SUM(tokens_in + tokens_out), 0)").
		Where("business_id = ? AND created_at >= ?", businessID, since).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("sum chat tokens: %w", err)
	}
	return n, nil
}
