package services

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/qubly/qubly/domain"
)

// ChatStatsRepo is what ChatStats needs of the chat stats repository.
type ChatStatsRepo interface {
	Totals(ctx context.Context, businessID int64, since time.Time) (domain.ChatTotals, error)
	IntentCounts(ctx context.Context, businessID int64, since time.Time) ([]domain.ChatIntentCount, error)
	Unanswered(ctx context.Context, businessID int64, since time.Time, limit int) ([]domain.ChatQuestionCount, error)
	Any(ctx context.Context, businessID int64) (bool, error)
}

// ChatPeriods are the periods, in days, the owner's chatbot page offers.
var ChatPeriods = []int{7, 30, 90}

// ChatDefaultDays is the period shown when none (or an unknown one) is asked.
const ChatDefaultDays = 30

// ChatUnansweredShown is how many unanswered questions the page lists.
const ChatUnansweredShown = 20

// chatUnansweredRead is how many distinct logged questions are read before
// spellings of the same question are merged; the page's top 20 come from
// them.
const chatUnansweredRead = 500

// ParseChatDays reads the page's period: one of ChatPeriods, else the default.
func ParseChatDays(s string) int {
	if d, err := strconv.Atoi(s); err == nil && slices.Contains(ChatPeriods, d) {
		return d
	}
	return ChatDefaultDays
}

// ChatStats computes the owner's chatbot page: how the store's assistant was
// used over a period, and what it could not answer.
type ChatStats struct {
	repo  ChatStatsRepo
	clock Clock
}

// NewChatStats returns the chatbot analytics service.
func NewChatStats(repo ChatStatsRepo, clock Clock) *ChatStats {
	return &ChatStats{repo: repo, clock: clock}
}

// ChatReport is the chatbot page of one store over the last Days days.
type ChatReport struct {
	Days  int
	Since time.Time
	domain.ChatTotals
	// Ever is false while the store's assistant was never asked anything.
	Ever bool
	// Intents counts the period's questions for every intent, in
	// domain.Intents order, zeros included.
	Intents []domain.ChatIntentCount
	// TopUnanswered are the most asked questions left unanswered, most first:
	// spellings that differ only in accents, case, spaces or punctuation
	// count as one, shown as its most frequent spelling.
	TopUnanswered []domain.ChatQuestionCount
}

// CacheRate is the share of questions answered from the cache, 0 to 1.
func (r *ChatReport) CacheRate() float64 {
	if r.Exchanges == 0 {
		return 0
	}
	return float64(r.CacheHits) / float64(r.Exchanges)
}

// AverageLatencyMS is the mean response time, rounded to the millisecond.
func (r *ChatReport) AverageLatencyMS() int64 {
	if r.Exchanges == 0 {
		return 0
	}
	return (r.LatencyMS + r.Exchanges/2) / r.Exchanges
}

// Report returns businessID's chatbot figures over the last days days (one of
// ChatPeriods; anything else means ChatDefaultDays).
func (s *ChatStats) Report(ctx context.Context, businessID int64, days int) (*ChatReport, error) {
	if !slices.Contains(ChatPeriods, days) {
		days = ChatDefaultDays
	}
	since := s.clock().Add(-time.Duration(days) * 24 * time.Hour)
	rep := &ChatReport{Days: days, Since: since}
	var err error
	if rep.ChatTotals, err = s.repo.Totals(ctx, businessID, since); err != nil {
		return nil, err
	}
	rep.Ever = rep.Exchanges > 0
	if !rep.Ever {
		if rep.Ever, err = s.repo.Any(ctx, businessID); err != nil {
			return nil, err
		}
	}
	counts, err := s.repo.IntentCounts(ctx, businessID, since)
	if err != nil {
		return nil, err
	}
	rep.Intents = everyIntent(counts)
	if rep.Unanswered > 0 {
		qs, err := s.repo.Unanswered(ctx, businessID, since, chatUnansweredRead)
		if err != nil {
			return nil, err
		}
		rep.TopUnanswered = mergeQuestions(qs, ChatUnansweredShown)
	}
	return rep, nil
}

// everyIntent lists counts for every intent in domain.Intents order; an
// intent the log holds that the list lacks counts as other.
func everyIntent(counts []domain.ChatIntentCount) []domain.ChatIntentCount {
	out := make([]domain.ChatIntentCount, len(domain.Intents))
	at := map[domain.Intent]int{}
	for i, in := range domain.Intents {
		out[i].Intent = in
		at[in] = i
	}
	for _, c := range counts {
		i, ok := at[c.Intent]
		if !ok {
			i = at[domain.IntentOther]
		}
		out[i].Count += c.Count
	}
	return out
}

// mergeQuestions adds up questions that differ only in accents, case, spaces
// or punctuation (qs come most asked first, so the first spelling met is the
// most frequent) and returns the limit most asked, ties alphabetically.
func mergeQuestions(qs []domain.ChatQuestionCount, limit int) []domain.ChatQuestionCount {
	var out []domain.ChatQuestionCount
	at := map[string]int{}
	for _, q := range qs {
		key := questionKey(q.Question)
		if i, ok := at[key]; ok {
			out[i].Count += q.Count
			continue
		}
		at[key] = len(out)
		out = append(out, q)
	}
	slices.SortStableFunc(out, func(a, b domain.ChatQuestionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Question, b.Question))
	})
	return out[:min(limit, len(out))]
}

// questionKey is q folded, its words only: "¿Tienen envío?" and "tienen
// envio" are the same question.
func questionKey(q string) string {
	words := strings.FieldsFunc(domain.Fold(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	return strings.Join(words, " ")
}
