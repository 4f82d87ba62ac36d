package services

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// ChatLLM answers a prompt, passing its text to onDelta as it comes (nil:
// no streaming). integrations/llm implements it; tests fake it.
type ChatLLM interface {
	Complete(ctx context.Context, p domain.ChatPrompt, onDelta func(string) error) (domain.ChatCompletion, error)
}

// ChatExchangeRepo logs exchanges and sums the tokens a store used.
type ChatExchangeRepo interface {
	Insert(ctx context.Context, businessID int64, e *domain.ChatExchange) error
	TokensSince(ctx context.Context, businessID int64, since time.Time) (int64, error)
}

// ChatStorefront is what the assistant reads of a store: its public
// catalog and approved reviews (Storefront, cached and purged on writes).
type ChatStorefront interface {
	Catalog(ctx context.Context, businessID int64) (*StoreCatalog, error)
	LatestReviews(ctx context.Context, businessID int64, n int) ([]domain.Review, error)
}

// Chat answers shoppers' questions to a store's assistant from the store's
// own data: through the LLM when one is configured, the store is within its
// daily token budget and the LLM answers; otherwise with the deterministic
// fallback. LLM replies are cached per store and question until the store
// changes (any write purges the StoreCache).
type Chat struct {
	stores    ChatStorefront
	llm       ChatLLM
	exchanges ChatExchangeRepo
	cache     *StoreCache
	tr        Translator
	clock     Clock
	log       *slog.Logger
	baseURL   string
	budget    int64
}

// ChatDeps are what Chat needs. LLM is nil when no LLM is configured.
type ChatDeps struct {
	Stores    ChatStorefront
	LLM       ChatLLM
	Exchanges ChatExchangeRepo
	Cache     *StoreCache
	// Translator words the fallback's replies in the store's language.
	Translator Translator
	Clock      Clock
	Log        *slog.Logger
	BaseURL    string
	// DailyTokens is each store's LLM budget per day (its local day); over
	// it, questions get the fallback. 0 means no LLM use at all.
	DailyTokens int64
}

// chatReplyTTL bounds how long a cached reply lives without a purge.
const chatReplyTTL = time.Hour

// chatReviewsRead is how many recent reviews the assistant reads.
const chatReviewsRead = 5

// NewChat returns the assistant service.
func NewChat(d ChatDeps) *Chat {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Chat{
		stores: d.Stores, llm: d.LLM, exchanges: d.Exchanges, cache: d.Cache, tr: d.Translator, clock: d.Clock, log: d.Log,
		baseURL: strings.TrimRight(d.BaseURL, "/"), budget: d.DailyTokens,
	}
}

// ChatQuestion is a shopper's message to a store's assistant.
type ChatQuestion struct {
	Message   string
	SessionID string
}

// ChatReply is the assistant's answer.
type ChatReply struct {
	Reply  string
	Intent domain.Intent
	Source domain.ChatSource
}

// ChatTurn is a question being answered. Ask returns it with Ready set when
// the answer is known at once (cache, fallback); otherwise Answer asks the
// LLM, which may stream.
type ChatTurn struct {
	chat     *Chat
	biz      *domain.Business
	question ChatQuestion
	started  time.Time
	since    uint64
	key      string
	know     *ChatKnowledge
	exchange domain.ChatExchange

	// Ready is the answer when no LLM call is needed.
	Ready *ChatReply
}

// Ask reads the question and answers it from the cache or the fallback
// when it can; a *domain.ValidationError (field "message") for an empty or
// too long message.
func (s *Chat) Ask(ctx context.Context, biz *domain.Business, q ChatQuestion) (*ChatTurn, error) {
	q.Message = strings.TrimSpace(q.Message)
	var v domain.ValidationError
	v.RequiredAs("message", q.Message, "chat.error.empty")
	v.MaxLenAs("message", q.Message, domain.ChatMessageMax, "chat.error.too_long")
	if len(v.Fields) > 0 {
		return nil, &v
	}
	if utf8.RuneCountInString(q.SessionID) > domain.ChatSessionMax {
		q.SessionID = ""
	}
	t := &ChatTurn{chat: s, biz: biz, question: q, started: s.clock(), since: s.cache.Seq()}
	intent := DetectIntent(q.Message)
	t.exchange = domain.ChatExchange{
		SessionID: q.SessionID, Question: chatLogQuestion(q.Message), Intent: intent,
	}
	t.key = "chat:" + chatCacheKey(q.Message)
	if v, ok := s.cache.Get(biz.ID, t.key); ok {
		if r, ok := v.(cachedChatReply); ok {
			t.exchange.Answered = r.answered
			t.ready(ctx, r.reply, domain.ChatSourceCache, domain.ChatCompletion{})
			return t, nil
		}
	}
	know, err := s.knowledge(ctx, biz, q.Message, intent)
	if err != nil {
		return nil, err
	}
	t.know = know
	t.exchange.Answered = know.Answered()
	if !s.useLLM(ctx, biz) {
		t.ready(ctx, s.fallback(know), domain.ChatSourceFallback, domain.ChatCompletion{})
		return t, nil
	}
	return t, nil
}

// cachedChatReply is an LLM reply kept for the same question.
type cachedChatReply struct {
	reply    string
	answered bool
}

// knowledge gathers what the assistant may say about biz for the question.
func (s *Chat) knowledge(ctx context.Context, biz *domain.Business, message string, intent domain.Intent) (*ChatKnowledge, error) {
	catalog, err := s.stores.Catalog(ctx, biz.ID)
	if err != nil {
		return nil, err
	}
	// The builder takes reviews only for the intents that call for them;
	// the latest ones are cached with the store, so reading them is cheap.
	reviews, err := s.stores.LatestReviews(ctx, biz.ID, chatReviewsRead)
	if err != nil {
		return nil, err
	}
	return BuildChatKnowledge(ChatContextInput{
		Business: biz, Catalog: catalog, Reviews: reviews, Message: message, Intent: intent,
		Now: s.clock(), BaseURL: s.baseURL,
	}), nil
}

// useLLM reports whether biz's question may go to the LLM: one is
// configured and the store has tokens left today (its local day). A failure
// to read the budget counts as no budget.
func (s *Chat) useLLM(ctx context.Context, biz *domain.Business) bool {
	if s.llm == nil || s.budget <= 0 {
		return false
	}
	now := s.clock().In(biz.Location())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	used, err := s.exchanges.TokensSince(ctx, biz.ID, day.UTC())
	if err != nil {
		s.log.WarnContext(ctx, "chat budget unknown, answering without the LLM", "business_id", biz.ID, "err", err)
		return false
	}
	if used >= s.budget {
		s.log.InfoContext(ctx, "chat token budget spent", "business_id", biz.ID, "used", used, "budget", s.budget)
		return false
	}
	return true
}

// Answer asks the LLM, passing the reply's text to onDelta as it comes
// (nil: no streaming), with links other than the store's own removed. If
// the LLM fails, the answer is the fallback's (onDelta may then have had
// part of the LLM's text: the reply replaces it).
func (t *ChatTurn) Answer(ctx context.Context, onDelta func(string) error) ChatReply {
	if t.Ready != nil {
		return *t.Ready
	}
	s := t.chat
	links := newChatLinks(t.know)
	var stream *linkStream
	var deltas func(string) error
	if onDelta != nil {
		stream = &linkStream{links: links, out: onDelta}
		deltas = stream.Write
	}
	out, err := s.llm.Complete(ctx, ChatPrompts(t.know, t.question.Message), deltas)
	reply := strings.TrimSpace(links.Clean(out.Text))
	if err == nil && reply == "" {
		err = errors.New("empty reply")
	}
	if err != nil {
		s.log.WarnContext(ctx, "chat LLM failed, answering with the fallback", "business_id", t.biz.ID, "err", err)
		return *t.ready(ctx, s.fallback(t.know), domain.ChatSourceFallback, out)
	}
	if stream != nil {
		_ = stream.Flush()
	}
	s.cache.SetSince(t.biz.ID, t.since, t.key, cachedChatReply{reply: reply, answered: t.exchange.Answered}, chatReplyTTL)
	return *t.ready(ctx, reply, domain.ChatSourceLLM, out)
}

// ready records the answer and logs the exchange with the tokens used.
func (t *ChatTurn) ready(ctx context.Context, reply string, src domain.ChatSource, used domain.ChatCompletion) *ChatReply {
	s := t.chat
	t.Ready = &ChatReply{Reply: reply, Intent: t.exchange.Intent, Source: src}
	e := t.exchange
	e.Source = src
	e.TokensIn, e.TokensOut = used.TokensIn, used.TokensOut
	e.LatencyMS = int(s.clock().Sub(t.started).Milliseconds())
	// The log must not fail the answer, nor be lost when the shopper leaves.
	if err := s.exchanges.Insert(context.WithoutCancel(ctx), t.biz.ID, &e); err != nil {
		s.log.ErrorContext(ctx, "chat exchange not logged", "business_id", t.biz.ID, "err", err)
	}
	return t.Ready
}
