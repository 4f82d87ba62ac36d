// Command bareserver is the yardstick of scripts/loadtest.sh and
// scripts/hitcost.sh: a bare Fiber server (no middleware, package bare) that
// answers every GET with the same bytes as a cached store page, from memory,
// gzip-compressed in advance when the request accepts gzip. The cached
// page's requests/s (or instructions per request) are compared with it.
//
//	go run ./scripts/bareserver -addr 127.0.0.1:4000 -html page.html -gzip page.html.gz
package main

import (
	"flag"
	"log"
	"os"

	"github.com/qubly/qubly/scripts/bareserver/bare"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:4000", "listen address")
	htmlPath := flag.String("html", "", "the page, uncompressed")
	gzipPath := flag.String("gzip", "", "the same page, gzip-compressed")
	flag.Parse()
	page, err := os.ReadFile(*htmlPath)
	if err != nil {
		log.Fatal(err)
	}
	gz, err := os.ReadFile(*gzipPath)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(bare.New(page, gz).Listen(*addr))
}
