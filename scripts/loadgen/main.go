// Command loadgen sends POST /{slug}/orders at a fixed rate to a Qubly
// server on loopback and reports latency percentiles, for
// scripts/loadtest.sh. It is open-loop: request i is due at start + i/rate
// whether or not earlier ones answered, and its latency counts from that due
// time, so a slow server cannot hide its queueing (no coordinated omission).
// Besides percentiles it reports the max and the stalls: requests that took
// over 250 ms.
//
//	go run ./scripts/loadgen -base http://127.0.0.1:3000 -plan plan.json -rate 200 -duration 10s
//
// Orders rotate over the plan's stores; each request carries a different
// client IP in -ip-header (the server's PROXY_HEADER) so the per-IP limit
// of public writes is not what gets measured.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

type plan struct {
	Orders []struct {
		Path string          `json:"path"`
		Body json.RawMessage `json:"body"`
	} `json:"orders"`
}

type result struct {
	status  int // 0: transport error
	latency time.Duration
}

func main() {
	base := flag.String("base", "", "server base URL (loopback only), e.g. http://127.0.0.1:3000")
	planPath := flag.String("plan", "plan.json", "load plan written by loadseed")
	rate := flag.Int("rate", 200, "requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	ipHeader := flag.String("ip-header", "X-Load-Client-IP", "header carrying a fake client IP (the server's PROXY_HEADER)")
	maxInFlight := flag.Int("max-in-flight", 2000, "requests in flight before new ones are dropped")
	flag.Parse()
	if err := run(*base, *planPath, *rate, *duration, *ipHeader, *maxInFlight); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// stallAfter is a request slow enough to count as a stall.
const stallAfter = 250 * time.Millisecond

func run(base, planPath string, rate int, duration time.Duration, ipHeader string, maxInFlight int) error {
	if err := checkTarget(base, rate, duration); err != nil {
		return err
	}
	p, err := loadPlan(planPath)
	if err != nil {
		return err
	}
	results, dropped, sendTime := send(base, p, rate, duration, ipHeader, maxInFlight)
	return report(os.Stdout, results, dropped, sendTime)
}

// checkTarget refuses a server off loopback and rates or durations out of range.
func checkTarget(base string, rate int, duration time.Duration) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("-base %q: want http://127.0.0.1:PORT", base)
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return fmt.Errorf("-base %q: loopback addresses only", base)
	}
	if rate < 1 || rate > 5000 || duration <= 0 || duration > 5*time.Minute {
		return fmt.Errorf("rate must be 1–5000/s and duration at most 5m")
	}
	return nil
}

func loadPlan(path string) (*plan, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p plan
	if err := json.Unmarshal(raw, &p); err != nil || len(p.Orders) == 0 {
		return nil, fmt.Errorf("plan %s: no orders (%v)", path, err)
	}
	return &p, nil
}

// send posts the plan's orders at rate for duration, open-loop, and returns
// every answer, how many requests were dropped (too many in flight) and
// how long sending took.
func send(base string, p *plan, rate int, duration time.Duration, ipHeader string, maxInFlight int) ([]result, int, time.Duration) {
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute},
	}
	total := int(duration.Seconds() * float64(rate))
	interval := time.Second / time.Duration(rate)
	results := make([]result, 0, total)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxInFlight)
	dropped := 0
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		select {
		case sem <- struct{}{}:
		default:
			dropped++
			continue
		}
		o := p.Orders[i%len(p.Orders)]
		ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := post(client, base+o.Path, o.Body, base, ipHeader, ip)
			res.latency = time.Since(due)
			mu.Lock()
			results = append(results, res)
			mu.Unlock()
		}()
	}
	sendTime := time.Since(start)
	wg.Wait()
	return results, dropped, sendTime
}

// post sends one order and returns its status (0: transport error).
func post(client *http.Client, url string, body []byte, origin, ipHeader, ip string) result {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(ipHeader, ip)
	resp, err := client.Do(req)
	if err != nil {
		return result{}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return result{status: resp.StatusCode}
}

// report writes "name<TAB>value" lines: requests, dropped, rate, status_N,
// latency percentiles and max in ms, and stalls (requests over stallAfter).
// It fails when an order was not created.
func report(w io.Writer, results []result, dropped int, sendTime time.Duration) error {
	statuses := map[int]int{}
	lat := make([]time.Duration, 0, len(results))
	stalls := 0
	for _, r := range results {
		statuses[r.status]++
		lat = append(lat, r.latency)
		if r.latency > stallAfter {
			stalls++
		}
	}
	slices.Sort(lat)
	pct := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(q*float64(len(lat))))]
	}
	fmt.Fprintf(w, "requests\t%d\n", len(results))
	fmt.Fprintf(w, "dropped\t%d\n", dropped)
	fmt.Fprintf(w, "rate\t%.1f\n", float64(len(results))/sendTime.Seconds())
	codes := slices.Sorted(maps.Keys(statuses))
	for _, c := range codes {
		name := fmt.Sprint(c)
		if c == 0 {
			name = "error"
		}
		fmt.Fprintf(w, "status_%s\t%d\n", name, statuses[c])
	}
	for _, q := range []struct {
		name string
		q    float64
	}{{"p50", .50}, {"p90", .90}, {"p99", .99}, {"max", 1}} {
		fmt.Fprintf(w, "%s_ms\t%.2f\n", q.name, float64(pct(q.q).Microseconds())/1000)
	}
	fmt.Fprintf(w, "stall_ms\t%d\n", stallAfter.Milliseconds())
	fmt.Fprintf(w, "stalls\t%d\n", stalls)
	if statuses[http.StatusCreated] != len(results) {
		return fmt.Errorf("%d of %d orders were not created", len(results)-statuses[http.StatusCreated], len(results))
	}
	return nil
}
