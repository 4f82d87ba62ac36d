package store

import (
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// dayHours is one line of the opening hours in the footer.
type dayHours struct {
	Day, Text string
	Today     bool
}

// weekHours lists b's week, Monday first, with both ranges of a day that has
// two, in the store's language ("9:00 – 14:00 y 16:00 – 20:00"), marking
// today in the store's zone; nil when the store set no hours.
func weekHours(b *domain.Business, now time.Time, l *i18n.Localizer) []dayHours {
	if b.Hours.IsEmpty() {
		return nil
	}
	today := now.In(b.Location()).Weekday()
	out := make([]dayHours, 0, 7)
	for i := 1; i <= 7; i++ {
		d := time.Weekday(i % 7)
		dh := dayHours{Day: l.T("store.day." + strconv.Itoa(int(d))), Today: d == today}
		dh.Text = dayText(b.Hours[d], l)
		out = append(out, dh)
	}
	return out
}

// dayText is one day's ranges as a shopper reads them, or "Cerrado".
func dayText(day domain.DayHours, l *i18n.Localizer) string {
	ranges := day.Ranges()
	if len(ranges) == 0 {
		return l.T("store.hours.closed")
	}
	parts := make([]string, len(ranges))
	for i, r := range ranges {
		parts[i] = minutesText(r.Opens, l.Lang()) + " – " + minutesText(r.Closes, l.Lang())
	}
	return strings.Join(parts, l.T("store.hours.and"))
}

// minutesText writes minutes after midnight as a time of day in lang.
func minutesText(m int, lang string) string {
	return web.Clock(time.Date(2000, 1, 1, m/60, m%60, 0, 0, time.UTC), lang)
}

// opensText says when a closed store opens next, in its zone and language:
// "Abrimos hoy a las 17:00", "Abrimos mañana a las 7:00", "Abrimos el lunes
// a las 9:00". It is empty while the store is open, while the owner's switch
// closes it (only the owner knows when they come back) and when no day is
// open.
func opensText(b *domain.Business, now time.Time, l *i18n.Localizer) string {
	if b.IsOpen(now) {
		return ""
	}
	at, ok := b.NextOpening(now)
	if !ok {
		return ""
	}
	local := now.In(b.Location())
	y, m, d := local.Date()
	ay, am, ad := at.Date()
	days := int(time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)).Hours() / 24)
	atKey := "store.opens.at"
	if at.Hour() == 1 { // "a la 1:00" in Spanish
		atKey = "store.opens.at_one"
	}
	when := l.T(atKey, "Time", web.Clock(at, l.Lang()))
	switch days {
	case 0:
		return l.T("store.opens.today", "At", when)
	case 1:
		return l.T("store.opens.tomorrow", "At", when)
	case 7:
		return l.T("store.opens.next_week", "Day", l.T("store.opens.day."+strconv.Itoa(int(at.Weekday()))), "At", when)
	}
	return l.T("store.opens.weekday", "Day", l.T("store.opens.day."+strconv.Itoa(int(at.Weekday()))), "At", when)
}

// notTakingOrders tells a shopper that the store takes no orders now and,
// when known, when it opens.
func notTakingOrders(b *domain.Business, now time.Time, l *i18n.Localizer) string {
	msg := l.T("orders.error.store_closed")
	if opens := opensText(b, now, l); opens != "" {
		msg += " " + opens
	}
	return msg
}

// orderErrors are the messages of an order's validation error by field,
// the store's refusal saying when it opens.
func (h *Handler) orderErrors(b *domain.Business, l *i18n.Localizer, ve *domain.ValidationError) map[string]string {
	out := web.FieldErrors(l, ve)
	if _, closed := out[services.OrderFieldStore]; closed {
		out[services.OrderFieldStore] = notTakingOrders(b, h.clock(), l)
	}
	return out
}
