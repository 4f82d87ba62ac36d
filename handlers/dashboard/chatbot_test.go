package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// seedChat logs owner's assistant exchanges: 4 in the last day (1 from the
// cache, 2 unanswered asking the same thing, 1,000 ms in all) and 1 unanswered
// 20 days ago.
func seedChat(a *testkit.App, biz int64, unanswered string) {
	now := a.Clock.Now()
	x := func(ago time.Duration, e domain.ChatExchange) {
		e.CreatedAt = now.Add(-ago)
		a.ChatExchange(biz, e)
	}
	x(time.Hour, domain.ChatExchange{Question: "¿cuánto cuesta el pastor?", Intent: domain.IntentPrice, Source: domain.ChatSourceLLM, Answered: true, LatencyMS: 700, TokensIn: 1500, TokensOut: 60})
	x(2*time.Hour, domain.ChatExchange{Question: "¿cuánto cuesta el pastor?", Intent: domain.IntentPrice, Source: domain.ChatSourceCache, Answered: true, LatencyMS: 10})
	x(3*time.Hour, domain.ChatExchange{Question: unanswered, Intent: domain.IntentProduct, LatencyMS: 150})
	x(4*time.Hour, domain.ChatExchange{Question: unanswered, Intent: domain.IntentProduct, LatencyMS: 140})
	x(20*24*time.Hour, domain.ChatExchange{Question: "pregunta de hace 20 días", Intent: domain.IntentHours, LatencyMS: 5})
}

func TestChatbotPageFigures(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tacos-ana")
	seedChat(a, o.Business.ID, "¿venden tamales?")
	c := a.Client()
	c.Login(o.Email, o.Password)

	r := c.Get("/dashboard/chatbot")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
	}
	// The default period, 30 days: all five exchanges.
	for name, want := range map[string]string{"total": "5", "cache-rate": "20%", "latency": "201 ms"} {
		if got := figure(t, r.Body, name); got != want {
			t.Errorf("figure %s = %q, want %q", name, got, want)
		}
	}
	for _, s := range []string{
		"Asistente de tu tienda", "1,500 de entrada", `data-intent="payment"`, "¿venden tamales?", "2 veces",
		"pregunta de hace 20 días", `href="/dashboard/chatbot?days=30" aria-current="page"`,
		`href="/dashboard/chatbot" aria-current="page"`, // the nav tab
	} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, `id="chatbot-empty"`) {
		t.Error("page shows the empty state")
	}

	r = c.Get("/dashboard/chatbot?days=7")
	if got := figure(t, r.Body, "total"); got != "4" || strings.Contains(r.Body, "pregunta de hace 20 días") ||
		!strings.Contains(r.Body, `href="/dashboard/chatbot?days=7" aria-current="page"`) {
		t.Fatalf("7 days: total %q, or the 20-day-old question is listed, or the period is not marked", got)
	}
	if got := figure(t, c.Get("/dashboard/chatbot?days=1000").Body, "total"); got != "5" {
		t.Fatalf("unknown period: total %q, want the default period's 5", got)
	}
}

func TestChatbotPageInEnglish(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tacos-ana")
	seedChat(a, o.Business.ID, "do you sell tamales?")
	c := a.Client()
	c.Login(o.Email, o.Password)
	c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}})

	r := c.Get("/dashboard/chatbot")
	for _, s := range []string{"Your store&#39;s assistant", "Answers from the cache", "Unanswered questions", "2 times", "1,500 in", "Last 90 days", "</svg> Assistant</a>"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("English page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "chat_dashboard.") {
		t.Error("English page shows an untranslated key")
	}
}

func TestChatbotPageEmptyState(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("nueva")
	c := a.Client()
	c.Login(o.Email, o.Password)
	r := c.Get("/dashboard/chatbot")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `id="chatbot-empty"`) ||
		!strings.Contains(r.Body, "aún no ha recibido preguntas") || !strings.Contains(r.Body, `href="`+testkit.BaseURL+`/nueva"`) {
		t.Fatalf("empty state: %d\n%s", r.StatusCode, r.Body)
	}
	if strings.Contains(r.Body, "data-figure") || strings.Contains(r.Body, "chat_dashboard.") {
		t.Fatal("the empty state shows figures or an untranslated key")
	}

	// Asked only long ago: the page says the period was quiet instead.
	a.ChatExchange(o.Business.ID, domain.ChatExchange{CreatedAt: a.Clock.Now().AddDate(0, 0, -60)})
	r = c.Get("/dashboard/chatbot?days=7")
	if !strings.Contains(r.Body, `id="chatbot-period-empty"`) || strings.Contains(r.Body, `id="chatbot-empty"`) {
		t.Fatalf("quiet period:\n%s", r.Body)
	}
	if r = c.Get("/dashboard/chatbot?days=90"); !strings.Contains(r.Body, `data-figure="total"`) {
		t.Fatal("90 days: no figures for the old exchange")
	}
}

func TestChatbotPageShowsOnlyTheOwnersStore(t *testing.T) {
	a := testkit.NewApp(t)
	ana, beto := a.CreateOwner("tacos-ana"), a.CreateOwner("pizzas-beto")
	seedChat(a, ana.Business.ID, "secreto de ana")
	for range 3 {
		a.ChatExchange(beto.Business.ID, domain.ChatExchange{Question: "pregunta de beto", Source: domain.ChatSourceCache, CreatedAt: a.Clock.Now().Add(-time.Minute)})
	}
	c := a.Client()
	c.Login(beto.Email, beto.Password)
	r := c.Get("/dashboard/chatbot")
	if strings.Contains(r.Body, "secreto de ana") || strings.Contains(r.Body, "pastor") {
		t.Fatal("Beto's page shows Ana's questions")
	}
	if got := figure(t, r.Body, "total"); got != "3" || figure(t, r.Body, "cache-rate") != "100%" || !strings.Contains(r.Body, "pregunta de beto") {
		t.Fatalf("Beto's page: total %q\n%s", got, r.Body)
	}
}

func TestChatbotPageNeedsAnOwner(t *testing.T) {
	a := testkit.NewApp(t)
	r := a.Client().Get("/dashboard/chatbot?days=7")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next="+url.QueryEscape("/dashboard/chatbot?days=7") {
		t.Fatalf("anonymous: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
}
