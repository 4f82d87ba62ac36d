package testkit

import (
	"github.com/qubly/qubly/domain"
)

// ChatExchange inserts e as an exchange of businessID's assistant. Zero
// fields take plain defaults: question "hola", intent other, source
// fallback; CreatedAt zero means the database's now (the app's clock).
func (r *Rows) ChatExchange(businessID int64, e domain.ChatExchange) *domain.ChatExchange {
	r.t.Helper()
	e.BusinessID = businessID
	if e.Question == "" {
		e.Question = "hola"
	}
	if e.Intent == "" {
		e.Intent = domain.IntentOther
	}
	if e.Source == "" {
		e.Source = domain.ChatSourceFallback
	}
	if err := r.db.Create(&e).Error; err != nil {
		r.t.Fatalf("create chat exchange %q: %v", e.Question, err)
	}
	return &e
}
