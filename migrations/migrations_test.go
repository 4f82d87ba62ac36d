package migrations_test

import (
	"context"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/testkit"
)

func TestMigrationsMatchModels(t *testing.T) {
	db := testkit.NewEmptyDB(t)
	ctx := context.Background()
	if err := migrations.Run(ctx, db.DB); err != nil {
		t.Fatalf("first run: %v", err)
	}
	ids, err := migrations.Applied(db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(migrations.All()) {
		t.Fatalf("applied %v, want %d migrations", ids, len(migrations.All()))
	}

	m := db.Migrator()
	for _, model := range domain.Models() {
		stmt := &gorm.Statement{DB: db.DB}
		if err := stmt.Parse(model); err != nil {
			t.Fatal(err)
		}
		table := stmt.Schema.Table
		if !m.HasTable(table) {
			t.Errorf("table %s missing", table)
			continue
		}
		cols, err := m.ColumnTypes(model)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name()] = true
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName == "" {
				continue
			}
			if !have[f.DBName] {
				t.Errorf("%s.%s: column missing", table, f.DBName)
			}
		}
		if len(cols) != countColumns(stmt.Schema) {
			t.Errorf("%s: %d columns in DB, model has %d", table, len(cols), countColumns(stmt.Schema))
		}
		for _, idx := range stmt.Schema.ParseIndexes() {
			if !m.HasIndex(model, idx.Name) {
				t.Errorf("%s: index %s missing", table, idx.Name)
			}
		}
	}

	// Applying again changes nothing.
	if err := migrations.Run(ctx, db.DB); err != nil {
		t.Fatalf("second run: %v", err)
	}
	again, _ := migrations.Applied(db.DB)
	if len(again) != len(ids) {
		t.Fatalf("second run recorded %v, first %v", again, ids)
	}
}

func countColumns(s *schema.Schema) int {
	n := 0
	for _, f := range s.Fields {
		if f.DBName != "" {
			n++
		}
	}
	return n
}
