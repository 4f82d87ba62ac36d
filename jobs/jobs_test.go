package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestRunnerRunsUntilCancelled(t *testing.T) {
	db := testkit.NewDB(t)
	r := jobs.NewRunner(repositories.NewLocker(db.DB), quietLog())

	var runs atomic.Int32
	// stopped is set once Wait returns: a run that starts or ends after it
	// means Wait did not wait for the job.
	var stopped atomic.Bool
	reached := make(chan struct{})
	var once sync.Once
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.Start(ctx, jobs.Job{Name: "count-" + t.Name(), Every: time.Millisecond, Run: func(context.Context) error {
		if stopped.Load() {
			t.Error("job started after Wait returned")
		}
		if runs.Add(1) == 3 {
			once.Do(func() { close(reached) })
		}
		if stopped.Load() {
			t.Error("job still running after Wait returned")
		}
		return nil
	}})

	select {
	case <-reached:
	case <-time.After(30 * time.Second):
		t.Fatalf("job ran %d times, want 3", runs.Load())
	}
	cancel()
	r.Wait()
	stopped.Store(true)
	after := runs.Load()
	time.Sleep(10 * time.Millisecond)
	if n := runs.Load(); n != after {
		t.Fatalf("job ran %d more times after Wait", n-after)
	}
}

// jobCounts records what a Runner reports to its metrics.
type jobCounts struct {
	mu             sync.Mutex
	runs, failures map[string]int
}

func (m *jobCounts) JobRun(job string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.runs[job]++
	if err != nil {
		m.failures[job]++
	}
}

func TestRunnerSurvivesPanicsAndErrors(t *testing.T) {
	db := testkit.NewDB(t)
	m := &jobCounts{runs: map[string]int{}, failures: map[string]int{}}
	// No retries within a run: the next tick tries again.
	r := jobs.NewRunner(repositories.NewLocker(db.DB), quietLog()).WithMetrics(m).WithRetry(1, 0)

	var runs atomic.Int32
	reached := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.Start(ctx, jobs.Job{Name: "flaky-" + t.Name(), Every: time.Millisecond, Run: func(context.Context) error {
		switch runs.Add(1) {
		case 1:
			panic("boom")
		case 2:
			return errors.New("failed")
		case 3:
			close(reached)
		}
		return nil
	}})

	select {
	case <-reached:
	case <-time.After(30 * time.Second):
		t.Fatalf("job ran %d times after a panic and an error, want 3", runs.Load())
	}
	cancel()
	r.Wait()
	// Every run is counted, the panic and the error as failures.
	name := "flaky-" + t.Name()
	if got, want := m.runs[name], int(runs.Load()); got != want || m.failures[name] != 2 {
		t.Errorf("metrics: %d runs, %d failures; want %d, 2", got, m.failures[name], want)
	}
}

// heldLocker reports every lock as held elsewhere.
type heldLocker struct{ tries atomic.Int32 }

func (l *heldLocker) TryLock(context.Context, string) (func(), bool, error) {
	l.tries.Add(1)
	return nil, false, nil
}

func TestRunnerSkipsWhenLockHeld(t *testing.T) {
	l := &heldLocker{}
	r := jobs.NewRunner(l, quietLog())
	var runs atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	r.Start(ctx, jobs.Job{Name: "held", Every: time.Millisecond, Run: func(context.Context) error {
		runs.Add(1)
		return nil
	}})
	deadline := time.Now().Add(30 * time.Second)
	for l.tries.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	r.Wait()
	if l.tries.Load() < 3 {
		t.Fatalf("lock tried %d times, want at least 3", l.tries.Load())
	}
	if n := runs.Load(); n != 0 {
		t.Fatalf("job ran %d times while its lock was held elsewhere", n)
	}
}

func TestLockerSQLiteAlwaysGrants(t *testing.T) {
	if testkit.PostgresURL() != "" {
		t.Skip("SQLite only")
	}
	db := testkit.NewDB(t)
	l := repositories.NewLocker(db.DB)
	ctx := context.Background()
	u1, ok1, err1 := l.TryLock(ctx, "x")
	u2, ok2, err2 := l.TryLock(ctx, "x")
	if err1 != nil || err2 != nil || !ok1 || !ok2 {
		t.Fatalf("TryLock: %v %v %v %v", ok1, err1, ok2, err2)
	}
	u1()
	u2()
}

func TestLockerPostgresExcludesOtherInstances(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("set TEST_DATABASE_URL to run on PostgreSQL")
	}
	db := testkit.NewDB(t)
	// A second pool stands for a second instance.
	other := testkit.SecondPool(t, db)
	a, b := repositories.NewLocker(db.DB), repositories.NewLocker(other)
	ctx := context.Background()
	name := "job:test-" + db.Schema // advisory locks are database-wide

	unlockA, ok, err := a.TryLock(ctx, name)
	if err != nil || !ok {
		t.Fatalf("first TryLock: ok %v err %v", ok, err)
	}
	if _, ok, err := b.TryLock(ctx, name); err != nil || ok {
		t.Fatalf("second instance TryLock while held: ok %v err %v, want not ok", ok, err)
	}
	// A session lock is re-entrant for its own connection, but TryLock uses a
	// fresh connection each time, so the same pool is excluded too.
	if _, ok, err := a.TryLock(ctx, name); err != nil || ok {
		t.Fatalf("same pool TryLock while held: ok %v err %v, want not ok", ok, err)
	}
	if unlock, ok, err := b.TryLock(ctx, name+"-other"); err != nil || !ok {
		t.Fatalf("another name: ok %v err %v, want ok", ok, err)
	} else {
		unlock()
	}

	unlockA()
	unlockB, ok, err := b.TryLock(ctx, name)
	if err != nil || !ok {
		t.Fatalf("TryLock after unlock: ok %v err %v", ok, err)
	}
	unlockB()
}
