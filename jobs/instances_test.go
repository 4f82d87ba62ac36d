package jobs_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// workQueue is due work a job takes one item at a time, the careless way:
// it reads the next item, works on it for a while, and only then moves the
// queue on. Two runs at once would both take the same item; only the
// job's lock keeps each item done once.
type workQueue struct {
	next     atomic.Int32
	done     []atomic.Int32
	running  atomic.Int32
	overlaps atomic.Int32
	// by counts the items each runner did.
	by [2]atomic.Int32
	// calls counts each instance's runs (with the lock), due work or not.
	calls [2]atomic.Int32
	// open makes the work due; until then runs find nothing to do.
	open atomic.Bool
}

func (q *workQueue) job(name string, instance int) jobs.Job {
	return jobs.Job{Name: name, Every: time.Millisecond, Run: func(context.Context) error {
		if q.running.Add(1) > 1 {
			q.overlaps.Add(1)
		}
		defer q.running.Add(-1)
		q.calls[instance].Add(1)
		i := q.next.Load()
		if !q.open.Load() || int(i) >= len(q.done) {
			return nil // nothing due
		}
		time.Sleep(2 * time.Millisecond)
		q.done[i].Add(1)
		q.by[instance].Add(1)
		q.next.Store(i + 1)
		return nil
	}}
}

func TestRunnersOnOneDatabaseRunEachJobOnce(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL): on SQLite there is one instance and the lock always grants")
	}
	db := testkit.NewDB(t)
	// A second pool stands for a second instance.
	other, err := repositories.Open("postgres", db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := other.DB(); err == nil {
			sqlDB.Close()
		}
	})
	runners := []*jobs.Runner{
		jobs.NewRunner(repositories.NewLocker(db.DB), quietLog()),
		jobs.NewRunner(repositories.NewLocker(other), quietLog()),
	}
	q := &workQueue{done: make([]atomic.Int32, 40)}
	name := "queue-" + db.Schema // advisory locks are database-wide
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var start sync.WaitGroup
	for i, r := range runners {
		start.Add(1)
		go func() {
			defer start.Done()
			r.Start(ctx, q.job(name, i))
		}()
	}
	start.Wait()
	q.open.Store(true)
	waitFor(t, "the queue to be worked through", func() bool { return int(q.next.Load()) >= len(q.done) })
	// Both instances keep ticking and get the lock in turn.
	from := [2]int32{q.calls[0].Load(), q.calls[1].Load()}
	waitFor(t, "both instances to run the job again", func() bool {
		return q.calls[0].Load() > from[0] && q.calls[1].Load() > from[1]
	})
	cancel()
	for _, r := range runners {
		r.Wait()
	}
	if n := q.overlaps.Load(); n != 0 {
		t.Fatalf("the job ran on both instances at once %d times", n)
	}
	for i := range q.done {
		if n := q.done[i].Load(); n != 1 {
			t.Fatalf("item %d done %d times, want once", i, n)
		}
	}
	t.Logf("items done by instance A: %d, by instance B: %d", q.by[0].Load(), q.by[1].Load())
}
