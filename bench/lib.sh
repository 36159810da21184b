# Shared by bench/radius.sh, bench/soak.sh and bench/compare.sh: radload, the users file, a Tollgate config
# (subscribers in PostgreSQL, or users in the config file), starting and stopping the daemon, radload cases with
# their medians. Source it after setting any knob you want to override; loopback only.
#
# Knobs (defaults): BENCH_DIR (/tmp/tollgate-bench), SHARED_DIR (the benchmark kit next to the checkout: docs/benchmarks.md), USERS (100000),
# STORE (postgres | config), PG_URL (postgres://postgres@127.0.0.1:5432), REDIS_URL (unset: in-process),
# WORKERS (unset: the daemon's default, one per core on PostgreSQL), LOG_LEVEL (unset: the default, info), AUTH_PORT (28120), ACCT_PORT (28130), ADMIN_PORT (28112), PORTAL_PORT (28180), REPS (3), DUR (14),
# WARM (2), BENCH_DB (tollgate_bench), ACCOUNTING (a JSON object for the config's accounting key, e.g.
# '{"maxInFlight": 2}'), SIMUSE (unset; a number: every subscriber gets that Simultaneous-Use limit).
# shellcheck shell=bash

bench_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench_here/.." && pwd)
shared=${SHARED_DIR:-$(dirname "$root")/shared}  # the benchmark kit (docs/benchmarks.md)
B=${BENCH_DIR:-/tmp/tollgate-bench}
USERS=${USERS:-100000}
STORE=${STORE:-postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-tollgate_bench}
WORKERS=${WORKERS:-}
LOG_LEVEL=${LOG_LEVEL:-}
REPS=${REPS:-3}
DUR=${DUR:-14}
WARM=${WARM:-2}
SECRET=testing123
AUTH_PORT=${AUTH_PORT:-28120}
ACCT_PORT=${ACCT_PORT:-28130}
ADMIN_PORT=${ADMIN_PORT:-28112}
PORTAL_PORT=${PORTAL_PORT:-28180}
TG_PID=""
mkdir -p "$B/results"

# radload, built from the shared source (no dependencies), and the users file FreeRADIUS is measured with:
# "user000001 pw000001" ...
tg_prepare_radload() {
  if [ ! -x "$B/radload" ] || [ "$shared/bench/radload.c" -nt "$B/radload" ]; then
    gcc -O2 -Wall -o "$B/radload" "$shared/bench/radload.c"
  fi
  if [ ! -s "$B/users.txt" ] || [ "$(wc -l <"$B/users.txt")" != "$USERS" ]; then
    awk -v n="$USERS" 'BEGIN{for(i=1;i<=n;i++) printf "user%06d pw%06d\n", i, i}' >"$B/users.txt"
  fi
}

tg_build() {
  (cd "$root" && npm run build --silent)
}

# tg_write_config [STORE]: writes $cfg. postgres: database tollgate_bench recreated and seeded with the users
# (auth log on), REDIS_URL used when set; config: the users in the file (each with Session-Timeout 3600, as
# FreeRADIUS's authorize file has). JSON, which is YAML too: a large generated JSON file loads much faster.
tg_write_config() {
  local store=${1:-$STORE}
  cfg="$B/tollgate-bench.json"
  # Subscribers get the MikroTik profile's reply; static users their own attributes (the NAS is generic then).
  local vendor=generic common
  [ "$store" = postgres ] && vendor=mikrotik
  # Only what a bench must set: loopback listeners and its ports. Workers, log level and pool size are the
  # daemon's defaults unless WORKERS / LOG_LEVEL say otherwise (docs/performance.md, "Defaults vs the bench").
  local workers_json="" log_json=""
  [ -n "$WORKERS" ] && workers_json=", \"workers\": $WORKERS"
  [ -n "$LOG_LEVEL" ] && log_json="\"log\": {\"level\": \"$LOG_LEVEL\"}, "
  common=$(printf '"radius": {"listen": ["127.0.0.1"], "authPort": %s, "acctPort": %s%s},\n "admin": {"listen": "127.0.0.1", "port": %s},\n "portal": {"listen": "127.0.0.1", "port": %s},\n "clients": [{"name": "radload", "address": "127.0.0.1", "secret": "%s", "vendor": "%s"}]' \
    "$AUTH_PORT" "$ACCT_PORT" "$workers_json" "$ADMIN_PORT" "$PORTAL_PORT" "$SECRET" "$vendor")
  if [ "$store" = postgres ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >/dev/null
    node --expose-gc "$root/bench/seed-subscribers.mjs" "$PG_URL/$BENCH_DB" "$USERS"
    if [ -n "${SIMUSE:-}" ]; then psql "$PG_URL/$BENCH_DB" -qc "UPDATE subscribers SET simultaneous_use = $SIMUSE" >/dev/null; fi
    local store_json
    store_json=$(printf '"database": {"url": "%s/%s"}, "users": [], "accounting": %s,' "$PG_URL" "$BENCH_DB" "${ACCOUNTING:-{\}}")
    if [ -n "${REDIS_URL:-}" ]; then store_json="$store_json \"redis\": {\"url\": \"$REDIS_URL\"},"; fi
    printf '{"dataDir": "%s/data", %s%s\n %s}\n' "$B" "$log_json" "$store_json" "$common" >"$cfg"
  else
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" >/dev/null
    awk -v b="$B" -v pg="$PG_URL/$BENCH_DB" -v common="$common" -v logj="$log_json" '
      BEGIN {
        printf "{\"dataDir\": \"%s/data\", %s\n", b, logj
        printf " \"database\": {\"url\": \"%s\"},\n", pg
        printf " %s,\n \"users\": [\n", common
      }
      { printf "%s  {\"username\": \"%s\", \"password\": \"%s\", \"reply\": {\"Session-Timeout\": 3600}}", (NR > 1 ? ",\n" : ""), $1, $2 }
      END { print "\n]}" }' "$B/users.txt" >"$cfg"
  fi
}

# tg_start: runs the daemon on $cfg in the background (TG_PID), waits for /readyz; the log is $B/tollgate.log.
tg_start() {
  node "$root/dist/src/cli.js" serve --config "$cfg" >"$B/tollgate.log" 2>&1 &
  TG_PID=$!
  local _
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$TG_PID" 2>/dev/null || { cat "$B/tollgate.log"; return 1; }
    sleep 0.25
  done
  echo "tollgate did not become ready"
  return 1
}

# tg_stop: SIGTERM (drains), waits for the exit.
tg_stop() {
  if [ -n "$TG_PID" ]; then
    kill "$TG_PID" 2>/dev/null || true
    wait "$TG_PID" 2>/dev/null || true
    TG_PID=""
  fi
}

# tg_rss_kb PID: VmRSS of PID and its child processes (cluster workers), in kB.
tg_rss_kb() {
  local pid=$1 total=0 p rss
  for p in $pid $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# tg_median NAME: "rps p99_ms runs" over $B/results/NAME.*.txt (median req/s; the p99 of the same order).
tg_median() {
  grep -h '^RESULT' "$B"/results/"$1".*.txt 2>/dev/null | sed -E 's/.*rps=([0-9.]+).*p99_ms=([0-9.]+).*/\1 \2/' | sort -n |
    awk '{r[NR]=$1; p[NR]=$2} END {if (NR == 0) {print "- - 0"; exit} m=int((NR+1)/2); printf "%s %s %d\n", r[m], p[m], NR}'
}

# tg_run_case NAME PORT MODE WINDOW: REPS runs of DUR s (WARM s excluded), RESULT lines and the median.
tg_run_case() {
  local name=$1 port=$2 mode=$3 win=$4 n
  rm -f "$B"/results/"$name".*.txt
  for n in $(seq 1 "$REPS"); do
    "$B/radload" -s "127.0.0.1:$port" -S "$SECRET" -m "$mode" -u "$B/users.txt" -n 1000000000 -w "$win" \
      -d "$DUR" -W "$WARM" -t 3000 >"$B/results/$name.$n.txt" 2>&1 || true
    grep '^RESULT' "$B/results/$name.$n.txt" | sed "s/^/$name run $n: /" || tail -3 "$B/results/$name.$n.txt"
  done
  local m
  m=$(tg_median "$name")
  set -- $m
  printf 'MEDIAN %s rps=%s p99_ms=%s (of %d runs)\n' "$name" "$1" "$2" "$3"
}

# tg_acct_settle: accounting is acknowledged once journaled and rated right after. Prints how long the rater
# needed to catch up once the load stopped, and whether every session radload stopped is stopped.
tg_acct_settle() {
  local t0 left _
  t0=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    left=$(psql "$PG_URL/$BENCH_DB" -Atc 'select count(*) from accounting_journal')
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  printf 'journal drained %.2f s after the load (rows left: %s); ' "$(echo "$(date +%s.%N) - $t0" | bc)" "$left"
  psql "$PG_URL/$BENCH_DB" -Atc "select 'sessions ' || count(*) || ', stopped ' || count(stopped_at) || ', open ' || count(*) filter (where stopped_at is null) from sessions"
}

# tg_config_edit JS: runs JS on the written config as `c` (the parsed JSON; `env` is process.env) and writes it
# back, e.g. tg_config_edit 'c.radius.workers = 1'. Call it after tg_write_config, before tg_start.
tg_config_edit() {
  CFG="$cfg" node -e '
    const fs = require("node:fs");
    const c = JSON.parse(fs.readFileSync(process.env.CFG, "utf8"));
    new Function("c", "env", process.argv[1])(c, process.env);
    fs.writeFileSync(process.env.CFG, JSON.stringify(c));' "$1"
}

# tg_run_reps NAME COMMAND...: REPS runs of COMMAND (any load generator that prints a RESULT line with rps= and
# p99_ms= as radload does), each into $B/results/NAME.N.txt; prints the RESULT lines and the median (tg_median).
tg_run_reps() {
  local name=$1 n m
  shift
  rm -f "$B"/results/"$name".*.txt
  for n in $(seq 1 "$REPS"); do
    "$@" >"$B/results/$name.$n.txt" 2>&1 || true
    grep '^RESULT' "$B/results/$name.$n.txt" | sed "s/^/$name run $n: /" || tail -3 "$B/results/$name.$n.txt"
  done
  m=$(tg_median "$name" || true) # no RESULT line at all: "- - 0"
  set -- $m
  printf 'MEDIAN %s rps=%s p99_ms=%s (of %d runs)\n' "$name" "$1" "$2" "$3"
}

# tg_cpu_ticks PID: user + system CPU time of PID and of its child processes (cluster workers) so far, in clock
# ticks (getconf CLK_TCK per second). On a shared machine CPU time per request is steadier than req/s.
tg_cpu_ticks() {
  local pid=$1 total=0 p t
  for p in $pid $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# tg_sent_total NAME: requests sent in all runs of case NAME, warm-up included (the first number of the
# generators' "sent:" lines in $B/results/NAME.*.txt).
tg_sent_total() {
  cat "$B"/results/"$1".*.txt 2>/dev/null | awk '/^sent:/ {n += $2} END {print n + 0}'
}
