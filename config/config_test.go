package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3000 || c.Env != EnvDevelopment || c.BaseURL != "http://localhost:3000" ||
		c.DatabaseURL != "sqlite:./data/qubly.db" || c.DemoPassword != "demo12345" || c.LLMBaseURL != DefaultLLMBaseURL {
		t.Fatalf("defaults: %+v", c)
	}
	if c.TrialDays != 14 || c.GraceDays != 7 || c.PlanPriceCents != 24900 || c.ReferralRewardPercent != 50 {
		t.Fatalf("billing defaults: %+v", c)
	}
	driver, dsn, _ := c.Database()
	if driver != "sqlite" || dsn != "./data/qubly.db" {
		t.Fatalf("database: %s %s", driver, dsn)
	}
	c, _ = Load(env(map[string]string{"PORT": "8080"}))
	if c.BaseURL != "http://localhost:8080" {
		t.Fatalf("BASE_URL follows PORT: %s", c.BaseURL)
	}
	c, _ = Load(env(map[string]string{"APP_ENV": "production"}))
	if c.DemoPassword != "" {
		t.Fatal("production has a default demo password")
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"PORT":                    {"PORT": "abc"},
		"PORT:":                   {"PORT": "70000"},
		"APP_ENV":                 {"APP_ENV": "staging"},
		"BASE_URL":                {"BASE_URL": "localhost:3000"},
		"BASE_URL:":               {"BASE_URL": "ftp://x.test"},
		"DATABASE_URL":            {"DATABASE_URL": "mysql://x"},
		"DATABASE_URL:":           {"DATABASE_URL": "sqlite:"},
		"DATABASE_URL::":          {"DATABASE_URL": "postgres://"},
		"ADMIN_EMAIL":             {"ADMIN_EMAIL": "a@b.mx"},
		"ADMIN_PASSWORD":          {"ADMIN_EMAIL": "a@b.mx", "ADMIN_PASSWORD": "short"},
		"DEMO_PASSWORD":           {"DEMO_PASSWORD": "short"},
		"STRIPE_API_BASE":         {"STRIPE_API_BASE": "not a url"},
		"LLM_BASE_URL":            {"LLM_BASE_URL": "nope"},
		"SECRET_KEY":              {"SECRET_KEY": "too-short"},
		"TRIAL_DAYS":              {"TRIAL_DAYS": "0"},
		"TRIAL_DAYS:":             {"TRIAL_DAYS": "catorce"},
		"GRACE_DAYS":              {"GRACE_DAYS": "-1"},
		"PLAN_PRICE_CENTS":        {"PLAN_PRICE_CENTS": "249.00"},
		"REFERRAL_REWARD_PERCENT": {"REFERRAL_REWARD_PERCENT": "150"},
	}
	for name, vars := range cases {
		_, err := Load(env(vars))
		if err == nil {
			t.Errorf("%v: no error", vars)
			continue
		}
		variable := strings.TrimRight(name, ":")
		if !strings.HasPrefix(err.Error(), variable) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %q does not start with %s on one line", vars, err, variable)
		}
	}
}

func TestDatabaseURLHidesPassword(t *testing.T) {
	_, err := Load(env(map[string]string{"DATABASE_URL": "mysql://user:hunter2@db:3306/x"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v leaks the password", err)
	}
}

func TestCleanupSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.CleanupUnverifiedDays != 7 || c.CleanupDryRun {
		t.Fatalf("defaults: %v %d %v", err, c.CleanupUnverifiedDays, c.CleanupDryRun)
	}
	c, err = Load(env(map[string]string{"CLEANUP_UNVERIFIED_DAYS": "0", "CLEANUP_DRY_RUN": "1"}))
	if err != nil || c.CleanupUnverifiedDays != 0 || !c.CleanupDryRun {
		t.Fatalf("set: %v %d %v", err, c.CleanupUnverifiedDays, c.CleanupDryRun)
	}
	for _, vars := range []map[string]string{{"CLEANUP_UNVERIFIED_DAYS": "-1"}, {"CLEANUP_UNVERIFIED_DAYS": "siete"}, {"CLEANUP_DRY_RUN": "yes"}} {
		for k := range vars {
			if _, err := Load(env(vars)); err == nil || !strings.HasPrefix(err.Error(), k) {
				t.Errorf("%v: error %v", vars, err)
			}
		}
	}
}
