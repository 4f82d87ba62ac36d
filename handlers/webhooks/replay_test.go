package webhooks_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// deliverConcurrently delivers e n times at once, as Stripe's retries and
// a second instance may; every delivery must be answered 200.
func deliverConcurrently(t *testing.T, a *testkit.App, e stripeEvent, n int) {
	t.Helper()
	codes := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, errs[i] = deliverRaw(a, e.Body, testkit.SignStripe(e.Body, testkit.StripeWebhookSecret, time.Now()))
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || codes[i] != 200 {
			t.Fatalf("delivery %d of %s: status %d, %v", i, e.Type, codes[i], errs[i])
		}
	}
}

// lifecycle is a store's year in events: it subscribes, a renewal fails
// and is paid, and it cancels.
func lifecycle(s *shop, now time.Time) []stripeEvent {
	es := append(activation(s, now), renewalFailsThenPays(s, now.AddDate(0, 1, 0))...)
	return append(es, subscriptionEvent("deleted", now.AddDate(0, 2, 0), s.Customer, s.Sub, "canceled", now.AddDate(0, 2, 0)))
}

// outcome is what must not depend on how often, nor in which order, the
// events came: the status, the period, the invoices and the referral.
type outcome struct {
	Status    domain.SubscriptionStatus
	PeriodEnd string
	Invoices  string
	Referral  string
}

func outcomeOf(t *testing.T, a *testkit.App, s *shop) outcome {
	t.Helper()
	b := stateOf(t, a, s.ID, s.Email)
	o := outcome{Status: b.Status, Invoices: strings.ReplaceAll(strings.Join(b.Invoices, ","), s.Slug, "*")}
	if b.PeriodEnd != nil {
		o.PeriodEnd = b.PeriodEnd.UTC().String()
	}
	ref, err := a.Repos.Referrals.OfReferred(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	o.Referral = string(ref.Status) + ":" + ref.FailReason
	return o
}

// TestReplaysAndShuffledOrder: each event delivered five times at once, in
// order or shuffled, ends as if each came once, in order.
func TestReplaysAndShuffledOrder(t *testing.T) {
	a := testkit.NewApp(t)
	now := a.Clock.Now()
	referred := func(slug string) *shop {
		return newShop(t, a, slug, newShop(t, a, "ref-"+slug, "").Code)
	}
	once := referred("una-vez")
	deliverAll(t, a, lifecycle(once, now))
	want := outcomeOf(t, a, once)
	wantState := stateOf(t, a, once.ID, once.Email)
	if want.Status != domain.SubscriptionCancelled || want.Referral != "successful:" {
		t.Fatalf("reference run: %+v", want)
	}

	t.Run("replayed in order", func(t *testing.T) {
		s := referred("repetida")
		for _, e := range lifecycle(s, now) {
			deliverConcurrently(t, a, e, 5)
		}
		if got := outcomeOf(t, a, s); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		got := stateOf(t, a, s.ID, s.Email)
		if !slices.Equal(got.History, wantState.History) || !slices.Equal(got.EmailKinds, wantState.EmailKinds) ||
			got.Applied != wantState.Applied {
			t.Fatalf("history %v emails %v applied %d, want %v %v %d",
				got.History, got.EmailKinds, got.Applied, wantState.History, wantState.EmailKinds, wantState.Applied)
		}
	})

	// Any order of the activation's three events gives the same history.
	for i, perm := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		t.Run("activation in order "+fmtInts(perm), func(t *testing.T) {
			ref := referred("activa-" + string(rune('a'+i)))
			s := referred("activada-" + string(rune('a'+i)))
			deliverAll(t, a, activation(ref, now))
			es := activation(s, now)
			for _, j := range perm {
				deliverConcurrently(t, a, es[j], 5)
			}
			wantA, gotA := stateOf(t, a, ref.ID, ref.Email), stateOf(t, a, s.ID, s.Email)
			if outcomeOf(t, a, s) != outcomeOf(t, a, ref) || !slices.Equal(gotA.History, wantA.History) || gotA.Applied != 3 {
				t.Fatalf("got %+v, want %+v", gotA, wantA)
			}
		})
	}

	// The whole year shuffled: the late events never roll the status back.
	for seed := range uint64(3) {
		t.Run("lifecycle shuffled", func(t *testing.T) {
			s := referred("barajada-" + string(rune('a'+seed)))
			es := lifecycle(s, now)
			rand.New(rand.NewPCG(seed, 42)).Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
			for _, e := range es {
				deliverConcurrently(t, a, e, 5)
			}
			if got := outcomeOf(t, a, s); got != want {
				t.Fatalf("order %v: got %+v, want %+v", types(es), got, want)
			}
		})
	}
}

func fmtInts(p []int) string {
	var b strings.Builder
	for _, n := range p {
		b.WriteByte(byte('0' + n))
	}
	return b.String()
}

func types(es []stripeEvent) []string {
	var ts []string
	for _, e := range es {
		ts = append(ts, e.Type)
	}
	return ts
}
