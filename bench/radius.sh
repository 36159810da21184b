#!/usr/bin/env bash
# Drives a Tollgate daemon with radload (the project's load generator, docs/benchmarks.md) and
# prints radload's RESULT lines and the median of each case. Loopback only; each run is bounded by -d.
#
#   bench/radius.sh                      # auth and acct, window 64, 3 runs of 14 s each, default workers
#   CASES="auth" REPS=1 DUR=8 WORKERS=1 bench/radius.sh
#   WITH_FREERADIUS=1 bench/radius.sh    # also FreeRADIUS 3.2 files backend, same cases, same run
#   STORE=config bench/radius.sh         # users in the config file instead of PostgreSQL
#
# Knobs: CASES (auth acct), WINDOWS (64), REPS (3), DUR (14), WARM (2), WORKERS (unset: the default, one per core on PostgreSQL), USERS (100000),
#        STORE (postgres | config), PG_URL (postgres://postgres@127.0.0.1:5432), REDIS_URL (unset: in-process),
#        SIMUSE (unset; e.g. 1: every subscriber has that Simultaneous-Use limit).
# bench/soak.sh (hours-long stability) and bench/compare.sh (FreeRADIUS side by side) share bench/lib.sh.
set -euo pipefail
CASES=${CASES:-"auth acct"}
WINDOWS=${WINDOWS:-64}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

tg_prepare_radload
tg_build
tg_write_config "$STORE"
trap 'tg_stop' EXIT
tg_start

for win in $WINDOWS; do
  for c in $CASES; do
    port=$AUTH_PORT; [ "$c" = acct ] && port=$ACCT_PORT
    tg_run_case "tollgate-$c-w$win" "$port" "$c" "$win"
    if [ "$c" = acct ] && [ "$STORE" = postgres ]; then tg_acct_settle; fi
  done
done
if [[ " $CASES " == *" acct "* ]] && [ "$STORE" = postgres ]; then
  node "$root/dist/src/cli.js" ledger verify --config "$cfg" | tail -1
fi
echo "tollgate RSS (kB): $(ps -o rss= --ppid "$TG_PID" | paste -sd+ | bc) in workers + $(ps -o rss= -p "$TG_PID") in the primary"
curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^tollgate_radius_dropped_total\{.*\} [1-9]' || echo "no drops"
if [ "$STORE" = postgres ]; then
  echo "auth_log rows: $(psql "$PG_URL/$BENCH_DB" -Atc 'select count(*) from auth_log')"
fi
tg_stop
trap - EXIT

if [ "${WITH_FREERADIUS:-0}" = 1 ]; then
  # The shared setup script exits non-zero after a successful start on this machine: trust its readiness line
  # (on stderr, like the rest of its log).
  (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh files --threads 2:2 --spare 1:2 --recv-buff 4194304) 2>&1 | grep -E 'ready|error' || true
  for win in $WINDOWS; do
    for c in $CASES; do
      port=18120; [ "$c" = acct ] && port=18130
      tg_run_case "freeradius-files-$c-w$win" "$port" "$c" "$win"
    done
  done
  (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh stop >/dev/null) || true
fi
