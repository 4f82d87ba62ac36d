// Package llm talks to any OpenAI-compatible chat-completions API (Groq by
// default, a local Ollama, OpenAI itself): it streams a reply, retries a
// failed try with backoff while nothing has reached the caller yet, and
// stops calling a failing server behind a circuit breaker.
package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/qubly/qubly/domain"
)

// Defaults of Config.
const (
	DefaultBaseURL          = "https://api.groq.com/openai/v1"
	DefaultModel            = "llama-3.1-8b-instant"
	DefaultTimeout          = 20 * time.Second
	DefaultFirstByteTimeout = 8 * time.Second
	DefaultMaxRetries       = 2
	DefaultMaxTokens        = 400
	DefaultTemperature      = 0.2
	DefaultRetryBase        = 300 * time.Millisecond
	DefaultRetryMax         = 3 * time.Second
	DefaultRetryAfterMax    = 5 * time.Second
	DefaultBreakerFailures  = 5
	DefaultBreakerCooldown  = 30 * time.Second
)

// Config sets up a Client; zero fields take the defaults above.
type Config struct {
	// BaseURL is the API root the path /chat/completions is added to, e.g.
	// "http://localhost:11434/v1" for Ollama.
	BaseURL string
	// APIKey goes in "Authorization: Bearer"; empty sends no such header
	// (Ollama needs none).
	APIKey string
	Model  string
	// Timeout bounds a whole Complete call, retries and waits included.
	Timeout time.Duration
	// FirstByteTimeout bounds each try until the first byte of the answer's
	// body; a try that misses it is retried like a connection error.
	FirstByteTimeout time.Duration
	// MaxRetries is how many times a failed try is repeated: 0 means
	// DefaultMaxRetries, a negative value none.
	MaxRetries int
	// MaxTokens caps a reply when the prompt sets no cap.
	MaxTokens int
	// Temperature is sent as is (0 means DefaultTemperature); a negative
	// value leaves it out, for the server's own default.
	Temperature float64
	// RetryBase and RetryMax shape the exponential backoff between tries;
	// RetryAfterMax caps how long a server's Retry-After is waited.
	RetryBase, RetryMax, RetryAfterMax time.Duration
	// BreakerFailures consecutive failed calls open the breaker; after
	// BreakerCooldown it lets one probe call through (half-open), which
	// closes it on success and reopens it on failure.
	BreakerFailures int
	BreakerCooldown time.Duration
	// HTTPClient sends the requests (default: a client without its own
	// timeout, since the context bounds each call).
	HTTPClient *http.Client
	// Logger receives retries and breaker changes (default: slog.Default()).
	Logger *slog.Logger
}

// Client completes chat prompts. It is safe for concurrent use; one Client
// (one breaker) serves every store.
type Client struct {
	cfg     Config
	url     string
	http    *http.Client
	log     *slog.Logger
	breaker *gobreaker.CircuitBreaker[domain.ChatCompletion]
	// sleep waits d or until ctx ends; tests replace it to record waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	c := &Client{
		cfg:   cfg,
		url:   strings.TrimRight(cfg.BaseURL, "/") + "/chat/completions",
		http:  cfg.HTTPClient,
		log:   cfg.Logger,
		sleep: sleepCtx,
	}
	failures := uint32(cfg.BreakerFailures)
	c.breaker = gobreaker.NewCircuitBreaker[domain.ChatCompletion](gobreaker.Settings{
		Name:        "llm",
		MaxRequests: 1,
		Timeout:     cfg.BreakerCooldown,
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= failures },
		IsExcluded:  notTheServersFault,
		OnStateChange: func(_ string, from, to gobreaker.State) {
			c.log.Warn("llm circuit breaker", "from", from.String(), "to", to.String(), "base_url", cfg.BaseURL)
		},
	})
	return c
}

func withDefaults(cfg Config) Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	cfg.APIKey = strings.TrimSpace(cfg.APIKey)
	def(&cfg.Timeout, DefaultTimeout)
	def(&cfg.FirstByteTimeout, DefaultFirstByteTimeout)
	def(&cfg.RetryBase, DefaultRetryBase)
	def(&cfg.RetryMax, DefaultRetryMax)
	def(&cfg.RetryAfterMax, DefaultRetryAfterMax)
	def(&cfg.BreakerCooldown, DefaultBreakerCooldown)
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.Temperature == 0 {
		cfg.Temperature = DefaultTemperature
	}
	if cfg.BreakerFailures <= 0 {
		cfg.BreakerFailures = DefaultBreakerFailures
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// Model is the model the client asks for.
func (c *Client) Model() string { return c.cfg.Model }

// Complete sends p's system and user messages and streams the reply: onDelta
// (may be nil) gets each piece of text as it arrives, in order, and the
// result holds the whole text and the token usage. When the server reports
// no usage, TokensIn and TokensOut are estimates (about 4 bytes a token).
//
// A try that fails before any text reached onDelta is retried (429, 5xx,
// connection errors, missed first byte) after a backoff or the server's
// Retry-After; once text was delivered nothing is retried, so the caller
// never sees a piece twice: the error wraps ErrInterrupted. Every failure
// wraps ErrUnavailable except the caller's cancellation of ctx and an error
// returned by onDelta, which ends the call as is.
func (c *Client) Complete(ctx context.Context, p domain.ChatPrompt, onDelta func(string) error) (domain.ChatCompletion, error) {
	if onDelta == nil {
		onDelta = func(string) error { return nil }
	}
	body, err := c.requestBody(p)
	if err != nil {
		return domain.ChatCompletion{}, err
	}
	out, err := c.breaker.Execute(func() (domain.ChatCompletion, error) {
		return c.withRetries(ctx, body, onDelta)
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return out, fmt.Errorf("%w: %w", ErrCircuitOpen, err)
	}
	if err != nil {
		return out, err
	}
	if out.TokensIn == 0 && out.TokensOut == 0 {
		out.TokensIn = estimateTokens(p.System) + estimateTokens(p.User)
		out.TokensOut = estimateTokens(out.Text)
	}
	return out, nil
}

// withRetries runs the tries of one call within the call's timeout.
func (c *Client) withRetries(parent context.Context, body []byte, onDelta func(string) error) (domain.ChatCompletion, error) {
	ctx, cancel := context.WithTimeoutCause(parent, c.cfg.Timeout, errCallTimeout)
	defer cancel()
	tries := c.cfg.MaxRetries + 1
	for n := 1; ; n++ {
		delivered := false
		out, err := c.try(ctx, body, func(s string) error {
			delivered = true
			return onDelta(s)
		})
		if err == nil {
			return out, nil
		}
		err = c.explain(parent, ctx, err)
		switch {
		case delivered:
			if errors.Is(err, errDeltaFailed) || parent.Err() != nil {
				return out, err
			}
			return out, fmt.Errorf("%w: %w", ErrInterrupted, err)
		case !retryable(err) || ctx.Err() != nil:
			return out, err
		case n >= tries:
			return out, fmt.Errorf("%w after %d tries: %w", ErrRetriesExhausted, n, err)
		}
		wait := backoff(n, c.cfg.RetryBase, c.cfg.RetryMax)
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			wait = min(se.RetryAfter, c.cfg.RetryAfterMax)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			// Waiting would use up the call's time: give up now, so the
			// caller's fallback answers sooner.
			return out, fmt.Errorf("%w after %d tries (no time left to wait %s): %w", ErrRetriesExhausted, n, wait, err)
		}
		c.log.Warn("llm retry", "try", n, "wait", wait.String(), "error", err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return out, c.explain(parent, ctx, err)
		}
	}
}

var (
	errCallTimeout      = errors.New("llm call timed out")
	errFirstByteTimeout = errors.New("llm first byte timed out")
	errDeltaFailed      = errors.New("llm: onDelta failed")
)

// explain turns the context errors of a failed try into the package's:
// the call's timeout → ErrTimeout; the caller's own cancellation → its
// context error (not ErrUnavailable).
func (c *Client) explain(parent, ctx context.Context, err error) error {
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("llm: %w", context.Cause(parent))
	case errors.Is(context.Cause(ctx), errCallTimeout):
		return fmt.Errorf("%w: %w (%s)", ErrTimeout, errCallTimeout, c.cfg.Timeout)
	}
	return err
}

// notTheServersFault keeps out of the breaker's counts what says nothing
// about the server: the caller cancelling, onDelta failing, and rejections
// of one request (400, 404, 413, 422…); 401 and 403 do count, since with a
// bad key every call fails.
func notTheServersFault(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, errDeltaFailed) {
		return !errors.Is(err, ErrUnavailable)
	}
	var se *StatusError
	if errors.As(err, &se) && errors.Is(err, ErrRejected) {
		return se.Status != http.StatusUnauthorized && se.Status != http.StatusForbidden
	}
	return false
}

// try sends one request and reads its answer.
func (c *Client) try(ctx context.Context, body []byte, onDelta func(string) error) (domain.ChatCompletion, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	firstByte := time.AfterFunc(c.cfg.FirstByteTimeout, func() { cancel(errFirstByteTimeout) })
	defer firstByte.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return domain.ChatCompletion{}, fmt.Errorf("llm: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream, application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return domain.ChatCompletion{}, tryError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		firstByte.Stop()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return domain.ChatCompletion{}, &StatusError{
			Status:     resp.StatusCode,
			Message:    strings.TrimSpace(string(msg)),
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}
	r := &firstByteReader{r: resp.Body, stop: firstByte}
	var out domain.ChatCompletion
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		out, err = readStream(r, onDelta)
	} else {
		out, err = readJSON(r, onDelta)
	}
	if err != nil {
		return out, tryError(ctx, err)
	}
	return out, nil
}

// tryError classes a transport or read error of a try: a missed first byte
// and other connection failures may be retried; the call's context ending
// is sorted out by explain.
func tryError(ctx context.Context, err error) error {
	if errors.Is(err, errDeltaFailed) || errors.Is(err, ErrUnavailable) {
		return err
	}
	if errors.Is(context.Cause(ctx), errFirstByteTimeout) {
		return &connError{err: fmt.Errorf("%w: %w", ErrTimeout, errFirstByteTimeout)}
	}
	return &connError{err: err}
}

// firstByteReader stops the time-to-first-byte timer on the first byte read.
type firstByteReader struct {
	r    io.Reader
	stop *time.Timer
	seen bool
}

func (f *firstByteReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if n > 0 && !f.seen {
		f.seen = true
		f.stop.Stop()
	}
	return n, err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// estimateTokens guesses a text's tokens at about 4 bytes each (rounded up),
// for servers that report no usage.
func estimateTokens(s string) int {
	return (len(s) + 3) / 4
}
