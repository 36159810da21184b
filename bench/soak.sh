#!/usr/bin/env bash
# Soak: Access-Requests and Accounting-Requests at the same time, at a fixed open-loop rate, for a long time,
# against a daemon on PostgreSQL + Redis, watching its memory. Two radload processes (auth and acct) run in
# back-to-back slices of SLICE seconds; the daemon's RSS (primary + cluster workers, VmRSS) is sampled every
# 10 s. Prints one line per slice (RSS, auth and acct req/s, errors, timeouts, p50/p99) and, at the end, the RSS
# growth from minute 2 to the last minute (medians of the 10-s samples): PASS below 5 %, else FAIL (exit 1).
#
#   bench/soak.sh                                   # 600 s; rates: half of a closed-loop maximum measured first
#   AUTH_RATE=15000 ACCT_RATE=2500 bench/soak.sh    # rates given (e.g. half of docs/performance.md's figures)
#   DURATION=60 bench/soak.sh                       # smoke
#
# Knobs: DURATION (600), SLICE (60), AUTH_RATE / ACCT_RATE (req/s for radload -r; unset: measured), MEASURE_DUR (8),
#        WINDOW (64: radload agents per process), GROWTH_LIMIT (5 %), REDIS_URL (redis://127.0.0.1:6379/13),
#        and bench/lib.sh's (WORKERS 2, USERS 100000, PG_URL, ports, BENCH_DIR).
# Loopback only. The daemon's database is tollgate_bench (recreated); Redis keys live under tollgate: in REDIS_URL's db.
set -euo pipefail
DURATION=${DURATION:-600}
SLICE=${SLICE:-60}
MEASURE_DUR=${MEASURE_DUR:-8}
WINDOW=${WINDOW:-64}
GROWTH_LIMIT=${GROWTH_LIMIT:-5}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
STORE=postgres
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
S="$B/soak"
rm -rf "$S" && mkdir -p "$S"

tg_prepare_radload
tg_build
tg_write_config postgres
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  tg_stop
}
trap cleanup EXIT
tg_start
echo "tollgate pid $TG_PID (${WORKERS:-default} workers), PostgreSQL $PG_URL/tollgate_bench, Redis $REDIS_URL"

# The rate: given, or half of what one closed-loop run of each reaches alone.
measure() { # mode port -> req/s
  "$B/radload" -s "127.0.0.1:$2" -S "$SECRET" -m "$1" -u "$B/users.txt" -n 1000000000 -w "$WINDOW" -d "$MEASURE_DUR" -W 2 -t 3000 \
    >"$S/measure-$1.txt" 2>&1 || true
  sed -nE 's/^RESULT .*rps=([0-9.]+).*/\1/p' "$S/measure-$1.txt" | head -1
}
if [ -z "${AUTH_RATE:-}" ]; then
  max=$(measure auth "$AUTH_PORT")
  AUTH_RATE=$(awk -v m="${max:-0}" 'BEGIN {printf "%d", m / 2}')
  echo "auth: ${max:-?} req/s closed loop alone -> AUTH_RATE=$AUTH_RATE"
fi
if [ -z "${ACCT_RATE:-}" ]; then
  max=$(measure acct "$ACCT_PORT")
  ACCT_RATE=$(awk -v m="${max:-0}" 'BEGIN {printf "%d", m / 2}')
  echo "acct: ${max:-?} req/s closed loop alone -> ACCT_RATE=$ACCT_RATE"
fi
[ "$AUTH_RATE" -gt 0 ] && [ "$ACCT_RATE" -gt 0 ] || { echo "no rate (AUTH_RATE=$AUTH_RATE ACCT_RATE=$ACCT_RATE)"; exit 1; }

# RSS every 10 s: "<seconds since start> <kB>".
t0=$(date +%s)
(
  while kill -0 "$TG_PID" 2>/dev/null; do
    echo "$(($(date +%s) - t0)) $(tg_rss_kb "$TG_PID")"
    sleep 10
  done
) >"$S/rss.txt" &
sampler=$!

slices=$(((DURATION + SLICE - 1) / SLICE))
echo "soak: $DURATION s in $slices slices of $SLICE s; auth -r $AUTH_RATE, acct -r $ACCT_RATE, window $WINDOW each"
field() { sed -nE "s/^RESULT .* $2=([0-9.]+).*/\1/p" "$1" | head -1; }
errs() { # "errors/timeouts": errors = rejects + timeouts + bad + late (every user exists, so a reject is an error)
  local r t b l
  r=$(field "$1" rejects); t=$(field "$1" timeouts); b=$(field "$1" bad); l=$(field "$1" late)
  echo "$((${r:-0} + ${t:-0} + ${b:-0} + ${l:-0}))/${t:-?}"
}
printf '%-6s %-9s %-10s %-10s %-10s %-9s %-9s %-10s %-10s %-9s %-9s %s\n' \
  slice end_s rss_MB auth_rps auth_p50 auth_p99 auth_err acct_rps acct_p50 acct_p99 acct_err alive
declare -a rss_at
for i in $(seq 1 "$slices"); do
  "$B/radload" -s "127.0.0.1:$AUTH_PORT" -S "$SECRET" -m auth -u "$B/users.txt" -n 1000000000 -w "$WINDOW" -r "$AUTH_RATE" \
    -d "$SLICE" -W 0 -t 3000 >"$S/auth.$i.txt" 2>&1 &
  a=$!
  "$B/radload" -s "127.0.0.1:$ACCT_PORT" -S "$SECRET" -m acct -u "$B/users.txt" -n 1000000000 -w "$WINDOW" -r "$ACCT_RATE" \
    -d "$SLICE" -W 0 -t 3000 >"$S/acct.$i.txt" 2>&1 &
  c=$!
  wait "$a" || true
  wait "$c" || true
  end=$(($(date +%s) - t0))
  # RSS now (the sampler's figures are in rss.txt; this one is taken at the slice boundary).
  rss=$(tg_rss_kb "$TG_PID")
  rss_at[i]=$rss
  alive=yes; kill -0 "$TG_PID" 2>/dev/null || alive=NO
  printf '%-6s %-9s %-10s %-10s %-10s %-9s %-9s %-10s %-10s %-9s %-9s %s\n' "$i" "$end" "$((rss / 1024))" \
    "$(field "$S/auth.$i.txt" rps)" "$(field "$S/auth.$i.txt" p50_ms)" "$(field "$S/auth.$i.txt" p99_ms)" "$(errs "$S/auth.$i.txt")" \
    "$(field "$S/acct.$i.txt" rps)" "$(field "$S/acct.$i.txt" p50_ms)" "$(field "$S/acct.$i.txt" p99_ms)" "$(errs "$S/acct.$i.txt")" "$alive"
  [ "$alive" = yes ] || break
done
echo "(err = rejects + timeouts + bad + late / timeouts; raw radload output and rss.txt in $S)"

curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt" || true
grep -E '^tollgate_radius_dropped_total\{.*\} [1-9]|^tollgate_accounting_(failures_total|journal_backlog)' "$S/metrics.txt" || true
echo "RSS samples (s kB): $(tr '\n' ' ' <"$S/rss.txt")"

# Growth between minute 2 and the last minute, in %: the median of the sampler's 10-s readings in each (one
# reading at a slice boundary lands anywhere on the garbage collector's saw-tooth, ±5 % here).
status=0
median_kb() { # FROM_S TO_S: median VmRSS (kB) of the samples taken in [FROM_S, TO_S)
  awk -v a="$1" -v b="$2" '$1 >= a && $1 < b {print $2}' "$S/rss.txt" | sort -n |
    awk '{v[NR]=$1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'
}
last_s=$(awk 'END {print $1}' "$S/rss.txt")
if [ "${last_s:-0}" -ge 180 ]; then
  first=$(median_kb 60 120)
  last=$(median_kb $((last_s - 59)) $((last_s + 1)))
  growth=$(awk -v a="$first" -v b="$last" 'BEGIN {printf "%.2f", (b - a) * 100 / a}')
  verdict=$(awk -v g="$growth" -v l="$GROWTH_LIMIT" 'BEGIN {print (g < l) ? "PASS" : "FAIL"}')
  echo "RSS growth, median of minute 2 -> median of the last minute: $((first / 1024)) MB -> $((last / 1024)) MB = $growth % (limit $GROWTH_LIMIT %): $verdict"
  [ "$verdict" = PASS ] || status=1
else
  echo "RSS growth: n/a (needs at least 3 minutes; DURATION=$DURATION)"
fi
kill -0 "$TG_PID" 2>/dev/null || { echo "FAIL: tollgate exited during the soak"; tail -20 "$B/tollgate.log"; status=1; }
tg_stop
echo "ledger: $(node "$root/dist/src/cli.js" ledger verify --config "$cfg" 2>&1 | tail -1)"
exit $status
