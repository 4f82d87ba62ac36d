package services

import (
	"strconv"
	"strings"

	"github.com/qubly/qubly/domain"
)

// chatFallbackProducts is how many products a fallback reply lists.
const chatFallbackProducts = 5

// Answered reports whether the store's data held an answer to the
// question: a matching product for product and price questions, any
// product to browse, reviews for review questions. Delivery, payment and
// hours are always known; "other" never is. The owner's chatbot page lists
// the questions that were not answered.
func (k *ChatKnowledge) Answered() bool {
	switch k.Intent {
	case domain.IntentProduct, domain.IntentPrice:
		return k.Matched && len(k.Products) > 0
	case domain.IntentBrowse:
		return len(k.Products) > 0
	case domain.IntentReviews:
		return k.RatingCount > 0
	case domain.IntentDelivery, domain.IntentPayment, domain.IntentHours:
		return true
	}
	return false
}

// fallback answers from k without an LLM, in the store's language: the
// matching products with their prices, the delivery, payment or hours
// facts, or the rating and a recent comment; it says it is the store's
// automatic assistant and points to WhatsApp for the rest.
func (s *Chat) fallback(k *ChatKnowledge) string {
	t := func(id string, args ...any) string {
		var data map[string]any
		if len(args) > 0 {
			data = map[string]any{}
			for i := 0; i+1 < len(args); i += 2 {
				data[args[i].(string)] = args[i+1]
			}
		}
		return s.tr.Translate(k.Store.Language, id, data)
	}
	var b strings.Builder
	switch k.Intent {
	case domain.IntentProduct, domain.IntentPrice, domain.IntentBrowse:
		s.fallbackProducts(&b, k, t)
	case domain.IntentDelivery:
		fallbackDelivery(&b, k, t)
	case domain.IntentPayment:
		if len(k.Store.Payments) == 0 {
			b.WriteString(t("chat.fallback.payment_unknown"))
		} else {
			b.WriteString(t("chat.fallback.payment"))
			for _, p := range k.Store.Payments {
				b.WriteString("\n• ")
				b.WriteString(p)
			}
		}
	case domain.IntentHours:
		fallbackHours(&b, k, t)
	case domain.IntentReviews:
		fallbackReviews(&b, k, t)
	default:
		b.WriteString(t("chat.fallback.other"))
	}
	b.WriteString("\n\n")
	b.WriteString(t("chat.fallback.signature", "Store", k.Store.Name))
	if k.Store.WhatsAppURL != "" {
		b.WriteString(" ")
		b.WriteString(t("chat.fallback.whatsapp", "URL", k.Store.WhatsAppURL))
	}
	return b.String()
}

type chatT func(id string, args ...any) string

func (s *Chat) fallbackProducts(b *strings.Builder, k *ChatKnowledge, t chatT) {
	n := chatFallbackProducts
	switch {
	case len(k.Products) == 0:
		b.WriteString(t("chat.fallback.no_products"))
		return
	case k.Intent == domain.IntentBrowse:
		n = 10
		b.WriteString(t("chat.fallback.browse"))
	case k.Matched:
		b.WriteString(t("chat.fallback.found"))
	default:
		b.WriteString(t("chat.fallback.not_found"))
	}
	for i, p := range k.Products {
		if i == n {
			break
		}
		b.WriteString("\n• ")
		b.WriteString(p.Name)
		b.WriteString(": ")
		b.WriteString(p.Price.Pesos())
		if p.SoldOut {
			b.WriteString(" (")
			b.WriteString(t("chat.fallback.sold_out"))
			b.WriteString(")")
		}
		if k.Matched && len(p.Options) > 0 && k.Intent != domain.IntentBrowse {
			b.WriteString(" — ")
			b.WriteString(strings.Join(p.Options, "; "))
		}
	}
	if k.Store.URL != "" {
		b.WriteString("\n")
		b.WriteString(t("chat.fallback.catalog", "URL", k.Store.URL))
	}
}

func fallbackDelivery(b *strings.Builder, k *ChatKnowledge, t chatT) {
	f := k.Store
	switch {
	case f.Delivery && f.DeliveryFee > 0:
		b.WriteString(t("chat.fallback.delivery_fee", "Fee", f.DeliveryFee.Pesos()))
	case f.Delivery:
		b.WriteString(t("chat.fallback.delivery_free"))
	default:
		b.WriteString(t("chat.fallback.no_delivery"))
	}
	if f.Delivery && f.MinOrder > 0 {
		b.WriteString(" ")
		b.WriteString(t("chat.fallback.delivery_min", "Min", f.MinOrder.Pesos()))
	}
	if f.Pickup {
		b.WriteString(" ")
		if f.Address != "" {
			b.WriteString(t("chat.fallback.pickup_at", "Address", f.Address))
		} else {
			b.WriteString(t("chat.fallback.pickup"))
		}
	}
}

func fallbackHours(b *strings.Builder, k *ChatKnowledge, t chatT) {
	f := k.Store
	if f.Hours != "" {
		b.WriteString(t("chat.fallback.hours", "Hours", f.Hours))
		b.WriteString(" ")
	}
	if f.OpenNow {
		b.WriteString(t("chat.fallback.open_now"))
		return
	}
	b.WriteString(t("chat.fallback.closed_now"))
	if f.ClosedMessage != "" {
		b.WriteString(" ")
		b.WriteString(f.ClosedMessage)
	}
}

func fallbackReviews(b *strings.Builder, k *ChatKnowledge, t chatT) {
	if k.RatingCount == 0 {
		b.WriteString(t("chat.fallback.no_reviews"))
		return
	}
	avg := strconv.FormatFloat(k.RatingAverage, 'f', 1, 64)
	b.WriteString(t("chat.fallback.rating", "Average", avg, "Count", k.RatingCount))
	if len(k.Reviews) > 0 && k.Reviews[0].Comment != "" {
		r := k.Reviews[0]
		b.WriteString("\n")
		b.WriteString(t("chat.fallback.recent", "Comment", r.Comment, "Name", r.Name, "Rating", r.Rating))
	}
}
