package app_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qubly/qubly/jobs"
	"github.com/qubly/qubly/testkit"
)

func TestAJobPanicDoesNotStopTheServer(t *testing.T) {
	var calls atomic.Int32
	recovered := make(chan struct{})
	name := "panicky-" + strings.ToLower(t.Name())
	a := testkit.NewApp(t, testkit.WithJob(jobs.Job{Name: name, Every: time.Hour, Run: func(context.Context) error {
		if calls.Add(1) == 1 {
			var m map[string]int
			m["boom"]++ // a real nil-map panic
		}
		close(recovered)
		return nil
	}}))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); a.WaitJobs() })
	a.StartJobs(ctx)
	select {
	case <-recovered:
	case <-time.After(30 * time.Second):
		t.Fatalf("job called %d times: the run that panicked was not retried", calls.Load())
	}
	// The process is still here (a panic on a job's goroutine would have
	// ended the test binary) and still serves.
	c := a.Client()
	if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Fatalf("/healthz after a job panicked: %d", r.StatusCode)
	}
	// The panic counts as a failed run, the retry as a good one.
	m := c.Get("/metrics").Body
	for _, line := range []string{
		`qubly_job_runs_total{job="` + name + `"} 2`,
		`qubly_job_failures_total{job="` + name + `"} 1`,
	} {
		if !strings.Contains(m, line) {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}
