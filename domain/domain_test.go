package domain

import (
	"testing"
	"time"
)

func TestParsePesos(t *testing.T) {
	ok := map[string]Money{"25": 2500, "25.5": 2550, "25.50": 2550, "0.99": 99, "1,250.00": 125000, "$99.90": 9990, " 7 ": 700, ".5": 50}
	for in, want := range ok {
		if got, valid := ParsePesos(in); !valid || got != want {
			t.Errorf("ParsePesos(%q) = %d, %v; want %d", in, got, valid, want)
		}
	}
	for _, in := range []string{"", "-5", "1.234", "abc", "1.2.3", "5.", "25,50", "1,25", "1e3", "99999999999999"} {
		if _, valid := ParsePesos(in); valid {
			t.Errorf("ParsePesos(%q) accepted", in)
		}
	}
	if Money(125050).Pesos() != "$1,250.50" || Money(5).Pesos() != "$0.05" || Money(125050).Input() != "1250.50" {
		t.Errorf("format: %s %s %s", Money(125050).Pesos(), Money(5).Pesos(), Money(125050).Input())
	}
}

func TestValidCLABE(t *testing.T) {
	for _, s := range []string{"002010077777777771", "032180000118359719", "012180001234567899"} {
		if !ValidCLABE(s) {
			t.Errorf("%s refused", s)
		}
	}
	for _, s := range []string{"002010077777777770", "03218000011835971", "0321800001183597190", "03218000011835971a"} {
		if ValidCLABE(s) {
			t.Errorf("%s accepted", s)
		}
	}
}

func TestOrderTransitions(t *testing.T) {
	allowed := map[[2]OrderStatus]bool{
		{OrderPending, OrderConfirmed}: true, {OrderConfirmed, OrderCompleted}: true,
		{OrderPending, OrderCancelled}: true, {OrderConfirmed, OrderCancelled}: true,
	}
	for _, from := range OrderStatuses {
		for _, to := range OrderStatuses {
			if got := from.CanTransition(to); got != allowed[[2]OrderStatus{from, to}] {
				t.Errorf("%s→%s = %v", from, to, got)
			}
		}
	}
}

func TestOpeningHours(t *testing.T) {
	mx, _ := time.LoadLocation("America/Mexico_City")
	b := &Business{TimeZone: "America/Mexico_City", Hours: DefaultHours()}
	monday10 := time.Date(2026, 3, 2, 10, 0, 0, 0, mx)
	if !b.IsOpen(monday10) {
		t.Error("closed Monday 10:00")
	}
	if b.IsOpen(time.Date(2026, 3, 2, 18, 0, 0, 0, mx)) || b.IsOpen(time.Date(2026, 3, 1, 12, 0, 0, 0, mx)) {
		t.Error("open Monday 18:00 or Sunday")
	}
	// 16:00 UTC is 10:00 in Mexico City.
	if !b.IsOpen(time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)) {
		t.Error("time zone not applied")
	}
	b.ClosedNow = true
	if b.IsOpen(monday10) {
		t.Error("manual switch ignored")
	}
	night := &Business{TimeZone: "America/Cancun"}
	night.Hours[time.Friday] = DayHours{Open: true, Opens: "20:00", Closes: "02:00"}
	cancun, _ := time.LoadLocation("America/Cancun")
	if !night.IsOpen(time.Date(2026, 3, 7, 1, 30, 0, 0, cancun)) || night.IsOpen(time.Date(2026, 3, 7, 2, 30, 0, 0, cancun)) {
		t.Error("hours past midnight")
	}
	if !(&Business{}).IsOpen(monday10) {
		t.Error("store without hours is closed")
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Tacos Doña Lupe": "tacos-dona-lupe", "  ¡Café & Pan!  ": "cafe-pan", "Ñandú 123": "nandu-123"} {
		if got := Slugify(in, 40); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColors(t *testing.T) {
	if r := ContrastRatio("#000000", "#ffffff"); r < 20.9 || r > 21.1 {
		t.Errorf("black on white = %.2f", r)
	}
	if r := ContrastRatio("#047857", "#ffffff"); r < 4.5 {
		t.Errorf("brand green on white = %.2f, want ≥ 4.5", r)
	}
	if TextOn("#047857") != "#ffffff" || TextOn("#fde68a") != "#111827" {
		t.Errorf("TextOn: %s %s", TextOn("#047857"), TextOn("#fde68a"))
	}
}

func TestBusinessLocation(t *testing.T) {
	for zone, want := range map[string]string{"": DefaultTimeZone, "Nowhere/Zone": DefaultTimeZone, "America/Tijuana": "America/Tijuana"} {
		if got := (&Business{TimeZone: zone}).Location().String(); got != want {
			t.Errorf("Location(%q) = %s, want %s", zone, got, want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Money(-123456789).Pesos(); got != "-$1,234,567.89" {
		t.Errorf("Pesos = %q", got)
	}
}
