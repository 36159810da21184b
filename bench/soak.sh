#!/usr/bin/env bash
# Soak: Access-Requests and Accounting-Requests at the same time, at a fixed open-loop rate, for a long time,
# against a daemon on PostgreSQL + Redis, watching its memory. Two radload processes (auth and acct) run in
# back-to-back slices of SLICE seconds; the daemon's RSS (primary + cluster workers, VmRSS) is sampled every
# 10 s. Prints one line per slice (RSS, auth and acct req/s, errors, timeouts, p50/p99) and, at the end, the RSS
# growth from minute 2 to the last minute (medians of the 10-s samples): PASS below 5 %, else FAIL (exit 1).
# Fairness under mixed load: each slice also shows the Access-Requests the daemon shed (radius.overload,
# tollgate_radius_shed_total; radload does not retransmit, so each one is also an auth timeout there) and, with
# ACCT_MIN set, the slowest slice's accounting rate is checked against it: PASS at or above, else FAIL (exit 1).
# wal_MB is the WAL PostgreSQL wrote in the slice (the whole server's): accounting is acknowledged after a WAL flush,
# and the auth log's inserts into its per-username index write more of it once that index outgrows shared_buffers
# (full-page images; why migration 16 keys it by hour); the sizes of the auth log and its indexes are printed at the end.
#
#   bench/soak.sh                                   # 600 s; rates: half of a closed-loop maximum measured first
#   AUTH_RATE=15000 ACCT_RATE=2500 bench/soak.sh    # rates given (e.g. half of docs/performance.md's figures)
#   DURATION=60 bench/soak.sh                       # smoke
#   ACCT_RATE=0 ACCT_MIN=5000 bench/soak.sh         # issue 16's target: auth at half its maximum, accounting as fast
#                                                   # as its window allows, and at least 5,000/s in every slice
#
# Knobs: DURATION (600), SLICE (60), AUTH_RATE / ACCT_RATE (req/s for radload -r; unset: measured; ACCT_RATE=0: accounting
#        in closed loop, no rate cap), ACCT_MIN (unset: no check), OVERLOAD (a JSON object for radius.overload, e.g.
#        '{"enabled": false}' to compare without shedding), AUTH_LOG (a JSON object for authLog, e.g. '{"enabled": false}'
#        to see what the auth log's writes cost accounting), MEASURE_DUR (8),
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
if [ -n "${OVERLOAD:-}" ]; then OVERLOAD=$OVERLOAD tg_config_edit 'c.radius.overload = JSON.parse(env.OVERLOAD)'; fi
if [ -n "${AUTH_LOG:-}" ]; then AUTH_LOG=$AUTH_LOG tg_config_edit 'c.authLog = JSON.parse(env.AUTH_LOG)'; fi
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  tg_stop
}
trap cleanup EXIT
tg_start
echo "tollgate pid $TG_PID (${WORKERS:-default} workers), PostgreSQL $PG_URL/$BENCH_DB, Redis $REDIS_URL"

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
[ "$AUTH_RATE" -gt 0 ] && [ "$ACCT_RATE" -ge 0 ] || { echo "no rate (AUTH_RATE=$AUTH_RATE ACCT_RATE=$ACCT_RATE)"; exit 1; }
acct_rate_arg=(-r "$ACCT_RATE")
[ "$ACCT_RATE" -eq 0 ] && acct_rate_arg=() # closed loop: as fast as the window and the latency allow

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
echo "soak: $DURATION s in $slices slices of $SLICE s; auth -r $AUTH_RATE, acct ${acct_rate_arg[*]:-closed loop}, window $WINDOW each"
field() { sed -nE "s/^RESULT .* $2=([0-9.]+).*/\1/p" "$1" | head -1; }
errs() { # "errors/timeouts": errors = rejects + timeouts + bad + late (every user exists, so a reject is an error)
  local r t b l
  r=$(field "$1" rejects); t=$(field "$1" timeouts); b=$(field "$1" bad); l=$(field "$1" late)
  echo "$((${r:-0} + ${t:-0} + ${b:-0} + ${l:-0}))/${t:-?}"
}
# Access-Requests shed so far (cluster aggregate), from the primary's /metrics.
shed_now() {
  curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null |
    awk '/^tollgate_radius_shed_total\{code="Access-Request"\}/ {v = $2} END {printf "%d", v}'
}
printf '%-6s %-9s %-10s %-10s %-10s %-9s %-9s %-10s %-10s %-10s %-9s %-9s %-7s %s\n' \
  slice end_s rss_MB auth_rps auth_p50 auth_p99 auth_err auth_shed acct_rps acct_p50 acct_p99 acct_err wal_MB alive
declare -a rss_at
wal_lsn() { psql "$PG_URL/$BENCH_DB" -Atc 'select pg_current_wal_lsn()' 2>/dev/null || echo 0/0; }
wal_mb() { psql "$PG_URL/$BENCH_DB" -Atc "select round(pg_wal_lsn_diff('$2', '$1') / 1048576)" 2>/dev/null || echo '?'; }
shed_before=$(shed_now)
lsn_before=$(wal_lsn)
acct_min_seen=
for i in $(seq 1 "$slices"); do
  "$B/radload" -s "127.0.0.1:$AUTH_PORT" -S "$SECRET" -m auth -u "$B/users.txt" -n 1000000000 -w "$WINDOW" -r "$AUTH_RATE" \
    -d "$SLICE" -W 0 -t 3000 >"$S/auth.$i.txt" 2>&1 &
  a=$!
  "$B/radload" -s "127.0.0.1:$ACCT_PORT" -S "$SECRET" -m acct -u "$B/users.txt" -n 1000000000 -w "$WINDOW" "${acct_rate_arg[@]}" \
    -d "$SLICE" -W 0 -t 3000 >"$S/acct.$i.txt" 2>&1 &
  c=$!
  wait "$a" || true
  wait "$c" || true
  end=$(($(date +%s) - t0))
  # RSS now (the sampler's figures are in rss.txt; this one is taken at the slice boundary).
  rss=$(tg_rss_kb "$TG_PID")
  rss_at[i]=$rss
  alive=yes; kill -0 "$TG_PID" 2>/dev/null || alive=NO
  shed_after=$(shed_now)
  lsn_after=$(wal_lsn)
  acct_rps=$(field "$S/acct.$i.txt" rps)
  acct_min_seen=$(awk -v a="${acct_min_seen:-}" -v b="${acct_rps:-0}" 'BEGIN {print (a == "" || b + 0 < a + 0) ? b + 0 : a}')
  printf '%-6s %-9s %-10s %-10s %-10s %-9s %-9s %-10s %-10s %-10s %-9s %-9s %-7s %s\n' "$i" "$end" "$((rss / 1024))" \
    "$(field "$S/auth.$i.txt" rps)" "$(field "$S/auth.$i.txt" p50_ms)" "$(field "$S/auth.$i.txt" p99_ms)" "$(errs "$S/auth.$i.txt")" \
    "$((shed_after - shed_before))" \
    "$acct_rps" "$(field "$S/acct.$i.txt" p50_ms)" "$(field "$S/acct.$i.txt" p99_ms)" "$(errs "$S/acct.$i.txt")" "$(wal_mb "$lsn_before" "$lsn_after")" "$alive"
  shed_before=$shed_after
  lsn_before=$lsn_after
  [ "$alive" = yes ] || break
done
echo "(err = rejects + timeouts + bad + late / timeouts; auth_shed = Access-Requests the daemon shed in the slice, each"
echo " also a radload timeout; raw radload output and rss.txt in $S)"

curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt" || true
grep -E '^tollgate_radius_(dropped|shed)_total\{.*\} [1-9]|^tollgate_accounting_(failures_total|journal_backlog)' "$S/metrics.txt" || true
echo "RSS samples (s kB): $(tr '\n' ' ' <"$S/rss.txt")"
echo "auth log: $(psql "$PG_URL/$BENCH_DB" -Atc "select count(*) || ' rows, ' || pg_size_pretty(pg_total_relation_size('auth_log')) || '; auth_log_username_hour_idx ' || pg_size_pretty(pg_relation_size('auth_log_username_hour_idx')) || ', auth_log_at_idx ' || pg_size_pretty(pg_relation_size('auth_log_at_idx')) || ' (shared_buffers ' || current_setting('shared_buffers') || ')' from auth_log" 2>&1)"

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
if [ -n "${ACCT_MIN:-}" ]; then
  verdict=$(awk -v a="${acct_min_seen:-0}" -v m="$ACCT_MIN" 'BEGIN {print (a + 0 >= m + 0) ? "PASS" : "FAIL"}')
  echo "accounting, slowest slice: ${acct_min_seen:-0} req/s (at least $ACCT_MIN with auth at -r $AUTH_RATE): $verdict"
  [ "$verdict" = PASS ] || status=1
fi
kill -0 "$TG_PID" 2>/dev/null || { echo "FAIL: tollgate exited during the soak"; tail -20 "$B/tollgate.log"; status=1; }
tg_stop
echo "ledger: $(node "$root/dist/src/cli.js" ledger verify --config "$cfg" 2>&1 | tail -1)"
exit $status
