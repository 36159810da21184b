#!/usr/bin/env bash
# One configuration factor at a time against the defaults, on one database: which settings move Access-Request
# throughput (docs/performance.md, "Defaults vs the bench"). The variants are started in turn, ROUNDS times round
# (so a drift of the machine hits every variant alike); each run is DUR s of radload auth at window W. Besides
# req/s and p99 it prints the CPU time per request of the daemon (primary + workers) and of the database's
# PostgreSQL backends, read from /proc: on a shared machine that moves far less than req/s.
#
#   bench/config-factors.sh                         # ROUNDS=3, DUR=6, every variant
#   VARIANTS="defaults no-auth-log" ROUNDS=5 bench/config-factors.sh
#
# Variants (each = the defaults + one change): defaults (a file with only database.url and a NAS client, MikroTik),
# loopback (radius.listen [127.0.0.1] instead of 0.0.0.0 and ::), warn (log.level warn), no-auth-log
# (authLog.enabled false), no-reply-cache (radius.replyCacheSeconds 0), one-worker (radius.workers 1),
# bench (what bench/lib.sh wrote before: loopback + warn + poolSize 8 + 2 workers), batch-io (radius.io batch:
# recvmmsg/sendmmsg), batch-one-worker, batch-no-auth-log (batch-io + no-auth-log).
# Subscribers: the API-made template of bench/compare.sh (tollgate_compare_api_$USERS) when it exists, else USERS
# seeded by SQL (bench/seed-subscribers.mjs). Knobs: ROUNDS (3), DUR (6), W (64), USERS (20000), VARIANTS, RATE
# (unset: closed loop; a number: radload -r, an open-loop cap, so every variant does the same work per second and
# the CPU per request compares on a busy machine), and
# bench/lib.sh's (ports, PG_URL, BENCH_DIR).
set -euo pipefail
USERS=${USERS:-20000}
ROUNDS=${ROUNDS:-3}
DUR=${DUR:-6}
W=${W:-64}
VARIANTS=${VARIANTS:-"defaults loopback warn no-auth-log no-reply-cache one-worker bench batch-io"}
BENCH_DB=${BENCH_DB:-tollgate_factors}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
tg_prepare_radload
tg_build
trap 'tg_stop' EXIT
pg() { psql "$PG_URL/postgres" -Atqc "$1"; }

template=tollgate_compare_api_$USERS
pg "DROP DATABASE IF EXISTS $BENCH_DB"
if [ "$(pg "select 1 from pg_database where datname = '$template'")" = 1 ]; then
  echo "subscribers: $USERS created through the API (copy of $template)"
  pg "CREATE DATABASE $BENCH_DB TEMPLATE $template"
else
  echo "subscribers: $USERS seeded by SQL"
  pg "CREATE DATABASE $BENCH_DB"
  node --expose-gc "$root/bench/seed-subscribers.mjs" "$PG_URL/$BENCH_DB" "$USERS" | grep SEED
fi

variant_json() {
  local radius="\"authPort\": $AUTH_PORT, \"acctPort\": $ACCT_PORT" top=""
  case $1 in
    defaults) ;;
    loopback) radius="$radius, \"listen\": [\"127.0.0.1\"]" ;;
    warn) top='"log": {"level": "warn"},' ;;
    no-auth-log) top='"authLog": {"enabled": false},' ;;
    no-reply-cache) radius="$radius, \"replyCacheSeconds\": 0" ;;
    one-worker) radius="$radius, \"workers\": 1" ;;
    batch-io) radius="$radius, \"io\": \"batch\"" ;;
    batch-one-worker) radius="$radius, \"io\": \"batch\", \"workers\": 1" ;;
    batch-no-auth-log) radius="$radius, \"io\": \"batch\""; top='"authLog": {"enabled": false},' ;;
    bench) radius="$radius, \"listen\": [\"127.0.0.1\"], \"workers\": 2"; top='"log": {"level": "warn"},' ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
  local pool=""
  [ "$1" = bench ] && pool=', "poolSize": 8'
  printf '{%s "dataDir": "%s/data", "database": {"url": "%s/%s"%s}, "radius": {%s},
 "admin": {"listen": "127.0.0.1", "port": %s}, "portal": {"listen": "127.0.0.1", "port": %s},
 "clients": [{"name": "bras", "address": "127.0.0.1", "secret": "%s", "vendor": "mikrotik"}]}\n' \
    "$top" "$B" "$PG_URL" "$BENCH_DB" "$pool" "$radius" "$ADMIN_PORT" "$PORTAL_PORT" "$SECRET"
}

# Clock ticks (user + system) of the given PIDs.
ticks() { local t=0 p s; for p in "$@"; do s=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + s)); done; echo "$t"; }
hz=$(getconf CLK_TCK)
results="$B/results/factors.txt"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    cfg="$B/factors-$v.json"
    variant_json "$v" >"$cfg"
    psql "$PG_URL/$BENCH_DB" -qc 'TRUNCATE auth_log' >/dev/null
    tg_start
    sleep 0.5
    tg=$(echo "$TG_PID" $(ps -o pid= --ppid "$TG_PID"))
    pgp=$(psql "$PG_URL/postgres" -Atc "select pid from pg_stat_activity where datname = '$BENCH_DB'" | tr '\n' ' ')
    a=$(ticks $tg); b=$(ticks $pgp)
    out=$("$B/radload" -s "127.0.0.1:$AUTH_PORT" -S "$SECRET" -m auth -u "$B/users.txt" -n 1000000000 -w "$W" ${RATE:+-r "$RATE"} -d "$DUR" -W 0 -t 3000 2>&1 | grep '^RESULT' || true)
    a2=$(ticks $tg); b2=$(ticks $pgp)
    tg_stop
    awk -v v="$v" -v r="$round" -v o="$out" -v tg=$((a2 - a)) -v pg=$((b2 - b)) -v hz="$hz" 'BEGIN {
      n = split(o, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); x[kv[1]] = kv[2] }
      s = x["sent"] + 0; if (s == 0) s = 1
      printf "%s round=%d rps=%s p99_ms=%s rejects=%s timeouts=%s tollgate_us_per_req=%.1f postgres_us_per_req=%.1f\n", v, r, x["rps"], x["p99_ms"], x["rejects"], x["timeouts"], tg * 1e6 / hz / s, pg * 1e6 / hz / s
    }' | tee -a "$results"
  done
done

echo
echo "medians of $ROUNDS round(s) of $DUR s, auth w$W, $USERS users (figures from this machine; compare within the run)"
printf '| %-15s | %8s | %7s | %14s | %14s |\n' variant "req/s" "p99 ms" "tollgate us/req" "postgres us/req"
printf '|%s|%s|%s|%s|%s|\n' "-----------------" "----------" "---------" "-----------------" "-----------------"
for v in $VARIANTS; do
  med() { grep "^$v " "$results" | sed -E "s/.* $1=([0-9.]+).*/\1/" | sort -n | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : "-")}'; }
  printf '| %-15s | %8s | %7s | %15s | %15s |\n' "$v" "$(med rps)" "$(med p99_ms)" "$(med tollgate_us_per_req)" "$(med postgres_us_per_req)"
done
