package domain

// ChatTotals sums up a store's assistant exchanges over a period, for the
// owner's chatbot page.
type ChatTotals struct {
	// Exchanges is every question asked; CacheHits those answered from the
	// response cache; Unanswered those the store's data held nothing for.
	Exchanges, CacheHits, Unanswered int64
	// LatencyMS is the sum of the exchanges' response times.
	LatencyMS int64
	// TokensIn and TokensOut are the LLM tokens the exchanges used.
	TokensIn, TokensOut int64
}

// ChatIntentCount is how many questions of a period had an intent.
type ChatIntentCount struct {
	Intent Intent
	Count  int64
}

// ChatQuestionCount is a question (as normalised when logged) and how many
// times it was asked.
type ChatQuestionCount struct {
	Question string
	Count    int64
}
