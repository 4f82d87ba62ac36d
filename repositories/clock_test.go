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
