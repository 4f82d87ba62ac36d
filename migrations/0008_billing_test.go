package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/testkit"
)

// Existing stores start a 14-day trial when billing arrives, each gets a
// referral code of its own, and the code typed at sign-up is kept as
// referred_by_code.
func TestMigration0008StartsTrialsAndGivesCodes(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	opts := *gormigrate.DefaultOptions
	opts.TableName = "schema_migrations"
	if err := gormigrate.New(db.DB, &opts, migrations.All()).MigrateTo("0007_order_checkout"); err != nil {
		t.Fatal(err)
	}
	for i, slug := range []string{"uno", "dos", "tres"} {
		err := db.Exec("INSERT INTO businesses (name, slug, whatsapp, referral_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			slug, slug, "+52551234567"+string(rune('0'+i)), "AMIGO-"+slug, "2026-01-01 00:00:00", "2026-01-01 00:00:00").Error
		if err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now()
	if err := migrations.Run(context.Background(), db.DB); err != nil {
		t.Fatal(err)
	}
	var got []domain.Business
	if err := db.Order("id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, b := range got {
		code, ok := domain.NormalizeReferralCode(b.ReferralCode)
		if !ok || code != b.ReferralCode || codes[code] {
			t.Errorf("%s: referral code %q (bad form or repeated)", b.Slug, b.ReferralCode)
		}
		codes[code] = true
		if b.ReferredByCode != "AMIGO-"+b.Slug {
			t.Errorf("%s: referred_by_code %q", b.Slug, b.ReferredByCode)
		}
		if b.SubscriptionStatus != domain.SubscriptionTrial || b.TrialEndsAt == nil ||
			b.TrialEndsAt.Before(before.Add(14*24*time.Hour-time.Minute)) || b.TrialEndsAt.After(time.Now().Add(14*24*time.Hour)) {
			t.Errorf("%s: %s until %v", b.Slug, b.SubscriptionStatus, b.TrialEndsAt)
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d stores", len(got))
	}
	// The code is unique.
	err := db.Exec("UPDATE businesses SET referral_code = ? WHERE slug = 'dos'", got[0].ReferralCode).Error
	if err == nil {
		t.Fatal("two stores could share a referral code")
	}
}
