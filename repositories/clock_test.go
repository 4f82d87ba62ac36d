package repositories_test

import (
	"context"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// The times GORM stamps and the ones repositories pick themselves come from
// the clock WithClock gives, not from the machine's.
func TestRowsFollowTheInjectedClock(t *testing.T) {
	ctx := context.Background()
	clock := testkit.NewClock() // 2026-03-02, never the machine's time
	db := repositories.WithClock(testkit.NewDB(t).DB, clock.Now)
	created := clock.Now()

	users, businesses := repositories.NewUsers(db), repositories.NewBusinesses(db)
	u := &domain.User{Email: "reloj@example.com", Name: "Reloj", Role: domain.RoleOwner, Locale: "es"}
	if err := users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	b := &domain.Business{Name: "Reloj", Slug: "reloj", WhatsApp: "+525512345678", ReferralCode: "QUBLY0001"}
	if err := businesses.Create(ctx, b); err != nil {
		t.Fatal(err)
	}
	if v, err := repositories.NewSettings(db).GetOrCreate(ctx, "clock_test", "x"); err != nil || v != "x" {
		t.Fatalf("GetOrCreate = %q, %v", v, err)
	}

	clock.Advance(90 * time.Minute)
	b.Description = "Abierto"
	if err := businesses.UpdateSettings(ctx, b); err != nil {
		t.Fatal(err)
	}

	gotU, err := users.Get(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !gotU.CreatedAt.Equal(created) || !gotU.UpdatedAt.Equal(created) {
		t.Errorf("user created_at, updated_at = %v, %v; want the clock's %v", gotU.CreatedAt, gotU.UpdatedAt, created)
	}
	gotB, err := businesses.Get(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !gotB.CreatedAt.Equal(created) {
		t.Errorf("business created_at = %v, want %v", gotB.CreatedAt, created)
	}
	if want := clock.Now(); !gotB.UpdatedAt.Equal(want) {
		t.Errorf("business updated_at after the update = %v, want the advanced clock's %v", gotB.UpdatedAt, want)
	}
	var s domain.Setting
	if err := db.Where("key = ?", "clock_test").First(&s).Error; err != nil {
		t.Fatal(err)
	}
	if !s.UpdatedAt.Equal(created) {
		t.Errorf("setting updated_at = %v, want %v", s.UpdatedAt, created)
	}
}

// The app stamps its rows with the clock it was given.
func TestAppRowsFollowItsClock(t *testing.T) {
	a := testkit.NewApp(t)
	a.Clock.Advance(3 * time.Hour)
	o := a.CreateOwner("reloj")
	if want := a.Clock.Now(); !o.User.CreatedAt.Equal(want) || !o.Business.CreatedAt.Equal(want) {
		t.Fatalf("owner created_at = %v, store created_at = %v; want the app clock's %v",
			o.User.CreatedAt, o.Business.CreatedAt, want)
	}
}

// Soft deletes stamp deleted_at with the injected clock too, as do the
// updates that go with them.
func TestSoftDeletesFollowTheInjectedClock(t *testing.T) {
	ctx := context.Background()
	clock := testkit.NewClock()
	tdb := testkit.NewDB(t)
	db := repositories.WithClock(tdb.DB, clock.Now)
	biz := tdb.Business(t, "Reloj", "reloj")
	catalog := repositories.NewCatalog(db)
	c := &domain.Category{Name: "Pan", Slug: "pan"}
	must(t, catalog.CreateCategory(ctx, biz.ID, c))
	p := &domain.Product{Name: "Concha", Slug: "concha", PriceCents: 1200, Active: true}
	must(t, catalog.CreateProduct(ctx, biz.ID, p))

	clock.Advance(2 * time.Hour)
	must(t, catalog.Categories.Delete(ctx, biz.ID, c.ID, clock.Now()))
	must(t, catalog.Products.Delete(ctx, biz.ID, []int64{p.ID}))

	var gotC domain.Category
	must(t, db.Unscoped().First(&gotC, c.ID).Error)
	var gotP domain.Product
	must(t, db.Unscoped().First(&gotP, p.ID).Error)
	want := clock.Now()
	if !gotC.DeletedAt.Valid || !gotC.DeletedAt.Time.Equal(want) {
		t.Errorf("category deleted_at = %v, want the clock's %v", gotC.DeletedAt, want)
	}
	if !gotP.DeletedAt.Valid || !gotP.DeletedAt.Time.Equal(want) {
		t.Errorf("product deleted_at = %v, want the clock's %v", gotP.DeletedAt, want)
	}
}
