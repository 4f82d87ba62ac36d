package chat_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/llm"
	"github.com/qubly/qubly/testkit"
)

// llmShop is a store whose assistant talks to a fake OpenAI-compatible
// server through the real client, with short timeouts.
type llmShop struct {
	a     *testkit.App
	fake  *testkit.FakeLLM
	owner *testkit.Owner
	latte *domain.Product
}

func newLLMShop(t *testing.T, cfg llm.Config) *llmShop {
	t.Helper()
	fake := testkit.NewFakeLLM(t)
	cfg.BaseURL, cfg.APIKey, cfg.Logger = fake.URL(), "test-key", testkit.Logger(t)
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.RetryBase, cfg.RetryMax, cfg.RetryAfterMax = time.Millisecond, 5*time.Millisecond, 5*time.Millisecond
	a := testkit.NewApp(t, testkit.WithChatLLM(llm.New(cfg)))
	owner := a.CreateOwner("cafe")
	latte := a.Product(owner.Business.ID, "Latte", testkit.Price(4500))
	return &llmShop{a: a, fake: fake, owner: owner, latte: latte}
}

// events reads a server-sent event stream into its (event, data) pairs.
func events(t *testing.T, body string) [][2]string {
	t.Helper()
	var out [][2]string
	var name string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			out = append(out, [2]string{name, strings.TrimPrefix(line, "data: ")})
		}
	}
	return out
}

func TestChatStreamsTheLLMsReply(t *testing.T) {
	s := newLLMShop(t, llm.Config{})
	s.fake.Script(testkit.LLMReply{Text: "El Latte cuesta $45 MXN. Pídelo en https://evil.example/x hoy.", Chunks: 6, TokensIn: 800, TokensOut: 20})
	r := post(s.a.Client(), "cafe", `{"message": "¿Cuánto cuesta el latte?", "session_id": "w1"}`, "Accept", "text/event-stream")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("%d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	evs := events(t, r.Body)
	var streamed strings.Builder
	deltas := 0
	for _, ev := range evs[:len(evs)-1] {
		var d struct{ Text string }
		if ev[0] != "delta" || json.Unmarshal([]byte(ev[1]), &d) != nil {
			t.Fatalf("event %v before done", ev)
		}
		deltas++
		streamed.WriteString(d.Text)
	}
	last := evs[len(evs)-1]
	var done answer
	if last[0] != "done" || json.Unmarshal([]byte(last[1]), &done) != nil {
		t.Fatalf("last event %v, want done", last)
	}
	if deltas < 2 || done.Source != domain.ChatSourceLLM || done.Intent != domain.IntentPrice {
		t.Fatalf("%d deltas, done %+v", deltas, done)
	}
	if strings.Contains(streamed.String(), "evil") || strings.Contains(done.Reply, "evil") || !strings.Contains(done.Reply, "$45 MXN") {
		t.Fatalf("streamed %q, reply %q: the foreign link must be gone from both", streamed.String(), done.Reply)
	}
	req := s.fake.Requests()
	if len(req) != 1 || req[0].Authorization != "Bearer test-key" || !req[0].Stream || len(req[0].Messages) != 2 ||
		!strings.Contains(req[0].Messages[1].Content, "Latte") {
		t.Fatalf("LLM requests %+v", req)
	}
	var e domain.ChatExchange
	s.a.DB.Where("business_id = ?", s.owner.Business.ID).First(&e)
	if e.Source != domain.ChatSourceLLM || e.TokensIn != 800 || e.TokensOut != 20 || e.SessionID != "w1" || !e.Answered {
		t.Fatalf("logged %+v", e)
	}
	// Without asking for a stream the same kind of answer comes as JSON.
	s.fake.Script(testkit.LLMReply{Text: "Tenemos Latte.", Chunks: 2})
	if ans := decode(t, post(s.a.Client(), "cafe", `{"message": "¿qué tienen?"}`)); ans.Source != domain.ChatSourceLLM || ans.Reply != "Tenemos Latte." {
		t.Fatalf("JSON answer %+v", ans)
	}
}

func TestChatRetriesA429ThenAnswers(t *testing.T) {
	s := newLLMShop(t, llm.Config{})
	s.fake.Script(testkit.LLMReply{Status: http.StatusTooManyRequests, RetryAfter: "0"}, testkit.LLMReply{Text: "Sí, el Latte.", Chunks: 2})
	ans := decode(t, post(s.a.Client(), "cafe", `{"message": "¿tienen latte?"}`))
	if ans.Source != domain.ChatSourceLLM || ans.Reply != "Sí, el Latte." || len(s.fake.Requests()) != 2 {
		t.Fatalf("answer %+v after %d requests", ans, len(s.fake.Requests()))
	}
}

func TestChatFallsBackWhenTheLLMTimesOut(t *testing.T) {
	s := newLLMShop(t, llm.Config{Timeout: 300 * time.Millisecond, FirstByteTimeout: 100 * time.Millisecond, MaxRetries: -1})
	s.fake.SetDefault(testkit.LLMReply{Hang: true})
	r := post(s.a.Client(), "cafe", `{"message": "¿cuánto cuesta el latte?"}`, "Accept", "text/event-stream")
	evs := events(t, r.Body)
	var ans answer
	if len(evs) != 1 || evs[0][0] != "done" || json.Unmarshal([]byte(evs[0][1]), &ans) != nil {
		t.Fatalf("events %v, want only done", evs)
	}
	if ans.Source != domain.ChatSourceFallback || !strings.Contains(ans.Reply, "Latte: $45.00") {
		t.Fatalf("answer %+v, want the fallback with the price", ans)
	}
}

func TestChatFallsBackWithoutCallingWhileTheBreakerIsOpen(t *testing.T) {
	s := newLLMShop(t, llm.Config{MaxRetries: -1, BreakerFailures: 2, BreakerCooldown: time.Hour})
	s.fake.SetDefault(testkit.LLMReply{Status: http.StatusInternalServerError})
	c := s.a.Client()
	for i := 0; i < 4; i++ {
		ans := decode(t, post(c, "cafe", fmt.Sprintf(`{"message": "¿tienen latte %d?"}`, i)))
		if ans.Source != domain.ChatSourceFallback {
			t.Fatalf("question %d: %+v", i, ans)
		}
	}
	if n := len(s.fake.Requests()); n != 2 {
		t.Fatalf("the LLM got %d requests; after 2 failures the breaker must stop them", n)
	}
}

func TestChatCacheServesRepeatsUntilTheOwnerEditsAPrice(t *testing.T) {
	s := newLLMShop(t, llm.Config{})
	s.fake.SetDefault(testkit.LLMReply{Text: "El Latte cuesta $45.", Chunks: 1})
	shopper := s.a.Client()
	ask := func(msg string) answer { return decode(t, post(shopper, "cafe", `{"message": "`+msg+`"}`)) }
	if a := ask("¿Cuánto cuesta el latte?"); a.Source != domain.ChatSourceLLM {
		t.Fatalf("first: %+v", a)
	}
	if a := ask("cuanto cuesta el LATTE"); a.Source != domain.ChatSourceCache || a.Reply != "El Latte cuesta $45." {
		t.Fatalf("repeat: %+v", a)
	}
	// The owner changes the price in the dashboard.
	owner := s.a.Client()
	owner.Login(s.owner.Email, s.owner.Password)
	r := owner.PostForm(fmt.Sprintf("/dashboard/products/%d", s.latte.ID), url.Values{"name": {"Latte"}, "price": {"52"}, "active": {"on"}})
	if r.StatusCode >= 400 {
		t.Fatalf("price edit: %d", r.StatusCode)
	}
	s.fake.SetDefault(testkit.LLMReply{Text: "El Latte cuesta $52.", Chunks: 1})
	if a := ask("¿Cuánto cuesta el latte?"); a.Source != domain.ChatSourceLLM || a.Reply != "El Latte cuesta $52." {
		t.Fatalf("after the edit: %+v", a)
	}
	req := s.fake.Requests()
	if len(req) != 2 || !strings.Contains(req[1].Messages[1].Content, "52") {
		t.Fatalf("%d LLM requests; the second must carry the new price", len(req))
	}
}
