package testkit

import (
	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/jobs"
)

// WithJob adds j to the app's scheduled jobs (StartJobs runs it with
// theirs, under the same lock and retry rules).
func WithJob(j jobs.Job) AppOption {
	return func(_ map[string]string, o *app.Options) { o.ExtraJobs = append(o.ExtraJobs, j) }
}
