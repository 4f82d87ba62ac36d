package repositories

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// PurgeChannel is the PostgreSQL NOTIFY channel that carries store purges
// between instances.
const PurgeChannel = "qubly_store_purge"

// StorePurges tells the other instances on the same PostgreSQL database that
// a store changed (NOTIFY), and listens for what they say (LISTEN on a
// dedicated connection). On SQLite, where there is one instance, both are
// no-ops.
//
// A notification's payload is "<businessID> <instance> <schema>": the
// instance lets a listener skip its own purges, and the schema keeps apps on
// different schemas of one database (the tests) apart, since NOTIFY channels
// are per database.
type StorePurges struct {
	db       *gorm.DB
	dsn      string // "" on SQLite
	instance string
	log      *slog.Logger

	// MinBackoff and MaxBackoff bound the wait between reconnections.
	MinBackoff, MaxBackoff time.Duration
	// HealthEvery is how long the listener waits for a notification before it
	// pings its connection to find out whether it silently died.
	HealthEvery time.Duration
}

// NewStorePurges returns the purge bus of db.
func NewStorePurges(db *gorm.DB, log *slog.Logger) *StorePurges {
	if log == nil {
		log = slog.Default()
	}
	b := make([]byte, 8)
	rand.Read(b)
	p := &StorePurges{
		db: db, instance: hex.EncodeToString(b), log: log,
		MinBackoff: 250 * time.Millisecond, MaxBackoff: 30 * time.Second, HealthEvery: time.Minute,
	}
	if d, ok := db.Dialector.(*postgres.Dialector); ok && d.Config != nil {
		p.dsn = d.Config.DSN
	}
	return p
}

// ApplicationName names the listener's connection in pg_stat_activity.
func (p *StorePurges) ApplicationName() string { return "qubly-purges-" + p.instance }

// Enabled reports whether purges travel between instances (PostgreSQL).
func (p *StorePurges) Enabled() bool { return p.dsn != "" }

// Publish tells the other instances that businessID changed. Inside a
// transaction (ctx from Transactor.InTx) the notification is delivered at
// commit, and not at all on rollback.
func (p *StorePurges) Publish(ctx context.Context, businessID int64) error {
	if !p.Enabled() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	payload := strconv.FormatInt(businessID, 10) + " " + p.instance
	err := conn(ctx, p.db).
		Exec("SELECT pg_notify('"+PurgeChannel+"', CAST(? AS text) || ' ' || coalesce(current_schema(), ''))", payload).Error
	if err != nil {
		return fmt.Errorf("publish store purge %d: %w", businessID, err)
	}
	return nil
}

// Listen receives the other instances' purges and calls purge with each
// business ID, until ctx is done. It keeps a connection of its own and, when
// it drops, reconnects with exponential backoff; after every (re)connection
// it calls resync, since purges sent while it was not listening are lost.
// ready, if not nil, is closed once the first LISTEN is in place. On SQLite
// it closes ready and returns at once.
func (p *StorePurges) Listen(ctx context.Context, purge func(businessID int64), resync func(), ready chan<- struct{}) {
	var once sync.Once
	markReady := func() {
		if ready != nil {
			once.Do(func() { close(ready) })
		}
	}
	if !p.Enabled() {
		markReady()
		return
	}
	backoff := p.MinBackoff
	for ctx.Err() == nil {
		listening, err := p.listenOnce(ctx, purge, func() {
			if resync != nil {
				resync()
			}
			markReady()
		})
		if ctx.Err() != nil {
			return
		}
		if listening {
			backoff = p.MinBackoff
		}
		p.log.Warn("store purge listener disconnected; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, p.MaxBackoff)
	}
}

// listenOnce connects, LISTENs and dispatches notifications until the
// connection fails or ctx is done. It reports whether LISTEN succeeded.
func (p *StorePurges) listenOnce(ctx context.Context, purge func(int64), connected func()) (bool, error) {
	cfg, err := pgx.ParseConfig(p.dsn)
	if err != nil {
		return false, err
	}
	cfg.RuntimeParams["application_name"] = p.ApplicationName()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	c, err := pgx.ConnectConfig(cctx, cfg)
	cancel()
	if err != nil {
		return false, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c.Close(closeCtx)
		cancel()
	}()
	var schema string
	if err := c.QueryRow(ctx, "SELECT coalesce(current_schema(), '')").Scan(&schema); err != nil {
		return false, err
	}
	if _, err := c.Exec(ctx, "LISTEN "+PurgeChannel); err != nil {
		return false, err
	}
	connected()
	for {
		wctx, cancel := context.WithTimeout(ctx, p.HealthEvery)
		n, err := c.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return true, ctx.Err()
			}
			if c.PgConn().IsClosed() || !errors.Is(err, context.DeadlineExceeded) {
				return true, err
			}
			// Quiet for a while: make sure the connection is still alive.
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = c.Ping(pctx)
			cancel()
			if err != nil {
				return true, err
			}
			continue
		}
		id, from, ns, ok := parsePurge(n.Payload)
		if !ok || ns != schema || from == p.instance {
			continue
		}
		purge(id)
	}
}

func parsePurge(payload string) (businessID int64, instance, schema string, ok bool) {
	parts := strings.SplitN(payload, " ", 3)
	if len(parts) != 3 {
		return 0, "", "", false
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return 0, "", "", false
	}
	return id, parts[1], parts[2], true
}
