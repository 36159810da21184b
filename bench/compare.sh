#!/usr/bin/env bash
# The performance targets in one run, on this machine, one server at a time (they would share the cores), same
# generator (radload, Access-Request PAP + Message-Authenticator, closed loop, window W), same users:
#
#   tollgate         the daemon as a user starts it: no configuration file, only TOLLGATE_DATABASE_URL (plus the
#                    ports, the admin token and the data directory, which change no performance setting), and
#                    USERS subscribers created through the admin REST API (bench/seed-api.mjs)
#   tollgate-simuse  the same after PATCHing Simultaneous-Use 1 onto every subscriber through the API
#   fr-files-tuned   FreeRADIUS 3.2 files backend, threads 2:2, spare 1:2, recv_buff 4 MiB (setup-freeradius.sh)
#   fr-sql-simuse    FreeRADIUS rlm_sql on the same PostgreSQL, stock, with its Simultaneous-Use check on:
#                    `Simultaneous-Use := 1` in radcheck for every user and `sql` in the default site's session
#                    section (the stock file has it commented), edited in $BENCH_DIR/fr after the kit wrote it
#   bare             bench/bare-responder.mjs: Tollgate's socket setup and codec doing only MA verify, unhide,
#                    Map lookup and a signed reply, one worker per core
#
# and prints req/s, p99 and the ratios Tollgate/FR-files-tuned (target ≥ 1.0, p99 ≤ 5 ms), Tollgate-simuse/
# FR-files-tuned (≥ 0.9), Tollgate-simuse/FR-sql-simuse (≥ 15), Tollgate/bare (≥ 0.9).
#
#   bench/compare.sh                    # REPS=3 runs of DUR=14 s (WARM=2 s excluded) per server
#   REPS=1 DUR=4 bench/compare.sh       # smoke
#
# Knobs: REPS (3), DUR (14), WARM (2), W (64), USERS (20000), SERVERS (all five, in the order above: a subset
# measures only those), BARE_PORT (28190), SEED_FRESH (0: reuse the databases an earlier run created through the
# API, kept as templates tollgate_compare_api_$USERS[_su1]; 1: create them again), and bench/lib.sh's.
# Creating 20,000 subscribers through the API is 60,000 requests (account, payment, subscriber): minutes, so it is
# done once and the result kept as a template database; each run measures a fresh copy of it.
set -euo pipefail
USERS=${USERS:-20000}
W=${W:-64}
SERVERS=${SERVERS:-"tollgate tollgate-simuse fr-files-tuned fr-sql-simuse bare"}
BARE_PORT=${BARE_PORT:-28190}
SEED_FRESH=${SEED_FRESH:-0}
BENCH_DB=${BENCH_DB:-tollgate_compare}
TOKEN=compare-admin-token-0123456789
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
setup="$shared/bench/setup-freeradius.sh"
[ -x "$setup" ] || { echo "missing $setup"; exit 1; }
template=tollgate_compare_api_$USERS

tg_prepare_radload
tg_build
BARE_PID=""
fr_stop() { (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh stop) >/dev/null 2>&1 || true; }
bare_stop() { if [ -n "$BARE_PID" ]; then kill "$BARE_PID" 2>/dev/null || true; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=""; fi; }
trap 'fr_stop; bare_stop; tg_stop' EXIT
wants() { [[ " $SERVERS " == *" $1 "* ]]; }
pg() { psql "$PG_URL/postgres" -Atqc "$1"; }
has_db() { [ "$(pg "select 1 from pg_database where datname = '$1'")" = 1 ]; }

# FreeRADIUS through the kit; its exit status is not trusted (it can fail after a good start), its readiness line is.
fr_start() {
  local out
  out=$(cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh "$@" --users "$USERS" 2>&1) || true
  grep -q 'ready after' <<<"$out" || { echo "FreeRADIUS $1 did not start:"; tail -20 <<<"$out"; exit 1; }
}
fr_wait_ready() { # after starting freeradius by hand: a real Access-Request accepted
  local u p _
  read -r u p < <(head -1 "$B/users.txt")
  for _ in $(seq 1 60); do
    echo "User-Name=$u,User-Password=$p,Message-Authenticator=0x00" | radclient -q -r 1 -t 1 127.0.0.1:18120 auth testing123 >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "FreeRADIUS did not answer"; tail -20 "$B/logs/radius.log"; exit 1
}

# The daemon with the defaults: an empty working directory (no config/tollgate.yaml), no TOLLGATE_CONFIG.
tg_start_defaults() {
  mkdir -p "$B/tg-defaults"
  (cd "$B/tg-defaults" && exec env -u TOLLGATE_CONFIG -u TOLLGATE_WORKERS -u TOLLGATE_LOG_LEVEL -u TOLLGATE_REDIS_URL \
    TOLLGATE_DATABASE_URL="$PG_URL/$BENCH_DB" TOLLGATE_ADMIN_TOKEN=$TOKEN TOLLGATE_DATA_DIR="$B/tg-defaults/data" \
    TOLLGATE_RADIUS_AUTH_PORT="$AUTH_PORT" TOLLGATE_RADIUS_ACCT_PORT="$ACCT_PORT" TOLLGATE_ADMIN_PORT="$ADMIN_PORT" \
    TOLLGATE_PORTAL_PORT="$PORTAL_PORT" node "$root/dist/src/cli.js" serve) >"$B/tollgate.log" 2>&1 &
  TG_PID=$!
  local _
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && { grep -o '"workers":[0-9]*,"workersSource":"[a-z]*","workersReason":"[^"]*"' "$B/tollgate.log" | sed 's/^/  tollgate started: /'; return 0; }
    kill -0 "$TG_PID" 2>/dev/null || { cat "$B/tollgate.log"; exit 1; }
    sleep 0.25
  done
  echo "tollgate did not become ready"; exit 1
}
seed_api() { node "$root/bench/seed-api.mjs" "http://127.0.0.1:$ADMIN_PORT" "$TOKEN" "$USERS" "$@" | sed 's/^/  /'; }
# Each run's figures and what went wrong in it (a reject or a timeout means the case is not what it claims), then the median.
measure() {
  tg_run_case "cmp-$1" "$2" auth "$W" | sed -nE 's/^(cmp-[a-z-]+ run [0-9]+): RESULT .*(rps=[0-9.]+).*(p99_ms=[0-9.]+).*(rejects=[0-9]+ timeouts=[0-9]+).*/  \1: \2 \3 \4/p; s/^MEDIAN /  median /p'
}

# Template databases made through the API (kept across runs): plain, then with Simultaneous-Use 1.
if { wants tollgate || wants tollgate-simuse; } && { [ "$SEED_FRESH" = 1 ] || ! has_db "$template" || ! has_db "${template}_su1"; }; then
  echo "== creating $USERS subscribers through the API (templates $template, ${template}_su1)"
  pg "DROP DATABASE IF EXISTS $BENCH_DB" && pg "CREATE DATABASE $BENCH_DB"
  tg_start_defaults
  seed_api
  tg_stop
  pg "DROP DATABASE IF EXISTS $template" && pg "CREATE DATABASE $template TEMPLATE $BENCH_DB"
  tg_start_defaults
  seed_api --simultaneous-use 1
  tg_stop
  pg "DROP DATABASE IF EXISTS ${template}_su1" && pg "CREATE DATABASE ${template}_su1 TEMPLATE $BENCH_DB"
fi

for server in $SERVERS; do
  case $server in
    tollgate | tollgate-simuse)
      from=$template
      [ "$server" = tollgate-simuse ] && from=${template}_su1
      echo "== $server: defaults + TOLLGATE_DATABASE_URL, $USERS subscribers created through the API ($from)"
      pg "DROP DATABASE IF EXISTS $BENCH_DB" && pg "CREATE DATABASE $BENCH_DB TEMPLATE $from"
      tg_start_defaults
      measure "$server" "$AUTH_PORT"
      tg_stop
      ;;
    fr-files-tuned)
      echo "== $server: FreeRADIUS files, threads 2:2, spare 1:2, recv_buff 4 MiB"
      fr_start files --threads 2:2 --spare 1:2 --recv-buff 4194304
      measure "$server" 18120
      fr_stop
      ;;
    fr-sql-simuse)
      echo "== $server: FreeRADIUS rlm_sql stock, Simultaneous-Use := 1 for every user, session { sql }"
      fr_start sql
      fr_stop
      PGPASSWORD=radpass psql -h 127.0.0.1 -U radius radius -qc \
        "INSERT INTO radcheck (username, attribute, op, value) SELECT username, 'Simultaneous-Use', ':=', '1' FROM radcheck WHERE attribute = 'Cleartext-Password'; ANALYZE radcheck"
      # Uncomment `sql` in the default site's session section: that is what runs simul_count_query.
      python3 - "$B/fr/sites-available/default" <<'PY'
import re, sys
path = sys.argv[1]
s = open(path).read()
s, n = re.subn(r'(^session \{[^}]*?)^#(\s*sql\s*)$', r'\1\2', s, count=1, flags=re.M | re.S)
if n != 1: raise SystemExit('session section: no commented sql line found in ' + path)
open(path, 'w').write(s)
PY
      freeradius -C -d "$B/fr" >"$B/logs/config-check.log" 2>&1 || { cat "$B/logs/config-check.log"; exit 1; }
      nohup freeradius -d "$B/fr" -f -l "$B/logs/radius.log" </dev/null >"$B/logs/freeradius.stdout" 2>&1 &
      echo $! >"$B/freeradius.pid"
      fr_wait_ready
      # The check is live: a user with an open session in radacct is refused, then the session is gone again.
      u=$(head -1 "$B/users.txt" | cut -d' ' -f1); p=$(head -1 "$B/users.txt" | cut -d' ' -f2)
      PGPASSWORD=radpass psql -h 127.0.0.1 -U radius radius -qc "INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime) VALUES ('cmp', 'cmp-check', '$u', '127.0.0.1', now())"
      verdict=$(echo "User-Name=$u,User-Password=$p,Message-Authenticator=0x00" | radclient -r 1 -t 2 127.0.0.1:18120 auth testing123 2>/dev/null | grep -o 'Received Access-[A-Za-z]*' | head -1 || true)
      PGPASSWORD=radpass psql -h 127.0.0.1 -U radius radius -qc "DELETE FROM radacct WHERE acctuniqueid = 'cmp-check'"
      echo "  Simultaneous-Use check: $u with an open session -> ${verdict:-no answer} (expected: Received Access-Reject)"
      measure "$server" 18120
      fr_stop
      # Leave the kit's database as it wrote it (a later `setup-freeradius.sh sql --keep-db` would inherit the limit).
      PGPASSWORD=radpass psql -h 127.0.0.1 -U radius radius -qc "DELETE FROM radcheck WHERE attribute = 'Simultaneous-Use'"
      ;;
    bare)
      echo "== $server: bench/bare-responder.mjs, one worker per core, radius.io auto as the daemon"
      node "$root/bench/bare-responder.mjs" --port "$BARE_PORT" --users "$B/users.txt" >"$B/bare.log" 2>&1 &
      BARE_PID=$!
      for _ in $(seq 1 100); do grep -q READY "$B/bare.log" && break; sleep 0.1; done
      grep -q READY "$B/bare.log" || { cat "$B/bare.log"; exit 1; }
      sed -n "s/^READY /  bare responder: /p" "$B/bare.log"
      measure "$server" "$BARE_PORT"
      bare_stop
      ;;
    *) echo "unknown server $server (tollgate tollgate-simuse fr-files-tuned fr-sql-simuse bare)"; exit 2 ;;
  esac
done

echo
echo "Tollgate $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?') on $(nproc) cores, FreeRADIUS $(freeradius -v 2>/dev/null | sed -nE 's/.*Version ([0-9.]+).*/\1/p' | head -1); auth w$W, $USERS users; medians of $REPS run(s) of $DUR s ($WARM s warm-up excluded)"
printf '| %-16s | %10s | %8s |\n' server "req/s" "p99 ms"
printf '|%s|%s|%s|\n' "------------------" "------------" "----------"
declare -A rps p99
for server in tollgate tollgate-simuse fr-files-tuned fr-sql-simuse bare; do
  read -r r p _ < <(tg_median "cmp-$server")
  if ! wants "$server"; then r=-; p=-; fi
  rps[$server]=$r; p99[$server]=$p
  printf '| %-16s | %10s | %8s |\n' "$server" "$r" "$p"
done
ratio() { awk -v a="${rps[$1]}" -v b="${rps[$2]}" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-"}'; }
met() { awk -v r="$1" -v t="$2" 'BEGIN {if (r == "-") print "-"; else if (r + 0 >= t + 0) print "met"; else print "NOT met"}'; }
echo
printf '| %-36s | %6s | %7s | %-7s |\n' ratio value target result
printf '|%s|%s|%s|%s|\n' "--------------------------------------" "--------" "---------" "---------"
for spec in "tollgate fr-files-tuned 1.0" "tollgate-simuse fr-files-tuned 0.9" "tollgate-simuse fr-sql-simuse 15" "tollgate bare 0.9"; do
  set -- $spec
  v=$(ratio "$1" "$2")
  printf '| %-36s | %6s | %7s | %-7s |\n' "$1 / $2" "$v" ">= $3" "$(met "$v" "$3")"
done
p=${p99[tollgate]}
printf '| %-36s | %6s | %7s | %-7s |\n' "tollgate p99 ms" "$p" "<= 5" "$(awk -v p="$p" 'BEGIN {if (p == "-") print "-"; else if (p + 0 <= 5) print "met"; else print "NOT met"}')"
echo "Figures from one machine shared by generator and server: compare ratios within one run, not across runs."
