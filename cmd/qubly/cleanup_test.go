package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

func TestCleanupCommand(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	url := db.DSN
	if db.Driver == "sqlite" {
		url = "sqlite:" + db.DSN
	}
	env := map[string]string{"DATABASE_URL": url, "APP_ENV": "production"}
	if code, _, errOut := runCmd(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d %s", code, errOut)
	}
	copyStore := db.Business(t, "Copia", "copia")
	if err := db.Table("businesses").Where("id = ?", copyStore.ID).Update("demo", true).Error; err != nil {
		t.Fatal(err)
	}
	kept := db.Business(t, "Real", "real")
	count := func(id int64) int64 {
		var n int64
		db.Table("businesses").Where("id = ?", id).Count(&n)
		return n
	}

	code, out, errOut := runCmd(t, env, "cleanup", "--dry-run")
	if code != 0 || !strings.Contains(out, "would remove business") || !strings.Contains(out, "/copia") ||
		strings.Contains(out, "/real") || !strings.Contains(out, "would remove 1 businesses") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if count(copyStore.ID) != 1 {
		t.Fatal("dry run removed the store")
	}
	code, out, errOut = runCmd(t, env, "cleanup")
	if code != 0 || !strings.Contains(out, "removed business") || !strings.Contains(out, "/copia") {
		t.Fatalf("cleanup: exit %d\n%s%s", code, out, errOut)
	}
	if count(copyStore.ID) != 0 || count(kept.ID) != 1 {
		t.Fatalf("after cleanup: copy %d, real %d", count(copyStore.ID), count(kept.ID))
	}
	if code, _, errOut := runCmd(t, env, "cleanup", "--force"); code != 2 || !strings.Contains(errOut, "--force") {
		t.Fatalf("unknown flag: exit %d %s", code, errOut)
	}
}

func TestCleanupCommandWaitsForTheJobsLock(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("PostgreSQL only (TEST_DATABASE_URL): on SQLite the lock always grants")
	}
	db := testkit.NewDB(t)
	unlock, ok, err := repositories.NewLocker(db.DB).TryLock(context.Background(), "job:cleanup")
	if err != nil || !ok {
		t.Skipf("job:cleanup is held by another test now (advisory locks are database-wide): %v", err)
	}
	defer unlock()
	defer func(d time.Duration) { cleanupLockWait = d }(cleanupLockWait)
	cleanupLockWait = 300 * time.Millisecond
	code, out, errOut := runCmd(t, map[string]string{"DATABASE_URL": db.DSN}, "cleanup")
	if code != 1 || !strings.Contains(errOut, "cleanup job is running") || out != "" {
		t.Fatalf("cleanup while the job runs: exit %d\n%s%s", code, out, errOut)
	}
}
