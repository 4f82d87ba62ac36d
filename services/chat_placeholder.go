package services

// PLACEHOLDER until the knowledge branch lands (replaced at merge).

import (
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

func DetectIntent(message string) domain.Intent {
	m := domain.Fold(message)
	switch {
	case strings.Contains(m, "envio") || strings.Contains(m, "deliver"):
		return domain.IntentDelivery
	case strings.Contains(m, "pag") || strings.Contains(m, "pay"):
		return domain.IntentPayment
	case strings.Contains(m, "hora") || strings.Contains(m, "abren") || strings.Contains(m, "open"):
		return domain.IntentHours
	case strings.Contains(m, "opini") || strings.Contains(m, "review"):
		return domain.IntentReviews
	case strings.Contains(m, "cuanto") || strings.Contains(m, "precio") || strings.Contains(m, "how much"):
		return domain.IntentPrice
	case strings.Contains(m, "que tienen") || strings.Contains(m, "menu"):
		return domain.IntentBrowse
	}
	return domain.IntentOther
}

type ChatKnowledgeInput struct {
	Business *domain.Business
	Catalog  *StoreCatalog
	Reviews  []domain.Review
	Message  string
	Intent   domain.Intent
	Now      time.Time
	BaseURL  string
}

func BuildChatKnowledge(in ChatKnowledgeInput) *ChatKnowledge {
	b := in.Business
	k := &ChatKnowledge{Intent: in.Intent, Store: ChatStoreFacts{
		Name: b.Name, Language: b.Language, URL: in.BaseURL + "/" + b.Slug, WhatsAppURL: "https://wa.me/" + b.WhatsAppDigits(),
		OpenNow: b.IsOpen(in.Now), Pickup: b.PickupEnabled, Address: b.Address, Delivery: b.DeliveryEnabled,
		DeliveryFee: b.DeliveryFeeCents, MinOrder: b.DeliveryMinCents,
	}, RatingAverage: b.RatingAverage(), RatingCount: b.RatingCount}
	if b.PayCash {
		k.Store.Payments = append(k.Store.Payments, "efectivo")
	}
	found := in.Catalog.Search(in.Message)
	k.Matched = len(found) > 0
	if !k.Matched {
		found = in.Catalog.Products
	}
	for i, p := range found {
		if i == 10 {
			break
		}
		k.Products = append(k.Products, ChatProduct{Name: p.Name, Price: p.PriceCents, URL: k.Store.URL + "/p/" + p.Slug})
	}
	for _, r := range in.Reviews {
		k.Reviews = append(k.Reviews, ChatReview{Name: r.AuthorName, Rating: r.Rating, Comment: r.Comment})
	}
	return k
}

func (k *ChatKnowledge) TOON() string {
	s := k.Store.Name
	for _, p := range k.Products {
		s += "\n" + p.Name + "," + p.Price.Pesos()
	}
	return s
}

func ChatPrompts(k *ChatKnowledge, question string) domain.ChatPrompt {
	return domain.ChatPrompt{System: "Eres el asistente de " + k.Store.Name, User: k.TOON() + "\n\n" + question}
}
