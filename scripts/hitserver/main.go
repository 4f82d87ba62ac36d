// Command hitserver is the app as scripts/hitcost.sh measures it: the same
// app.New as `qubly serve`, configured from the same environment variables
// (DATABASE_URL, BASE_URL, SECRET_KEY, …), listening on -addr, but without
// the scheduled jobs (the outbox poll every 5 s would add database work to
// whatever requests happen to be measured then), without the demo seed and
// without the request log on stderr.
//
//	DATABASE_URL=sqlite:/tmp/x/qubly.db go run ./scripts/hitserver -addr 127.0.0.1:4001
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"log/slog"
	"os"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/migrations"
	"github.com/qubly/qubly/repositories"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:4001", "listen address")
	flag.Parse()
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	driver, dsn, err := cfg.Database()
	if err != nil {
		log.Fatal(err)
	}
	db, err := repositories.Open(driver, dsn)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := migrations.Run(ctx, db); err != nil {
		log.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, app.Options{Config: cfg, DB: db, Log: quiet})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(a.Fiber.Listen(*addr))
}
