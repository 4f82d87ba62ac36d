package domain

import "time"

// ChatMessageMax is the longest question a shopper may send to a store's
// assistant, in characters.
const ChatMessageMax = 500

// ChatSessionMax bounds the widget's session ID, in characters.
const ChatSessionMax = 64

// Intent is what a shopper's question is about.
type Intent string

// The intents the assistant tells apart.
const (
	IntentProduct  Intent = "product"
	IntentPrice    Intent = "price"
	IntentDelivery Intent = "delivery"
	IntentPayment  Intent = "payment"
	IntentReviews  Intent = "reviews"
	IntentHours    Intent = "hours"
	IntentBrowse   Intent = "browse"
	IntentOther    Intent = "other"
)

// Intents lists every intent in the order the owner's page shows them.
var Intents = []Intent{
	IntentProduct, IntentPrice, IntentDelivery, IntentPayment,
	IntentReviews, IntentHours, IntentBrowse, IntentOther,
}

// ChatSource is where a reply came from.
type ChatSource string

// Sources of a reply: the LLM, the deterministic fallback, or the response
// cache (an earlier LLM reply to the same question).
const (
	ChatSourceLLM      ChatSource = "llm"
	ChatSourceFallback ChatSource = "fallback"
	ChatSourceCache    ChatSource = "cache"
)

// ChatPrompt is what is sent to the LLM: the store's fixed rules and the
// shopper's turn (the context plus the question), kept apart so the rules
// are not repeated and the shopper's text is never read as rules.
type ChatPrompt struct {
	System string
	User   string
	// MaxTokens caps the reply (0: the client's default).
	MaxTokens int
}

// ChatCompletion is the LLM's reply with the tokens it counted.
type ChatCompletion struct {
	Text      string
	TokensIn  int
	TokensOut int
}

// ChatExchange is one question to a store's assistant and how it was
// answered, for the owner's chatbot page and the daily token budget.
type ChatExchange struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index:idx_chat_exchanges_business_created,priority:1"`
	SessionID  string `gorm:"size:64;not null;default:''"`
	// Question is the shopper's message, normalised (trimmed, spaces
	// collapsed, lower case), so the owner's page can count repeats.
	Question string     `gorm:"size:500;not null"`
	Intent   Intent     `gorm:"size:16;not null"`
	Source   ChatSource `gorm:"size:16;not null"`
	// Answered is false when the store's data held nothing for the question
	// (no matching product, an intent the assistant cannot serve).
	Answered  bool      `gorm:"not null"`
	LatencyMS int       `gorm:"column:latency_ms;not null"`
	TokensIn  int       `gorm:"not null;default:0"`
	TokensOut int       `gorm:"not null;default:0"`
	CreatedAt time.Time `gorm:"not null;index:idx_chat_exchanges_business_created,priority:2"`
}
