package domain

import (
	"encoding/json"
	"testing"
	"time"
)

func TestHoursStoredBeforeTwoRangesStillRead(t *testing.T) {
	var w WeekHours
	old := `[{"open":false,"opens":"","closes":""},{"open":true,"opens":"09:00","closes":"18:00"},{},{},{},{"open":true,"opens":"20:00","closes":"02:00"},{}]`
	if err := json.Unmarshal([]byte(old), &w); err != nil {
		t.Fatal(err)
	}
	if w[time.Monday] != (DayHours{Open: true, Opens: "09:00", Closes: "18:00"}) || len(w[time.Friday].Ranges()) != 1 {
		t.Fatalf("read %+v", w)
	}
	// A day with one range writes what older code wrote.
	b, _ := json.Marshal(w[time.Monday])
	if string(b) != `{"open":true,"opens":"09:00","closes":"18:00"}` {
		t.Errorf("wrote %s", b)
	}
}

func TestOpenOverTwoRanges(t *testing.T) {
	mx, _ := time.LoadLocation("America/Mexico_City")
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, mx) } // 2 March 2026 is a Monday
	b := &Business{TimeZone: "America/Mexico_City"}
	b.Hours[time.Monday] = DayHours{Open: true, Opens: "08:00", Closes: "14:00", Opens2: "17:00", Closes2: "01:30"}
	b.Hours[time.Tuesday] = DayHours{Open: true, Opens: "09:00", Closes: "13:00"}
	for _, c := range []struct {
		t    time.Time
		open bool
	}{
		{at(2, 7, 59), false}, {at(2, 8, 0), true}, {at(2, 13, 59), true}, {at(2, 14, 0), false},
		{at(2, 16, 30), false}, {at(2, 17, 0), true}, {at(2, 23, 59), true},
		{at(3, 1, 29), true}, {at(3, 1, 30), false}, {at(3, 9, 0), true}, {at(3, 13, 0), false},
	} {
		if got := b.IsOpen(c.t); got != c.open {
			t.Errorf("%s: open %t, want %t", c.t.Format("Mon 15:04"), got, c.open)
		}
	}
}

func TestNextOpening(t *testing.T) {
	mx, _ := time.LoadLocation("America/Mexico_City")
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, mx) }
	b := &Business{TimeZone: "America/Mexico_City"}
	b.Hours[time.Monday] = DayHours{Open: true, Opens: "08:00", Closes: "14:00", Opens2: "17:00", Closes2: "22:00"}
	b.Hours[time.Thursday] = DayHours{Open: true, Opens: "09:30", Closes: "12:00"}
	for _, c := range []struct{ now, want time.Time }{
		{at(2, 6, 0), at(2, 8, 0)},   // later today
		{at(2, 15, 0), at(2, 17, 0)}, // the afternoon range
		{at(2, 23, 0), at(5, 9, 30)}, // Thursday
		{at(5, 13, 0), at(9, 8, 0)},  // next Monday
		{at(9, 8, 30), at(9, 17, 0)}, // open now: the next range
	} {
		got, ok := b.NextOpening(c.now.UTC())
		if !ok || !got.Equal(c.want) || got.Location().String() != "America/Mexico_City" {
			t.Errorf("after %s: %s %t, want %s", c.now.Format("Mon 2 15:04"), got, ok, c.want.Format("Mon 2 15:04"))
		}
	}
	// Only this weekday, earlier: a week ahead.
	w := WeekHours{}
	w[time.Monday] = DayHours{Open: true, Opens: "08:00", Closes: "09:00"}
	if got, ok := w.NextOpening(at(2, 10, 0)); !ok || !got.Equal(at(9, 8, 0)) {
		t.Errorf("a week ahead: %s %t", got, ok)
	}
	if _, ok := (&Business{ClosedNow: true, Hours: b.Hours}).NextOpening(at(2, 6, 0)); ok {
		t.Error("the owner's switch has a next opening")
	}
	if _, ok := (WeekHours{}).NextOpening(at(2, 6, 0)); ok {
		t.Error("no open day has a next opening")
	}
}

func TestHoursValidate(t *testing.T) {
	day := func(o, c, o2, c2 string) DayHours {
		return DayHours{Open: true, Opens: o, Closes: c, Opens2: o2, Closes2: c2}
	}
	for _, c := range []struct {
		name string
		day  DayHours
		next DayHours
		want string
	}{
		{"one range", day("09:00", "18:00", "", ""), DayHours{}, ""},
		{"two ranges", day("08:00", "14:00", "16:00", "21:00"), DayHours{}, ""},
		{"second past midnight", day("08:00", "14:00", "18:00", "02:00"), DayHours{}, ""},
		{"touching", day("08:00", "14:00", "14:00", "21:00"), DayHours{}, ""},
		{"overlap", day("08:00", "15:00", "14:00", "21:00"), DayHours{}, HoursKeyOverlap},
		{"first past midnight", day("20:00", "02:00", "21:00", "23:00"), DayHours{}, HoursKeyOverlap},
		{"same", day("09:00", "09:00", "", ""), DayHours{}, HoursKeySame},
		{"second same", day("08:00", "12:00", "15:00", "15:00"), DayHours{}, HoursKeySame},
		{"bad", day("9", "18:00", "", ""), DayHours{}, HoursKeyFormat},
		{"half second", day("08:00", "12:00", "15:00", ""), DayHours{}, HoursKeySecond},
		{"into tomorrow", day("18:00", "03:00", "", ""), day("02:00", "10:00", "", ""), HoursKeyNextDay},
		{"until tomorrow opens", day("18:00", "03:00", "", ""), day("03:00", "10:00", "", ""), ""},
		{"closed tomorrow", day("18:00", "03:00", "", ""), DayHours{Opens: "01:00", Closes: "10:00"}, ""},
	} {
		var w WeekHours
		w[time.Friday], w[time.Saturday] = c.day, c.next
		got := w.Validate()
		if got[time.Friday] != c.want || len(got) > 1 || (len(got) == 1) != (c.want != "") {
			t.Errorf("%s: %v, want %q", c.name, got, c.want)
		}
	}
	// Saturday past midnight runs into Sunday, index 0: the week wraps.
	var w WeekHours
	w[time.Saturday] = DayHours{Open: true, Opens: "20:00", Closes: "04:00"}
	w[time.Sunday] = DayHours{Open: true, Opens: "03:00", Closes: "10:00"}
	if w.Validate()[time.Saturday] != HoursKeyNextDay {
		t.Error("Saturday into Sunday not caught")
	}
}

func TestSortedPutsTheEarlierRangeFirst(t *testing.T) {
	d := DayHours{Open: true, Opens: "17:00", Closes: "21:00", Opens2: "08:00", Closes2: "13:00"}.Sorted()
	if d.Opens != "08:00" || d.Closes != "13:00" || d.Opens2 != "17:00" || d.Closes2 != "21:00" {
		t.Errorf("%+v", d)
	}
}

func TestEmptyHoursMeansNoOpenDay(t *testing.T) {
	w := DefaultHours()
	for d := range w {
		w[d].Open = false
	}
	if !w.IsEmpty() || !(&Business{Hours: w}).IsOpen(time.Now()) {
		t.Error("a week of unticked days with times closes the store")
	}
	if DefaultHours().IsEmpty() {
		t.Error("default hours empty")
	}
}

func TestTakesOrders(t *testing.T) {
	mx, _ := time.LoadLocation("America/Mexico_City")
	night := time.Date(2026, 3, 2, 23, 0, 0, 0, mx)
	b := &Business{TimeZone: "America/Mexico_City", Hours: DefaultHours(), OrdersWhenClosed: true}
	if !b.TakesOrders(night) {
		t.Error("orders for later refused")
	}
	b.OrdersWhenClosed = false
	if b.TakesOrders(night) || !b.TakesOrders(time.Date(2026, 3, 2, 10, 0, 0, 0, mx)) {
		t.Error("no orders when closed")
	}
	b.OrdersWhenClosed, b.ClosedNow = true, true
	if b.TakesOrders(time.Date(2026, 3, 2, 10, 0, 0, 0, mx)) {
		t.Error("the owner's switch takes orders")
	}
}

func TestDefaultColorsPassTheContrastRules(t *testing.T) {
	if r := ContrastRatio(DefaultPrimaryColor, "#ffffff"); r < MinPrimaryContrast {
		t.Errorf("primary %.2f", r)
	}
	if r := ContrastRatio(DefaultAccentColor, "#ffffff"); r < MinAccentContrast {
		t.Errorf("accent %.2f", r)
	}
}
