package testkit

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/jobs"
)

// WorkQueue is due work a job takes one item at a time, the careless way:
// it reads the next item, works on it for a while, and only then moves the
// queue on. Two runs at once would both take the same item; only the job's
// cross-instance lock keeps each item done once. Each of two instances
// runs Job(name, 0) and Job(name, 1); Open makes the work due and Check
// waits for it and proves each item was done once, never in two runs at once.
type WorkQueue struct {
	next     atomic.Int32
	done     []atomic.Int32
	running  atomic.Int32
	overlaps atomic.Int32
	// by counts the items each instance did.
	by [2]atomic.Int32
	// calls counts each instance's runs (with the lock), due work or not.
	calls [2]atomic.Int32
	// open makes the work due; until then runs find nothing to do.
	open atomic.Bool
}

// NewWorkQueue returns a queue of n items, not yet due.
func NewWorkQueue(n int) *WorkQueue { return &WorkQueue{done: make([]atomic.Int32, n)} }

// Job is the job instance (0 or 1) runs, named name on both, ticking every
// millisecond.
func (q *WorkQueue) Job(name string, instance int) jobs.Job {
	return jobs.Job{Name: name, Every: time.Millisecond, Run: func(context.Context) error {
		if q.running.Add(1) > 1 {
			q.overlaps.Add(1)
		}
		defer q.running.Add(-1)
		q.calls[instance].Add(1)
		i := q.next.Load()
		if !q.open.Load() || int(i) >= len(q.done) {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
		q.done[i].Add(1)
		q.by[instance].Add(1)
		q.next.Store(i + 1)
		return nil
	}}
}

// Open makes the work due: the next runs take it.
func (q *WorkQueue) Open() { q.open.Store(true) }

// Check waits (up to 30 s) until the queue is worked through and both
// instances ran the job again after that (each got the lock in turn), then
// fails t if two runs overlapped or an item was not done exactly once.
func (q *WorkQueue) Check(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for int(q.next.Load()) < len(q.done) {
		if time.Now().After(deadline) {
			t.Fatalf("the job did %d of %d items", q.next.Load(), len(q.done))
		}
		time.Sleep(time.Millisecond)
	}
	from := [2]int32{q.calls[0].Load(), q.calls[1].Load()}
	for q.calls[0].Load() == from[0] || q.calls[1].Load() == from[1] {
		if time.Now().After(deadline) {
			t.Fatalf("instance runs since the queue was done: A %d, B %d; want both",
				q.calls[0].Load()-from[0], q.calls[1].Load()-from[1])
		}
		time.Sleep(time.Millisecond)
	}
	if n := q.overlaps.Load(); n != 0 {
		t.Fatalf("the job ran on both instances at once %d times", n)
	}
	for i := range q.done {
		if n := q.done[i].Load(); n != 1 {
			t.Errorf("item %d done %d times, want once", i, n)
		}
	}
	t.Logf("items done by instance A: %d, by instance B: %d", q.by[0].Load(), q.by[1].Load())
}
