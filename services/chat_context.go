package services

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// How much of a store a ChatKnowledge carries.
const (
	// ChatProductsDefault is how many products answer a question;
	// ChatProductsBrowse how many a browse question ("¿qué tienen?") gets.
	ChatProductsDefault = 10
	ChatProductsBrowse  = 50
	// chatDescriptionMax and chatCommentMax cut descriptions and review
	// comments, in characters with the ellipsis; chatNoteMax the owner's
	// payment notes and closed message.
	chatDescriptionMax = 60
	chatCommentMax     = 100
	chatNoteMax        = 120
	// chatReviewsMax is how many recent reviews a reviews question quotes;
	// chatProductReviewsMax how many a product question quotes, only those
	// that name the product asked about.
	chatReviewsMax        = 5
	chatProductReviewsMax = 2
)

// chatProductPath leads from a store's URL to its product pages.
const chatProductPath = "/p/"

// ChatContextInput is what BuildChatKnowledge reads: the store, its public
// catalog, its approved reviews (newest first), the shopper's message with
// its intent (DetectIntent), the time of the question and the site's base
// URL for the store's links.
type ChatContextInput struct {
	Business *domain.Business
	Catalog  *StoreCatalog
	Reviews  []domain.Review
	Message  string
	Intent   domain.Intent
	Now      time.Time
	BaseURL  string
}

// BuildChatKnowledge gathers what the assistant may tell a shopper about
// one question: the store's facts in its language, the public products
// that match the message best (name above category above description;
// ChatProductsDefault of them, ChatProductsBrowse for a browse question,
// topped up with the first products in display order; when nothing
// matches, the first products with Matched false, except for a delivery,
// payment or hours question, which then gets none), the rating, and recent
// approved reviews for a reviews question (all of them, up to
// chatReviewsMax) or a product question (only those naming a word of it).
// Only what a shopper may see gets in: the catalog holds public products
// only, and no ID, stock count, bank account, e-mail or phone number other
// than the store's WhatsApp link is copied; long digit runs, e-mail
// addresses and links are dropped from free text.
func BuildChatKnowledge(in ChatContextInput) *ChatKnowledge {
	b := in.Business
	loc := chatLocaleOf(b.Language)
	storeURL := strings.TrimRight(in.BaseURL, "/") + "/" + b.Slug
	k := &ChatKnowledge{
		Intent:        in.Intent,
		Store:         chatFacts(b, loc, in.Now, storeURL),
		RatingAverage: math.Round(b.RatingAverage()*10) / 10,
		RatingCount:   b.RatingCount,
	}
	query := chatQueryWords(in.Message)
	limit := ChatProductsDefault
	if in.Intent == domain.IntentBrowse {
		limit = ChatProductsBrowse
	}
	if in.Catalog != nil {
		var picked []*domain.Product
		picked, k.Matched = rankProducts(in.Catalog, query, limit, in.Intent == domain.IntentBrowse)
		if !k.Matched && factIntent(in.Intent) {
			picked = nil
		}
		k.Products = make([]ChatProduct, len(picked))
		for i, p := range picked {
			k.Products[i] = chatProduct(p, in.Catalog, loc, storeURL)
		}
	}
	k.Reviews = chatReviews(in.Reviews, in.Intent, query)
	return k
}

// factIntent reports whether intent asks about a store fact that no
// product answers: such a question gets products only when it names some
// ("¿llevan pasteles a domicilio?"), not the first of the menu.
func factIntent(intent domain.Intent) bool {
	return intent == domain.IntentDelivery || intent == domain.IntentPayment || intent == domain.IntentHours
}

// chatFacts are b's public facts at now.
func chatFacts(b *domain.Business, loc *chatLocale, now time.Time, storeURL string) ChatStoreFacts {
	f := ChatStoreFacts{
		Name:        b.Name,
		Language:    normLang(b.Language),
		URL:         storeURL,
		WhatsAppURL: WhatsAppURL(b.WhatsAppDigits(), ""),
		Hours:       loc.hours(b.Hours),
		OpenNow:     b.IsOpen(now),
		Pickup:      b.PickupEnabled,
		Delivery:    b.DeliveryEnabled,
	}
	if b.ClosedNow {
		f.ClosedMessage = chatText(b.ClosedMessage, chatNoteMax)
	} else if !f.OpenNow {
		if at, ok := b.NextOpening(now); ok {
			f.OpensAt = loc.when(at, now.In(b.Location()))
		}
	}
	f.Address = strings.Trim(strings.TrimSpace(b.Address)+", "+strings.TrimSpace(b.City), ", ")
	if b.DeliveryEnabled {
		f.DeliveryFee, f.MinOrder = b.DeliveryFeeCents, b.DeliveryMinCents
	}
	for _, pm := range []struct {
		on    bool
		label string
		note  string
	}{
		{b.PayCash, loc.cash, b.PayCashNote},
		{b.PayTransfer, loc.transfer, b.PayTransferNote},
		{b.PayCardOnDelivery, loc.card, b.PayCardOnDeliveryNote},
	} {
		if !pm.on {
			continue
		}
		if note := chatText(pm.note, chatNoteMax); note != "" {
			f.Payments = append(f.Payments, pm.label+": "+note)
		} else {
			f.Payments = append(f.Payments, pm.label)
		}
	}
	return f
}

// chatProduct is p as the assistant describes it.
func chatProduct(p *domain.Product, cat *StoreCatalog, loc *chatLocale, storeURL string) ChatProduct {
	cp := ChatProduct{
		Name:        p.Name,
		Price:       p.PriceCents,
		Description: chatText(p.Description, chatDescriptionMax),
		SoldOut:     !p.InStock(),
		URL:         storeURL + chatProductPath + p.Slug,
	}
	if c := cat.Category(p); c != nil {
		cp.Category = c.Name
	}
	for _, g := range p.Options {
		cp.Options = append(cp.Options, loc.optionGroup(g))
	}
	return cp
}

// chatReviews are the approved reviews the intent calls for, comments cut.
func chatReviews(list []domain.Review, intent domain.Intent, query []string) []ChatReview {
	limit := 0
	switch intent {
	case domain.IntentReviews:
		limit = chatReviewsMax
	case domain.IntentProduct:
		limit = chatProductReviewsMax
	}
	var out []ChatReview
	for _, rv := range list {
		if len(out) == limit {
			break
		}
		if rv.Status != domain.ReviewApproved {
			continue
		}
		if intent == domain.IntentProduct && !mentionsAny(rv.Comment, query) {
			continue
		}
		out = append(out, ChatReview{
			Name: chatText(rv.AuthorName, 40), Rating: rv.Rating, Comment: chatText(rv.Comment, chatCommentMax),
		})
	}
	return out
}

// mentionsAny reports whether text holds one of the query words.
func mentionsAny(text string, query []string) bool {
	if len(query) == 0 || text == "" {
		return false
	}
	found := false
	forEachWord(foldWords(text), func(w string) bool {
		for _, q := range query {
			if sameWord(q, w) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// chatQueryWords are the words of message that may name a product: no
// stop words and no cue of a store fact, price or browsing ("envío",
// "cuánto", "menú").
func chatQueryWords(message string) []string {
	var out []string
	for _, w := range intentWords(message) {
		if stopWords[w] || factCueWords[w] || (len(w) < 2 && !isDigits(w)) {
			continue
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// factCueWords are the cue words of every intent but product.
var factCueWords = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range intentCues {
		if c.intent == domain.IntentProduct {
			continue
		}
		for _, w := range c.words {
			if !strings.HasSuffix(w, "*") {
				m[w] = true
			}
		}
	}
	return m
}()

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
