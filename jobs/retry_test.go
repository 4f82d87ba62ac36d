package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestRunnerRetriesAFailedRunWithBackoff(t *testing.T) {
	db := testkit.NewDB(t)
	logs := &testkit.LogBuffer{}
	m := &jobCounts{runs: map[string]int{}, failures: map[string]int{}}
	r := jobs.NewRunner(repositories.NewLocker(db.DB), logs.Logger()).WithMetrics(m).WithRetry(3, time.Millisecond)

	name := "retry-" + t.Name()
	var calls atomic.Int32
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Every hour: only the first tick runs during the test, so every call
	// after the first is a retry within that run.
	r.Start(ctx, jobs.Job{Name: name, Every: time.Hour, Run: func(context.Context) error {
		switch calls.Add(1) {
		case 1:
			return errors.New("database hiccup")
		case 2:
			panic("boom")
		}
		close(done)
		return nil
	}})
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("job called %d times, want 3 (two failures, then success)", calls.Load())
	}
	testkit.WaitFor(t, "the success after retrying to be logged", func() bool { return logs.Count("job succeeded after retrying") == 1 })
	cancel()
	r.Wait()
	if n := calls.Load(); n != 3 {
		t.Fatalf("job called %d times, want 3", n)
	}
	if got := logs.Count("job failed; retrying"); got != 2 {
		t.Errorf("%d retry warnings, want 2:\n%s", got, logs)
	}
	if logs.Count("job failed") != 0 {
		t.Errorf("a run that succeeded on retry was logged as failed:\n%s", logs)
	}
	if m.runs[name] != 3 || m.failures[name] != 2 {
		t.Errorf("metrics: %d runs, %d failures; want 3, 2", m.runs[name], m.failures[name])
	}
}

func TestRunnerGivesUpAfterTheLastAttempt(t *testing.T) {
	db := testkit.NewDB(t)
	logs := &testkit.LogBuffer{}
	r := jobs.NewRunner(repositories.NewLocker(db.DB), logs.Logger()).WithRetry(3, time.Millisecond)

	var calls atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.Start(ctx, jobs.Job{Name: "broken-" + t.Name(), Every: time.Hour, Run: func(context.Context) error {
		calls.Add(1)
		return errors.New("always broken")
	}})
	testkit.WaitFor(t, "the run to be logged as failed", func() bool { return logs.Count("job failed") == 1 })
	cancel()
	r.Wait()
	if n := calls.Load(); n != 3 {
		t.Fatalf("job called %d times in one run, want 3 (bounded retries)", n)
	}
	if got := logs.Count("job failed; retrying"); got != 2 {
		t.Errorf("%d retry warnings, want 2:\n%s", got, logs)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "attempts=3") {
		t.Errorf("final failure not logged as an error after 3 attempts:\n%s", logs)
	}
}

func TestRunnerStopsRetryingOnShutdown(t *testing.T) {
	db := testkit.NewDB(t)
	r := jobs.NewRunner(repositories.NewLocker(db.DB), quietLog()).WithRetry(5, time.Hour)
	var calls atomic.Int32
	failed := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	r.Start(ctx, jobs.Job{Name: "shutdown-" + t.Name(), Every: time.Hour, Run: func(context.Context) error {
		if calls.Add(1) == 1 {
			close(failed)
		}
		return errors.New("failed")
	}})
	<-failed
	// The runner now waits an hour before its retry; cancelling ends the wait.
	cancel()
	r.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("job called %d times, want 1", n)
	}
}
