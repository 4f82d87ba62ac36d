// Package jobs runs Qubly's scheduled work (trial expiry, email outbox,
// demo-data cleanup) on a ticker, one instance at a time.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

// Job is a piece of scheduled work.
type Job struct {
	// Name identifies the job in logs and names its cross-instance lock.
	Name string
	// Every is the time between runs.
	Every time.Duration
	// Run does the work once; ctx is cancelled on shutdown.
	Run func(ctx context.Context) error
}

// Locker hands out named locks that span instances (repositories.Locker).
type Locker interface {
	TryLock(ctx context.Context, name string) (unlock func(), ok bool, err error)
}

// Metrics counts the runs of each job and its failures
// (integrations/metrics).
type Metrics interface {
	JobRun(job string, err error)
}

// Retries of a failed run: DefaultAttempts tries in all, waiting
// DefaultBackoff after the first failure and twice as long after each next.
const (
	DefaultAttempts = 3
	DefaultBackoff  = time.Second
)

// Runner runs jobs on their tickers until its context is done.
type Runner struct {
	locker   Locker
	log      *slog.Logger
	metrics  Metrics
	attempts int
	backoff  time.Duration
	wg       sync.WaitGroup
}

// NewRunner returns a Runner that takes locker's lock "job:<name>" around
// each run, so a job runs on one instance at a time. A failed run is
// retried with backoff (DefaultAttempts, DefaultBackoff; see WithRetry).
func NewRunner(locker Locker, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.Default()
	}
	return &Runner{locker: locker, log: log, attempts: DefaultAttempts, backoff: DefaultBackoff}
}

// WithRetry makes a failed run (an error or a panic) be tried again, up to
// attempts tries in all, waiting backoff, then 2×backoff, 4×backoff…
// between them, while still holding the job's lock; attempts 1 never
// retries (the next tick does). Call it before Start. It returns r.
func (r *Runner) WithRetry(attempts int, backoff time.Duration) *Runner {
	r.attempts, r.backoff = max(attempts, 1), backoff
	return r
}

// WithMetrics makes r count the runs in m; call it before Start. It
// returns r.
func (r *Runner) WithMetrics(m Metrics) *Runner {
	r.metrics = m
	return r
}

// Start runs each job once right away and then every job.Every, each on its
// own goroutine, until ctx is done. Runs of one job never overlap; a tick is
// skipped when another instance holds the job's lock.
func (r *Runner) Start(ctx context.Context, jobs ...Job) {
	for _, j := range jobs {
		if j.Every <= 0 {
			panic(fmt.Sprintf("jobs: job %q needs a positive Every", j.Name))
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				r.tick(ctx, j)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
}

// Wait blocks until every job goroutine has returned; call it after
// cancelling Start's context to let in-flight runs finish.
func (r *Runner) Wait() { r.wg.Wait() }

// tick runs j once if its lock is free, retrying a failed run (see
// WithRetry). Errors and panics are logged; neither stops the Runner.
func (r *Runner) tick(ctx context.Context, j Job) {
	if ctx.Err() != nil {
		return
	}
	unlock, ok, err := r.locker.TryLock(ctx, "job:"+j.Name)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Log(ctx, errorLevel(err), "job lock failed", "job", j.Name, "error", err)
		}
		return
	}
	if !ok {
		r.log.Debug("job skipped: running elsewhere", "job", j.Name)
		return
	}
	defer unlock()
	start := time.Now()
	wait := r.backoff
	for attempt := 1; ; attempt++ {
		err = r.run(ctx, j)
		if errors.Is(err, context.Canceled) {
			err = nil // shutting down: not a failure
		}
		if r.metrics != nil {
			r.metrics.JobRun(j.Name, err)
		}
		if err == nil {
			if attempt > 1 {
				r.log.Info("job succeeded after retrying", "job", j.Name, "attempts", attempt)
			}
			return
		}
		if attempt >= r.attempts || ctx.Err() != nil {
			r.log.Log(ctx, errorLevel(err), "job failed", "job", j.Name, "attempts", attempt,
				"error", err, "duration", time.Since(start))
			return
		}
		r.log.Warn("job failed; retrying", "job", j.Name, "attempt", attempt, "in", wait, "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// errorLevel is the level of a job's error: a warning while the database
// cannot be reached (the next tick retries), an error otherwise.
func errorLevel(err error) slog.Level {
	if errors.Is(err, domain.ErrUnavailable) {
		return slog.LevelWarn
	}
	return slog.LevelError
}

// run calls j.Run, turning a panic into an error.
func (r *Runner) run(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return j.Run(ctx)
}

// Outbox is the job that sends due outbox emails every interval.
func Outbox(s *services.OutboxSender, every time.Duration, log *slog.Logger) Job {
	return Job{Name: "outbox", Every: every, Run: func(ctx context.Context) error {
		sent, failed, err := s.RunOnce(ctx)
		if sent+failed > 0 && log != nil {
			log.Info("outbox run", "sent", sent, "failed", failed)
		}
		return err
	}}
}
