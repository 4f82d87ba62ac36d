package repositories_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// Every search ignores case and accents the same way on SQLite and
// PostgreSQL, and matches LIKE wildcards literally.
func TestSearchesFoldCaseAndAccents(t *testing.T) {
	db := testkit.NewDB(t)
	ctx := context.Background()
	biz, other := db.Business(t, "Tienda", "tienda"), db.Business(t, "Otra", "otra")
	rows := db.Rows(t)

	names := []string{"José Pérez", "ana perez", "MARÍA PÉREZ", "Niño Gómez", "Café Ñandú", "Pe\u0301rez Decompuesto",
		"100% Real", "Juan_Lopez", "Juan Lopez", "Back\\slash"}
	for i, name := range names {
		rows.Order(biz.ID, &domain.Order{Code: fmt.Sprintf("ABCD%04d", i), CustomerName: name, CustomerPhone: "+525598765432"})
	}
	rows.Order(other.ID, &domain.Order{Code: "ZZZZ0001", CustomerName: "Pérez ajeno"})
	orders := repositories.NewOrders(db.DB)
	for q, want := range map[string][]string{
		"perez":      {"José Pérez", "ana perez", "MARÍA PÉREZ", "Pe\u0301rez Decompuesto"},
		"PÉREZ":      {"José Pérez", "ana perez", "MARÍA PÉREZ", "Pe\u0301rez Decompuesto"},
		"Pérez":      {"José Pérez", "ana perez", "MARÍA PÉREZ", "Pe\u0301rez Decompuesto"},
		"maria":      {"MARÍA PÉREZ"},
		"nino":       {"Niño Gómez"},
		"NIÑO gómez": {"Niño Gómez"},
		"cafe":       {"Café Ñandú"},
		"nandu":      {"Café Ñandú"},
		"%":          {"100% Real"},
		"_":          {"Juan_Lopez"},
		"juan_":      {"Juan_Lopez"},
		"\\":         {"Back\\slash"},
		"abcd0003":   {"Niño Gómez"},
		"ajeno":      nil,
	} {
		list, total, err := orders.List(ctx, biz.ID, "", q, 50, 0)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var got []string
		for _, o := range list {
			got = append(got, o.CustomerName)
		}
		checkFound(t, "orders", q, got, total, want)
		counts, err := orders.StatusCounts(ctx, biz.ID, q)
		if err != nil || counts[domain.OrderPending] != int64(len(want)) {
			t.Errorf("status counts of %q = %v %v", q, counts, err)
		}
	}

	for i, name := range []string{"Café de olla", "CAFÉ AMERICANO", "Té de menta", "Piñata niño", "50% descuento", "taco_grande", "taco grande"} {
		rows.Product(biz.ID, name, testkit.Slug(fmt.Sprintf("p%d", i)), testkit.Price(100))
	}
	rows.Product(other.ID, "Café ajeno", testkit.Slug("cafe"), testkit.Price(100))
	for q, want := range map[string][]string{
		"cafe":   {"Café de olla", "CAFÉ AMERICANO"},
		"CAFÉ":   {"Café de olla", "CAFÉ AMERICANO"},
		"te ":    {"Té de menta"},
		"nino":   {"Piñata niño"},
		"PIÑATA": {"Piñata niño"},
		"%":      {"50% descuento"},
		"o_g":    {"taco_grande"},
	} {
		ps, total, err := repositories.NewProducts(db.DB).Search(ctx, biz.ID, domain.ProductFilter{Query: q, Limit: 50})
		if err != nil {
			t.Fatalf("product search %q: %v", q, err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.Name)
		}
		checkFound(t, "product", q, got, total, want)
	}
}

// checkFound fails the test unless a search for q found exactly want, in
// any order, with total counting them.
func checkFound(t *testing.T, what, q string, got []string, total int64, want []string) {
	t.Helper()
	slices.Sort(got)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) || total != int64(len(want)) {
		t.Errorf("%s search %q = %q (total %d), want %q", what, q, got, total, w)
	}
}

// The database folds every covered character exactly as domain.Fold does.
func TestDatabaseFoldsLikeDomainFold(t *testing.T) {
	db := testkit.NewDB(t)
	biz := db.Business(t, "Tienda", "tienda")
	// Each order's name holds a slice of the characters domain.Fold maps;
	// searching its folded text finds it only when the database folded
	// each character as domain.Fold did.
	from, _ := domain.FoldTable()
	runes := []rune(from)
	orders, rows := repositories.NewOrders(db.DB), db.Rows(t)
	for start := 0; start < len(runes); start += 45 {
		chunk := fmt.Sprintf("k%04d-", start) + string(runes[start:min(start+45, len(runes))])
		o := rows.Order(biz.ID, &domain.Order{Code: fmt.Sprintf("F%07d", start), CustomerName: chunk, CustomerPhone: "+525598765432"})
		list, _, err := orders.List(context.Background(), biz.ID, "", domain.Fold(chunk), 5, 0)
		if err != nil || len(list) != 1 || list[0].ID != o.ID {
			t.Errorf("the database folds %q differently from domain.Fold (%q): %d rows, %v", chunk, domain.Fold(chunk), len(list), err)
		}
	}
}
