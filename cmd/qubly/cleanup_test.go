package main

import (
	"strings"
	"testing"

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
