package dashboard

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Chatbot serves /dashboard/chatbot: how the store's assistant was used and
// the questions it could not answer.
type Chatbot struct {
	stats   *services.ChatStats
	baseURL string
}

// NewChatbot returns the chatbot page handler; baseURL is BASE_URL, which
// the store's link starts with.
func NewChatbot(stats *services.ChatStats, baseURL string) *Chatbot {
	return &Chatbot{stats: stats, baseURL: strings.TrimRight(baseURL, "/")}
}

// Register mounts the routes on r.
func (h *Chatbot) Register(r fiber.Router) {
	r.Get("/chatbot", h.show)
}

// chatPeriod is a link of the period picker.
type chatPeriod struct {
	Days    int
	URL     string
	Current bool
}

func (h *Chatbot) show(c *fiber.Ctx) error {
	biz := Business(c)
	rep, err := h.stats.Report(c.UserContext(), biz.ID, services.ParseChatDays(c.Query("days")))
	if err != nil {
		return err
	}
	periods := make([]chatPeriod, len(services.ChatPeriods))
	for i, d := range services.ChatPeriods {
		periods[i] = chatPeriod{Days: d, URL: "/dashboard/chatbot?days=" + strconv.Itoa(d), Current: d == rep.Days}
	}
	return page(c, fiber.StatusOK, "dashboard/chatbot", "chatbot", fiber.Map{
		"Title": web.L(c).T("chat_dashboard.title"), "Report": rep, "Periods": periods,
		"Total": domain.Thousands(rep.Exchanges), "CacheRate": percent(rep.CacheRate()),
		"AverageLatency": latency(rep.AverageLatencyMS()),
		"TokensIn":       domain.Thousands(rep.TokensIn), "TokensOut": domain.Thousands(rep.TokensOut),
		"StoreURL": h.baseURL + "/" + biz.Slug,
	})
}

// percent writes a 0–1 rate as a percentage with at most one decimal
// ("30%", "33.3%").
func percent(rate float64) string {
	return strconv.FormatFloat(float64(int64(rate*1000+0.5))/10, 'f', -1, 64) + "%"
}

// latency writes milliseconds as "850 ms" under a second, else seconds with
// one decimal ("1.2 s").
func latency(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return strconv.FormatFloat(float64((ms+50)/100)/10, 'f', 1, 64) + " s"
}
