package services

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// chatLocale holds the words a store's facts are written with, in the
// store's language. The assistant's context is data for the LLM and the
// fallback, not a page, so a small table here keeps each rule in one place.
type chatLocale struct {
	days                 [7]string // by time.Weekday
	to, and, closed      string
	today, tomorrow      string
	cash, transfer, card string
	upTo                 string
}

var chatLocales = map[string]*chatLocale{
	"es": {
		days: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		to:   "a", and: "y", closed: "cerrado", today: "hoy", tomorrow: "mañana",
		cash: "Efectivo", transfer: "Transferencia", card: "Tarjeta al recibir", upTo: "hasta",
	},
	"en": {
		days: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		to:   "to", and: "and", closed: "closed", today: "today", tomorrow: "tomorrow",
		cash: "Cash", transfer: "Bank transfer", card: "Card on delivery", upTo: "up to",
	},
}

func chatLocaleOf(lang string) *chatLocale { return chatLocales[normLang(lang)] }

// hours writes the weekly schedule from Monday, days with the same hours
// grouped: "lunes a viernes 09:00–18:00; sábado 10:00–14:00; domingo
// cerrado". It is empty when the store set no hours.
func (l *chatLocale) hours(w domain.WeekHours) string {
	if w.IsEmpty() {
		return ""
	}
	var parts []string
	for i := 0; i < 7; {
		day := time.Weekday((i + 1) % 7)
		text := l.dayHours(w[day])
		j := i + 1
		for j < 7 && l.dayHours(w[(j+1)%7]) == text {
			j++
		}
		last := time.Weekday(j % 7)
		days := l.days[day]
		switch j - i {
		case 1:
		case 2:
			days += " " + l.and + " " + l.days[last]
		default:
			days += " " + l.to + " " + l.days[last]
		}
		parts = append(parts, days+" "+text)
		i = j
	}
	return strings.Join(parts, "; ")
}

// dayHours is one day's ranges ("09:00–14:00 y 16:00–20:00") or "cerrado".
func (l *chatLocale) dayHours(d domain.DayHours) string {
	d = d.Sorted()
	rs := d.Ranges()
	if len(rs) == 0 {
		return l.closed
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = hhmm(r.Opens) + "–" + hhmm(r.Closes)
	}
	return strings.Join(out, " "+l.and+" ")
}

func hhmm(m int) string {
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}

// when says when at comes after now (both in the store's zone):
// "hoy 17:00", "mañana 09:00", "lunes 09:00".
func (l *chatLocale) when(at, now time.Time) string {
	hm := at.Format("15:04")
	y1, m1, d1 := now.Date()
	switch y, m, d := at.Date(); {
	case y == y1 && m == m1 && d == d1:
		return l.today + " " + hm
	case time.Date(y1, m1, d1+1, 0, 0, 0, 0, now.Location()).Equal(time.Date(y, m, d, 0, 0, 0, 0, now.Location())):
		return l.tomorrow + " " + hm
	}
	return l.days[at.Weekday()] + " " + hm
}

// optionGroup writes a product's option group as a shopper reads it:
// "Extras (hasta 2): Queso +$10, Aguacate +$12".
func (l *chatLocale) optionGroup(g domain.OptionGroup) string {
	var b strings.Builder
	b.WriteString(g.Name)
	if g.MaxSelect > 1 {
		b.WriteString(" (" + l.upTo + " " + strconv.Itoa(g.MaxSelect) + ")")
	}
	for i, c := range g.Choices {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
		if c.DeltaCents != 0 {
			if c.DeltaCents > 0 {
				b.WriteString(" +$")
			} else {
				b.WriteString(" -$")
			}
			b.WriteString(pesosNumber(absMoney(c.DeltaCents)))
		}
	}
	return b.String()
}

func absMoney(m domain.Money) domain.Money {
	if m < 0 {
		return -m
	}
	return m
}

// pesosNumber writes m as a plain number of pesos: "45", "12.50".
func pesosNumber(m domain.Money) string {
	s := strconv.FormatInt(int64(m)/100, 10)
	if c := int64(m) % 100; c != 0 {
		s += "." + string([]byte{byte('0' + c/10), byte('0' + c%10)})
	}
	return s
}

// chatText is free text as the assistant may quote it: on one line,
// without links, e-mail addresses or long digit runs (an account or phone
// number typed in a note), cut at limit characters on a word boundary.
func chatText(s string, limit int) string {
	if strings.ContainsAny(s, "@/") || strings.Contains(s, "www.") || digitCount(s) >= privateDigits {
		s = privateText.ReplaceAllStringFunc(s, func(m string) string {
			if m[0] == '+' || m[0] == '(' || m[0] >= '0' && m[0] <= '9' {
				if digitCount(m) < privateDigits {
					return m
				}
			}
			return ""
		})
	}
	return truncateWords(oneLine(s), limit)
}

// privateDigits is how many digits make a run private: a CLABE has 18, a
// card 16, a phone 10; a price or a size has fewer.
const privateDigits = 8

var privateText = regexp.MustCompile(`(?i)(?:https?://|www\.)\S+|[^\s@]+@[^\s@]+\.[a-z]{2,}|\+?\(?\d[\d .\-()]*\d`)

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// truncateWords cuts s to at most limit characters, the "…" included, at
// the end of a word; a first word longer than that is cut inside.
func truncateWords(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	// cut is the byte offset of the rune that no longer fits with "…".
	cut, n := 0, 0
	for i := range s {
		if n == limit-1 {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if s[cut] != ' ' {
		if i := strings.LastIndexByte(head, ' '); i > 0 {
			head = head[:i]
		}
	}
	return strings.TrimRight(head, " ,;:.-–—(") + "…"
}
