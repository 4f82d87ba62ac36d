package main

import (
	"maps"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

func TestStorageConfigErrorStopsWithOneLine(t *testing.T) {
	code, _, errOut := runCmd(t, map[string]string{"STORAGE_URL": "gs://images"}, "serve")
	if code != 2 || !strings.Contains(errOut, "STORAGE_URL:") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestSeedDemoIntoABucket: with a bucket configured the demo store's images
// go to it, and a bucket that does not exist stops the command at once.
func TestSeedDemoIntoABucket(t *testing.T) {
	bucket := testkit.S3(t)
	db := testkit.NewEmptyDB(t)
	url := db.DSN
	if db.Driver == "sqlite" {
		url = "sqlite:" + db.DSN
	}
	env := map[string]string{
		"DATABASE_URL": url, "DEMO_PASSWORD": "demo-test-1",
		"S3_BUCKET": bucket.Name, "S3_ENDPOINT": bucket.Endpoint, "S3_PATH_STYLE": "true",
		"S3_ACCESS_KEY_ID": bucket.AccessKeyID, "S3_SECRET_ACCESS_KEY": bucket.SecretAccessKey,
	}
	missing := maps.Clone(env)
	missing["S3_BUCKET"] = bucket.Name + "-missing"
	if code, _, errOut := runCmd(t, missing, "seed-demo"); code == 0 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("missing bucket: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, env, "seed-demo"); code != 0 || !strings.Contains(errOut, "demo store created") {
		t.Fatalf("seed-demo: exit %d %s", code, errOut)
	}
	if keys := bucket.Keys(); len(keys) == 0 {
		t.Fatal("no image in the bucket")
	}
}
