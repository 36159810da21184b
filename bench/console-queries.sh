#!/usr/bin/env bash
# The console's read queries at scale (bench/console-queries.mjs): builds, then seeds $PG_URL/$CONSOLE_DB with
# generate_series and times every query the console's routes run. Sizes: SUBSCRIBERS (1000000), SESSIONS
# (10000000), OPEN (SUBSCRIBERS/2), AUTH_LOG (10000000), CHARGES (2000000); CONSOLE_REPS (5); CONSOLE_DB
# (tollgate_console_bench, dropped and created again). Exit status 1 when a query's worst run is 200 ms or more.
#   bench/console-queries.sh                        # full size (minutes of seeding)
#   SUBSCRIBERS=10000 SESSIONS=100000 AUTH_LOG=100000 CHARGES=20000 bench/console-queries.sh   # a smoke run
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
SUBSCRIBERS=${SUBSCRIBERS:-1000000}
SESSIONS=${SESSIONS:-10000000}
OPEN=${OPEN:-$((SUBSCRIBERS / 2))}
AUTH_LOG=${AUTH_LOG:-10000000}
CHARGES=${CHARGES:-2000000}
CONSOLE_DB=${CONSOLE_DB:-tollgate_console_bench}
tg_build
node "$root/bench/console-queries.mjs" "$PG_URL/$CONSOLE_DB" --subscribers "$SUBSCRIBERS" --sessions "$SESSIONS" --open "$OPEN" \
  --auth-log "$AUTH_LOG" --charges "$CHARGES" --reps "${CONSOLE_REPS:-5}" ${EXPLAIN:+--explain} | tee "$B/results/console-queries.txt"
