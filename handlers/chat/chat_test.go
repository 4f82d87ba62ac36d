package chat_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// post sends a question to slug's assistant as the widget does.
func post(c *testkit.Client, slug, body string, header ...string) *testkit.Response {
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/"+slug+"/chat", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.Do(req)
}

type answer struct {
	Reply     string            `json:"reply"`
	Intent    domain.Intent     `json:"intent"`
	Source    domain.ChatSource `json:"source"`
	Error     string            `json:"error"`
	Fields    map[string]string `json:"fields"`
	RequestID string            `json:"request_id"`
}

func decode(t *testing.T, r *testkit.Response) answer {
	t.Helper()
	var a answer
	if err := json.Unmarshal([]byte(r.Body), &a); err != nil {
		t.Fatalf("%d %s: not JSON: %v", r.StatusCode, r.Body, err)
	}
	return a
}

func TestChatAnswersWithoutAnLLM(t *testing.T) {
	a := testkit.NewApp(t)
	shop := a.Shop("cafe", map[string]any{"delivery_enabled": true, "delivery_fee_cents": 3000})
	a.Product(shop.ID, "Latte", testkit.Price(4500))
	c := a.Client()
	r := post(c, "cafe", `{"message": "¿Hacen envíos?", "session_id": "abc"}`)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	ans := decode(t, r)
	if ans.Source != domain.ChatSourceFallback || ans.Intent != domain.IntentDelivery || !strings.Contains(ans.Reply, "$30.00") {
		t.Fatalf("answer %+v", ans)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	// Asked for a stream, a fallback answer still comes whole as JSON.
	r = post(c, "cafe", `{"message": "¿Qué tienen?"}`, "Accept", "text/event-stream")
	if ans := decode(t, r); r.StatusCode != http.StatusOK || !strings.Contains(ans.Reply, "Latte: $45.00") {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	var n int64
	a.DB.Model(&domain.ChatExchange{}).Where("business_id = ?", shop.ID).Count(&n)
	if n != 2 {
		t.Fatalf("%d exchanges logged, want 2", n)
	}
}

func TestChatBadInputInTheStoresLanguage(t *testing.T) {
	a := testkit.NewApp(t)
	a.Shop("cafe", nil)
	a.Shop("shop", map[string]any{"language": "en"})
	c := a.Client()
	cases := []struct{ slug, body, want string }{
		{"cafe", `{"message": "   "}`, "Escribe tu pregunta."},
		{"cafe", `{"message": "` + strings.Repeat("ñ", domain.ChatMessageMax+1) + `"}`, "máximo 500 caracteres"},
		{"cafe", `not json`, "No pudimos leer tu pregunta."},
		{"shop", `{"message": ""}`, "Type your question."},
		{"shop", `{"message": 42}`, "We could not read your question."},
	}
	for _, tc := range cases {
		r := post(c, tc.slug, tc.body)
		ans := decode(t, r)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(ans.Fields["message"], tc.want) || ans.Error == "" {
			t.Errorf("%s %.40s: %d %s, want 400 with %q on message", tc.slug, tc.body, r.StatusCode, r.Body, tc.want)
		}
	}
	var n int64
	a.DB.Model(&domain.ChatExchange{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d exchanges logged for bad input", n)
	}
}

func TestChatUnknownAndOfflineStores(t *testing.T) {
	a := testkit.NewApp(t)
	now := a.Clock.Now()
	a.Shop("gone", map[string]any{"subscription_status": domain.SubscriptionCancelled, "trial_ends_at": now.Add(-time.Hour)})
	c := a.Client()
	if r := post(c, "nadie", `{"message": "hola"}`); r.StatusCode != http.StatusNotFound || decode(t, r).Error == "" {
		t.Errorf("unknown store: %d %s", r.StatusCode, r.Body)
	}
	r := post(c, "gone", `{"message": "hola"}`)
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || decode(t, r).Error == "" {
		t.Errorf("cancelled store: %d %s", r.StatusCode, r.Body)
	}
}

func TestChatIsRateLimitedPerIP(t *testing.T) {
	a := testkit.NewApp(t)
	a.Shop("cafe", nil)
	c := a.Client()
	var last *testkit.Response
	for i := 0; i < 25 && (last == nil || last.StatusCode == http.StatusOK); i++ {
		last = post(c, "cafe", `{"message": "hola"}`)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" || decode(t, last).Error == "" {
		t.Fatalf("after many questions: %d %s", last.StatusCode, last.Body)
	}
}

func TestChatRefusesOtherSites(t *testing.T) {
	a := testkit.NewApp(t)
	a.Shop("cafe", nil)
	r := post(a.Client(), "cafe", `{"message": "hola"}`, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site question: %d %s", r.StatusCode, r.Body)
	}
}
