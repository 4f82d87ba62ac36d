package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"gorm.io/gorm"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
)

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
