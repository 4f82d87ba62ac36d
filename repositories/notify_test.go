package repositories_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// listen runs p's listener until the test ends and returns the purged IDs
// and the number of (re)connections.
func listen(t *testing.T, p *repositories.StorePurges) (<-chan int64, *atomic.Int64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan int64, 16)
	var connects atomic.Int64
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Listen(ctx, func(id int64) { got <- id }, func() { connects.Add(1) }, ready)
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("listener not ready")
	}
	return got, &connects
}

func next(t *testing.T, got <-chan int64) int64 {
	t.Helper()
	select {
	case id := <-got:
		return id
	case <-time.After(5 * time.Second):
		t.Fatal("no purge received")
	}
	return 0
}

func TestStorePurgesTravelBetweenInstances(t *testing.T) {
	db := testkit.NewDB(t)
	if db.Driver != "postgres" {
		t.Skip("LISTEN/NOTIFY needs PostgreSQL (TEST_DATABASE_URL)")
	}
	ctx := context.Background()
	a := repositories.NewStorePurges(db.DB, nil)
	b := repositories.NewStorePurges(db.DB, nil)
	b.MinBackoff = 10 * time.Millisecond
	b.HealthEvery = 20 * time.Millisecond // several health pings below
	got, connects := listen(t, b)

	if err := a.Publish(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if id := next(t, got); id != 42 {
		t.Fatalf("got %d", id)
	}
	// Its own purges and those of apps on another schema are skipped.
	if err := b.Publish(ctx, 43); err != nil {
		t.Fatal(err)
	}
	other := repositories.NewStorePurges(testkit.NewDB(t).DB, nil)
	if err := other.Publish(ctx, 44); err != nil {
		t.Fatal(err)
	}
	// Inside a transaction it is sent at commit.
	tx := repositories.NewTransactor(db.DB)
	if err := tx.InTx(ctx, func(ctx context.Context) error { return a.Publish(ctx, 45) }); err != nil {
		t.Fatal(err)
	}
	if id := next(t, got); id != 45 {
		t.Fatalf("got %d, want 45 (43 is b's own, 44 another schema's)", id)
	}

	// Quiet periods (waits that time out, then a ping) keep the connection.
	time.Sleep(100 * time.Millisecond)
	if err := a.Publish(ctx, 47); err != nil {
		t.Fatal(err)
	}
	if id := next(t, got); id != 47 {
		t.Fatalf("after quiet period got %d", id)
	}

	// The listener's connection is killed: it reconnects, resyncs, and
	// receives again.
	if connects.Load() != 1 {
		t.Fatalf("connects %d", connects.Load())
	}
	res := db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?", b.ApplicationName())
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	deadline := time.Now().Add(10 * time.Second)
	for connects.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("listener did not reconnect")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := a.Publish(ctx, 46); err != nil {
		t.Fatal(err)
	}
	if id := next(t, got); id != 46 {
		t.Fatalf("after reconnect got %d", id)
	}
}

func TestStorePurgesAreNoOpsOnSQLite(t *testing.T) {
	db := testkit.NewDB(t)
	if db.Driver != "sqlite" {
		t.Skip("SQLite only")
	}
	p := repositories.NewStorePurges(db.DB, nil)
	if p.Enabled() {
		t.Fatal("enabled on SQLite")
	}
	if err := p.Publish(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	p.Listen(context.Background(), func(int64) { t.Fatal("purge on SQLite") }, nil, ready)
	<-ready
}
