package web

import (
	"strconv"
	"time"

	"github.com/qubly/qubly/i18n"
)

var monthsES = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// Date writes t as a short date the way a reader of lang expects:
// "2 mar 2026" or "Mar 2, 2026". Convert t to the store's zone first.
func Date(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("Jan 2, 2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsES[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime is Date with the time: "2 mar 2026, 09:04" or "Mar 2, 2026, 9:04 AM".
func DateTime(t time.Time, lang string) string {
	if lang == "en" {
		return Date(t, lang) + ", " + t.Format("3:04 PM")
	}
	return Date(t, lang) + ", " + t.Format("15:04")
}

// NumericDateTime is a compact date and time: "02/03/2026 15:04" or
// "Mar 2, 2026 3:04 PM".
func NumericDateTime(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("Jan 2, 2006 3:04 PM")
	}
	return t.Format("02/01/2006 15:04")
}

// ZoneName is a store's IANA time zone as its owner knows it, in l's
// language ("Centro de México (Ciudad de México, Guadalajara)"); a zone
// without a name in the locale files is shown as it is.
func ZoneName(l *i18n.Localizer, zone string) string {
	if key := "settings.tz." + zone; l.Has(key) {
		return l.T(key)
	}
	return zone
}

// Clock writes t's time of day the way people of lang say it, without a
// leading zero: "7:00" and "17:00", or "7:00 AM" and "5:00 PM".
func Clock(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("3:04 PM")
	}
	return strconv.Itoa(t.Hour()) + t.Format(":04")
}

// ClockText is Clock for "HH:MM" as stored in opening hours; anything else
// is returned as it is.
func ClockText(hhmm, lang string) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return hhmm
	}
	return Clock(t, lang)
}
