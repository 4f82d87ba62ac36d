package services_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// catalogPurger records which stores were purged.
type catalogPurger struct {
	mu     sync.Mutex
	purged map[int64]int
}

func (p *catalogPurger) PurgeStore(_ context.Context, businessID int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.purged == nil {
		p.purged = map[int64]int{}
	}
	p.purged[businessID]++
}

func (p *catalogPurger) count(businessID int64) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.purged[businessID]
}

type catalogEnv struct {
	repo    *repositories.Catalog
	catalog *services.Catalog
	purger  *catalogPurger
	ctx     context.Context
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
	p := &catalogPurger{}
	return &catalogEnv{repo: repo, catalog: services.NewCatalog(repo, repositories.NewTransactor(db.DB), p), purger: p, ctx: context.Background()}
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

func TestParsePrice(t *testing.T) {
	ok := map[string]domain.Money{
		"25": 2500, "25.5": 2550, "25.50": 2550, "$25.50": 2550, " 0.99 ": 99, "0": 0, ".5": 50,
		"1,250": 125000, "1,250.75": 125075, "$ 1,000,000.00": 100000000, "1000000": 100000000,
		"19.99": 1999, "0.01": 1, "0.10": 10, "007": 700,
	}
	for in, want := range ok {
		got, key := services.ParsePrice(in)
		if key != "" || got != want {
			t.Errorf("ParsePrice(%q) = %d, %q; want %d", in, got, key, want)
		}
	}
	bad := map[string]string{
		"":                     "validation.required",
		"-5":                   "catalog.validation.price_negative",
		"-0.01":                "catalog.validation.price_negative",
		"25.555":               "catalog.validation.price_decimals",
		"25.":                  "catalog.validation.price_format",
		"25,50":                "catalog.validation.price_format",
		"1,25,000":             "catalog.validation.price_format",
		"abc":                  "catalog.validation.price_format",
		"1e3":                  "catalog.validation.price_format",
		"25.5.0":               "catalog.validation.price_format",
		"1000000.01":           "catalog.validation.price_max",
		"99999999999999999999": "catalog.validation.price_format",
	}
	for in, want := range bad {
		if _, key := services.ParsePrice(in); key != want {
			t.Errorf("ParsePrice(%q) key %q, want %q", in, key, want)
		}
	}
}

func TestCategoryServicePurgesAndUncategorises(t *testing.T) {
	e := newCatalogEnv(t)
	c, err := e.catalog.CreateCategory(e.ctx, catStoreA, "  Café & Pan  ")
	if err != nil || c.Name != "Café & Pan" || c.Slug != "cafe-pan" {
		t.Fatalf("create: %+v %v", c, err)
	}
	if n := e.purger.count(catStoreA); n != 1 {
		t.Fatalf("purged %d times", n)
	}
	// Emoji-only names still get a slug; same slug base gets a suffix.
	c2, err := e.catalog.CreateCategory(e.ctx, catStoreA, "☕")
	if err != nil || c2.Slug != "categoria" {
		t.Fatalf("emoji: %+v %v", c2, err)
	}
	c3, _ := e.catalog.CreateCategory(e.ctx, catStoreA, "Café-Pan")
	if c3.Slug != "cafe-pan-2" {
		t.Fatalf("suffix slug %q", c3.Slug)
	}
	// Same name in another store is fine.
	if _, err := e.catalog.CreateCategory(e.ctx, catStoreB, "café & pan"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.catalog.CreateCategory(e.ctx, catStoreA, "CAFÉ & PAN"); catalogFieldKey(err, "name") != "catalog.validation.category_taken" {
		t.Fatalf("duplicate: %v", err)
	}
	purged := e.purger.count(catStoreA)

	p, err := e.catalog.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Concha", Price: "12", Active: true, CategoryID: catalogID(c.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.catalog.DeleteCategory(e.ctx, catStoreB, c.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("delete from another store: %v", err)
	}
	if err := e.catalog.DeleteCategory(e.ctx, catStoreA, c.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := e.repo.GetProduct(e.ctx, catStoreA, p.ID)
	if got.CategoryID != nil {
		t.Fatal("product still in deleted category")
	}
	if e.purger.count(catStoreA) != purged+2 {
		t.Fatalf("purges: %d, want %d", e.purger.count(catStoreA), purged+2)
	}
}

func catalogID(id int64) string { return strconv.FormatInt(id, 10) }

func TestProductSlugs(t *testing.T) {
	e := newCatalogEnv(t)
	in := services.ProductInput{Name: "Pan de Muerto", Price: "45", Active: true}
	p1, err := e.catalog.CreateProduct(e.ctx, catStoreA, in)
	if err != nil || p1.Slug != "pan-de-muerto" {
		t.Fatalf("p1: %+v %v", p1, err)
	}
	p2, _ := e.catalog.CreateProduct(e.ctx, catStoreA, in)
	if p2.Slug != "pan-de-muerto-2" {
		t.Fatalf("p2 slug %q", p2.Slug)
	}
	// Another store may use the same slug.
	if p, _ := e.catalog.CreateProduct(e.ctx, catStoreB, in); p.Slug != "pan-de-muerto" {
		t.Fatalf("store B slug %q", p.Slug)
	}
	// A typed slug that is taken is an error, not renamed.
	in.Slug = "pan-de-muerto"
	if _, err := e.catalog.CreateProduct(e.ctx, catStoreA, in); catalogFieldKey(err, "slug") != "catalog.validation.slug_taken" {
		t.Fatalf("taken: %v", err)
	}
	// Saving with the slug cleared keeps the link while the name is the same.
	up := services.ProductInputFrom(p2)
	up.Slug = ""
	if p, err := e.catalog.UpdateProduct(e.ctx, catStoreA, p2.ID, up); err != nil || p.Slug != "pan-de-muerto-2" {
		t.Fatalf("cleared slug: %+v %v", p, err)
	}
	up.Name = "Rosca de Reyes"
	if p, _ := e.catalog.UpdateProduct(e.ctx, catStoreA, p2.ID, up); p.Slug != "rosca-de-reyes" {
		t.Fatalf("renamed slug %q", p.Slug)
	}
	// A deleted product frees its slug.
	if err := e.catalog.DeleteProduct(e.ctx, catStoreA, p1.ID); err != nil {
		t.Fatal(err)
	}
	if p, err := e.catalog.CreateProduct(e.ctx, catStoreA, in); err != nil || p.Slug != "pan-de-muerto" {
		t.Fatalf("reuse: %+v %v", p, err)
	}
	// Another store's product cannot be edited or deleted.
	if _, err := e.catalog.UpdateProduct(e.ctx, catStoreB, p2.ID, up); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update other store's: %v", err)
	}
	if err := e.catalog.DeleteProduct(e.ctx, catStoreB, p2.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("delete other store's: %v", err)
	}
}

func TestValidationWritesNothing(t *testing.T) {
	e := newCatalogEnv(t)
	if _, err := e.catalog.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "", Price: "-1", Stock: "x"}); err == nil {
		t.Fatal("invalid product saved")
	}
	if _, err := e.catalog.CreateCategory(e.ctx, catStoreA, ""); err == nil {
		t.Fatal("invalid category saved")
	}
	if n := e.purger.count(catStoreA); n != 0 {
		t.Fatalf("purged %d times without a write", n)
	}
	ps, err := e.repo.ListProducts(e.ctx, catStoreA)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Fatal("rows written")
	}
	cats, err := e.repo.ListCategories(e.ctx, catStoreA)
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
		p := &domain.Product{Name: string(rune('A' + i)), Slug: strings.ToLower(string(rune('a' + i))), PriceCents: 100, Active: true, Position: pos}
		if err := e.repo.CreateProduct(e.ctx, catStoreA, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	names := func() string {
		ps, _ := e.repo.ListProducts(e.ctx, catStoreA)
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.Name)
		}
		return b.String()
	}
	if err := e.catalog.MoveProduct(e.ctx, catStoreA, ids[1], "up"); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "BACDE" {
		t.Fatalf("after move: %s", got)
	}
	// E and B swap the slots they hold (1st and 5th).
	if err := e.catalog.ReorderProducts(e.ctx, catStoreA, []int64{ids[4], ids[1]}); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "EACDB" {
		t.Fatalf("after subset reorder: %s", got)
	}
	ps, _ := e.repo.ListProducts(e.ctx, catStoreA)
	for i, p := range ps {
		if p.Position != i {
			t.Fatalf("positions not normalised: %s at %d", p.Name, p.Position)
		}
	}
	for _, bad := range [][]int64{{}, {ids[0], ids[0]}} {
		if err := e.catalog.ReorderProducts(e.ctx, catStoreA, bad); catalogFieldKey(err, "ids") == "" {
			t.Errorf("reorder %v: %v", bad, err)
		}
	}
	if err := e.catalog.ReorderProducts(e.ctx, catStoreB, []int64{ids[0]}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store: %v", err)
	}
	if got := names(); got != "EACDB" {
		t.Fatalf("changed by refused reorders: %s", got)
	}
}

func TestOptionRules(t *testing.T) {
	e := newCatalogEnv(t)
	p, _ := e.catalog.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Hamburguesa", Price: "80", Active: true})
	g, err := e.catalog.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "Extras", Min: "", Max: ""})
	if err != nil || g.MinSelect != 0 || g.MaxSelect != 1 {
		t.Fatalf("defaults: %+v %v", g, err)
	}
	if services.GroupComplete(g) {
		t.Fatal("a group without choices is complete")
	}
	if _, err := e.catalog.AddOptionGroup(e.ctx, catStoreB, p.ID, services.GroupInput{Name: "X"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("group on another store's product: %v", err)
	}
	for _, tc := range []struct {
		in    services.GroupInput
		field string
	}{
		{services.GroupInput{Name: "A", Min: "0", Max: "21"}, "max_select"},
		{services.GroupInput{Name: "A", Min: "3", Max: "2"}, "min_select"},
		{services.GroupInput{Name: strings.Repeat("x", 81)}, "name"},
	} {
		if _, err := e.catalog.AddOptionGroup(e.ctx, catStoreA, p.ID, tc.in); catalogFieldKey(err, tc.field) == "" {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}

	// Deltas: a discount down to $0 is fine, below is not.
	if _, err := e.catalog.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Sin pan", Delta: "-80"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.catalog.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Doble", Delta: "-80.01"}); catalogFieldKey(err, "delta") != "catalog.validation.delta_below_price" {
		t.Fatalf("below price: %v", err)
	}
	if _, err := e.catalog.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: "Doble", Delta: "--5"}); catalogFieldKey(err, "delta") != "catalog.validation.price_format" {
		t.Fatalf("double sign: %v", err)
	}
	// The product price cannot drop under the discount.
	in := services.ProductInputFrom(p)
	in.Price = "79.99"
	if _, err := e.catalog.UpdateProduct(e.ctx, catStoreA, p.ID, in); catalogFieldKey(err, "price") != "catalog.validation.price_below_options" {
		t.Fatalf("price under discount: %v", err)
	}

	full, err := e.catalog.Product(e.ctx, catStoreA, p.ID)
	if err != nil || len(full.Options) != 1 || len(full.Options[0].Choices) != 1 || !services.GroupComplete(&full.Options[0]) {
		t.Fatalf("loaded options: %+v %v", full, err)
	}
	// Choices only through their own group; groups through their product.
	other, _ := e.catalog.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: "Otro", Price: "1", Active: true})
	choice := full.Options[0].Choices[0]
	if err := e.catalog.UpdateOptionChoice(e.ctx, catStoreA, other.ID, g.ID, choice.ID, services.ChoiceInput{Name: "X"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("choice through another product: %v", err)
	}
	if err := e.catalog.DeleteOptionChoice(e.ctx, catStoreB, p.ID, g.ID, choice.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("choice of another store: %v", err)
	}

	// Limits on counts.
	for i := 2; i <= services.MaxOptionGroups; i++ {
		if _, err := e.catalog.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "G" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.catalog.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: "Una más"}); catalogFieldKey(err, "name") != "catalog.validation.too_many_groups" {
		t.Fatalf("too many groups: %v", err)
	}
}
