package services_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// chatStatsEnv is the chat stats service over a fresh database at a fixed now.
type chatStatsEnv struct {
	db    *testkit.TestDB
	rows  *testkit.Rows
	stats *services.ChatStats
	now   time.Time
}

func newChatStatsEnv(t *testing.T) *chatStatsEnv {
	db := testkit.NewDB(t)
	now := testkit.NewClock().Now()
	return &chatStatsEnv{
		db: db, rows: db.Rows(t), now: now,
		stats: services.NewChatStats(repositories.NewChatStats(db.DB), func() time.Time { return now }),
	}
}

// exchange logs one exchange of biz, ago before now.
func (e *chatStatsEnv) exchange(biz int64, ago time.Duration, in domain.ChatExchange) {
	in.CreatedAt = e.now.Add(-ago)
	e.rows.ChatExchange(biz, in)
}

func (e *chatStatsEnv) report(t *testing.T, biz int64, days int) *services.ChatReport {
	t.Helper()
	rep, err := e.stats.Report(context.Background(), biz, days)
	if err != nil {
		t.Fatalf("Report(%d days): %v", days, err)
	}
	return rep
}

// seedTen logs the ten exchanges of the last two days the arithmetic test
// checks: 3 from the cache, 4 unanswered (3 of them one question spelt two
// ways), 3,730 ms in all, 1,080 tokens in and 190 out.
func (e *chatStatsEnv) seedTen(biz int64) {
	h := time.Hour
	x := func(intent domain.Intent, src domain.ChatSource, answered bool, ms, in, out int, q string) domain.ChatExchange {
		return domain.ChatExchange{Question: q, Intent: intent, Source: src, Answered: answered, LatencyMS: ms, TokensIn: in, TokensOut: out}
	}
	e.exchange(biz, 1*h, x(domain.IntentProduct, domain.ChatSourceLLM, true, 1200, 300, 40, "¿tienen tacos de suadero?"))
	e.exchange(biz, 2*h, x(domain.IntentPrice, domain.ChatSourceCache, true, 5, 0, 0, "¿cuánto cuesta el pastor?"))
	e.exchange(biz, 3*h, x(domain.IntentPrice, domain.ChatSourceCache, true, 7, 0, 0, "¿cuánto cuesta el pastor?"))
	e.exchange(biz, 4*h, x(domain.IntentDelivery, domain.ChatSourceFallback, true, 20, 0, 0, "¿tienen envío?"))
	e.exchange(biz, 5*h, x(domain.IntentHours, domain.ChatSourceLLM, true, 900, 280, 30, "a q hora abren"))
	e.exchange(biz, 6*h, x(domain.IntentOther, domain.ChatSourceFallback, false, 30, 0, 0, "¿tienen pizza?"))
	e.exchange(biz, 7*h, x(domain.IntentOther, domain.ChatSourceFallback, false, 25, 0, 0, "tienen pizza"))
	e.exchange(biz, 8*h, x(domain.IntentProduct, domain.ChatSourceFallback, false, 40, 0, 0, "¿venden tamales?"))
	e.exchange(biz, 9*h, x(domain.IntentOther, domain.ChatSourceCache, false, 3, 0, 0, "¿tienen pizza?"))
	e.exchange(biz, 30*h, x(domain.IntentBrowse, domain.ChatSourceLLM, true, 1500, 500, 120, "¿qué tienen?"))
}

func intentCounts(rep *services.ChatReport) map[domain.Intent]int64 {
	m := map[domain.Intent]int64{}
	for _, c := range rep.Intents {
		m[c.Intent] = c.Count
	}
	return m
}

func TestChatReportArithmetic(t *testing.T) {
	e := newChatStatsEnv(t)
	biz := e.db.Business(t, "Tacos Ana", "tacos-ana").ID
	e.seedTen(biz)

	rep := e.report(t, biz, 7)
	want := domain.ChatTotals{Exchanges: 10, CacheHits: 3, Unanswered: 4, LatencyMS: 3730, TokensIn: 1080, TokensOut: 190}
	if rep.ChatTotals != want || !rep.Ever || rep.Days != 7 {
		t.Fatalf("totals = %+v (ever %v, days %d), want %+v", rep.ChatTotals, rep.Ever, rep.Days, want)
	}
	if rep.CacheRate() != 0.3 || rep.AverageLatencyMS() != 373 {
		t.Fatalf("cache rate %v, average %d ms; want 0.3 and 373", rep.CacheRate(), rep.AverageLatencyMS())
	}
	var order []domain.Intent
	for _, c := range rep.Intents {
		order = append(order, c.Intent)
	}
	if !reflect.DeepEqual(order, domain.Intents) {
		t.Fatalf("intents in order %v, want every intent as domain.Intents lists them", order)
	}
	wantIntents := map[domain.Intent]int64{
		domain.IntentProduct: 2, domain.IntentPrice: 2, domain.IntentDelivery: 1, domain.IntentPayment: 0,
		domain.IntentReviews: 0, domain.IntentHours: 1, domain.IntentBrowse: 1, domain.IntentOther: 3,
	}
	if got := intentCounts(rep); !reflect.DeepEqual(got, wantIntents) {
		t.Fatalf("intents = %v, want %v", got, wantIntents)
	}
	wantQs := []domain.ChatQuestionCount{{Question: "¿tienen pizza?", Count: 3}, {Question: "¿venden tamales?", Count: 1}}
	if !reflect.DeepEqual(rep.TopUnanswered, wantQs) {
		t.Fatalf("unanswered = %+v, want %+v", rep.TopUnanswered, wantQs)
	}
}

func TestChatReportPeriods(t *testing.T) {
	e := newChatStatsEnv(t)
	biz := e.db.Business(t, "Tacos Ana", "tacos-ana").ID
	e.seedTen(biz)
	day := 24 * time.Hour
	e.exchange(biz, 10*day, domain.ChatExchange{Intent: domain.IntentPayment, Source: domain.ChatSourceLLM, Answered: true, LatencyMS: 1000, TokensIn: 20, TokensOut: 10})
	e.exchange(biz, 40*day, domain.ChatExchange{Question: "¿hacen pasteles?", Intent: domain.IntentReviews, LatencyMS: 70})
	e.exchange(biz, 100*day, domain.ChatExchange{Question: "muy viejo", LatencyMS: 1})

	cases := []struct {
		days           int
		exchanges      int64
		latency        int64
		payment, revws int64
		unanswered     int
	}{
		{7, 10, 3730, 0, 0, 2},
		{30, 11, 4730, 1, 0, 2},
		{90, 12, 4800, 1, 1, 3},
		{15, 11, 4730, 1, 0, 2}, // not offered: the default 30
	}
	for _, c := range cases {
		rep := e.report(t, biz, c.days)
		ic := intentCounts(rep)
		if rep.Exchanges != c.exchanges || rep.LatencyMS != c.latency || ic[domain.IntentPayment] != c.payment ||
			ic[domain.IntentReviews] != c.revws || len(rep.TopUnanswered) != c.unanswered {
			t.Errorf("%d days: %+v, intents %v, unanswered %+v", c.days, rep.ChatTotals, ic, rep.TopUnanswered)
		}
	}
	if rep := e.report(t, biz, 15); rep.Days != services.ChatDefaultDays {
		t.Errorf("15 days reported as %d", rep.Days)
	}
}

func TestChatReportCountsOnlyTheStoresOwnExchanges(t *testing.T) {
	e := newChatStatsEnv(t)
	a := e.db.Business(t, "Tacos Ana", "tacos-ana").ID
	b := e.db.Business(t, "Pizzas Beto", "pizzas-beto").ID
	e.seedTen(a)
	for i := range 5 {
		e.exchange(b, time.Duration(i+1)*time.Hour, domain.ChatExchange{
			Question: "secreto de beto", Source: domain.ChatSourceCache, LatencyMS: 99999, TokensIn: 1000, TokensOut: 1000,
		})
	}
	rep := e.report(t, a, 30)
	if rep.Exchanges != 10 || rep.CacheHits != 3 || rep.LatencyMS != 3730 || rep.TokensIn != 1080 || intentCounts(rep)[domain.IntentOther] != 3 {
		t.Fatalf("A's report counts B's exchanges: %+v", rep.ChatTotals)
	}
	for _, q := range rep.TopUnanswered {
		if q.Question == "secreto de beto" {
			t.Fatalf("A's unanswered questions list B's: %+v", rep.TopUnanswered)
		}
	}
	if rb := e.report(t, b, 30); rb.Exchanges != 5 || rb.CacheHits != 5 || len(rb.TopUnanswered) != 1 || rb.TopUnanswered[0].Count != 5 {
		t.Fatalf("B's report = %+v, %+v", rb.ChatTotals, rb.TopUnanswered)
	}
}

func TestChatReportWithoutExchanges(t *testing.T) {
	e := newChatStatsEnv(t)
	never := e.db.Business(t, "Nueva", "nueva").ID
	rep := e.report(t, never, 30)
	if rep.Ever || rep.Exchanges != 0 || rep.CacheRate() != 0 || rep.AverageLatencyMS() != 0 || len(rep.Intents) != len(domain.Intents) || rep.TopUnanswered != nil {
		t.Fatalf("report of a store never asked = %+v", rep)
	}
	old := e.db.Business(t, "Vieja", "vieja").ID
	e.exchange(old, 60*24*time.Hour, domain.ChatExchange{})
	if rep := e.report(t, old, 30); !rep.Ever || rep.Exchanges != 0 {
		t.Fatalf("a store asked only 60 days ago: ever %v, %d exchanges in 30 days", rep.Ever, rep.Exchanges)
	}
}

func TestChatReportListsTheTwentyMostAskedUnanswered(t *testing.T) {
	e := newChatStatsEnv(t)
	biz := e.db.Business(t, "Tacos Ana", "tacos-ana").ID
	for i := range 25 {
		for range i%3 + 1 {
			e.exchange(biz, time.Hour, domain.ChatExchange{Question: fmt.Sprintf("pregunta %02d", i)})
		}
	}
	rep := e.report(t, biz, 30)
	if len(rep.TopUnanswered) != services.ChatUnansweredShown {
		t.Fatalf("%d unanswered questions listed, want %d", len(rep.TopUnanswered), services.ChatUnansweredShown)
	}
	// 8 questions were asked 3 times (i%3 == 2), then 8 twice, then 9 once.
	first, last := rep.TopUnanswered[0], rep.TopUnanswered[19]
	if first != (domain.ChatQuestionCount{Question: "pregunta 02", Count: 3}) || last != (domain.ChatQuestionCount{Question: "pregunta 09", Count: 1}) {
		t.Fatalf("first %+v, last %+v", first, last)
	}
	for i := 1; i < len(rep.TopUnanswered); i++ {
		if rep.TopUnanswered[i].Count > rep.TopUnanswered[i-1].Count {
			t.Fatalf("not most asked first: %+v", rep.TopUnanswered)
		}
	}
}

func TestParseChatDays(t *testing.T) {
	for in, want := range map[string]int{"7": 7, "30": 30, "90": 90, "": 30, "15": 30, "abc": 30, "-7": 30} {
		if got := services.ParseChatDays(in); got != want {
			t.Errorf("ParseChatDays(%q) = %d, want %d", in, got, want)
		}
	}
}
