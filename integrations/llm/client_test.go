package llm_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/llm"
	"github.com/qubly/qubly/testkit"
)

var prompt = domain.ChatPrompt{System: "Eres el asistente de Tacos Ana.", User: "¿Cuánto cuesta el taco al pastor?"}

// waits records the waits between tries instead of spending them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// newClient returns a client of fake with cfg's other fields, its waits
// recorded in the returned waits.
func newClient(t *testing.T, fake *testkit.FakeLLM, cfg llm.Config) (*llm.Client, *waits) {
	t.Helper()
	cfg.BaseURL = fake.URL()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := llm.New(cfg)
	w := &waits{}
	llm.SetSleep(c, w.sleep)
	return c, w
}

// collect returns an onDelta that keeps the pieces it gets.
func collect() (*[]string, func(string) error) {
	var got []string
	return &got, func(s string) error { got = append(got, s); return nil }
}

func TestCompleteStreamsDeltasInOrder(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	text := "El taco al pastor cuesta $25. ¿Algo más?"
	fake.Script(testkit.LLMReply{Text: text, Chunks: 5, TokensIn: 120, TokensOut: 14})
	c, _ := newClient(t, fake, llm.Config{APIKey: "gsk-secret", Model: "llama-test"})

	deltas, onDelta := collect()
	out, err := c.Complete(context.Background(), prompt, onDelta)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if want := testkit.SplitText(text, 5); !reflect.DeepEqual(*deltas, want) {
		t.Fatalf("deltas = %q, want %q", *deltas, want)
	}
	if out != (domain.ChatCompletion{Text: text, TokensIn: 120, TokensOut: 14}) {
		t.Fatalf("out = %+v", out)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	wantMsgs := []testkit.LLMMessage{{Role: "system", Content: prompt.System}, {Role: "user", Content: prompt.User}}
	if r.Authorization != "Bearer gsk-secret" || r.Model != "llama-test" || !r.Stream || !r.IncludeUsage ||
		r.MaxTokens != llm.DefaultMaxTokens || !reflect.DeepEqual(r.Messages, wantMsgs) {
		t.Fatalf("request = %+v", r)
	}
}

func TestCompleteReadsAWholeJSONAnswer(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Text: "Abrimos a las 9.", JSON: true, TokensIn: 50, TokensOut: 5})
	c, _ := newClient(t, fake, llm.Config{})

	deltas, onDelta := collect()
	out, err := c.Complete(context.Background(), domain.ChatPrompt{User: "¿a q hora abren?", MaxTokens: 80}, onDelta)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if !reflect.DeepEqual(*deltas, []string{"Abrimos a las 9."}) || out.Text != "Abrimos a las 9." || out.TokensIn != 50 || out.TokensOut != 5 {
		t.Fatalf("deltas %q, out %+v", *deltas, out)
	}
	r := fake.Requests()[0]
	if len(r.Messages) != 1 || r.Messages[0].Role != "user" || r.MaxTokens != 80 || r.Model != llm.DefaultModel {
		t.Fatalf("request = %+v (no system message, the prompt's cap, the default model)", r)
	}
}

func TestCompleteWithoutDeltaCallback(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{})
	out, err := c.Complete(context.Background(), prompt, nil)
	if err != nil || out.Text != "Hola, ¿en qué te ayudo?" {
		t.Fatalf("Complete(nil onDelta) = %+v, %v", out, err)
	}
}

func TestCompleteEstimatesUsageWhenTheServerGivesNone(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Text: "12345678", Chunks: 2, NoUsage: true})
	c, _ := newClient(t, fake, llm.Config{})
	out, err := c.Complete(context.Background(), domain.ChatPrompt{System: "abcd", User: "abcdefgh"}, nil)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if out.TokensIn != 3 || out.TokensOut != 2 {
		t.Fatalf("estimated usage = %d in, %d out; want 3 and 2 (about 4 bytes a token)", out.TokensIn, out.TokensOut)
	}
}

func TestNoKeySendsNoAuthorization(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{APIKey: "  "})
	if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if auth := fake.Requests()[0].Authorization; auth != "" {
		t.Fatalf("Authorization = %q, want none (Ollama needs no key)", auth)
	}
}

func TestRateLimitThenSuccessHonoursRetryAfter(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Status: http.StatusTooManyRequests, RetryAfter: "2"}, testkit.LLMReply{Text: "Sí, hacemos envíos.", Chunks: 2})
	c, w := newClient(t, fake, llm.Config{})

	deltas, onDelta := collect()
	out, err := c.Complete(context.Background(), prompt, onDelta)
	if err != nil || out.Text != "Sí, hacemos envíos." {
		t.Fatalf("Complete = %+v, %v", out, err)
	}
	if len(fake.Requests()) != 2 || len(*deltas) != 2 {
		t.Fatalf("%d requests and deltas %q, want 2 and the second answer only", len(fake.Requests()), *deltas)
	}
	if got := w.all(); !reflect.DeepEqual(got, []time.Duration{2 * time.Second}) {
		t.Fatalf("waits = %v, want the server's Retry-After of 2s", got)
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Status: http.StatusTooManyRequests, RetryAfter: "3600"})
	c, w := newClient(t, fake, llm.Config{RetryAfterMax: 4 * time.Second})
	if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if got := w.all(); !reflect.DeepEqual(got, []time.Duration{4 * time.Second}) {
		t.Fatalf("waits = %v, want the cap of 4s", got)
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.SetDefault(testkit.LLMReply{Status: http.StatusInternalServerError})
	c, w := newClient(t, fake, llm.Config{MaxRetries: 2, RetryBase: time.Millisecond, RetryMax: 4 * time.Millisecond})

	_, err := c.Complete(context.Background(), prompt, nil)
	var se *llm.StatusError
	if !errors.Is(err, llm.ErrRetriesExhausted) || !errors.Is(err, llm.ErrUnavailable) || !errors.As(err, &se) || se.Status != 500 {
		t.Fatalf("err = %v, want retries exhausted on HTTP 500", err)
	}
	if n := len(fake.Requests()); n != 3 {
		t.Fatalf("%d requests, want 3 (1 + 2 retries)", n)
	}
	for i, d := range w.all() {
		if d <= 0 || d > 4*time.Millisecond {
			t.Fatalf("wait %d = %v, want within (0, RetryMax]", i, d)
		}
	}
}

func TestClientErrorIsNotRetried(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Status: http.StatusBadRequest})
	c, _ := newClient(t, fake, llm.Config{})
	_, err := c.Complete(context.Background(), prompt, nil)
	if !errors.Is(err, llm.ErrRejected) || !errors.Is(err, llm.ErrUnavailable) || errors.Is(err, llm.ErrRetriesExhausted) {
		t.Fatalf("err = %v, want a rejection", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestFirstByteTimeoutIsRetriedThenGivesUp(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.SetDefault(testkit.LLMReply{Hang: true})
	c, _ := newClient(t, fake, llm.Config{FirstByteTimeout: 30 * time.Millisecond, MaxRetries: 1})
	_, err := c.Complete(context.Background(), prompt, nil)
	if !errors.Is(err, llm.ErrTimeout) || !errors.Is(err, llm.ErrRetriesExhausted) {
		t.Fatalf("err = %v, want a timeout after the retries", err)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestCallTimeout(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.SetDefault(testkit.LLMReply{Hang: true})
	c, _ := newClient(t, fake, llm.Config{Timeout: 50 * time.Millisecond})
	_, err := c.Complete(context.Background(), prompt, nil)
	if !errors.Is(err, llm.ErrTimeout) || !errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v, want the call's timeout", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1 (no time left to retry)", n)
	}
}

func TestCallerCancellationIsNotUnavailability(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.SetDefault(testkit.LLMReply{Hang: true})
	c, _ := newClient(t, fake, llm.Config{BreakerFailures: 1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := c.Complete(ctx, prompt, nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v, want the caller's cancellation only", err)
	}
	fake.SetDefault(testkit.LLMReply{Text: "ok"})
	if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
		t.Fatalf("after a cancelled call: %v (a cancellation must not open the breaker)", err)
	}
}

func TestNoRetryAfterTheFirstDelta(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	text := "uno dos tres cuatro"
	fake.Script(testkit.LLMReply{Text: text, Chunks: 4, CutAfter: 2})
	c, _ := newClient(t, fake, llm.Config{MaxRetries: 3})

	deltas, onDelta := collect()
	out, err := c.Complete(context.Background(), prompt, onDelta)
	if !errors.Is(err, llm.ErrInterrupted) || !errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v, want an interrupted stream", err)
	}
	want := testkit.SplitText(text, 4)[:2]
	if !reflect.DeepEqual(*deltas, want) || out.Text != want[0]+want[1] {
		t.Fatalf("deltas %q, out %q; want the first two pieces, once", *deltas, out.Text)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1 (never retried once text was delivered)", n)
	}
}

func TestMalformedStream(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Text: "uno dos tres", Chunks: 3, Malformed: true})
	c, _ := newClient(t, fake, llm.Config{})
	deltas, onDelta := collect()
	_, err := c.Complete(context.Background(), prompt, onDelta)
	if !errors.Is(err, llm.ErrBadResponse) || !errors.Is(err, llm.ErrInterrupted) || len(*deltas) != 1 {
		t.Fatalf("err = %v, deltas %q; want a malformed-stream error after one piece", err, *deltas)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestDeltaCallbackErrorStopsTheCall(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.Script(testkit.LLMReply{Text: "uno dos tres", Chunks: 3})
	c, _ := newClient(t, fake, llm.Config{BreakerFailures: 1})
	gone := errors.New("shopper left")
	calls := 0
	_, err := c.Complete(context.Background(), prompt, func(string) error { calls++; return gone })
	if !errors.Is(err, gone) || errors.Is(err, llm.ErrUnavailable) || calls != 1 {
		t.Fatalf("err = %v after %d calls, want onDelta's error after its first call", err, calls)
	}
	if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
		t.Fatalf("next call: %v (onDelta's error must not open the breaker)", err)
	}
}

func TestAPIKeyIsNotLogged(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	fake.SetDefault(testkit.LLMReply{Status: http.StatusServiceUnavailable})
	var logs bytes.Buffer
	c, _ := newClient(t, fake, llm.Config{APIKey: "gsk-very-secret", BreakerFailures: 1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	c.Complete(context.Background(), prompt, nil)
	if logs.Len() == 0 || bytes.Contains(logs.Bytes(), []byte("gsk-very-secret")) {
		t.Fatalf("logs (want retries and the breaker, never the key):\n%s", logs.String())
	}
}

// TestOtherServersStreams reads streams as other servers write them: no
// space after "data:", CRLF, comments, usage under x_groq, an end without
// [DONE] after a finish reason.
func TestOtherServersStreams(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.Write([]byte(": keep-alive\r\n\r\n" +
			"data:{\"choices\":[{\"delta\":{\"content\":\"Ho\"}}]}\r\n\r\n" +
			"event: message\ndata: {\"choices\":[{\"delta\":{\"content\":\"la\"},\"finish_reason\":\"stop\"}],\"x_groq\":{\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}}\n\n"))
	}))
	t.Cleanup(srv.Close)
	c := llm.New(llm.Config{BaseURL: srv.URL + "/", Logger: slog.New(slog.DiscardHandler)})
	deltas, onDelta := collect()
	out, err := c.Complete(context.Background(), prompt, onDelta)
	if err != nil || !reflect.DeepEqual(*deltas, []string{"Ho", "la"}) || out != (domain.ChatCompletion{Text: "Hola", TokensIn: 9, TokensOut: 2}) {
		t.Fatalf("Complete = %+v, %v; deltas %q", out, err, *deltas)
	}
}

func TestConnectionErrorsAreRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there any more
	c := llm.New(llm.Config{BaseURL: srv.URL, MaxRetries: 2, Logger: slog.New(slog.DiscardHandler)})
	w := &waits{}
	llm.SetSleep(c, w.sleep)
	_, err := c.Complete(context.Background(), prompt, nil)
	if !errors.Is(err, llm.ErrRetriesExhausted) || !errors.Is(err, llm.ErrUnavailable) || len(w.all()) != 2 {
		t.Fatalf("err = %v after %d waits, want retries exhausted after 2 waits", err, len(w.all()))
	}
}
