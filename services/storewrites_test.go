package services_test

import (
	"context"
	"errors"
	"testing"

	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// inTx runs fn as its own transaction, for tests of the write path alone.
type inTx struct{ ran int }

func (t *inTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	t.ran++
	return fn(ctx)
}

func TestStoreWritesPurgeOnlyAfterACommit(t *testing.T) {
	ctx := context.Background()
	tx, p := &inTx{}, &testkit.Purges{}
	w := services.NewStoreWrites(tx, p)
	if err := w.Write(ctx, 7, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if p.Count(7) != 1 || p.Count(8) != 0 {
		t.Fatalf("after a commit: purges %d (store 7), %d (store 8)", p.Count(7), p.Count(8))
	}
	boom := errors.New("boom")
	if err := w.Write(ctx, 7, func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if p.Count(7) != 1 || tx.ran != 2 {
		t.Fatalf("a failed write purged (purges %d, transactions %d)", p.Count(7), tx.ran)
	}
}

func TestStoreWritesNeedAPurger(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic without a purger")
		}
	}()
	services.NewStoreWrites(&inTx{}, nil)
}
