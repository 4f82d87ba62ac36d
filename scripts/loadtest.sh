#!/usr/bin/env bash
# Load test of the public store, on loopback only. It builds the server,
# seeds a temporary database with a 200-product store (scripts/loadseed),
# starts the server on a free port and measures:
#   (a) requests/s of the cached store page vs a bare Fiber server (no
#       middleware, scripts/bareserver) sending the same bytes from memory,
#       gzip-compressed in advance, with wrk;
#   (b) the cache-miss render time of that page (p50, Go benchmark);
#   (c) order POST latency at a fixed rate (scripts/loadgen, open-loop):
#       p50/p99/max and the stalls (requests over 250 ms), against the goals
#       p99 <= 50 ms and no stall (max <= 250 ms).
#
# Usage: scripts/loadtest.sh
# Environment (all optional):
#   LOADTEST_DATABASE_URL  postgres://… to run on PostgreSQL (a temporary
#                          schema is created and dropped); default: SQLite
#   WRK_DURATION=10s WRK_CONNECTIONS=32 WRK_THREADS=2
#   ORDER_RATE=200 ORDER_SECONDS=10 MISS_ITERATIONS=200
set -euo pipefail
cd "$(dirname "$0")/.."

WRK_DURATION=${WRK_DURATION:-10s}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
ORDER_RATE=${ORDER_RATE:-200}
ORDER_SECONDS=${ORDER_SECONDS:-10}
MISS_ITERATIONS=${MISS_ITERATIONS:-200}
PG_URL=${LOADTEST_DATABASE_URL:-}

tmp=$(mktemp -d)
server_pid=""
bare_pid=""
schema=""
cleanup() {
  if [[ -n $bare_pid ]]; then
    kill "$bare_pid" 2>/dev/null || true
  fi
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n $schema ]]; then
    "$tmp/loadseed" -db "$PG_URL" -drop-schema "$schema" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

log() { printf '==> %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -qq wrk >/dev/null
  else
    sudo apt-get install -y -qq wrk >/dev/null
  fi
fi

log "building"
go build -o "$tmp/qubly" ./cmd/qubly
go build -o "$tmp/loadseed" ./scripts/loadseed
go build -o "$tmp/loadgen" ./scripts/loadgen
go build -o "$tmp/bareserver" ./scripts/bareserver

# Stores taking orders: the server allows 300 orders a minute per store.
order_stores=$(( (ORDER_RATE * ORDER_SECONDS + 199) / 200 ))
log "seeding a 200-product store and $order_stores order stores"
if [[ -n $PG_URL ]]; then
  schema="qubly_load_$$"
  db_url=$("$tmp/loadseed" -db "$PG_URL" -schema "$schema" -plan "$tmp/plan.json" -order-stores "$order_stores")
  engine=postgres
else
  db_url="sqlite:$tmp/qubly.db"
  "$tmp/loadseed" -db "$db_url" -plan "$tmp/plan.json" -order-stores "$order_stores"
  engine=sqlite
fi

free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  log "no free port found"
  exit 1
}
port=$(free_port)
base="http://127.0.0.1:$port"

mkdir -p "$tmp/data"
log "starting the server on $base ($engine)"
env PORT="$port" BASE_URL="$base" DATABASE_URL="$db_url" APP_ENV=development \
  DATA_DIR="$tmp/data" PROXY_HEADER=X-Load-Client-IP \
  SECRET_KEY=loadtest-secret-key-0123456789abcdef \
  "$tmp/qubly" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $ready ]] || { log "server did not start:"; tail -n 20 "$tmp/server.log" >&2; exit 1; }

# The page as the cache serves it, identity and gzip, and a bare server
# sending the same bytes.
curl -fsS -o "$tmp/page.html" "$base/carga"
cache=$(curl -fsS -o /dev/null -D - "$base/carga" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')
[[ $cache == hit ]] || { log "the store page is not cached (X-Cache: $cache)"; exit 1; }
curl -fsS -H 'Accept-Encoding: gzip' -o "$tmp/page.html.gz" "$base/carga"
bare_port=$(free_port)
bare="http://127.0.0.1:$bare_port"
"$tmp/bareserver" -addr "127.0.0.1:$bare_port" -html "$tmp/page.html" -gzip "$tmp/page.html.gz" >"$tmp/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$bare/" 2>/dev/null && break
  sleep 0.1
done
for enc in identity gzip; do
  curl -fsS -H "Accept-Encoding: $enc" -o "$tmp/bare.$enc" "$bare/carga"
done
cmp -s "$tmp/page.html" "$tmp/bare.identity" && cmp -s "$tmp/page.html.gz" "$tmp/bare.gzip" ||
  { log "the bare server's bytes differ"; exit 1; }
page_bytes=$(wc -c <"$tmp/page.html")
gzip_bytes=$(wc -c <"$tmp/page.html.gz")

rps() { # URL ENCODING → requests/s
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency -H "Accept-Encoding: $2" "$1" \
    | awk '/^Requests\/sec:/{print $2}'
}
declare -A r
for enc in identity gzip; do
  log "wrk: cached page, $enc"
  r[page_$enc]=$(rps "$base/carga" "$enc")
  log "wrk: bare server, $enc"
  r[bare_$enc]=$(rps "$bare/carga" "$enc")
done
kill "$bare_pid" 2>/dev/null || true
wait "$bare_pid" 2>/dev/null || true
bare_pid=""

log "benchmark: cache-miss render ($MISS_ITERATIONS renders)"
bench_env=()
[[ -n $PG_URL ]] && bench_env=(TEST_DATABASE_URL="$PG_URL")
miss=$(env "${bench_env[@]}" go test -run '^$' -bench 'BenchmarkStoreHomeMiss200$' -benchtime "${MISS_ITERATIONS}x" ./handlers/store/ \
  | awk '/^BenchmarkStoreHomeMiss200/{for(i=1;i<=NF;i++){if($(i+1)=="p50-ns")p50=$i; if($(i+1)=="p99-ns")p99=$i}} END{printf "%.2f %.2f", p50/1e6, p99/1e6}')
read -r miss_p50 miss_p99 <<<"$miss"

log "loadgen: $ORDER_RATE orders/s for ${ORDER_SECONDS}s"
"$tmp/loadgen" -base "$base" -plan "$tmp/plan.json" -rate "$ORDER_RATE" -duration "${ORDER_SECONDS}s" \
  -ip-header X-Load-Client-IP >"$tmp/orders.tsv" || { cat "$tmp/orders.tsv" >&2; exit 1; }
o() { awk -F'\t' -v k="$1" '$1==k{print $2}' "$tmp/orders.tsv"; }

pct() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f%%", 100*a/b}'; }
verdict() { awk -v ok="$1" 'BEGIN{print (ok ? "met" : "NOT MET")}'; }
echo
echo "Qubly load test — $engine, $(nproc) CPUs (wrk, loadgen and the server share them)"
printf '%-48s %16s %10s %8s\n' "measure" "value" "goal" "result"
printf '%-48s %16s\n' "store page (200 products), HTML / gzip bytes" "$page_bytes / $gzip_bytes"
for enc in identity gzip; do
  p=${r[page_$enc]} s=${r[bare_$enc]}
  printf '%-48s %16s\n' "cached page req/s ($enc)" "$p"
  printf '%-48s %16s\n' "bare server, same bytes, req/s ($enc)" "$s"
  ok=$(awk -v p="$p" -v s="$s" 'BEGIN{print (p >= 0.85*s)}')
  printf '%-48s %16s %10s %8s\n' "cached / bare ($enc)" "$(pct "$p" "$s")" ">= 85%" "$(verdict "$ok")"
done
printf '%-48s %16s\n' "cache-miss render p50 / p99 (ms)" "$miss_p50 / $miss_p99"
printf '%-48s %16s\n' "orders sent / achieved rate (req/s)" "$(o requests) / $(o rate)"
printf '%-48s %16s\n' "orders created (201) / dropped" "$(o status_201) / $(o dropped)"
printf '%-48s %16s\n' "order POST p50 / p99 / max (ms)" "$(o p50_ms) / $(o p99_ms) / $(o max_ms)"
ok=$(awk -v p="$(o p99_ms)" 'BEGIN{print (p <= 50)}')
printf '%-48s %16s %10s %8s\n' "order POST p99 (ms)" "$(o p99_ms)" "<= 50" "$(verdict "$ok")"
ok=$(awk -v m="$(o max_ms)" -v s="$(o stall_ms)" 'BEGIN{print (m <= s)}')
printf '%-48s %16s %10s %8s\n' "order stalls over $(o stall_ms) ms / max (ms)" "$(o stalls) / $(o max_ms)" "<= $(o stall_ms)" "$(verdict "$ok")"
