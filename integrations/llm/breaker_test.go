package llm_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/qubly/qubly/integrations/llm"
	"github.com/qubly/qubly/testkit"
)

// openBreaker makes failures calls fail with HTTP 500 so c's breaker opens.
func openBreaker(t *testing.T, c *llm.Client, fake *testkit.FakeLLM, failures int) {
	t.Helper()
	fake.SetDefault(testkit.LLMReply{Status: http.StatusInternalServerError})
	for i := range failures {
		if _, err := c.Complete(context.Background(), prompt, nil); !errors.Is(err, llm.ErrRetriesExhausted) {
			t.Fatalf("failing call %d: err = %v", i+1, err)
		}
	}
}

// untilHalfOpen calls c until the breaker lets a call through again (the
// cool-down is a few milliseconds) and returns that call's error.
func untilHalfOpen(t *testing.T, c *llm.Client) error {
	t.Helper()
	for range 500 {
		_, err := c.Complete(context.Background(), prompt, nil)
		if !errors.Is(err, llm.ErrCircuitOpen) {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the breaker never half-opened")
	return nil
}

func TestBreakerOpensAndRejectsWithoutCallingTheServer(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{MaxRetries: -1, BreakerFailures: 3, BreakerCooldown: time.Hour})
	openBreaker(t, c, fake, 3)

	fake.SetDefault(testkit.LLMReply{Text: "ok"})
	_, err := c.Complete(context.Background(), prompt, nil)
	if !errors.Is(err, llm.ErrCircuitOpen) || !errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v, want the breaker open", err)
	}
	if n := len(fake.Requests()); n != 3 {
		t.Fatalf("%d requests, want 3: an open breaker does not call the server", n)
	}
}

func TestBreakerCountsCallsNotTries(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{MaxRetries: 2, BreakerFailures: 2, BreakerCooldown: time.Hour})
	openBreaker(t, c, fake, 2)
	if n := len(fake.Requests()); n != 6 {
		t.Fatalf("%d requests, want 6 (two calls of three tries)", n)
	}
}

func TestBreakerSuccessResetsTheCount(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{MaxRetries: -1, BreakerFailures: 2, BreakerCooldown: time.Hour})
	openBreaker(t, c, fake, 1)
	fake.Script(testkit.LLMReply{Text: "ok"})
	if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	openBreaker(t, c, fake, 1) // one failure after a success: still closed
	if _, err := c.Complete(context.Background(), prompt, nil); errors.Is(err, llm.ErrCircuitOpen) {
		t.Fatalf("err = %v: the breaker opened on non-consecutive failures", err)
	}
}

func TestBreakerHalfOpenRecovers(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{MaxRetries: -1, BreakerFailures: 2, BreakerCooldown: 20 * time.Millisecond})
	openBreaker(t, c, fake, 2)

	fake.SetDefault(testkit.LLMReply{Text: "ya estamos de vuelta"})
	if err := untilHalfOpen(t, c); err != nil {
		t.Fatalf("probe call: %v", err)
	}
	for i := range 3 {
		if _, err := c.Complete(context.Background(), prompt, nil); err != nil {
			t.Fatalf("call %d after recovery: %v", i, err)
		}
	}
}

func TestBreakerHalfOpenFailureReopens(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	c, _ := newClient(t, fake, llm.Config{MaxRetries: -1, BreakerFailures: 2, BreakerCooldown: 20 * time.Millisecond})
	openBreaker(t, c, fake, 2)

	if err := untilHalfOpen(t, c); !errors.Is(err, llm.ErrRetriesExhausted) {
		t.Fatalf("probe call: err = %v, want the server's failure", err)
	}
	before := len(fake.Requests())
	if _, err := c.Complete(context.Background(), prompt, nil); !errors.Is(err, llm.ErrCircuitOpen) {
		t.Fatalf("after a failed probe: err = %v, want the breaker open again", err)
	}
	if n := len(fake.Requests()); n != before {
		t.Fatalf("%d requests, want %d", n, before)
	}
}
