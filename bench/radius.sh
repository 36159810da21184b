#!/usr/bin/env bash
# Drives a Tollgate daemon with ../shared/bench/radload (FreeRADIUS's load generator for this project) and
# prints radload's RESULT lines and the median of each case. Loopback only; each run is bounded by -d.
#
#   bench/radius.sh                      # auth and acct, window 64, 3 runs of 14 s each, 2 workers
#   CASES="auth" REPS=1 DUR=8 WORKERS=1 bench/radius.sh
#   WITH_FREERADIUS=1 bench/radius.sh    # also FreeRADIUS 3.2 files backend, same cases, same run
#   STORE=config bench/radius.sh         # users in the config file instead of PostgreSQL
#
# Knobs: CASES (auth acct), WINDOWS (64), REPS (3), DUR (14), WARM (2), WORKERS (2), USERS (100000),
#        STORE (postgres | config), PG_URL (postgres://postgres@127.0.0.1:5432), REDIS_URL (unset: in-process),
#        BENCH_DB (tollgate_bench), AUTH_PORT/ACCT_PORT/ADMIN_PORT (28120/28130/28112),
#        ACCOUNTING (a JSON object for the config's accounting key, e.g. '{"maxInFlight": 2}').
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED_DIR:-$root/../shared}
B=${BENCH_DIR:-/tmp/tollgate-bench}
CASES=${CASES:-"auth acct"}
WINDOWS=${WINDOWS:-64}
REPS=${REPS:-3}
DUR=${DUR:-14}
WARM=${WARM:-2}
WORKERS=${WORKERS:-2}
USERS=${USERS:-100000}
STORE=${STORE:-postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-tollgate_bench}
SECRET=testing123
AUTH_PORT=${AUTH_PORT:-28120}
ACCT_PORT=${ACCT_PORT:-28130}
ADMIN_PORT=${ADMIN_PORT:-28112}
mkdir -p "$B/results"

# radload, built from the shared source (no dependencies).
if [ ! -x "$B/radload" ] || [ "$shared/bench/radload.c" -nt "$B/radload" ]; then
  gcc -O2 -Wall -o "$B/radload" "$shared/bench/radload.c"
fi
# The same users file FreeRADIUS is measured with: "user000001 pw000001" ...
if [ ! -s "$B/users.txt" ] || [ "$(wc -l <"$B/users.txt")" != "$USERS" ]; then
  awk -v n="$USERS" 'BEGIN{for(i=1;i<=n;i++) printf "user%06d pw%06d\n", i, i}' >"$B/users.txt"
fi
(cd "$root" && npm run build --silent)
# A Tollgate config: subscribers in PostgreSQL (database $BENCH_DB, recreated and seeded with the same
# users, auth log on) or, with STORE=config, the users in the file (each with Session-Timeout 3600, as
# FreeRADIUS's authorize file has). JSON, which is YAML too: a large generated JSON file loads much faster.
cfg="$B/tollgate-bench.json"
if [ "$STORE" = postgres ]; then
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >/dev/null
  node --expose-gc "$root/bench/seed-subscribers.mjs" "$PG_URL/$BENCH_DB" "$USERS"
  store_json=$(printf '"database": {"url": "%s/%s", "poolSize": 8}, "users": [], "accounting": %s,' "$PG_URL" "$BENCH_DB" "${ACCOUNTING:-{\}}")
  if [ -n "${REDIS_URL:-}" ]; then store_json="$store_json \"redis\": {\"url\": \"$REDIS_URL\"},"; fi
  awk -v b="$B" -v ap="$AUTH_PORT" -v cp="$ACCT_PORT" -v w="$WORKERS" -v adm="$ADMIN_PORT" -v s="$SECRET" -v st="$store_json" '
    BEGIN {
      printf "{\"dataDir\": \"%s/data\", \"log\": {\"level\": \"warn\"}, %s\n", b, st
      printf " \"radius\": {\"listen\": [\"127.0.0.1\"], \"authPort\": %s, \"acctPort\": %s, \"workers\": %s},\n", ap, cp, w
      printf " \"admin\": {\"listen\": \"127.0.0.1\", \"port\": %s},\n", adm
      printf " \"clients\": [{\"name\": \"radload\", \"address\": \"127.0.0.1\", \"secret\": \"%s\", \"vendor\": \"mikrotik\"}]}\n", s
    }' >"$cfg"
else
  awk -v b="$B" -v ap="$AUTH_PORT" -v cp="$ACCT_PORT" -v w="$WORKERS" -v adm="$ADMIN_PORT" -v s="$SECRET" -v pg="$PG_URL/$BENCH_DB" '
    BEGIN {
      printf "{\"dataDir\": \"%s/data\", \"log\": {\"level\": \"warn\"},\n", b
      printf " \"radius\": {\"listen\": [\"127.0.0.1\"], \"authPort\": %s, \"acctPort\": %s, \"workers\": %s},\n", ap, cp, w
      printf " \"database\": {\"url\": \"%s\"},\n", pg
      printf " \"admin\": {\"listen\": \"127.0.0.1\", \"port\": %s},\n", adm
      printf " \"clients\": [{\"name\": \"radload\", \"address\": \"127.0.0.1\", \"secret\": \"%s\"}],\n \"users\": [\n", s
    }
    { printf "%s  {\"username\": \"%s\", \"password\": \"%s\", \"reply\": {\"Session-Timeout\": 3600}}", (NR > 1 ? ",\n" : ""), $1, $2 }
    END { print "\n]}" }' "$B/users.txt" >"$cfg"
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >/dev/null
fi

node "$root/dist/src/cli.js" serve --config "$cfg" >"$B/tollgate.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$B/tollgate.log"; exit 1; }
  sleep 0.25
done
curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null || { echo "tollgate did not become ready"; exit 1; }

run_case() { # name port mode window
  local name=$1 port=$2 mode=$3 win=$4 n
  for n in $(seq 1 "$REPS"); do
    "$B/radload" -s "127.0.0.1:$port" -S "$SECRET" -m "$mode" -u "$B/users.txt" -n 1000000000 -w "$win" \
      -d "$DUR" -W "$WARM" -t 3000 >"$B/results/$name.$n.txt" 2>&1 || true
    grep '^RESULT' "$B/results/$name.$n.txt" | sed "s/^/$name run $n: /" || tail -3 "$B/results/$name.$n.txt"
  done
  # Median req/s and p99 over the runs.
  grep -h '^RESULT' "$B"/results/"$name".*.txt | sed -E 's/.*rps=([0-9.]+).*p99_ms=([0-9.]+).*/\1 \2/' | sort -n |
    awk -v name="$name" '{r[NR]=$1; p[NR]=$2} END {m=int((NR+1)/2); printf "MEDIAN %s rps=%s p99_ms=%s (of %d runs)\n", name, r[m], p[m], NR}'
}

# Accounting is acknowledged once journaled and rated right after: report how long the rater needed to catch
# up once the load stopped, whether every session that radload stopped is stopped, and the ledger.
acct_settle() {
  local t0 left
  t0=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    left=$(psql "$PG_URL/$BENCH_DB" -Atc 'select count(*) from accounting_journal')
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  printf 'journal drained %.2f s after the load (rows left: %s); ' "$(echo "$(date +%s.%N) - $t0" | bc)" "$left"
  psql "$PG_URL/$BENCH_DB" -Atc "select 'sessions ' || count(*) || ', stopped ' || count(stopped_at) || ', open ' || count(*) filter (where stopped_at is null) from sessions"
}

for win in $WINDOWS; do
  for c in $CASES; do
    port=$AUTH_PORT; [ "$c" = acct ] && port=$ACCT_PORT
    run_case "tollgate-$c-w$win" "$port" "$c" "$win"
    if [ "$c" = acct ] && [ "$STORE" = postgres ]; then acct_settle; fi
  done
done
if [[ " $CASES " == *" acct "* ]] && [ "$STORE" = postgres ]; then
  node "$root/dist/src/cli.js" ledger verify --config "$cfg" | tail -1
fi
echo "tollgate RSS (kB): $(ps -o rss= --ppid $pid | paste -sd+ | bc) in workers + $(ps -o rss= -p $pid) in the primary"
curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^tollgate_radius_dropped_total\{.*\} [1-9]' || echo "no drops"
if [ "$STORE" = postgres ]; then
  echo "auth_log rows: $(psql "$PG_URL/$BENCH_DB" -Atc 'select count(*) from auth_log')"
fi
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT

if [ "${WITH_FREERADIUS:-0}" = 1 ]; then
  # The shared setup script exits non-zero after a successful start on this machine: trust its readiness line.
  (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh files --threads 2:2 --spare 1:2 --recv-buff 4194304) | grep -E 'ready|error' || true
  for win in $WINDOWS; do
    for c in $CASES; do
      port=18120; [ "$c" = acct ] && port=18130
      run_case "freeradius-files-$c-w$win" "$port" "$c" "$win"
    done
  done
  (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh stop >/dev/null) || true
fi
