package web

import (
	"strconv"
	"time"
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
