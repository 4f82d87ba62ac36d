package migrations_test

import (
	"context"
	"testing"

	"github.com/go-gormigrate/gormigrate/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/testkit"
)

// Stores still on the old default accent color, which fails the settings'
// contrast rule, move to the new default; a store that chose a color keeps
// it; every store keeps taking orders while closed, as before.
func TestMigration0005MovesTheOldDefaultAccent(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	opts := *gormigrate.DefaultOptions
	opts.TableName = "schema_migrations"
	if err := gormigrate.New(db.DB, &opts, migrations.All()).MigrateTo("0004_order_stock_taken"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct{ slug, accent string }{{"vieja", "#f59e0b"}, {"mayus", "#F59E0B"}, {"elegida", "#be123c"}} {
		err := db.Exec("INSERT INTO businesses (name, slug, whatsapp, accent_color, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			c.slug, c.slug, "+52551234567"+string(rune('0'+i)), c.accent, "2026-01-01 00:00:00", "2026-01-01 00:00:00").Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := migrations.Run(context.Background(), db.DB); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"vieja": domain.DefaultAccentColor, "mayus": domain.DefaultAccentColor, "elegida": "#be123c"}
	var got []domain.Business
	if err := db.Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		if b.AccentColor != want[b.Slug] || !b.OrdersWhenClosed {
			t.Errorf("%s: accent %s, orders when closed %t", b.Slug, b.AccentColor, b.OrdersWhenClosed)
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d stores", len(got))
	}
	// A store created without a color gets the new default.
	if err := db.Exec("INSERT INTO businesses (name, slug, whatsapp, created_at, updated_at) VALUES ('n', 'nueva', '+525500000000', '2026-01-01', '2026-01-01')").Error; err != nil {
		t.Fatal(err)
	}
	var accent string
	db.Raw("SELECT accent_color FROM businesses WHERE slug = 'nueva'").Scan(&accent)
	if db.Driver == "postgres" && accent != domain.DefaultAccentColor {
		t.Errorf("column default on PostgreSQL: %s", accent)
	}
}
