package admin

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// metricsTable is one table of a metrics page: shown as an accessible HTML
// table (the first cell of a row is its header), drawn as a chart from
// the same figures, and exported as CSV at /admin/metrics/<ID>.csv.
type metricsTable struct {
	ID      string
	Caption string
	// Help defines the figures (what is counted, over which period).
	Help string
	Head []column
	Rows [][]cell
	// Chart is the chart's data as JSON (nil: no chart).
	Chart template.JS
}

// column is a table's header; a CSVOnly column is in the export only (its
// figure is shown another way on the page).
type column struct {
	Text    string
	CSVOnly bool
}

// cols makes plain columns.
func cols(names ...string) []column {
	out := make([]column, len(names))
	for i, n := range names {
		out[i].Text = n
	}
	return out
}

// cell is a table figure as shown and as exported (CSV: plain numbers,
// money as pesos with two decimals, dates as ISO).
type cell struct {
	Text, CSV string
	// Num right-aligns the figure; Nowrap keeps it on one line (dates).
	Num, Nowrap bool
	// Sub is a second line shown under Text on the page.
	Sub string
	// CSVOnly is a figure of a CSVOnly column.
	CSVOnly bool
}

// text is a label; in CSV one that a spreadsheet would run as a formula
// (a store named "=…") gets a leading quote.
func text(s string) cell {
	c := cell{Text: s, CSV: s}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		c.CSV = "'" + s
	}
	return c
}

func num(n int64) cell {
	return cell{Text: domain.Thousands(n), CSV: strconv.FormatInt(n, 10), Num: true}
}

func money(m domain.Money) cell {
	return cell{Text: m.Pesos(), CSV: csvPesos(m), Num: true}
}

func ratio(r services.Ratio) cell {
	return cell{Text: percent(r.Value()), CSV: strconv.FormatFloat(float64(int64(r.Value()*1000+0.5))/10, 'f', 1, 64), Num: true}
}

// csvPesos writes centavos as pesos with two decimals and no separators
// ("249.00").
func csvPesos(m domain.Money) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(m)/100, int64(m)%100)
}

// percent writes a 0–1 rate as a percentage with at most one decimal
// ("30%", "33.3%").
func percent(rate float64) string {
	return strconv.FormatFloat(float64(int64(rate*1000+0.5))/10, 'f', -1, 64) + "%"
}

// chartData is what static/js/admin_charts.js draws.
type chartData struct {
	Type     string         `json:"type"`
	Labels   []string       `json:"labels"`
	Datasets []chartDataset `json:"datasets"`
}

type chartDataset struct {
	Label string    `json:"label"`
	Data  []float64 `json:"data"`
	// Money formats the axis and tooltips as pesos; Line draws it as a line
	// on a second axis.
	Money bool `json:"money,omitempty"`
	Line  bool `json:"line,omitempty"`
}

func chartJSON(c chartData) template.JS {
	b, _ := json.Marshal(c) // escapes <, > and &: safe in a script block
	return template.JS(b)
}

func pesos(m domain.Money) float64 { return float64(m) / 100 }

var monthsES = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// monthLabel is "mar 2026" or "Mar 2026".
func monthLabel(t time.Time, lang string) string {
	t = t.In(services.MetricsZone)
	if lang == "en" {
		return t.Format("Jan 2006")
	}
	return monthsES[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func weekLabel(t time.Time, lang string) string { return web.Date(t.In(services.MetricsZone), lang) }

// shortWeek is a chart's week label, without the year: "15 dic", "Dec 15".
func shortWeek(t time.Time, lang string) string {
	t = t.In(services.MetricsZone)
	if lang == "en" {
		return t.Format("Jan 2")
	}
	return strconv.Itoa(t.Day()) + " " + monthsES[t.Month()-1]
}

// computedAt is "14:05" (Mexico City time) in the reader's way.
func computedAt(t time.Time, lang string) string { return web.Clock(t.In(services.MetricsZone), lang) }

// platformTables are the tables of /admin.
func platformTables(m *services.PlatformMetrics, l *i18n.Localizer) []metricsTable {
	lang := l.Lang()
	states := metricsTable{ID: "subscriptions", Caption: l.T("admin_metrics.states.title"),
		Help: l.T("admin_metrics.states.help"),
		Head: cols(l.T("admin_metrics.col.state"), l.T("admin_metrics.col.businesses"))}
	sc := chartData{Type: "bar", Datasets: []chartDataset{{Label: l.T("admin_metrics.col.businesses")}}}
	for _, s := range m.States {
		name := l.T("admin_metrics.state." + string(s.Status))
		states.Rows = append(states.Rows, []cell{text(name), num(s.Count)})
		sc.Labels = append(sc.Labels, name)
		sc.Datasets[0].Data = append(sc.Datasets[0].Data, float64(s.Count))
	}
	states.Rows = append(states.Rows,
		[]cell{text(l.T("admin_metrics.state.total")), num(m.Total)},
		[]cell{text(l.T("admin_metrics.state.suspended")), num(m.Suspended)})
	states.Chart = chartJSON(sc)

	signups := metricsTable{ID: "signups", Caption: l.T("admin_metrics.signups.title"),
		Help: l.T("admin_metrics.signups.help"),
		Head: cols(l.T("admin_metrics.col.week"), l.T("admin_metrics.col.signups"))}
	gc := chartData{Type: "bar", Datasets: []chartDataset{{Label: l.T("admin_metrics.col.signups")}}}
	for _, p := range m.Signups {
		signups.Rows = append(signups.Rows, []cell{{Text: weekLabel(p.Start, lang), CSV: isoDate(p.Start), Nowrap: true}, num(p.Count)})
		gc.Labels = append(gc.Labels, shortWeek(p.Start, lang))
		gc.Datasets[0].Data = append(gc.Datasets[0].Data, float64(p.Count))
	}
	signups.Chart = chartJSON(gc)

	revenue := metricsTable{ID: "revenue", Caption: l.T("admin_metrics.revenue.title"),
		Help: l.T("admin_metrics.revenue.help"),
		Head: cols(l.T("admin_metrics.col.month"), l.T("admin_metrics.col.invoices"), l.T("admin_metrics.col.revenue"))}
	rc := chartData{Type: "bar", Datasets: []chartDataset{{Label: l.T("admin_metrics.col.revenue"), Money: true}}}
	for _, p := range m.Revenue {
		revenue.Rows = append(revenue.Rows, []cell{
			{Text: monthLabel(p.Start, lang), CSV: p.Start.In(services.MetricsZone).Format("2006-01"), Nowrap: true}, num(p.Count), money(p.Cents)})
		rc.Labels = append(rc.Labels, monthLabel(p.Start, lang))
		rc.Datasets[0].Data = append(rc.Datasets[0].Data, pesos(p.Cents))
	}
	revenue.Chart = chartJSON(rc)

	r := m.Referrals
	refs := metricsTable{ID: "referrals", Caption: l.T("admin_metrics.referrals.title"),
		Help: l.T("admin_metrics.referrals.help"),
		Head: cols(l.T("admin_metrics.col.referrals"), l.T("admin_metrics.col.count")),
		Rows: [][]cell{
			{text(l.T("admin_metrics.referrals.made")), num(r.Made)},
			{text(l.T("admin_metrics.referrals.successful")), num(r.Successful)},
			{text(l.T("admin_metrics.referrals.rewarded")), num(r.Rewarded)},
			{text(l.T("admin_metrics.referrals.pending")), num(r.Pending)},
			{text(l.T("admin_metrics.referrals.failed")), num(r.Failed)},
			{text(l.T("admin_metrics.referrals.rate")), ratio(services.Ratio{Num: r.Successful, Den: r.Made})},
		}}
	return []metricsTable{states, signups, revenue, refs}
}

// customerTables are the tables of /admin/customers.
func customerTables(m *services.CustomerMetrics, l *i18n.Localizer) []metricsTable {
	lang := l.Lang()
	orders := metricsTable{ID: "orders", Caption: l.T("admin_metrics.orders.title"),
		Help: l.T("admin_metrics.orders.help"),
		Head: cols(l.T("admin_metrics.col.week"), l.T("admin_metrics.col.orders"), l.T("admin_metrics.col.value"))}
	oc := chartData{Type: "bar", Datasets: []chartDataset{
		{Label: l.T("admin_metrics.col.orders")}, {Label: l.T("admin_metrics.col.value"), Money: true, Line: true}}}
	for _, p := range m.Orders {
		orders.Rows = append(orders.Rows, []cell{{Text: weekLabel(p.Start, lang), CSV: isoDate(p.Start), Nowrap: true}, num(p.Count), money(p.Cents)})
		oc.Labels = append(oc.Labels, shortWeek(p.Start, lang))
		oc.Datasets[0].Data = append(oc.Datasets[0].Data, float64(p.Count))
		oc.Datasets[1].Data = append(oc.Datasets[1].Data, pesos(p.Cents))
	}
	orders.Chart = chartJSON(oc)

	top := metricsTable{ID: "top-stores", Caption: l.T("admin_metrics.top.title"),
		Help: l.T("admin_metrics.top.help"),
		Head: []column{{Text: l.T("admin_metrics.col.store")}, {Text: l.T("admin_metrics.col.slug"), CSVOnly: true},
			{Text: l.T("admin_metrics.col.orders")}, {Text: l.T("admin_metrics.col.value")}}}
	for _, s := range m.TopStores {
		name, slug := text(s.Name), text("/"+s.Slug)
		name.Sub, slug.CSVOnly = slug.Text, true
		top.Rows = append(top.Rows, []cell{name, slug, num(s.Orders), money(s.Cents)})
	}

	stores := metricsTable{ID: "stores", Caption: l.T("admin_metrics.stores.title"),
		Help: l.T("admin_metrics.stores.help"),
		Head: cols(l.T("admin_metrics.col.figure"), l.T("admin_metrics.col.count")),
		Rows: [][]cell{
			{text(l.T("admin_metrics.stores.total")), num(m.Active.Den)},
			{text(l.T("admin_metrics.stores.active")), num(m.Active.Num)},
			{text(l.T("admin_metrics.stores.active_share")), ratio(m.Active)},
			{text(l.T("admin_metrics.stores.products")), num(m.Products)},
			{text(l.T("admin_metrics.stores.products_shown")), num(m.ActiveProducts)},
			{text(l.T("admin_metrics.stores.per_store")), average(m.PerStore)},
		}}

	chat := metricsTable{ID: "chatbot", Caption: l.T("admin_metrics.chat.title"),
		Help: l.T("admin_metrics.chat.help"),
		Head: cols(l.T("admin_metrics.col.source"), l.T("admin_metrics.col.questions"), l.T("admin_metrics.col.share"))}
	cc := chartData{Type: "doughnut", Datasets: []chartDataset{{Label: l.T("admin_metrics.col.questions")}}}
	for _, s := range m.Chat {
		name := l.T("admin_metrics.source." + string(s.Source))
		chat.Rows = append(chat.Rows, []cell{text(name), num(s.Count), ratio(services.Ratio{Num: s.Count, Den: m.ChatTotal})})
		cc.Labels = append(cc.Labels, name)
		cc.Datasets[0].Data = append(cc.Datasets[0].Data, float64(s.Count))
	}
	chat.Rows = append(chat.Rows, []cell{text(l.T("admin_metrics.chat.total")), num(m.ChatTotal), ratio(services.Ratio{Num: m.ChatTotal, Den: m.ChatTotal})})
	if m.ChatTotal > 0 {
		chat.Chart = chartJSON(cc)
	}
	return []metricsTable{orders, top, stores, chat}
}

// average writes Num/Den with one decimal ("12.5").
func average(r services.Ratio) cell {
	var v float64
	if r.Den > 0 {
		v = float64(int64(float64(r.Num)/float64(r.Den)*10+0.5)) / 10
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return cell{Text: s, CSV: s, Num: true}
}

func isoDate(t time.Time) string { return t.In(services.MetricsZone).Format("2006-01-02") }
