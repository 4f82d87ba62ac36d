package services

import "github.com/qubly/qubly/domain"

// ChatKnowledge is what a store's assistant may tell a shopper in answer to
// one question: the store's public facts and the products and reviews that
// matter to the question. It holds only what the store's pages show anyone:
// no internal IDs, stock counts, costs or owner data. The LLM gets it as
// TOON (ChatKnowledge.TOON); the fallback answers from it directly.
type ChatKnowledge struct {
	Intent domain.Intent
	Store  ChatStoreFacts
	// Products are the public products relevant to the question, best match
	// first (10 by default, up to 50 for IntentBrowse).
	Products []ChatProduct
	// Matched reports whether Products matched words of the question; when
	// false they are the store's first products, for browsing.
	Matched bool
	// RatingAverage and RatingCount cover the store's approved reviews.
	RatingAverage float64
	RatingCount   int
	// Reviews are recent approved reviews, only when the intent calls for them.
	Reviews []ChatReview
}

// ChatStoreFacts are a store's public facts, written in the store's language.
type ChatStoreFacts struct {
	Name     string
	Language string
	// URL is the store's public page; WhatsAppURL its wa.me link.
	URL         string
	WhatsAppURL string
	// Hours is the weekly schedule as a shopper reads it
	// ("lunes a viernes 09:00–18:00; sábado 10:00–14:00").
	Hours string
	// OpenNow is whether the store is open at the time of the question;
	// ClosedMessage the owner's note when it is closed by hand.
	OpenNow       bool
	ClosedMessage string
	// OpensAt is when a store closed by its hours opens next, in its
	// language ("hoy 17:00", "mañana 09:00", "lunes 09:00").
	OpensAt     string
	Pickup      bool
	Address     string
	Delivery    bool
	DeliveryFee domain.Money
	MinOrder    domain.Money
	// Payments are the accepted ways to pay, each with the owner's note
	// ("Efectivo: llevamos cambio"); a transfer's bank and CLABE are
	// given to the shopper with the order, not here.
	Payments []string
}

// ChatProduct is a public product as the assistant describes it.
type ChatProduct struct {
	Name     string
	Category string
	Price    domain.Money
	// Description is cut at 60 characters on a word boundary, with "…".
	Description string
	SoldOut     bool
	// Options are the product's option groups ("Tamaño: Chico, Grande +$10.00").
	Options []string
	// URL is the product's public page.
	URL string
}

// ChatReview is an approved review as the assistant quotes it.
type ChatReview struct {
	Name   string
	Rating int
	// Comment is cut at 100 characters on a word boundary, with "…".
	Comment string
}
