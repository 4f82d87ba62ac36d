package services_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// memSettings is a settings table in memory that can be made to fail.
type memSettings struct {
	mu   sync.Mutex
	vals map[string]string
	err  error
}

func (m *memSettings) Get(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return "", m.err
	}
	v, ok := m.vals[key]
	if !ok {
		return "", domain.ErrNotFound
	}
	return v, nil
}

func (m *memSettings) Set(_ context.Context, key, value string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vals[key] = value
	return nil
}

func (m *memSettings) fail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.err = err
}

// Run is what keeps every instance's snapshot current: it picks up a value
// saved elsewhere, keeps the snapshot (and logs) while the database fails,
// recovers, and stops with its context.
func TestPlatformSettingsRunReloadsUntilStopped(t *testing.T) {
	repo := &memSettings{vals: map[string]string{}}
	logs := &testkit.LogBuffer{}
	var mu sync.Mutex
	var changes []services.PlatformValues
	s := services.NewPlatformSettings(services.PlatformSettingsDeps{
		Repo: repo, Clock: time.Now, Log: logs.Logger(),
		Defaults: services.PlatformValues{TrialDays: 14, GraceDays: 7, RewardPercent: 10},
		OnChange: func(_, cur services.PlatformValues) { mu.Lock(); changes = append(changes, cur); mu.Unlock() },
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { s.Run(ctx, 3*time.Millisecond); close(done) }()

	repo.Set(ctx, services.TrialDaysKey, "21", time.Now()) // another instance's save
	testkit.WaitFor(t, "the saved trial length", func() bool { return s.Current().TrialDays == 21 })

	repo.fail(errors.New("connection refused"))
	testkit.WaitFor(t, "the failed reload logged", func() bool {
		return strings.Contains(logs.String(), "platform settings not reloaded") && strings.Contains(logs.String(), "connection refused")
	})
	if got := s.Current(); got != (services.PlatformValues{TrialDays: 21, GraceDays: 7, RewardPercent: 10}) {
		t.Fatalf("snapshot while the database fails: %+v", got)
	}

	repo.fail(nil)
	repo.Set(ctx, services.GraceDaysKey, "3", time.Now())
	testkit.WaitFor(t, "the reload after the failure", func() bool { return s.Current().GraceDays == 3 })
	mu.Lock()
	if len(changes) != 2 || changes[0].TrialDays != 21 || changes[1].GraceDays != 3 {
		t.Errorf("OnChange calls %+v, want one per change", changes)
	}
	mu.Unlock()

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}
