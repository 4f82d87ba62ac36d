package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/testkit"
)

// twoInstances starts two apps on one PostgreSQL database, each with its
// own connection pool, jobs and purge listener, as two machines would run.
func twoInstances(t *testing.T, q *testkit.WorkQueue) (a, b *testkit.App) {
	t.Helper()
	db := testkit.NewDB(t)
	if db.Driver != "postgres" {
		t.Skip("two instances need PostgreSQL (TEST_DATABASE_URL): SQLite is one file owned by one instance, " +
			"with no LISTEN/NOTIFY nor advisory locks")
	}
	pool := testkit.SecondPool(t, db)
	second := *db
	second.DB = pool
	name := "scaleout-" + db.Schema // advisory locks are database-wide
	a = testkit.NewAppOn(t, db, testkit.WithJob(q.Job(name, 0)))
	b = testkit.NewAppOn(t, &second, testkit.WithJob(q.Job(name, 1)))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); a.WaitJobs(); b.WaitJobs() })
	for _, app := range []*testkit.App{a, b} {
		select {
		case <-app.StartJobs(ctx):
		case <-time.After(10 * time.Second):
			t.Fatal("purge listener not ready")
		}
	}
	return a, b
}

// storePage fetches path from app as an anonymous shopper.
func storePage(t *testing.T, app *testkit.App, path string) (body, cache string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, testkit.BaseURL+path, nil)
	resp, err := app.Fiber.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return string(raw), resp.Header.Get(web.HeaderPageCache)
}

func TestTwoInstancesOnOneDatabase(t *testing.T) {
	q := testkit.NewWorkQueue(30)
	a, b := twoInstances(t, q)

	t.Run("an edit on one drops the other's cached page within a second", func(t *testing.T) {
		o := a.CreateOwner("tacos-escala")
		p := a.Product(o.Business.ID, "Taco de pastor", testkit.Price(2550))
		storePage(t, b, "/tacos-escala")
		// B serves its cached copy: a change made behind the cache does not show.
		if err := a.DB.Model(&domain.Product{}).Where("id = ?", p.ID).Update("price_cents", 9900).Error; err != nil {
			t.Fatal(err)
		}
		if body, cache := storePage(t, b, "/tacos-escala"); cache != "hit" || !strings.Contains(body, "$25.50") {
			t.Fatalf("instance B did not cache the page (X-Cache %q)", cache)
		}
		// The owner edits the price through instance A's dashboard…
		c := a.Client()
		c.Login(o.Email, o.Password)
		r := c.PostForm(fmt.Sprintf("/dashboard/products/%d", p.ID), url.Values{
			"name": {p.Name}, "slug": {p.Slug}, "price": {"31.00"}, "active": {"on"},
		})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit on A: %d\n%s", r.StatusCode, r.Body)
		}
		// …and B shows the new price within a second (the bound).
		edited := time.Now()
		deadline := edited.Add(time.Second)
		for {
			body, cache := storePage(t, b, "/tacos-escala")
			if strings.Contains(body, "$31.00") {
				t.Logf("instance B showed the edit %v after it was saved on A", time.Since(edited).Round(time.Millisecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a second after the edit, instance B still serves the old page (X-Cache %q)", cache)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})

	t.Run("a job runs once across both instances", func(t *testing.T) {
		// Both runners tick from here on (they were started before).
		q.Open()
		q.Check(t)
	})
}
