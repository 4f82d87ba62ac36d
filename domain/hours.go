package domain

import (
	"fmt"
	"time"
)

// DayHours is one weekday's opening hours: one range, or two for a shop that
// closes at midday, as "HH:MM" in the store's time zone. A range whose
// closing time is not after its opening time runs past midnight. Opens2 and
// Closes2 are empty when the day has one range, so hours stored before the
// second range existed read unchanged.
type DayHours struct {
	Open    bool   `json:"open"`
	Opens   string `json:"opens"`
	Closes  string `json:"closes"`
	Opens2  string `json:"opens2,omitempty"`
	Closes2 string `json:"closes2,omitempty"`
}

// WeekHours holds a schedule indexed by time.Weekday (0 = Sunday).
type WeekHours [7]DayHours

// ClockRange is an opening range in minutes after midnight; Closes <= Opens
// runs past midnight.
type ClockRange struct{ Opens, Closes int }

// PastMidnight reports whether the range ends the next day.
func (r ClockRange) PastMidnight() bool { return r.Closes <= r.Opens }

// Messages of the hours rules (i18n keys).
const (
	HoursKeyFormat  = "settings.error.hours_format"
	HoursKeySame    = "settings.error.hours_same"
	HoursKeyOverlap = "settings.error.hours_overlap"
	HoursKeyNextDay = "settings.error.hours_next_day"
	HoursKeySecond  = "settings.error.hours_second"
)

// nextOpeningDays is how far ahead NextOpening looks: a week and the same
// weekday after it.
const nextOpeningDays = 7

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

// HasSecond reports whether the day has a second range typed in.
func (d DayHours) HasSecond() bool { return d.Opens2 != "" || d.Closes2 != "" }

// Ranges are the day's valid ranges in the order stored; none when the day
// is closed. A range with a bad or equal time is left out.
func (d DayHours) Ranges() []ClockRange {
	if !d.Open {
		return nil
	}
	var out []ClockRange
	for _, p := range [2][2]string{{d.Opens, d.Closes}, {d.Opens2, d.Closes2}} {
		o, err1 := ParseClock(p[0])
		c, err2 := ParseClock(p[1])
		if err1 == nil && err2 == nil && o != c {
			out = append(out, ClockRange{Opens: o, Closes: c})
		}
	}
	return out
}

// Sorted puts the earlier-opening range first, so an owner may type the
// afternoon range in either row.
func (d DayHours) Sorted() DayHours {
	o1, err1 := ParseClock(d.Opens)
	o2, err2 := ParseClock(d.Opens2)
	if err1 == nil && err2 == nil && o2 < o1 {
		d.Opens, d.Closes, d.Opens2, d.Closes2 = d.Opens2, d.Closes2, d.Opens, d.Closes
	}
	return d
}

// validateDay checks one open day on its own and returns its message key.
func validateDay(d DayHours) string {
	check := func(opens, closes string) string {
		o, err1 := ParseClock(opens)
		c, err2 := ParseClock(closes)
		switch {
		case err1 != nil || err2 != nil:
			return HoursKeyFormat
		case o == c:
			return HoursKeySame
		}
		return ""
	}
	if key := check(d.Opens, d.Closes); key != "" {
		return key
	}
	if !d.HasSecond() {
		return ""
	}
	if d.Opens2 == "" || d.Closes2 == "" {
		return HoursKeySecond
	}
	if key := check(d.Opens2, d.Closes2); key != "" {
		return key
	}
	r := d.Ranges()
	// The first range must close before the second opens: it may not run
	// past midnight, and the two may not overlap.
	if r[0].PastMidnight() || r[1].Opens < r[0].Closes {
		return HoursKeyOverlap
	}
	return ""
}

// Validate checks every open day: times as "HH:MM", each range opening and
// closing at different times, two ranges not overlapping, and a range that
// runs past midnight ending before the next day opens. It returns the
// message key of each day with a problem, by weekday.
func (w WeekHours) Validate() map[time.Weekday]string {
	out := map[time.Weekday]string{}
	for d := range w {
		if !w[d].Open {
			continue
		}
		if key := validateDay(w[d]); key != "" {
			out[time.Weekday(d)] = key
		}
	}
	for d := range w {
		next := (d + 1) % 7
		if _, bad := out[time.Weekday(d)]; bad {
			continue
		}
		if _, bad := out[time.Weekday(next)]; bad {
			continue
		}
		today, tomorrow := w[d].Ranges(), w[next].Ranges()
		if len(today) == 0 || len(tomorrow) == 0 {
			continue
		}
		last := today[len(today)-1]
		if last.PastMidnight() && last.Closes > tomorrow[0].Opens {
			out[time.Weekday(d)] = HoursKeyNextDay
		}
	}
	return out
}

// IsEmpty reports whether the schedule has no open day, i.e. the owner set
// no hours: such a store is open whenever its switch allows. Times kept on
// closed days do not count, so saving the settings form of a new store,
// whose days are all unticked, does not close the store for good.
func (w WeekHours) IsEmpty() bool {
	for _, d := range w {
		if len(d.Ranges()) > 0 {
			return false
		}
	}
	return true
}

// OpenAt reports whether the schedule is open at t (already in the store's
// zone), over every range of the day and yesterday's ranges that run past
// midnight.
func (w WeekHours) OpenAt(t time.Time) bool {
	now := t.Hour()*60 + t.Minute()
	for _, r := range w[t.Weekday()].Ranges() {
		if now >= r.Opens && (r.PastMidnight() || now < r.Closes) {
			return true
		}
	}
	for _, r := range w[(t.Weekday()+6)%7].Ranges() {
		if r.PastMidnight() && now < r.Closes {
			return true
		}
	}
	return false
}

// NextOpening is the first time after t (in the store's zone) when one of
// the schedule's ranges opens, looking a week ahead; false when no day is
// open.
func (w WeekHours) NextOpening(t time.Time) (time.Time, bool) {
	y, m, d := t.Date()
	for i := 0; i <= nextOpeningDays; i++ {
		day := w[(int(t.Weekday())+i)%7]
		for _, r := range day.Ranges() {
			at := time.Date(y, m, d+i, r.Opens/60, r.Opens%60, 0, 0, t.Location())
			if at.After(t) {
				return at, true
			}
		}
	}
	return time.Time{}, false
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

// NextOpening is when b opens next by its hours, in its time zone. It is
// false while the owner's switch closes the store (only the owner knows when
// they come back) and when the store set no open day.
func (b *Business) NextOpening(now time.Time) (time.Time, bool) {
	if b.ClosedNow || b.Hours.IsEmpty() {
		return time.Time{}, false
	}
	return b.Hours.NextOpening(now.In(b.Location()))
}

// TakesOrders tells whether shoppers may order at instant now: always while
// open; outside its hours only when the owner takes orders for later. The
// owner's "closed now" switch takes none: it is for holidays and the
// unexpected, when an owner cannot prepare what is ordered.
func (b *Business) TakesOrders(now time.Time) bool {
	if b.ClosedNow {
		return false
	}
	return b.IsOpen(now) || b.OrdersWhenClosed
}
