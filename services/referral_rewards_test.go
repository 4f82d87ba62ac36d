package services_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/stripe"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// countingCredits records each Stripe credit call; it takes a while to
// answer, so concurrent runs overlap, and fails while failing is set.
type countingCredits struct {
	mu      sync.Mutex
	calls   []string // idempotency keys
	amounts []domain.Money
	failing bool
}

func (c *countingCredits) CreditBalance(_ context.Context, customerID string, amount domain.Money, currency, description, key string) (string, error) {
	time.Sleep(20 * time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, key)
	c.amounts = append(c.amounts, amount)
	if c.failing {
		return "", errors.New("stripe is down")
	}
	return "cbtxn_" + key, nil
}

func (c *countingCredits) keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

func (c *countingCredits) fail(yes bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failing = yes
}

func (e *billingEnv) rewards(credits services.ReferralCredits) *services.ReferralRewards {
	return services.NewReferralRewards(services.ReferralRewardsDeps{
		Subscriptions: e.subs, Repo: e.a.Repos.Referrals, Credits: credits,
		Tx: repositories.NewTransactor(e.a.DB), PlanPriceCents: 24900, RewardPercent: func() int { return 50 },
	})
}

// referral records that referrer brought referred, decided as status.
func (e *billingEnv) referral(t *testing.T, referrer, referred *testkit.Owner, status domain.ReferralStatus) *domain.Referral {
	t.Helper()
	now := e.a.Clock.Now()
	ref := &domain.Referral{ReferrerID: referrer.Business.ID, ReferredID: referred.Business.ID, Status: status, DecidedAt: &now}
	if err := e.a.Repos.Referrals.Create(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

func (e *billingEnv) setCustomer(t *testing.T, o *testkit.Owner, customer string) {
	t.Helper()
	if err := e.a.DB.Model(&domain.Business{}).Where("id = ?", o.Business.ID).Update("stripe_customer_id", customer).Error; err != nil {
		t.Fatal(err)
	}
}

func (e *billingEnv) rewardedAt(t *testing.T, id int64) *time.Time {
	t.Helper()
	var ref domain.Referral
	if err := e.a.DB.Take(&ref, id).Error; err != nil {
		t.Fatal(err)
	}
	return ref.ReferrerRewardedAt
}

func TestRewardReferrersCreditsThroughStripeMock(t *testing.T) {
	e := newBillingEnv(t)
	client := stripe.New("sk_test_123", testkit.StripeMock(t))
	referrer, referred := e.a.CreateOwner("recomienda"), e.a.CreateOwner("llega")
	e.setCustomer(t, referrer, "cus_referrer")
	ref := e.referral(t, referrer, referred, domain.ReferralSuccessful)

	if err := e.rewards(client).RewardReferrers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.rewardedAt(t, ref.ID) == nil {
		t.Fatal("referral not marked rewarded after the Stripe credit")
	}
	got := e.emailsNamed(referrer.Email, "referral_reward")
	if len(got) != 1 {
		t.Fatalf("%d referral_reward emails, want 1", len(got))
	}
	for _, want := range []string{"Store llega", "$124.50", testkit.BaseURL + "/dashboard/referrals"} {
		if !strings.Contains(got[0].TextBody, want) {
			t.Errorf("reward email lacks %q:\n%s", want, got[0].TextBody)
		}
	}
}

func TestRewardReferrersExactlyOnceConcurrently(t *testing.T) {
	e := newBillingEnv(t)
	credits := &countingCredits{}
	rewards := e.rewards(credits)
	referrer := e.a.CreateOwner("recomienda")
	e.setCustomer(t, referrer, "cus_referrer")
	var refs []*domain.Referral
	for _, slug := range []string{"uno", "dos", "tres"} {
		refs = append(refs, e.referral(t, referrer, e.a.CreateOwner(slug), domain.ReferralSuccessful))
	}
	e.referral(t, referrer, e.a.CreateOwner("pendiente"), domain.ReferralPending)
	e.referral(t, referrer, e.a.CreateOwner("fallida"), domain.ReferralFailed)

	runTwiceAtOnce(t, rewards.RewardReferrers)
	runTwiceAtOnce(t, rewards.RewardReferrers)

	keys := credits.keys()
	if len(keys) != len(refs) {
		t.Fatalf("Stripe credit calls %v, want one per successful referral (%d)", keys, len(refs))
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("referral credited twice: %v", keys)
		}
		seen[k] = true
	}
	for _, ref := range refs {
		if !seen[fmt.Sprintf("qubly-referral-%d", ref.ID)] {
			t.Errorf("referral %d was not credited with its idempotency key: %v", ref.ID, keys)
		}
	}
	for _, amount := range credits.amounts {
		if amount != 12450 {
			t.Errorf("credit of %d centavos, want 12450", amount)
		}
	}
	if n := len(e.emailsNamed(referrer.Email, "referral_reward")); n != len(refs) {
		t.Fatalf("%d reward emails, want %d", n, len(refs))
	}
}

func TestRewardReferrersWaitsForACustomerAndRetriesAFailure(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	credits := &countingCredits{}
	rewards := e.rewards(credits)
	referrer := e.a.CreateOwner("recomienda")
	ref := e.referral(t, referrer, e.a.CreateOwner("llega"), domain.ReferralSuccessful)

	if err := rewards.RewardReferrers(ctx); err != nil {
		t.Fatal(err)
	}
	if len(credits.keys()) != 0 || e.rewardedAt(t, ref.ID) != nil {
		t.Fatal("a referrer without a Stripe customer was credited")
	}

	e.setCustomer(t, referrer, "cus_referrer")
	credits.fail(true)
	if err := rewards.RewardReferrers(ctx); err != nil {
		t.Fatal(err)
	}
	if e.rewardedAt(t, ref.ID) != nil {
		t.Fatal("a failed credit was recorded as rewarded")
	}
	credits.fail(false)
	if err := rewards.RewardReferrers(ctx); err != nil {
		t.Fatal(err)
	}
	if e.rewardedAt(t, ref.ID) == nil {
		t.Fatal("the retry after a failed credit did not reward")
	}
	if keys := credits.keys(); len(keys) != 2 || keys[0] != keys[1] {
		t.Fatalf("credit calls %v: want the failed one and its retry, with one key", keys)
	}
	if n := len(e.emailsNamed(referrer.Email, "referral_reward")); n != 1 {
		t.Fatalf("%d reward emails, want 1", n)
	}
}

func TestRewardReferrersTakesOverAStaleClaim(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	credits := &countingCredits{}
	rewards := e.rewards(credits)
	referrer := e.a.CreateOwner("recomienda")
	e.setCustomer(t, referrer, "cus_referrer")
	ref := e.referral(t, referrer, e.a.CreateOwner("llega"), domain.ReferralSuccessful)
	// A run claimed it and died (maybe after crediting in Stripe).
	now := e.a.Clock.Now()
	if ok, err := e.a.Repos.Referrals.ClaimReward(ctx, ref.ID, now, now); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}

	if err := rewards.RewardReferrers(ctx); err != nil {
		t.Fatal(err)
	}
	if len(credits.keys()) != 0 {
		t.Fatal("a fresh claim of another run was not respected")
	}
	e.a.Clock.Advance(time.Hour)
	if err := rewards.RewardReferrers(ctx); err != nil {
		t.Fatal(err)
	}
	if keys := credits.keys(); len(keys) != 1 || keys[0] != fmt.Sprintf("qubly-referral-%d", ref.ID) {
		t.Fatalf("credit calls %v after the lease, want one with the referral's key", keys)
	}
	if e.rewardedAt(t, ref.ID) == nil {
		t.Fatal("not rewarded after taking over the stale claim")
	}
}
