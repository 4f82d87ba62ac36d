package testkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/repositories"
)

// Running the migrations costs most of a second per test under -race (GORM's
// migrator inspects the schema before every change), so a test binary runs
// them once: on SQLite into a file every test copies, on PostgreSQL
// recording the statements that change the schema, which every test replays
// in its own schema in one round trip.

var sqliteTemplate struct {
	once    sync.Once
	content []byte
	err     error
}

// migratedSQLite returns the bytes of a freshly migrated SQLite database,
// made once per process.
func migratedSQLite() ([]byte, error) {
	sqliteTemplate.once.Do(func() { sqliteTemplate.content, sqliteTemplate.err = migrateSQLiteFile() })
	return sqliteTemplate.content, sqliteTemplate.err
}

func migrateSQLiteFile() ([]byte, error) {
	dir, err := os.MkdirTemp("", "qubly-migrated-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := repositories.Open("sqlite", filepath.Join(dir, "migrating.db"))
	if err != nil {
		return nil, err
	}
	defer closeDB(db)
	if err := migrations.Run(context.Background(), db); err != nil {
		return nil, err
	}
	// VACUUM INTO writes one consistent file, the WAL folded in.
	out := filepath.Join(dir, "migrated.db")
	if err := db.Exec("VACUUM INTO ?", out).Error; err != nil {
		return nil, fmt.Errorf("copy migrated sqlite: %w", err)
	}
	return os.ReadFile(out)
}

var pgScript struct {
	once   sync.Once
	script string // "" when the replay did not match: migrate every time
	err    error
}

// migratePostgres migrates db, a fresh schema: it replays the recorded
// statements, or runs the migrations when they could not be recorded.
func migratePostgres(db *TestDB) error {
	pgScript.once.Do(func() { pgScript.script, pgScript.err = recordPostgresMigrations() })
	if pgScript.err != nil {
		return pgScript.err
	}
	if pgScript.script == "" {
		return migrations.Run(context.Background(), db.DB)
	}
	return db.Exec(pgScript.script).Error
}

// recordPostgresMigrations migrates a scratch schema, recording every
// statement that succeeded other than a SELECT (the migrator's questions and
// its advisory lock), then replays them in a second schema and checks that
// both came out the same: tables, columns, indexes, constraints and the
// migrations table's rows. It returns "" when they differ.
func recordPostgresMigrations() (string, error) {
	admin, err := repositories.Open("postgres", PostgresURL())
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	migrated, replayed := "t_"+randomHex(8), "t_"+randomHex(8)
	for _, s := range []string{migrated, replayed} {
		if err := admin.Exec("CREATE SCHEMA " + s).Error; err != nil {
			return "", err
		}
		defer admin.Exec("DROP SCHEMA IF EXISTS " + s + " CASCADE")
	}
	rec := &recorder{Interface: logger.Discard}
	if err := withSchema(migrated, func(db *gorm.DB) error {
		db.Logger = rec
		return migrations.Run(context.Background(), db)
	}); err != nil {
		return "", err
	}
	script := strings.Join(rec.statements, ";\n")
	if err := withSchema(replayed, func(db *gorm.DB) error { return db.Exec(script).Error }); err != nil {
		return "", nil
	}
	a, err := schemaFingerprint(admin, migrated)
	if err != nil {
		return "", err
	}
	b, err := schemaFingerprint(admin, replayed)
	if err != nil || a != b {
		return "", err
	}
	return script, nil
}

func withSchema(schema string, f func(*gorm.DB) error) error {
	db, err := repositories.Open("postgres", WithSearchPath(PostgresURL(), schema))
	if err != nil {
		return err
	}
	defer closeDB(db)
	return f(db)
}

// recorder is a GORM logger keeping the statements that succeeded, other
// than SELECTs, with their values in the text.
type recorder struct {
	logger.Interface
	mu         sync.Mutex
	statements []string
}

func (r *recorder) LogMode(logger.LogLevel) logger.Interface { return r }

func (r *recorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), err error) {
	if err != nil {
		return
	}
	sql, _ := fc()
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "SELECT") {
		return
	}
	r.mu.Lock()
	r.statements = append(r.statements, sql)
	r.mu.Unlock()
}

// schemaFingerprint describes schema's tables, columns, indexes,
// constraints and applied migrations, without the schema's name.
func schemaFingerprint(admin *gorm.DB, schema string) (string, error) {
	var lines []string
	err := admin.Raw(`
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' ||
       coalesce(character_maximum_length::text, '') || ' ' || is_nullable || ' ' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = @s
UNION ALL
SELECT 'index ' || tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = @s
UNION ALL
SELECT 'constraint ' || cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = @s
ORDER BY 1`, map[string]any{"s": schema}).Scan(&lines).Error
	if err != nil {
		return "", err
	}
	var applied []string
	if err := admin.Table(schema+".schema_migrations").Order("id").Pluck("id", &applied).Error; err != nil {
		return "", err
	}
	lines = append(lines, "applied "+strings.Join(applied, " "))
	return strings.ReplaceAll(strings.Join(lines, "\n"), schema+".", ""), nil
}
