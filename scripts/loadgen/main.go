// Command loadgen sends POST /{slug}/orders at a fixed rate to a Qubly
// server on loopback and reports latency percentiles, for
// scripts/loadtest.sh. It is open-loop: request i is due at start + i/rate
// whether or not earlier ones answered, and its latency counts from that due
// time, so a slow server cannot hide its queueing (no coordinated omission).
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
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
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

func run(base, planPath string, rate int, duration time.Duration, ipHeader string, maxInFlight int) error {
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
	raw, err := os.ReadFile(planPath)
	if err != nil {
		return err
	}
	var p plan
	if err := json.Unmarshal(raw, &p); err != nil || len(p.Orders) == 0 {
		return fmt.Errorf("plan %s: no orders (%v)", planPath, err)
	}

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
			res := result{}
			req, _ := http.NewRequest(http.MethodPost, base+o.Path, bytes.NewReader(o.Body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Origin", base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set(ipHeader, ip)
			resp, err := client.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				res.status = resp.StatusCode
			}
			res.latency = time.Since(due)
			mu.Lock()
			results = append(results, res)
			mu.Unlock()
		}()
	}
	sendTime := time.Since(start)
	wg.Wait()

	statuses := map[int]int{}
	var lat []time.Duration
	for _, r := range results {
		statuses[r.status]++
		lat = append(lat, r.latency)
	}
	slices.Sort(lat)
	pct := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(q*float64(len(lat))))]
	}
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Printf("requests\t%d\n", len(results))
	fmt.Printf("dropped\t%d\n", dropped)
	fmt.Printf("rate\t%.1f\n", float64(len(results))/sendTime.Seconds())
	for _, c := range codes {
		name := fmt.Sprint(c)
		if c == 0 {
			name = "error"
		}
		fmt.Printf("status_%s\t%d\n", name, statuses[c])
	}
	for _, q := range []struct {
		name string
		q    float64
	}{{"p50", .50}, {"p90", .90}, {"p99", .99}, {"max", 1}} {
		fmt.Printf("%s_ms\t%.2f\n", q.name, float64(pct(q.q).Microseconds())/1000)
	}
	if statuses[http.StatusCreated] != len(results) {
		return fmt.Errorf("%d of %d orders were not created", len(results)-statuses[http.StatusCreated], len(results))
	}
	return nil
}
