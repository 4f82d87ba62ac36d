package repositories_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// TestSQLiteTransactionsQueueInGo checks that on SQLite a transaction
// waiting for another one waits in the Transactor's queue, not in SQLite's
// busy handler (whose naps grow to 100 ms and let later writers go first:
// under a burst of orders some waited a second): while one transaction
// runs, a second one gives up with its context, before it reaches the
// database, and starts once the first has committed. How much sooner it
// starts is measured by scripts/loadtest.sh, not asserted here.
func TestSQLiteTransactionsQueueInGo(t *testing.T) {
	db := testkit.NewDB(t)
	if db.Driver != "sqlite" {
		t.Skip("SQLite only")
	}
	tx := repositories.NewTransactor(db.DB)
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- tx.InTx(context.Background(), func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := tx.InTx(ctx, func(context.Context) error { ran = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Fatalf("a transaction behind another one: err %v, ran %v; want it to wait in the queue until its context ends", err, ran)
	}

	waited := make(chan error, 1)
	go func() {
		waited <- tx.InTx(context.Background(), func(context.Context) error { ran = true; return nil })
	}()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil || !ran {
		t.Fatalf("the queued transaction after the first committed: err %v, ran %v", err, ran)
	}
}
