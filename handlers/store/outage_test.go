package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/testkit"
)

// orderStream posts one pickup order every interval, each from its own
// client IP and under its own customer name, and records every answer.
type orderStream struct {
	t    *testing.T
	s    *shop
	stop chan struct{}
	done chan struct{}

	inFlight sync.WaitGroup

	mu       sync.Mutex
	paused   bool // under mu, with every inFlight.Add, so Add never races Wait
	statuses map[int]int
	acked    map[string]string // customer name → order code of each 201
	sent     []string
	bad      []string
}

func startOrders(t *testing.T, s *shop, interval time.Duration) *orderStream {
	o := &orderStream{t: t, s: s, stop: make(chan struct{}), done: make(chan struct{}),
		statuses: map[int]int{}, acked: map[string]string{}}
	go func() {
		defer close(o.done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-o.stop:
				o.inFlight.Wait()
				return
			case <-tick.C:
			}
			o.mu.Lock()
			if o.paused {
				o.mu.Unlock()
				continue
			}
			o.inFlight.Add(1)
			o.mu.Unlock()
			go func() {
				defer o.inFlight.Done()
				o.place(i)
			}()
		}
	}()
	return o
}

func (o *orderStream) place(i int) {
	name := fmt.Sprintf("Cliente %04d", i)
	body, _ := json.Marshal(map[string]any{
		"items":    []map[string]any{{"product_id": o.s.agua.ID, "quantity": 1}},
		"customer": map[string]any{"name": name, "phone": "55 9876 5432"}, "fulfillment": "pickup", "payment_method": "cash",
	})
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+"/tacos/orders", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Client-IP", fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
	resp, err := o.s.a.Fiber.Test(req, -1)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, name)
	if err != nil {
		o.bad = append(o.bad, name+": "+err.Error())
		return
	}
	defer resp.Body.Close()
	o.statuses[resp.StatusCode]++
	var ans struct {
		Code  string `json:"code"`
		Error string `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&ans)
	switch {
	case resp.StatusCode == http.StatusCreated && ans.Code != "":
		o.acked[name] = ans.Code
	case resp.StatusCode == http.StatusServiceUnavailable && ans.Error == "unavailable" && resp.Header.Get("Retry-After") != "":
	default:
		o.bad = append(o.bad, fmt.Sprintf("%s: %d %+v", name, resp.StatusCode, ans))
	}
}

func (o *orderStream) created() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.statuses[http.StatusCreated]
}

// pause stops sending and waits for the orders in flight; resume goes on.
func (o *orderStream) pause() {
	o.mu.Lock()
	o.paused = true
	o.mu.Unlock()
	o.inFlight.Wait()
}

func (o *orderStream) resume() {
	o.mu.Lock()
	o.paused = false
	o.mu.Unlock()
}

func (o *orderStream) finish() {
	close(o.stop)
	<-o.done
}

// outageShop is a store whose app reaches PostgreSQL through a proxy the
// test takes down and brings back; direct reads the database past the proxy.
func outageShop(t *testing.T, logs *testkit.LogBuffer) (s *shop, proxy *testkit.Proxy, direct *testkit.TestDB) {
	t.Helper()
	direct = testkit.NewDB(t)
	proxy = testkit.NewProxy(t, testkit.PostgresHost(direct.DSN))
	dsn := testkit.ViaProxy(direct.DSN, proxy.Addr())
	viaProxy, err := repositories.Open("postgres", dsn)
	must(t, err)
	t.Cleanup(func() {
		if s, err := viaProxy.DB(); err == nil {
			s.Close()
		}
	})
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := testkit.NewAppOn(t, &testkit.TestDB{DB: viaProxy, Driver: "postgres", DSN: dsn, Schema: direct.Schema},
		testkit.WithEnv("PROXY_HEADER", "X-Client-IP"),
		func(_ map[string]string, o *app.Options) { o.Log = log })
	s = &shop{a: a}
	s.biz = a.CreateOwner("tacos").Business
	s.update(t, map[string]any{"pickup_enabled": true, "pay_cash": true})
	s.taco = s.product(s.biz.ID, "Taco al pastor", testkit.Price(2500))
	s.agua = s.product(s.biz.ID, "Agua de horchata", testkit.Price(2050))
	return s, proxy, direct
}

// TestDatabaseOutage stops the database under the running app (its pool
// reaches PostgreSQL through a proxy that drops every connection and refuses
// new ones) while orders keep coming at 20 a second: cached store pages keep
// answering 200, a page purged meanwhile is served stale, what needs the
// database answers 503 with Retry-After (the maintenance page, or JSON for
// the order API), nothing answers 500 nor logs an error, the app recovers by
// itself once the database is back, and every acknowledged order is stored
// exactly once.
func TestDatabaseOutage(t *testing.T) {
	if testkit.PostgresURL() == "" {
		t.Skip("PostgreSQL only: set TEST_DATABASE_URL")
	}
	logs := &testkit.LogBuffer{}
	s, proxy, direct := outageShop(t, logs)
	ctx, cancel := context.WithCancel(context.Background())
	s.a.StartJobs(ctx)
	t.Cleanup(func() { cancel(); s.a.WaitJobs() })

	owner := s.a.Client()
	owner.Login("tacos@example.com", "secret-tacos")
	visitor := s.a.Client()
	visitor.CSRF()
	english := s.a.Client()
	english.Header.Set("Accept-Language", "en")

	// Warm the store's home and reviews page into the page cache (the purge
	// listener empties the cache once when it connects).
	for _, path := range []string{"/tacos", "/tacos/reviews"} {
		waitFor(t, 5*time.Second, "warm "+path, func() bool {
			p := fetch(t, s.a, path)
			return p.status == http.StatusOK && p.header.Get("X-Cache") == "hit"
		})
	}

	orders := startOrders(t, s, 50*time.Millisecond)
	waitFor(t, 5*time.Second, "orders before the outage", func() bool { return orders.created() >= 5 })
	// Each order purges the store's pages: warm the home again right before
	// the outage, with no order in flight that could purge it meanwhile.
	orders.pause()
	fetch(t, s.a, "/tacos")
	proxy.Down()
	outageStart := time.Now()
	orders.resume()

	// A cached page needs no database.
	for range 32 {
		p := fetch(t, s.a, "/tacos")
		if p.status != http.StatusOK || p.header.Get("X-Cache") != "hit" || !strings.Contains(p.body, "Agua de horchata") {
			t.Fatalf("cached home during the outage: %d X-Cache %q", p.status, p.header.Get("X-Cache"))
		}
	}
	// A page purged (or expired) during the outage is served stale.
	s.a.Cache.PurgeLocal(s.biz.ID)
	for _, path := range []string{"/tacos", "/tacos/reviews"} {
		p := fetch(t, s.a, path)
		if p.status != http.StatusOK || p.header.Get("X-Cache") != "stale" || !strings.Contains(p.body, "Store tacos") {
			t.Fatalf("%s purged during the outage: %d X-Cache %q", path, p.status, p.header.Get("X-Cache"))
		}
	}

	// What needs the database answers 503 with Retry-After.
	unavailablePage := func(who string, r *testkit.Response, want string) {
		t.Helper()
		id := r.Header.Get("X-Request-ID")
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" ||
			!strings.Contains(r.Body, want) || id == "" || !strings.Contains(r.Body, id) {
			t.Fatalf("%s during the outage: %d Retry-After %q\n%s", who, r.StatusCode, r.Header.Get("Retry-After"), r.Body)
		}
	}
	unavailablePage("uncached product page", visitor.Get(fmt.Sprintf("/tacos/p/%s", s.taco.Slug)), "Estamos en mantenimiento, vuelve en un momento")
	unavailablePage("uncached product page in English", english.Get(fmt.Sprintf("/tacos/p/%s", s.taco.Slug)), "We are doing maintenance, come back in a moment")
	unavailablePage("login", visitor.PostForm("/login", url.Values{"email": {"tacos@example.com"}, "password": {"secret-tacos"}}), "Estamos en mantenimiento")
	unavailablePage("dashboard", owner.Get("/dashboard"), "Estamos en mantenimiento")
	unavailablePage("dashboard orders", owner.Get("/dashboard/orders"), "Estamos en mantenimiento")
	// A logged-in owner still sees pages that need no database.
	if r := owner.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("landing page for a logged-in owner during the outage: %d", r.StatusCode)
	}

	r := postJSON(t, visitor, "/tacos/orders", map[string]any{
		"items":    []map[string]any{{"product_id": s.agua.ID, "quantity": 1}},
		"customer": map[string]any{"name": "Ana", "phone": "55 9876 5432"}, "fulfillment": "pickup", "payment_method": "cash",
	})
	var ans map[string]any
	json.Unmarshal([]byte(r.Body), &ans)
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		ans["error"] != "unavailable" || ans["message"] != "Estamos en mantenimiento, vuelve en un momento." ||
		ans["request_id"] != r.Header.Get("X-Request-ID") || ans["retry_after"] != float64(5) {
		t.Fatalf("order during the outage: %d %s %s", r.StatusCode, r.Header.Get("Retry-After"), r.Body)
	}
	if r := visitor.Get("/readyz"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz during the outage: %d", r.StatusCode)
	}
	if r := visitor.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Fatalf("healthz during the outage: %d", r.StatusCode)
	}
	time.Sleep(time.Until(outageStart.Add(3 * time.Second)))
	duringOutage := orders.created()

	// The database comes back: the same app serves again by itself.
	proxy.Up()
	back := time.Now()
	waitFor(t, 10*time.Second, "recovery", func() bool {
		return visitor.Get(fmt.Sprintf("/tacos/p/%s", s.taco.Slug)).StatusCode == http.StatusOK
	})
	t.Logf("pages served again %s after the database came back", time.Since(back).Round(time.Millisecond))
	waitFor(t, 10*time.Second, "orders after the outage", func() bool { return orders.created() >= duringOutage+10 })
	orders.finish()

	if p := fetch(t, s.a, "/tacos"); p.status != http.StatusOK || p.header.Get("X-Cache") == "stale" {
		t.Fatalf("home after the outage: %d X-Cache %q", p.status, p.header.Get("X-Cache"))
	}
	if r := owner.Get("/dashboard"); r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard after the outage: %d", r.StatusCode)
	}
	if r := s.a.Client().PostForm("/login", url.Values{"email": {"tacos@example.com"}, "password": {"secret-tacos"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after the outage: %d", r.StatusCode)
	}

	// Every acknowledged order is stored exactly once; none more than once.
	if len(orders.bad) > 0 {
		t.Fatalf("orders answered neither 201 nor 503 unavailable: %v", orders.bad)
	}
	if orders.statuses[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("no order met the outage: %v", orders.statuses)
	}
	var stored []domain.Order
	must(t, direct.DB.Where("business_id = ?", s.biz.ID).Find(&stored).Error)
	byName := map[string][]string{}
	for _, o := range stored {
		byName[o.CustomerName] = append(byName[o.CustomerName], o.Code)
	}
	for name, code := range orders.acked {
		if got := byName[name]; len(got) != 1 || got[0] != code {
			t.Errorf("acknowledged order %s (%s) stored as %v", name, code, got)
		}
	}
	for name, codes := range byName {
		if len(codes) > 1 {
			t.Errorf("order of %s stored %d times", name, len(codes))
		}
	}
	t.Logf("orders: %d sent, answers %v, %d stored", len(orders.sent), orders.statuses, len(stored))

	// An outage is an expected state: warnings, never errors, and no 500.
	out := logs.String()
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"status":500`) {
			t.Errorf("log line: %s", line)
		}
	}
	if !strings.Contains(out, `"msg":"database unavailable"`) {
		t.Error("outage not logged as a warning")
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBusySQLiteAnswers503 holds SQLite's write lock past the busy timeout:
// writes (an order, a login) answer 503 with Retry-After — JSON for the
// order API, the maintenance page in the visitor's language otherwise —
// logged as a warning, never as an error; reads go on, and once the lock is
// released the same app takes orders again.
func TestBusySQLiteAnswers503(t *testing.T) {
	if testkit.PostgresURL() != "" {
		t.Skip("SQLite only")
	}
	holder := testkit.NewDB(t)
	db, err := repositories.Open("sqlite", holder.DSN+"?_pragma=busy_timeout(50)")
	must(t, err)
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	logs := &testkit.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := testkit.NewAppOn(t, &testkit.TestDB{DB: db, Driver: "sqlite", DSN: holder.DSN},
		func(_ map[string]string, o *app.Options) { o.Log = log })
	s := &shop{a: a}
	s.biz = a.CreateOwner("tacos").Business
	s.update(t, map[string]any{"pickup_enabled": true, "pay_cash": true})
	s.agua = s.product(s.biz.ID, "Agua de horchata", testkit.Price(2050))
	order := map[string]any{
		"items":    []map[string]any{{"product_id": s.agua.ID, "quantity": 1}},
		"customer": map[string]any{"name": "Ana", "phone": "55 9876 5432"}, "fulfillment": "pickup", "payment_method": "cash",
	}
	visitor, english := a.Client(), a.Client()
	english.Header.Set("Accept-Language", "en")
	visitor.CSRF()
	english.CSRF()

	sqlHolder, _ := holder.DB.DB()
	lock, err := sqlHolder.Conn(context.Background())
	must(t, err)
	_, err = lock.ExecContext(context.Background(), "BEGIN IMMEDIATE")
	must(t, err)

	r := postJSON(t, visitor, "/tacos/orders", order)
	var ans map[string]any
	json.Unmarshal([]byte(r.Body), &ans)
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" || ans["error"] != "unavailable" ||
		ans["message"] != "Estamos en mantenimiento, vuelve en un momento." || ans["request_id"] != r.Header.Get("X-Request-ID") {
		t.Fatalf("order while busy: %d %q %s", r.StatusCode, r.Header.Get("Retry-After"), r.Body)
	}
	for _, tc := range []struct {
		c    *testkit.Client
		want string
	}{{visitor, "Estamos en mantenimiento, vuelve en un momento."}, {english, "We are doing maintenance, come back in a moment."}} {
		r := tc.c.PostForm("/login", url.Values{"email": {"tacos@example.com"}, "password": {"secret-tacos"}})
		id := r.Header.Get("X-Request-ID")
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" ||
			!strings.Contains(r.Body, tc.want) || id == "" || !strings.Contains(r.Body, id) {
			t.Fatalf("login while busy: %d %q\n%s", r.StatusCode, r.Header.Get("Retry-After"), r.Body)
		}
	}
	if p := fetch(t, a, "/tacos"); p.status != http.StatusOK {
		t.Fatalf("store page while busy: %d", p.status)
	}

	_, err = lock.ExecContext(context.Background(), "ROLLBACK")
	must(t, err)
	lock.Close()
	if r := postJSON(t, visitor, "/tacos/orders", order); r.StatusCode != http.StatusCreated {
		t.Fatalf("order after the lock: %d %s", r.StatusCode, r.Body)
	}
	out := logs.String()
	if strings.Contains(out, `"level":"ERROR"`) || !strings.Contains(out, `"msg":"database unavailable"`) {
		t.Fatalf("logs:\n%s", out)
	}
}
