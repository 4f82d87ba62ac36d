package webhooks_test

// BenchmarkStripeWebhook measures POST /webhooks/stripe through the app's
// handler (no sockets) on SQLite or, with TEST_DATABASE_URL, PostgreSQL:
//
//	go test -run '^$' -bench StripeWebhook -benchtime 500x ./handlers/webhooks/
//
// Each sub-benchmark reports the p50 and p99 of one event's handling; the
// signature is computed before the clock starts, as Stripe does it.

import (
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/qubly/qubly/testkit"
)

func newRequestCtx() *fasthttp.RequestCtx {
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&fasthttp.Request{}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
	return ctx
}

// post runs one signed delivery of e through h and returns its status and
// how long the handler took.
func post(h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx, e stripeEvent) (int, time.Duration) {
	sig := testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now())
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.Request.Header.SetMethod("POST")
	ctx.Request.SetRequestURI("/webhooks/stripe")
	ctx.Request.Header.SetHost("qubly.test")
	ctx.Request.Header.SetContentType("application/json; charset=utf-8")
	ctx.Request.Header.Set("Stripe-Signature", sig)
	ctx.Request.SetBody(e.Body)
	start := time.Now()
	h(ctx)
	return ctx.Response.StatusCode(), time.Since(start)
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[min(len(d)-1, len(d)*99/100)].Microseconds())/1000, "p99-ms")
}

func BenchmarkStripeWebhook(b *testing.B) {
	// Each builds the i-th event for an active store s, created at at.
	cases := []struct {
		name  string
		event func(s *shop, i int, at time.Time) stripeEvent
	}{
		// A monthly renewal: a new paid invoice, the store stays active.
		{"invoice_paid", func(s *shop, i int, at time.Time) stripeEvent {
			return invoiceEvent(true, at, s.Customer, s.Sub, fmt.Sprintf("in_%s_%d", s.Slug, i), at.AddDate(0, 1, 0))
		}},
		// The portal changes the subscription; no status change.
		{"subscription_updated", func(s *shop, i int, at time.Time) stripeEvent {
			return subscriptionEvent("updated", at, s.Customer, s.Sub, "active", at.AddDate(0, 1, 0))
		}},
		// Alternately a failed payment (active → past_due, an email) and its
		// retry paid (past_due → active, an email).
		{"payment_failed_then_paid", func(s *shop, i int, at time.Time) stripeEvent {
			return invoiceEvent(i%2 == 1, at, s.Customer, s.Sub, fmt.Sprintf("in_%s_%d", s.Slug, i/2), at.AddDate(0, 1, 0))
		}},
		// A replay of an applied event.
		{"duplicate", nil},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			a := testkit.NewApp(b)
			s := newShop(b, a, "bench-webhook", "")
			now := a.Clock.Now()
			for _, e := range activation(s, now) {
				mustDeliver(b, a, e)
			}
			h, ctx := a.Fiber.Handler(), newRequestCtx()
			dup := activation(s, now)[2]
			if code, _ := post(h, ctx, dup); code != 200 {
				b.Fatalf("status %d", code)
			}
			var times []time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				i++
				b.StopTimer()
				e := dup
				if c.event != nil {
					e = c.event(s, i, now.Add(time.Duration(i)*time.Minute))
				}
				b.StartTimer()
				code, d := post(h, ctx, e)
				if code != 200 {
					b.Fatalf("%s: status %d: %s", e.Type, code, ctx.Response.Body())
				}
				times = append(times, d)
			}
			reportPercentiles(b, times)
		})
	}
}
