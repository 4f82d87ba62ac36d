package domain

import (
	"fmt"
	"time"
)

// DayHours is one weekday's opening hours; Opens and Closes are "HH:MM" in
// the store's time zone. Closes before Opens means past midnight.
type DayHours struct {
	Open   bool   `json:"open"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// WeekHours holds a schedule indexed by time.Weekday (0 = Sunday).
type WeekHours [7]DayHours

// DefaultHours is 09:00–18:00 Monday to Saturday.
func DefaultHours() WeekHours {
	var w WeekHours
	for d := time.Monday; d <= time.Saturday; d++ {
		w[d] = DayHours{Open: true, Opens: "09:00", Closes: "18:00"}
	}
	w[time.Sunday] = DayHours{Opens: "09:00", Closes: "18:00"}
	return w
}

// ParseClock reads "HH:MM" into minutes after midnight.
func ParseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("bad time %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return h*60 + m, nil
}

// IsEmpty reports whether no day was ever configured.
func (w WeekHours) IsEmpty() bool {
	for _, d := range w {
		if d.Open || d.Opens != "" || d.Closes != "" {
			return false
		}
	}
	return true
}

// OpenAt reports whether the schedule is open at t (already in the store's zone).
func (w WeekHours) OpenAt(t time.Time) bool {
	now := t.Hour()*60 + t.Minute()
	today := w[t.Weekday()]
	if today.Open {
		o, err1 := ParseClock(today.Opens)
		c, err2 := ParseClock(today.Closes)
		if err1 == nil && err2 == nil {
			if o < c && now >= o && now < c {
				return true
			}
			if c <= o && now >= o { // runs past midnight
				return true
			}
		}
	}
	// Yesterday's hours that run past midnight.
	y := w[(t.Weekday()+6)%7]
	if y.Open {
		o, err1 := ParseClock(y.Opens)
		c, err2 := ParseClock(y.Closes)
		if err1 == nil && err2 == nil && c <= o && now < c {
			return true
		}
	}
	return false
}

// IsOpen tells whether b is open at instant now: the manual switch wins,
// then the weekly hours in the store's time zone. A store with no hours set
// is open.
func (b *Business) IsOpen(now time.Time) bool {
	if b.ClosedNow {
		return false
	}
	if b.Hours.IsEmpty() {
		return true
	}
	return b.Hours.OpenAt(now.In(b.Location()))
}
