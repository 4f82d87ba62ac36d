package jobs_test

import (
	"context"
	"sync"
	"testing"

	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestRunnersOnOneDatabaseRunEachJobOnce(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL): on SQLite there is one instance and the lock always grants")
	}
	db := testkit.NewDB(t)
	// A second pool stands for a second instance.
	other := testkit.SecondPool(t, db)
	runners := []*jobs.Runner{
		jobs.NewRunner(repositories.NewLocker(db.DB), quietLog()),
		jobs.NewRunner(repositories.NewLocker(other), quietLog()),
	}
	q := testkit.NewWorkQueue(40)
	name := "queue-" + db.Schema // advisory locks are database-wide
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var start sync.WaitGroup
	for i, r := range runners {
		start.Add(1)
		go func() {
			defer start.Done()
			r.Start(ctx, q.Job(name, i))
		}()
	}
	start.Wait()
	q.Open()
	q.Check(t)
	cancel()
	for _, r := range runners {
		r.Wait()
	}
}
