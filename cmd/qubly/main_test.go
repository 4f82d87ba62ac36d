package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	// Seeded images go to a fresh folder, never the package's ./data.
	dataDir := t.TempDir()
	code := run(args, func(k string) string {
		if v, ok := env[k]; ok || k != "DATA_DIR" {
			return v
		}
		return dataDir
	}, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := runCmd(t, nil, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, c := range []string{"serve", "migrate", "seed-demo", "cleanup"} {
		if !strings.Contains(out, c) {
			t.Errorf("help lacks %s", c)
		}
	}
	if code, _, errOut := runCmd(t, nil, "bogus"); code != 2 || !strings.Contains(errOut, `unknown command "bogus"`) {
		t.Fatalf("unknown command: exit %d %q", code, errOut)
	}
}

func TestConfigErrorStopsWithOneLine(t *testing.T) {
	code, _, errOut := runCmd(t, map[string]string{"PORT": "abc"}, "serve")
	if code != 2 || !strings.Contains(errOut, "PORT:") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCmd(t, map[string]string{"DATABASE_URL": "mysql://x"}, "migrate")
	if code != 2 || !strings.Contains(errOut, "DATABASE_URL:") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestMigrateAndSeedDemo(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	url := db.DSN
	if db.Driver == "sqlite" {
		url = "sqlite:" + db.DSN
	}
	env := map[string]string{"DATABASE_URL": url, "DEMO_PASSWORD": "demo-test-1"}
	for i := 0; i < 2; i++ {
		if code, _, errOut := runCmd(t, env, "migrate"); code != 0 {
			t.Fatalf("migrate run %d: exit %d %s", i, code, errOut)
		}
	}
	if code, _, errOut := runCmd(t, env, "seed-demo"); code != 0 || !strings.Contains(errOut, "demo store created") {
		t.Fatalf("seed-demo: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, env, "seed-demo"); code != 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("seed-demo again: exit %d %s", code, errOut)
	}
	var n int64
	db.Table("businesses").Where("slug = ?", "demo").Count(&n)
	if n != 1 {
		t.Fatalf("%d demo stores", n)
	}
}

func TestSeedDemoOutsideDevelopmentPrintsARandomPassword(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	url := db.DSN
	if db.Driver == "sqlite" {
		url = "sqlite:" + db.DSN
	}
	env := map[string]string{"DATABASE_URL": url, "APP_ENV": "production", "BASE_URL": "https://qubly.test"}
	code, _, errOut := runCmd(t, env, "seed-demo")
	if code != 0 || !strings.Contains(errOut, "shown only once") || strings.Contains(errOut, "demo12345") {
		t.Fatalf("exit %d %s", code, errOut)
	}
}

func TestStripeSetupAgainstStripeMock(t *testing.T) {
	env := map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_BASE": testkit.StripeMock(t), "BASE_URL": "https://qubly.example",
	}
	code, out, errOut := runCmd(t, env, "stripe-setup")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"created  price $249.00 MXN/month", "https://qubly.example/webhooks/stripe (API 2023-10-16)",
		"customer portal configuration", "\nSTRIPE_PRICE_ID=price_"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errOut := runCmd(t, map[string]string{}, "stripe-setup"); code != 2 || !strings.Contains(errOut, "STRIPE_SECRET_KEY") {
		t.Fatalf("without a key: exit %d %q", code, errOut)
	}
	if _, out, _ := runCmd(t, nil, "--help"); !strings.Contains(out, "stripe-setup") {
		t.Error("help lacks stripe-setup")
	}
}
