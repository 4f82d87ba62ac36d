#!/usr/bin/env bash
# Server-side cost of a page-cache hit, in CPU instructions per request,
# against the bare Fiber server of scripts/loadtest.sh (scripts/bareserver:
# no middleware, the same bytes from memory). Unlike wrk's requests/s, an
# instruction count does not depend on what else the machine is doing, so
# two runs of this script agree to about 1 % and it may run on a busy machine.
#
# Each server runs alone under `valgrind --tool=callgrind` (our app through
# scripts/hitserver: app.New as `qubly serve` builds it, without the jobs).
# After a warm-up, the counters are zeroed, curl sends N identical GETs of the
# cached 200-product store page on one keep-alive connection, and the
# counters are dumped: instructions/request is the dump's total over N (the
# whole process: fasthttp, middleware, handler, runtime and GC; not the
# kernel, which sends the bytes and costs both servers the same). The
# servers run with GOMAXPROCS=1. What varies from run to run is the Go
# scheduler's idle spinning between requests, which only adds: each
# measure is taken ROUNDS times and the table shows the lowest, and
# bare/ours, the share of the bare server's requests/s our server would
# reach if user-space instructions were all a request cost (a stricter
# yardstick than wrk's requests/s, where the kernel's equal share narrows
# the gap; goal >= 85 %, as in loadtest.sh).
#
# Usage: scripts/hitcost.sh
# Environment (all optional): HITCOST_REQUESTS=2000 HITCOST_ROUNDS=5
#   HITCOST_KEEP=1 keeps the callgrind files (callgrind_annotate FILE) in
#   the temporary folder, whose name is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${HITCOST_REQUESTS:-2000}
ROUNDS=${HITCOST_ROUNDS:-5}
command -v valgrind >/dev/null || { echo "hitcost: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ -z ${HITCOST_KEEP:-} ]]; then rm -rf "$tmp"; else echo "callgrind files kept in $tmp" >&2; fi
}
trap cleanup EXIT
log() { printf '==> %s\n' "$*" >&2; }

log "building"
go build -o "$tmp/hitserver" ./scripts/hitserver
go build -o "$tmp/loadseed" ./scripts/loadseed
go build -o "$tmp/bareserver" ./scripts/bareserver
log "seeding a 200-product store"
"$tmp/loadseed" -db "sqlite:$tmp/qubly.db" -plan "$tmp/plan.json" -order-stores 1 >/dev/null

free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  log "no free port found"; exit 1
}

# start NAME CMD... runs CMD under callgrind and waits until it answers.
start() {
  local name=$1; shift
  port=$(free_port)
  url="http://127.0.0.1:$port/carga"
  env PORT="$port" BASE_URL="http://127.0.0.1:$port" DATABASE_URL="sqlite:$tmp/qubly.db" APP_ENV=development \
    DATA_DIR="$tmp/data" SECRET_KEY=hitcost-secret-key-0123456789abcdef GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 \
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.%p" "$@" -addr "127.0.0.1:$port" \
    >"$tmp/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  log "$name did not start:"; tail -n 20 "$tmp/$name.log" >&2; exit 1
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

seq "$N" | sed "s|.*|url = \"URL\"\noutput = \"/dev/null\"|" >"$tmp/urls.tmpl"

# measure NAME ENCODING → lowest instructions per request over ROUNDS.
measure() {
  local name=$1 enc=$2 counts=() f
  sed "s|URL|$url|" "$tmp/urls.tmpl" >"$tmp/urls.cfg"
  for _ in 1 2 3; do curl -fsS -o /dev/null -H "Accept-Encoding: $enc" "$url"; done
  for _ in $(seq 1 "$ROUNDS"); do
    callgrind_control -z "$pid" >/dev/null 2>&1
    curl -fsS -H "Accept-Encoding: $enc" -K "$tmp/urls.cfg"
    callgrind_control -d "$name-$enc" "$pid" >/dev/null 2>&1
    f=$(ls -t "$tmp/$name".*.* | head -1)
    counts+=("$(awk '/^totals:/{print $2}' "$f")")
    log "$name $enc: $(( counts[-1] / N )) instructions/request"
  done
  printf '%s\n' "${counts[@]}" | sort -n | awk -v n="$N" 'NR==1{printf "%.0f", $1/n}'
}

declare -A ir
start ours "$tmp/hitserver"
curl -fsS -o "$tmp/page.html" "$url"
curl -fsS -H 'Accept-Encoding: gzip' -o "$tmp/page.html.gz" "$url"
hit=$(curl -fsS -o /dev/null -D - "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')
[[ $hit == hit ]] || { log "the store page is not cached (X-Cache: $hit)"; exit 1; }
for enc in identity gzip; do ir[ours_$enc]=$(measure ours "$enc"); done
stop
start bare "$tmp/bareserver" -html "$tmp/page.html" -gzip "$tmp/page.html.gz"
for enc in identity gzip; do ir[bare_$enc]=$(measure bare "$enc"); done
stop

echo
echo "Page-cache hit vs bare server: instructions per request (callgrind, $N requests, lowest of $ROUNDS)"
printf '%-10s %14s %14s %12s %8s\n' encoding "cached page" "bare server" "bare/ours" result
for enc in identity gzip; do
  o=${ir[ours_$enc]} b=${ir[bare_$enc]}
  printf '%-10s %14s %14s %11s%% %8s\n' "$enc" "$o" "$b" "$(awk -v o="$o" -v b="$b" 'BEGIN{printf "%.0f", 100*b/o}')" \
    "$(awk -v o="$o" -v b="$b" 'BEGIN{print (b >= 0.85*o ? "met" : "NOT MET")}')"
done
