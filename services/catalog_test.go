package services_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

type catalogEnv struct {
	repo       *repositories.Catalog
	rows       *testkit.Rows
	categories *services.Categories
	products   *services.Products
	options    *services.ProductOptions
	purger     *testkit.Purges
	ctx        context.Context
}

// Stores of the tests; the catalog tables have no foreign key to businesses.
const (
	catStoreA int64 = 1
	catStoreB int64 = 2
)

func newCatalogEnv(t *testing.T) *catalogEnv {
	t.Helper()
	db := testkit.NewDB(t)
	repo := repositories.NewCatalog(db.DB)
	p := &testkit.Purges{}
	d := services.CatalogDeps{
		Categories: repo.Categories, Products: repo.Products, Options: repo.ProductOptions,
		Writes: p.Writes(db.DB),
	}
	return &catalogEnv{
		repo: repo, rows: db.Rows(t), categories: services.NewCategories(d), products: services.NewProducts(d),
		options: services.NewProductOptions(d), purger: p, ctx: context.Background(),
	}
}

func catalogFieldKey(err error, field string) string {
	var v *domain.ValidationError
	if !errors.As(err, &v) {
		return ""
	}
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Key
		}
	}
	return ""
}

func catalogID(id int64) string { return strconv.FormatInt(id, 10) }

func TestValidationWritesNothing(t *testing.T) {
	e := newCatalogEnv(t)
	if _, err := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "", Price: "-1", Stock: "x"}); err == nil {
		t.Fatal("invalid product saved")
	}
	if _, err := e.categories.CreateCategory(e.ctx, catStoreA, ""); err == nil {
		t.Fatal("invalid category saved")
	}
	if n := e.purger.Count(catStoreA); n != 0 {
		t.Fatalf("purged %d times without a write", n)
	}
	ps, err := e.repo.Products.List(e.ctx, catStoreA)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Fatal("rows written")
	}
	cats, err := e.repo.Categories.List(e.ctx, catStoreA)
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 0 {
		t.Fatalf("category rows written: %+v", cats)
	}
}

func TestReorderFillsSlotsAndNormalises(t *testing.T) {
	e := newCatalogEnv(t)
	var ids []int64
	// Positions as older data may have them: duplicates and gaps.
	for i, pos := range []int{5, 5, 9, 9, 20} {
		p := e.rows.Product(catStoreA, string(rune('A'+i)), testkit.Price(100), testkit.Position(pos))
		ids = append(ids, p.ID)
	}
	names := func() string {
		ps, _ := e.repo.Products.List(e.ctx, catStoreA)
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.Name)
		}
		return b.String()
	}
	if err := e.products.MoveProduct(e.ctx, catStoreA, ids[1], "up"); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "BACDE" {
		t.Fatalf("after move: %s", got)
	}
	// E and B swap the slots they hold (1st and 5th).
	if err := e.products.ReorderProducts(e.ctx, catStoreA, []int64{ids[4], ids[1]}); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "EACDB" {
		t.Fatalf("after subset reorder: %s", got)
	}
	ps, _ := e.repo.Products.List(e.ctx, catStoreA)
	for i, p := range ps {
		if p.Position != i {
			t.Fatalf("positions not normalised: %s at %d", p.Name, p.Position)
		}
	}
	for _, bad := range [][]int64{{}, {ids[0], ids[0]}} {
		if err := e.products.ReorderProducts(e.ctx, catStoreA, bad); catalogFieldKey(err, "ids") == "" {
			t.Errorf("reorder %v: %v", bad, err)
		}
	}
	if err := e.products.ReorderProducts(e.ctx, catStoreB, []int64{ids[0]}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store: %v", err)
	}
	if got := names(); got != "EACDB" {
		t.Fatalf("changed by refused reorders: %s", got)
	}
}

// Every catalog write is stamped by the services' clock, never by the
// repositories reading the wall clock.
func TestCatalogStampsChangesWithItsClock(t *testing.T) {
	db := testkit.NewDB(t)
	repo := repositories.NewCatalog(db.DB)
	now := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	d := services.CatalogDeps{
		Categories: repo.Categories, Products: repo.Products, Options: repo.ProductOptions,
		Writes: (&testkit.Purges{}).Writes(db.DB), Clock: func() time.Time { return now },
	}
	categories, products, options := services.NewCategories(d), services.NewProducts(d), services.NewProductOptions(d)
	ctx := context.Background()
	stamped := func(what string, at time.Time) {
		t.Helper()
		if !at.Equal(now) {
			t.Errorf("%s stamped %v, want %v", what, at, now)
		}
	}

	c, err := categories.CreateCategory(ctx, catStoreA, "Bebidas")
	if err != nil {
		t.Fatal(err)
	}
	p, err := products.CreateProduct(ctx, catStoreA, services.ProductInput{Name: "Agua", Price: "20", Active: true, CategoryID: catalogID(c.ID)})
	if err != nil {
		t.Fatal(err)
	}
	g, err := options.AddOptionGroup(ctx, catStoreA, p.ID, services.GroupInput{Name: "Tamaño"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := options.AddOptionChoice(ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Grande", Delta: "5"})
	if err != nil {
		t.Fatal(err)
	}
	load := func() (*domain.Category, *domain.Product, *domain.OptionGroup) {
		t.Helper()
		cs, err := repo.Categories.Get(ctx, catStoreA, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := repo.Products.Get(ctx, catStoreA, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var gs domain.OptionGroup
		if err := db.First(&gs, g.ID).Error; err != nil {
			t.Fatal(err)
		}
		return cs, ps, &gs
	}
	cs, ps, gs := load()
	stamped("new category", cs.UpdatedAt)
	stamped("new product", ps.CreatedAt)
	stamped("new option group", gs.UpdatedAt)

	// Every kind of change, an hour later.
	now = now.Add(time.Hour)
	steps := []func() error{
		func() error { return categories.UpdateCategory(ctx, catStoreA, c.ID, "Aguas", false) },
		func() error {
			_, err := products.UpdateProduct(ctx, catStoreA, p.ID, services.ProductInput{Name: "Agua", Price: "25", Active: true, CategoryID: catalogID(c.ID)})
			return err
		},
		func() error {
			return options.UpdateOptionGroup(ctx, catStoreA, p.ID, g.ID, services.GroupInput{Name: "Tamaños"})
		},
		func() error {
			return options.UpdateOptionChoice(ctx, catStoreA, p.ID, g.ID, ch.ID, services.ChoiceInput{Name: "Grande", Delta: "6"})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	cs, ps, gs = load()
	stamped("renamed category", cs.UpdatedAt)
	stamped("edited product", ps.UpdatedAt)
	stamped("edited option group", gs.UpdatedAt)
	var chs domain.OptionChoice
	if err := db.First(&chs, ch.ID).Error; err != nil {
		t.Fatal(err)
	}
	stamped("edited option choice", chs.UpdatedAt)

	now = now.Add(time.Hour)
	if _, err := products.Bulk(ctx, catStoreA, services.BulkHide, []int64{p.ID}); err != nil {
		t.Fatal(err)
	}
	_, ps, _ = load()
	stamped("hidden product", ps.UpdatedAt)

	now = now.Add(time.Hour)
	other, err := products.CreateProduct(ctx, catStoreA, services.ProductInput{Name: "Horchata", Price: "20"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if err := products.MoveProduct(ctx, catStoreA, other.ID, "up"); err != nil {
		t.Fatal(err)
	}
	_, ps, _ = load()
	stamped("moved product", ps.UpdatedAt)

	now = now.Add(time.Hour)
	if err := categories.DeleteCategory(ctx, catStoreA, c.ID); err != nil {
		t.Fatal(err)
	}
	if ps, err = repo.Products.Get(ctx, catStoreA, p.ID); err != nil || ps.CategoryID != nil {
		t.Fatalf("after deleting its category: %+v %v", ps, err)
	}
	stamped("uncategorised product", ps.UpdatedAt)
}
