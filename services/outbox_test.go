package services_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/resend"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

type outboxEnv struct {
	outbox *repositories.Outbox
	fake   *testkit.FakeResend
	clock  *fakeClock
	sender *services.OutboxSender
}

func newOutboxEnv(t *testing.T) *outboxEnv {
	t.Helper()
	db := testkit.NewDB(t)
	env := &outboxEnv{
		outbox: repositories.NewOutbox(db.DB),
		fake:   testkit.NewFakeResend(t),
		clock:  &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)},
	}
	client := resend.New("re_test", "Qubly <hola@qubly.test>", env.fake.URL())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	env.sender = services.NewOutboxSender(env.outbox, repositories.NewTransactor(db.DB), client, env.clock.Now, log)
	return env
}

func (env *outboxEnv) enqueue(t *testing.T, key string, due time.Time) int64 {
	t.Helper()
	e := &domain.OutboxEmail{
		IdempotencyKey: key,
		ToAddress:      "ana@example.com",
		Subject:        "Confirma tu correo",
		HTMLBody:       "<p>Hola Ana</p>",
		TextBody:       "Hola Ana",
		Template:       "verify_email",
		Status:         domain.OutboxPending,
		NextAttemptAt:  due,
	}
	if err := env.outbox.Enqueue(context.Background(), e); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return e.ID
}

func (env *outboxEnv) get(t *testing.T, id int64) *domain.OutboxEmail {
	t.Helper()
	e, err := env.outbox.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get email %d: %v", id, err)
	}
	return e
}

func (env *outboxEnv) runOnce(t *testing.T) (sent, failed int) {
	t.Helper()
	sent, failed, err := env.sender.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return sent, failed
}

func TestOutboxRetriesThenSends(t *testing.T) {
	env := newOutboxEnv(t)
	t0 := env.clock.Now()
	id := env.enqueue(t, "key-retry", t0)
	env.fake.FailNext(2)

	// First try fails: retry after BaseDelay.
	if sent, failed := env.runOnce(t); sent != 0 || failed != 1 {
		t.Fatalf("try 1: sent %d failed %d, want 0 1", sent, failed)
	}
	e := env.get(t, id)
	if e.Status != domain.OutboxPending || e.Attempts != 1 || e.LastError == "" {
		t.Fatalf("after try 1: status %s attempts %d last_error %q", e.Status, e.Attempts, e.LastError)
	}
	if got, want := e.NextAttemptAt.Sub(t0), 30*time.Second; got != want {
		t.Fatalf("first delay %v, want %v", got, want)
	}

	// Just before the retry is due nothing happens.
	env.clock.Set(e.NextAttemptAt.Add(-time.Second))
	if sent, failed := env.runOnce(t); sent+failed != 0 {
		t.Fatalf("before due: sent %d failed %d, want nothing", sent, failed)
	}

	// Second try fails: the delay doubles.
	t1 := e.NextAttemptAt
	env.clock.Set(t1)
	if sent, failed := env.runOnce(t); sent != 0 || failed != 1 {
		t.Fatalf("try 2: sent %d failed %d, want 0 1", sent, failed)
	}
	e = env.get(t, id)
	if e.Attempts != 2 {
		t.Fatalf("after try 2: attempts %d, want 2", e.Attempts)
	}
	if got, want := e.NextAttemptAt.Sub(t1), 60*time.Second; got != want {
		t.Fatalf("second delay %v, want %v", got, want)
	}

	// Third try succeeds.
	t2 := e.NextAttemptAt
	env.clock.Set(t2)
	if sent, failed := env.runOnce(t); sent != 1 || failed != 0 {
		t.Fatalf("try 3: sent %d failed %d, want 1 0", sent, failed)
	}
	e = env.get(t, id)
	if e.Status != domain.OutboxSent || e.Attempts != 3 || e.LastError != "" {
		t.Fatalf("after try 3: status %s attempts %d last_error %q", e.Status, e.Attempts, e.LastError)
	}
	if e.SentAt == nil || !e.SentAt.Equal(t2) {
		t.Fatalf("sent_at %v, want %v", e.SentAt, t2)
	}

	reqs := env.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("fake got %d emails, want 1", len(reqs))
	}
	r := reqs[0]
	if e.ProviderID != r.ID {
		t.Fatalf("provider id %q, want %q", e.ProviderID, r.ID)
	}
	if r.Subject != "Confirma tu correo" || r.HTML != "<p>Hola Ana</p>" || r.Text != "Hola Ana" ||
		len(r.To) != 1 || r.To[0] != "ana@example.com" || r.From != "Qubly <hola@qubly.test>" {
		t.Fatalf("fake got %+v", r)
	}
	calls := env.fake.Calls()
	if len(calls) != 3 {
		t.Fatalf("fake got %d calls, want 3", len(calls))
	}
	for i, c := range calls {
		if c.IdempotencyKey != "key-retry" {
			t.Fatalf("call %d idempotency key %q, want key-retry", i+1, c.IdempotencyKey)
		}
	}

	// Nothing is left to send.
	env.clock.Set(t2.Add(24 * time.Hour))
	if sent, failed := env.runOnce(t); sent+failed != 0 {
		t.Fatalf("after sent: sent %d failed %d, want nothing", sent, failed)
	}
}

func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	env := newOutboxEnv(t)
	env.sender.MaxAttempts = 4
	id := env.enqueue(t, "key-dead", env.clock.Now())
	env.fake.FailNext(1000)

	var delays []time.Duration
	for try := 1; try <= 4; try++ {
		now := env.clock.Now()
		if sent, failed := env.runOnce(t); sent != 0 || failed != 1 {
			t.Fatalf("try %d: sent %d failed %d, want 0 1", try, sent, failed)
		}
		e := env.get(t, id)
		if e.Attempts != try {
			t.Fatalf("try %d: attempts %d", try, e.Attempts)
		}
		if try < 4 {
			if e.Status != domain.OutboxPending {
				t.Fatalf("try %d: status %s, want pending", try, e.Status)
			}
			delays = append(delays, e.NextAttemptAt.Sub(now))
			env.clock.Set(e.NextAttemptAt)
		}
	}
	want := []time.Duration{30 * time.Second, 60 * time.Second, 120 * time.Second}
	if fmt.Sprint(delays) != fmt.Sprint(want) {
		t.Fatalf("delays %v, want %v", delays, want)
	}
	e := env.get(t, id)
	if e.Status != domain.OutboxDead || !strings.Contains(e.LastError, "fake failure") || e.SentAt != nil {
		t.Fatalf("after last try: status %s last_error %q sent_at %v", e.Status, e.LastError, e.SentAt)
	}

	// A dead email is never picked again.
	env.clock.Set(env.clock.Now().Add(30 * 24 * time.Hour))
	if sent, failed := env.runOnce(t); sent+failed != 0 {
		t.Fatalf("dead email picked: sent %d failed %d", sent, failed)
	}
	if n := len(env.fake.Calls()); n != 4 {
		t.Fatalf("fake got %d calls, want 4", n)
	}
}

func TestOutboxBackoffIsCapped(t *testing.T) {
	env := newOutboxEnv(t)
	env.sender.MaxDelay = 90 * time.Second
	id := env.enqueue(t, "key-cap", env.clock.Now())
	env.fake.FailNext(1000)

	var delays []time.Duration
	for try := 1; try <= 4; try++ {
		now := env.clock.Now()
		env.runOnce(t)
		e := env.get(t, id)
		delays = append(delays, e.NextAttemptAt.Sub(now))
		env.clock.Set(e.NextAttemptAt)
	}
	want := []time.Duration{30 * time.Second, 60 * time.Second, 90 * time.Second, 90 * time.Second}
	if fmt.Sprint(delays) != fmt.Sprint(want) {
		t.Fatalf("delays %v, want %v", delays, want)
	}
}

func TestOutboxSkipsEmailsNotDue(t *testing.T) {
	env := newOutboxEnv(t)
	now := env.clock.Now()
	later := env.enqueue(t, "key-later", now.Add(time.Minute))
	due := env.enqueue(t, "key-due", now)

	if sent, failed := env.runOnce(t); sent != 1 || failed != 0 {
		t.Fatalf("sent %d failed %d, want 1 0", sent, failed)
	}
	if e := env.get(t, due); e.Status != domain.OutboxSent {
		t.Fatalf("due email status %s, want sent", e.Status)
	}
	if e := env.get(t, later); e.Status != domain.OutboxPending || e.Attempts != 0 {
		t.Fatalf("future email status %s attempts %d, want untouched", e.Status, e.Attempts)
	}
	reqs := env.fake.Requests()
	if len(reqs) != 1 || reqs[0].IdempotencyKey != "key-due" {
		t.Fatalf("fake got %+v, want only key-due", reqs)
	}
}

func TestOutboxBatchSize(t *testing.T) {
	env := newOutboxEnv(t)
	env.sender.BatchSize = 2
	for i := range 3 {
		env.enqueue(t, fmt.Sprintf("key-batch-%d", i), env.clock.Now())
	}
	if sent, _ := env.runOnce(t); sent != 2 {
		t.Fatalf("first run sent %d, want 2", sent)
	}
	if sent, _ := env.runOnce(t); sent != 1 {
		t.Fatalf("second run sent %d, want 1", sent)
	}
	if n := len(env.fake.Requests()); n != 3 {
		t.Fatalf("fake got %d emails, want 3", n)
	}
}

func TestOutboxDevMailbox(t *testing.T) {
	db := testkit.NewDB(t)
	outbox := repositories.NewOutbox(db.DB)
	clock := func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }
	s := services.NewOutboxSender(outbox, repositories.NewTransactor(db.DB), resend.DevMailbox{}, clock, nil)
	e := &domain.OutboxEmail{IdempotencyKey: "key-dev", ToAddress: "a@example.com", Subject: "S",
		HTMLBody: "<p>x</p>", TextBody: "x", Template: "verify_email", Status: domain.OutboxPending, NextAttemptAt: clock()}
	if err := outbox.Enqueue(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if sent, _, err := s.RunOnce(context.Background()); err != nil || sent != 1 {
		t.Fatalf("RunOnce: sent %d err %v", sent, err)
	}
	got, err := outbox.Get(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != domain.OutboxSent || got.ProviderID != "devmail" || got.HTMLBody != "<p>x</p>" {
		t.Fatalf("dev mailbox email: status %s provider %q", got.Status, got.ProviderID)
	}
}

// blockingSender holds every send until release is closed.
type blockingSender struct {
	started chan int64
	release chan struct{}
}

func (s *blockingSender) Send(_ context.Context, e domain.OutboxEmail) (string, error) {
	s.started <- e.ID
	<-s.release
	return "blocked-" + e.IdempotencyKey, nil
}

func TestOutboxTwoInstancesNeverSendTheSameEmail(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("row locks need PostgreSQL; set TEST_DATABASE_URL")
	}
	db := testkit.NewDB(t)
	other := testkit.SecondPool(t, db) // a second instance's pool
	clock := func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }
	outboxA := repositories.NewOutbox(db.DB)
	e := &domain.OutboxEmail{IdempotencyKey: "key-once", ToAddress: "a@example.com", Subject: "S",
		HTMLBody: "<p>x</p>", TextBody: "x", Template: "verify_email", Status: domain.OutboxPending, NextAttemptAt: clock()}
	if err := outboxA.Enqueue(context.Background(), e); err != nil {
		t.Fatal(err)
	}

	blocked := &blockingSender{started: make(chan int64, 1), release: make(chan struct{})}
	a := services.NewOutboxSender(outboxA, repositories.NewTransactor(db.DB), blocked, clock, nil)
	fake := testkit.NewFakeResend(t)
	b := services.NewOutboxSender(repositories.NewOutbox(other), repositories.NewTransactor(other),
		resend.New("re_test", "Qubly <hola@qubly.test>", fake.URL()), clock, nil)

	type result struct {
		sent int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		sent, _, err := a.RunOnce(context.Background())
		done <- result{sent, err}
	}()
	select {
	case <-blocked.started: // A holds the email's row lock, mid-send.
	case r := <-done:
		t.Fatalf("instance A finished without sending: %+v", r)
	}
	sent, failed, err := b.RunOnce(context.Background())
	if err != nil || sent+failed != 0 {
		t.Fatalf("instance B: sent %d failed %d err %v, want nothing while A sends", sent, failed, err)
	}
	close(blocked.release)
	if r := <-done; r.err != nil || r.sent != 1 {
		t.Fatalf("instance A: %+v, want 1 sent", r)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Fatalf("instance B called the API %d times", n)
	}
	got, err := outboxA.Get(context.Background(), e.ID)
	if err != nil || got.Status != domain.OutboxSent || got.Attempts != 1 || got.ProviderID != "blocked-key-once" {
		t.Fatalf("email after both runs: %+v %v", got, err)
	}
}

// TestOutboxHoldsNoLockWhileSending checks that an email is sent outside any
// transaction: while the provider's call hangs, other writes (an order, a
// sign-up) go through at once, also on SQLite where a transaction holds the
// database's only write lock.
func TestOutboxHoldsNoLockWhileSending(t *testing.T) {
	db := testkit.NewDB(t)
	clock := func() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }
	outbox := repositories.NewOutbox(db.DB)
	tx := repositories.NewTransactor(db.DB)
	e := &domain.OutboxEmail{IdempotencyKey: "key-nolock", ToAddress: "a@example.com", Subject: "S",
		HTMLBody: "<p>x</p>", TextBody: "x", Template: "verify_email", Status: domain.OutboxPending, NextAttemptAt: clock()}
	if err := outbox.Enqueue(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	blocked := &blockingSender{started: make(chan int64, 1), release: make(chan struct{})}
	s := services.NewOutboxSender(outbox, tx, blocked, clock, nil)
	done := make(chan error, 1)
	go func() {
		_, _, err := s.RunOnce(context.Background())
		done <- err
	}()
	<-blocked.started
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := tx.InTx(ctx, func(ctx context.Context) error {
		return outbox.Enqueue(ctx, &domain.OutboxEmail{IdempotencyKey: "key-other", ToAddress: "b@example.com", Subject: "S",
			HTMLBody: "<p>y</p>", TextBody: "y", Template: "verify_email", Status: domain.OutboxPending, NextAttemptAt: clock().Add(time.Hour)})
	})
	close(blocked.release)
	if err != nil {
		t.Fatalf("a write while an email was being sent: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, err := outbox.Get(context.Background(), e.ID); err != nil || got.Status != domain.OutboxSent || got.Attempts != 1 {
		t.Fatalf("email after the run: %+v %v", got, err)
	}
}
