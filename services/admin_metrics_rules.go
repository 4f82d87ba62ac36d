package services

import (
	"time"

	"github.com/qubly/qubly/domain"
)

// The rules of the platform metrics: how states, conversion and churn are
// counted, and where weeks and months start.

// states counts bs by status, and the suspended ones.
func states(bs []domain.MetricsBusiness) (out []StateCount, total, suspended int64) {
	out = make([]StateCount, len(domain.SubscriptionStatuses))
	for i, st := range domain.SubscriptionStatuses {
		out[i].Status = st
	}
	for _, b := range bs {
		for i := range out {
			if out[i].Status == b.SubscriptionStatus {
				out[i].Count++
				total++
			}
		}
		if b.SuspendedAt != nil {
			suspended++
		}
	}
	return out, total, suspended
}

// Conversion is trial → paid at now (see PlatformMetrics.Conversion).
func Conversion(bs []domain.MetricsBusiness, changes []domain.SubscriptionChange, now time.Time) Ratio {
	leftTrial, paid := map[int64]bool{}, map[int64]bool{}
	for _, c := range changes {
		if c.From == domain.SubscriptionTrial && c.To != domain.SubscriptionTrial {
			leftTrial[c.BusinessID] = true
		}
		if c.To == domain.SubscriptionActive {
			paid[c.BusinessID] = true
		}
	}
	var r Ratio
	for _, b := range bs {
		isPaid := paid[b.ID] || b.SubscriptionStatus == domain.SubscriptionActive || b.SubscriptionStatus == domain.SubscriptionPastDue
		over := isPaid || leftTrial[b.ID] || b.SubscriptionStatus != domain.SubscriptionTrial ||
			(b.TrialEndsAt != nil && !now.Before(*b.TrialEndsAt))
		if over {
			r.Den++
			if isPaid {
				r.Num++
			}
		}
	}
	return r
}

// Churn is the churn of the 30 days before now (see PlatformMetrics.Churn),
// from the subscription history sorted oldest first.
func Churn(changes []domain.SubscriptionChange, now time.Time) ChurnWindow {
	w := ChurnWindow{From: now.Add(-MetricsWindow), To: now}
	atStart := map[int64]domain.SubscriptionStatus{}
	cancelled := map[int64]bool{}
	for _, c := range changes {
		switch {
		case c.CreatedAt.Before(w.From):
			atStart[c.BusinessID] = c.To
		case !c.CreatedAt.After(now) && c.To == domain.SubscriptionCancelled:
			cancelled[c.BusinessID] = true
		}
	}
	for id, st := range atStart {
		if st == domain.SubscriptionActive || st == domain.SubscriptionPastDue {
			w.Den++
			if cancelled[id] {
				w.Num++
			}
		}
	}
	return w
}

// WeekBounds returns n+1 boundaries of the last n weeks, the current one
// included: Mondays at 00:00 Mexico City time, the last one the next Monday.
func WeekBounds(now time.Time, n int) []time.Time {
	l := now.In(MetricsZone)
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	first := time.Date(l.Year(), l.Month(), l.Day()-back-7*(n-1), 0, 0, 0, 0, MetricsZone)
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = first.AddDate(0, 0, 7*i)
	}
	return out
}

// MonthBounds returns n+1 boundaries of the last n calendar months, the
// current one included: the 1st at 00:00 Mexico City time.
func MonthBounds(now time.Time, n int) []time.Time {
	l := now.In(MetricsZone)
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = time.Date(l.Year(), l.Month()-time.Month(n-1-i), 1, 0, 0, 0, 0, MetricsZone)
	}
	return out
}

// bucketOf is the index of the period of bounds t falls in, or -1.
func bucketOf(bounds []time.Time, t time.Time) int {
	for i := 0; i+1 < len(bounds); i++ {
		if !t.Before(bounds[i]) && t.Before(bounds[i+1]) {
			return i
		}
	}
	return -1
}

// periods spreads the repository's buckets over every period of bounds,
// zeros included.
func periods(bounds []time.Time, got []domain.MetricsBucket) []Period {
	out := make([]Period, len(bounds)-1)
	for i := range out {
		out[i].Start = bounds[i]
	}
	for _, b := range got {
		if b.Index >= 0 && b.Index < len(out) {
			out[b.Index].Count, out[b.Index].Cents = b.Count, b.Cents
		}
	}
	return out
}
