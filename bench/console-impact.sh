#!/usr/bin/env bash
# Does the operator console slow RADIUS? One daemon (bench/lib.sh's config, subscribers in PostgreSQL), radload
# auth at window W, ROUNDS rounds of two runs each, interleaved so a drift of the machine hits both alike:
#
#   quiet     nothing else
#   console   the same, while a dashboard is open (its live stream, GET /api/v1/dashboard/live, read as it comes,
#             plus GET /api/v1/dashboard every 5 s as the page does) and a live trace runs on one subscriber that
#             radload logs in as (POST /api/v1/traces, its event stream read as it comes)
#
# and prints req/s and p99 of each run, their medians, the trace events received, and the daemon's CPU time per
# request (primary + workers; steadier than req/s on a shared machine). The console side is curl, so what it
# costs is the daemon's work, not a browser's.
#
#   bench/console-impact.sh                     # ROUNDS=3, DUR=10
#   ROUNDS=1 DUR=4 USERS=20000 bench/console-impact.sh
#
# Knobs: ROUNDS (3), DUR (10), W (64), TRACE_USER (user000001, one radload cycles through), and bench/lib.sh's
# (USERS, WORKERS, PG_URL, ports).
set -euo pipefail
ROUNDS=${ROUNDS:-3}
DUR=${DUR:-10}
W=${W:-64}
TRACE_USER=${TRACE_USER:-user000001}
TOKEN=console-impact-admin-token-0123456789
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
tg_prepare_radload
tg_build
tg_write_config postgres
tg_config_edit "c.admin.token = '$TOKEN'"
CONSOLE_PIDS=()
console_stop() {
  local p
  for p in "${CONSOLE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  CONSOLE_PIDS=()
}
trap 'console_stop; tg_stop' EXIT
tg_start
api="http://127.0.0.1:$ADMIN_PORT/api/v1"
auth=(-H "authorization: Bearer $TOKEN")
hz=$(getconf CLK_TCK)

# The console's load for one run: the dashboard's stream, its poll, and a trace with its stream.
console_start() {
  local trace_id
  curl -sN "${auth[@]}" "$api/dashboard/live" >"$B/console-dashboard.sse" 2>/dev/null &
  CONSOLE_PIDS+=($!)
  (while sleep 5; do curl -fs "${auth[@]}" "$api/dashboard" >/dev/null || true; done) &
  CONSOLE_PIDS+=($!)
  trace_id=$(curl -fs "${auth[@]}" -H 'content-type: application/json' -d "{\"username\": \"$TRACE_USER\", \"minutes\": 5}" "$api/traces" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
  curl -sN "${auth[@]}" "$api/traces/$trace_id/events" >"$B/console-trace.sse" 2>/dev/null &
  CONSOLE_PIDS+=($!)
  TRACE_ID=$trace_id
}

results="$B/results/console-impact.txt"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for variant in quiet console; do
    [ "$variant" = console ] && console_start
    sleep 0.5
    a=$(tg_cpu_ticks "$TG_PID")
    out=$("$B/radload" -s "127.0.0.1:$AUTH_PORT" -S "$SECRET" -m auth -u "$B/users.txt" -n 1000000000 -w "$W" -d "$DUR" -W 0 -t 3000 2>&1 | grep '^RESULT' || true)
    b=$(tg_cpu_ticks "$TG_PID")
    events=0
    if [ "$variant" = console ]; then
      curl -fs -X DELETE "${auth[@]}" "$api/traces/$TRACE_ID" >/dev/null || true
      sleep 0.3
      console_stop
      events=$(grep -c '^data:' "$B/console-trace.sse" || true)
    fi
    awk -v v="$variant" -v r="$round" -v o="$out" -v t=$((b - a)) -v hz="$hz" -v ev="$events" 'BEGIN {
      n = split(o, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); x[kv[1]] = kv[2] }
      s = x["sent"] + 0; if (s == 0) s = 1
      printf "%s round=%d rps=%s p99_ms=%s timeouts=%s trace_events=%d tollgate_us_per_req=%.1f\n", v, r, x["rps"], x["p99_ms"], x["timeouts"], ev, t * 1e6 / hz / s
    }' | tee -a "$results"
  done
done

echo
echo "medians of $ROUNDS round(s) of $DUR s, auth w$W, $USERS users (compare within the run)"
printf '| %-8s | %8s | %7s | %15s |\n' variant "req/s" "p99 ms" "tollgate us/req"
printf '|%s|%s|%s|%s|\n' "----------" "----------" "---------" "-----------------"
for v in quiet console; do
  med() { grep "^$v " "$results" | sed -E "s/.* $1=([0-9.]+).*/\1/" | sort -n | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : "-")}'; }
  printf '| %-8s | %8s | %7s | %15s |\n' "$v" "$(med rps)" "$(med p99_ms)" "$(med tollgate_us_per_req)"
done
