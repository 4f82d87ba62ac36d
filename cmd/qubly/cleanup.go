package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/repositories"
)

// cleanupLockWait is how long `qubly cleanup` waits for a run of the
// cleanup job on an instance to end.
var cleanupLockWait = 30 * time.Second

// cleanupCmd runs the cleanup once and prints one line per business it
// removed (or, with --dry-run or CLEANUP_DRY_RUN=1, would remove).
func cleanupCmd(ctx context.Context, cfg *config.Config, db *gorm.DB, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	dryRun := cfg.CleanupDryRun
	for _, a := range args {
		switch a {
		case "--dry-run", "-dry-run", "-n":
			dryRun = true
		default:
			fmt.Fprintf(stderr, "qubly cleanup: unknown flag %q (usage: qubly cleanup [--dry-run])\n", a)
			return 2
		}
	}
	a, err := app.New(ctx, app.Options{Config: cfg, DB: db, Log: log})
	if err != nil {
		log.Error("build app", "err", err)
		return 1
	}
	// The job's own lock: never at once with the job on a running instance
	// (its runs are short, so wait a little for one to end).
	locker := repositories.NewLocker(db)
	deadline := time.Now().Add(cleanupLockWait)
	for {
		unlock, ok, err := locker.TryLock(ctx, "job:cleanup")
		if err != nil {
			log.Error("cleanup lock", "err", err)
			return 1
		}
		if ok {
			defer unlock()
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(stderr, "qubly cleanup: the cleanup job is running on an instance now; try again later")
			return 1
		}
		select {
		case <-ctx.Done():
			return 1
		case <-time.After(200 * time.Millisecond):
		}
	}
	rep, err := a.Cleanup.Run(ctx, dryRun)
	verb := "removed"
	if dryRun {
		verb = "would remove"
	}
	for _, it := range rep.Items {
		c := it.Counts
		fmt.Fprintf(stdout, "%s business %d /%s owner %s (%s): %d products, %d categories, %d images, %d orders, %d reviews\n",
			verb, it.BusinessID, it.Slug, it.OwnerEmail, it.Reason, c.Products, c.Categories, c.Images, c.Orders, c.Reviews)
	}
	fmt.Fprintf(stdout, "%s %d businesses, %d failed\n", verb, len(rep.Items), rep.Failed)
	if err != nil {
		log.Error("cleanup", "err", err)
		return 1
	}
	return 0
}
