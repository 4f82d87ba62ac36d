// Package chat serves a store's assistant to its shoppers:
//
//	POST /{slug}/chat  {"message": …, "session_id": …}
//	                   → {"reply": …, "intent": …, "source": "llm"|"fallback"|"cache"}
//
// With "Accept: text/event-stream" an answer from the LLM comes as
// server-sent events as it is written: "delta" events {"text": …}, then one
// "done" event with the whole answer as above, which replaces the deltas
// (links that are not the store's are removed; if the LLM failed half-way,
// it is the fallback's answer). Cached and fallback answers always come as
// JSON, whole. Bad input is the store API's 400 {"error", "fields"} in the
// store's language; an unknown store is 404; a store that is not online
// 503; too many questions 429 with Retry-After.
package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// Rate limits of questions: per client IP (shoppers on one mobile carrier
// may share one) and per store.
const (
	perIP    = 20
	perStore = 300
	window   = time.Minute
)

// maxBody bounds a question's JSON: 500 characters of up to 4 bytes each,
// escaped, with room for the session ID.
const maxBody = 8 << 10

// answerTimeout bounds one answer, streaming included.
const answerTimeout = 45 * time.Second

// Handler serves the assistant.
type Handler struct {
	stores  *services.Storefront
	chat    *services.Chat
	bundle  *i18n.Bundle
	clock   services.Clock
	billing func() domain.BillingRules
	byIP    *web.Limiter
	byStore *web.Limiter
	metrics Metrics
}

// Metrics counts the answers by source (integrations/metrics).
type Metrics interface {
	ChatAnswer(source string)
}

// WithMetrics makes h count its answers in m; it returns h.
func (h *Handler) WithMetrics(m Metrics) *Handler {
	h.metrics = m
	return h
}

// New returns the assistant's handler; billing gives the billing rules in
// force, which decide whether a store is online.
func New(stores *services.Storefront, chat *services.Chat, bundle *i18n.Bundle, clock services.Clock, billing func() domain.BillingRules) *Handler {
	return &Handler{
		stores: stores, chat: chat, bundle: bundle, clock: clock, billing: billing,
		byIP: web.NewLimiter(perIP, window), byStore: web.NewLimiter(perStore, window),
	}
}

// Register mounts POST /{slug}/chat; call it before the store pages.
func (h *Handler) Register(r fiber.Router) {
	r.Post("/:slug/chat", web.RateLimit(web.ByIP(h.byIP), web.ByParam(h.byStore, "slug")), h.ask)
}

type request struct {
	Message   string `json:"message"`
	SessionID string `json:"session_id"`
}

type reply struct {
	Reply  string            `json:"reply"`
	Intent domain.Intent     `json:"intent"`
	Source domain.ChatSource `json:"source"`
}

// errAnswered tells ask that store already wrote the answer.
var errAnswered = errors.New("chat: answered")

func (h *Handler) ask(c *fiber.Ctx) error {
	biz, err := h.store(c)
	if errors.Is(err, errAnswered) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	l := h.bundle.For(biz.Language)
	var req request
	if body := c.Body(); len(body) > maxBody || json.Unmarshal(body, &req) != nil {
		msg := l.T("chat.error.invalid")
		return web.BadInput(c, msg, map[string]string{"message": msg})
	}
	turn, err := h.chat.Ask(c.UserContext(), biz, services.ChatQuestion{Message: req.Message, SessionID: req.SessionID})
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		fields := web.FieldErrors(l, ve)
		return web.BadInput(c, fields["message"], fields)
	}
	if err != nil {
		return err
	}
	if turn.Ready != nil {
		return c.JSON(h.replyOf(*turn.Ready))
	}
	// The answer outlives the handler when it streams: it gets its own
	// deadline, and stops when the shopper goes away (a write fails).
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), answerTimeout)
	if !strings.Contains(c.Get(fiber.HeaderAccept), "text/event-stream") {
		defer cancel()
		return c.JSON(h.replyOf(turn.Answer(ctx, nil)))
	}
	log := web.Log(c)
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		r := turn.Answer(ctx, func(text string) error {
			if err := sendEvent(w, "delta", map[string]string{"text": text}); err != nil {
				cancel()
				return err
			}
			return nil
		})
		if err := sendEvent(w, "done", h.replyOf(r)); err != nil {
			log.Debug("chat stream closed early", slog.Any("err", err))
		}
	})
	return nil
}

// replyOf is the JSON of answer r, counted in the metrics.
func (h *Handler) replyOf(r services.ChatReply) reply {
	if h.metrics != nil {
		h.metrics.ChatAnswer(string(r.Source))
	}
	return reply{Reply: r.Reply, Intent: r.Intent, Source: r.Source}
}

// sendEvent writes one server-sent event and flushes it to the client.
func sendEvent(w *bufio.Writer, event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	w.WriteString("event: " + event + "\ndata: ")
	w.Write(b)
	w.WriteString("\n\n")
	return w.Flush()
}

// store is the online store named by :slug: 404 when there is none (or the
// slug is an old one: the widget lives on the current page), 503 when its
// subscription does not let it be shown.
func (h *Handler) store(c *fiber.Ctx) (*domain.Business, error) {
	slug := strings.ToLower(c.Params("slug"))
	if domain.IsReservedSlug(slug) || domain.ValidateSlug(slug) != "" {
		return nil, domain.ErrNotFound
	}
	biz, err := h.stores.Business(c.UserContext(), slug)
	if err != nil {
		return nil, err
	}
	if !biz.Online(h.clock(), h.billing()) {
		c.Set(fiber.HeaderRetryAfter, "3600")
		msg := h.bundle.For(biz.Language).T("store.unavailable.text", "Name", biz.Name)
		if err := c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"error": msg}); err != nil {
			return nil, err
		}
		return nil, errAnswered
	}
	return biz, nil
}
