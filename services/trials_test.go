package services_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// billingEnv is the app's database with the billing services built by
// hand over it: the test's clock, a counting purger, and emails that fail
// for the addresses in failFor.
type billingEnv struct {
	a      *testkit.App
	subs   *services.Subscriptions
	trials *services.Trials
	purges *testkit.Purges
	emails *failingEmails
}

// failingEmails queues billing emails through the real outbox, except to
// the addresses it was told to fail for.
type failingEmails struct {
	*services.Emails
	mu      sync.Mutex
	failFor map[string]bool
}

func (f *failingEmails) Enqueue(ctx context.Context, to, lang, name string, data map[string]any) error {
	f.mu.Lock()
	fail := f.failFor[to]
	f.mu.Unlock()
	if fail {
		return errors.New("outbox refused " + to)
	}
	return f.Emails.Enqueue(ctx, to, lang, name, data)
}

func (f *failingEmails) fail(to string, yes bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failFor[to] = yes
}

func newBillingEnv(t *testing.T) *billingEnv {
	t.Helper()
	a := testkit.NewApp(t)
	emails, _ := appEmails(t, a)
	e := &billingEnv{a: a, purges: &testkit.Purges{}, emails: &failingEmails{Emails: emails, failFor: map[string]bool{}}}
	e.subs = services.NewSubscriptions(services.SubscriptionsDeps{
		Repo: a.Repos.Subscriptions, Owners: a.Repos.Users, Emails: e.emails, Writes: e.purges.Writes(a.DB),
		Clock: a.Clock.Now, Log: testkit.Logger(t), BaseURL: testkit.BaseURL,
	})
	e.trials = services.NewTrials(e.subs, a.Repos.Subscriptions)
	return e
}

// billing reloads a business's subscription.
func (e *billingEnv) billing(t *testing.T, businessID int64) domain.Billing {
	t.Helper()
	b, err := e.a.Repos.Subscriptions.Business(context.Background(), businessID)
	if err != nil {
		t.Fatal(err)
	}
	return b.Billing
}

// emailsNamed counts the outbox emails of template name to address.
func (e *billingEnv) emailsNamed(address, name string) []domain.OutboxEmail {
	var out []domain.OutboxEmail
	for _, m := range e.a.Emails(address) {
		if m.Template == name {
			out = append(out, m)
		}
	}
	return out
}

// runTwiceAtOnce runs fn twice concurrently and fails on an error.
func runTwiceAtOnce(t *testing.T, fn func(context.Context) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent run: %v", err)
		}
	}
}

func TestExpireTrialsCancelsEndedTrialsOnce(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	ended := e.a.CreateOwner("vencida")
	demo := e.a.CreateOwner("demo")
	e.a.DB.Model(&domain.Business{}).Where("id = ?", demo.Business.ID).Update("demo", true)
	deleted := e.a.CreateOwner("borrada")
	if err := e.a.DB.Delete(&domain.Business{}, deleted.Business.ID).Error; err != nil {
		t.Fatal(err)
	}
	e.a.Clock.Advance(24 * time.Hour)
	later := e.a.CreateOwner("reciente") // its trial ends a day after the others

	// Before the end nothing moves.
	e.a.Clock.Advance(13*24*time.Hour - time.Minute)
	if err := e.trials.ExpireTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.billing(t, ended.Business.ID).SubscriptionStatus; st != domain.SubscriptionTrial {
		t.Fatalf("a minute before its end the trial is %s", st)
	}

	e.a.Clock.Advance(time.Minute)
	runTwiceAtOnce(t, e.trials.ExpireTrials)
	if err := e.trials.ExpireTrials(ctx); err != nil {
		t.Fatal(err)
	}

	if st := e.billing(t, ended.Business.ID).SubscriptionStatus; st != domain.SubscriptionCancelled {
		t.Fatalf("ended trial is %s, want cancelled", st)
	}
	hist, err := e.subs.History(ctx, ended.Business.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Cause != domain.CauseTrialExpired || hist[0].From != domain.SubscriptionTrial {
		t.Fatalf("history = %+v, want signup then one trial_expired", hist)
	}
	if n := len(e.emailsNamed(ended.Email, "trial_ended")); n != 1 {
		t.Fatalf("%d trial_ended emails, want 1", n)
	}
	if n := e.purges.Count(ended.Business.ID); n != 1 {
		t.Fatalf("store purged %d times, want 1", n)
	}
	for _, o := range []*testkit.Owner{demo, deleted, later} {
		if st := e.billing(t, o.Business.ID).SubscriptionStatus; st != domain.SubscriptionTrial {
			t.Errorf("%s is %s, want still trial", o.Business.Slug, st)
		}
		if n := len(e.emailsNamed(o.Email, "trial_ended")); n != 0 {
			t.Errorf("%s got %d trial_ended emails", o.Business.Slug, n)
		}
	}
}

func TestExpireTrialsGoesOnPastAFailure(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	bad := e.a.CreateOwner("falla")
	good := e.a.CreateOwner("sigue")
	e.emails.fail(bad.Email, true)
	e.a.Clock.Advance(15 * 24 * time.Hour)

	if err := e.trials.ExpireTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.billing(t, bad.Business.ID).SubscriptionStatus; st != domain.SubscriptionTrial {
		t.Fatalf("the failed business is %s: its transaction must roll back", st)
	}
	if st := e.billing(t, good.Business.ID).SubscriptionStatus; st != domain.SubscriptionCancelled {
		t.Fatalf("the business after the failure is %s, want cancelled", st)
	}

	// The next run retries the one that failed.
	e.emails.fail(bad.Email, false)
	if err := e.trials.ExpireTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.billing(t, bad.Business.ID).SubscriptionStatus; st != domain.SubscriptionCancelled {
		t.Fatalf("retried business is %s, want cancelled", st)
	}
	if n := len(e.emailsNamed(good.Email, "trial_ended")); n != 1 {
		t.Fatalf("%d trial_ended emails to the other business, want 1", n)
	}
}

func TestExpireTrialsLeavesAPaidTrialAlone(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	o := e.a.CreateOwner("pagada")
	e.a.Clock.Advance(5 * 24 * time.Hour)
	if err := e.subs.Move(ctx, o.Business.ID, services.Change{To: domain.SubscriptionActive, Cause: domain.CauseCheckout, EventID: "evt_1", At: e.a.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	e.a.Clock.Advance(20 * 24 * time.Hour)
	if err := e.trials.ExpireTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.billing(t, o.Business.ID).SubscriptionStatus; st != domain.SubscriptionActive {
		t.Fatalf("paid business is %s, want active", st)
	}
}

func TestRemindTrialsOnceThreeDaysBefore(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	o := e.a.CreateOwner("recordar")
	other := e.a.CreateOwner("otra")
	e.a.DB.Model(&domain.Business{}).Where("id = ?", other.Business.ID).
		Update("trial_ends_at", e.a.Clock.Now().Add(30*24*time.Hour))

	e.a.Clock.Advance(11*24*time.Hour - time.Minute) // 3 days and a minute left
	if err := e.trials.RemindTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.emailsNamed(o.Email, "trial_ending")); n != 0 {
		t.Fatalf("%d reminders with more than 3 days left", n)
	}

	e.a.Clock.Advance(time.Minute)
	runTwiceAtOnce(t, e.trials.RemindTrials)
	e.a.Clock.Advance(time.Hour)
	if err := e.trials.RemindTrials(ctx); err != nil {
		t.Fatal(err)
	}

	got := e.emailsNamed(o.Email, "trial_ending")
	if len(got) != 1 {
		t.Fatalf("%d trial_ending emails, want 1", len(got))
	}
	if !strings.Contains(got[0].TextBody, "3 días") || !strings.Contains(got[0].TextBody, "Store recordar") {
		t.Fatalf("reminder text lacks the days left or the store:\n%s", got[0].TextBody)
	}
	if b := e.billing(t, o.Business.ID); b.TrialRemindedAt == nil || b.SubscriptionStatus != domain.SubscriptionTrial {
		t.Fatalf("after the reminder billing = %+v", b)
	}
	if n := len(e.emailsNamed(other.Email, "trial_ending")); n != 0 {
		t.Fatalf("the trial ending in a month got %d reminders", n)
	}
	if n := e.purges.Count(o.Business.ID); n != 0 {
		t.Errorf("a reminder purged the store's pages %d times; shoppers see no change", n)
	}
}

func TestRemindTrialsSkipsEndedAndFailedRetries(t *testing.T) {
	e := newBillingEnv(t)
	ctx := context.Background()
	ended := e.a.CreateOwner("terminada")
	bad := e.a.CreateOwner("falla")
	e.emails.fail(bad.Email, true)
	e.a.Clock.Advance(12 * 24 * time.Hour)
	e.a.DB.Model(&domain.Business{}).Where("id = ?", ended.Business.ID).Update("trial_ends_at", e.a.Clock.Now().Add(-time.Hour))

	if err := e.trials.RemindTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.emailsNamed(ended.Email, "trial_ending")); n != 0 {
		t.Fatalf("an ended trial got %d reminders", n)
	}
	if b := e.billing(t, bad.Business.ID); b.TrialRemindedAt != nil {
		t.Fatal("a reminder whose email failed was recorded as sent")
	}
	e.emails.fail(bad.Email, false)
	if err := e.trials.RemindTrials(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.emailsNamed(bad.Email, "trial_ending")); n != 1 {
		t.Fatalf("retried reminder: %d emails, want 1", n)
	}
}
