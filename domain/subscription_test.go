package domain

import (
	"testing"
	"time"
)

func TestSubscriptionTransitions(t *testing.T) {
	allowed := map[[2]SubscriptionStatus]bool{
		{SubscriptionTrial, SubscriptionActive}:      true,
		{SubscriptionTrial, SubscriptionCancelled}:   true,
		{SubscriptionActive, SubscriptionPastDue}:    true,
		{SubscriptionPastDue, SubscriptionActive}:    true,
		{SubscriptionPastDue, SubscriptionCancelled}: true,
		{SubscriptionActive, SubscriptionCancelled}:  true,
		{SubscriptionCancelled, SubscriptionActive}:  true,
		{SubscriptionCancelled, SubscriptionTrial}:   true,
	}
	for _, from := range SubscriptionStatuses {
		for _, to := range SubscriptionStatuses {
			if got := from.CanTransition(to); got != allowed[[2]SubscriptionStatus{from, to}] {
				t.Errorf("%s → %s: CanTransition = %v", from, to, got)
			}
		}
	}
}

func TestBillingOnline(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	rules := BillingRules{TrialDays: 14, GraceDays: 7}
	cases := []struct {
		name string
		b    Billing
		want bool
	}{
		{"trial running", Billing{SubscriptionStatus: SubscriptionTrial, TrialEndsAt: at(time.Hour)}, true},
		{"trial over, job not run yet", Billing{SubscriptionStatus: SubscriptionTrial, TrialEndsAt: at(-time.Second)}, false},
		{"active", Billing{SubscriptionStatus: SubscriptionActive}, true},
		{"past due in grace", Billing{SubscriptionStatus: SubscriptionPastDue, PastDueSince: at(-6 * 24 * time.Hour)}, true},
		{"past due after grace", Billing{SubscriptionStatus: SubscriptionPastDue, PastDueSince: at(-7 * 24 * time.Hour)}, false},
		{"cancelled", Billing{SubscriptionStatus: SubscriptionCancelled}, false},
	}
	for _, c := range cases {
		if got := c.b.Online(now, rules); got != c.want {
			t.Errorf("%s: Online = %v, want %v", c.name, got, c.want)
		}
		demo := Business{Demo: true, Billing: c.b}
		if !demo.Online(now, rules) {
			t.Errorf("%s: the demo store went offline", c.name)
		}
	}
	trial := Billing{SubscriptionStatus: SubscriptionTrial, TrialEndsAt: at(3*24*time.Hour - time.Minute)}
	if d := trial.TrialDaysLeft(now); d != 3 {
		t.Errorf("TrialDaysLeft = %d, want 3", d)
	}
}

func TestReferralCodes(t *testing.T) {
	if c := ReferralCode(7, 4); c != "QUBLY0007" {
		t.Fatalf("ReferralCode = %q", c)
	}
	for in, want := range map[string]string{"qubly 1234": "QUBLY1234", " QUBLY12345 ": "QUBLY12345"} {
		if got, ok := NormalizeReferralCode(in); !ok || got != want {
			t.Errorf("NormalizeReferralCode(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"QUBLY123", "AMIGO-10", "QUBLY12a4", "QUBLY" + "1234567890123456"} {
		if _, ok := NormalizeReferralCode(bad); ok {
			t.Errorf("NormalizeReferralCode(%q) accepted", bad)
		}
	}
	// The reward year is Mexico City's: New Year's Eve at 20:00 there is
	// already 2027 in UTC.
	y, start := ReferralYear(time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC))
	if y != 2026 || !start.Equal(time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)) {
		t.Fatalf("ReferralYear = %d, %v", y, start)
	}
}
