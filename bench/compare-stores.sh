#!/usr/bin/env bash
# FreeRADIUS 3.2 and Tollgate side by side on this machine, with the same radload cases, one server at a time
# (never both: they would share ports and the two cores). Pairs: FreeRADIUS files backend vs Tollgate with the
# users in its config file; FreeRADIUS rlm_sql vs Tollgate with the subscribers in PostgreSQL (same PostgreSQL,
# same 100,000 users). Prints one table of medians: req/s and p99 of each, and Tollgate / FreeRADIUS.
# bench/compare.sh prints the performance targets (the defaults, subscribers created through the API, the ratios).
#
#   bench/compare-stores.sh                # REPS=3 runs of DUR=14 s (WARM=2 s excluded) per case: ~15 min
#   REPS=1 DUR=4 bench/compare-stores.sh   # smoke
#
# Knobs: REPS (3), DUR (14), WARM (2), CASES ("auth:64 acct:64 acct:256" = mode:window), WORKERS (unset: the default),
#        FR_FILES_OPTS / FR_SQL_OPTS (setup-freeradius.sh tuning; defaults: the tuned rows of docs/benchmarks.md:
#        threads 2:2 files, 8:8 + sql pool 8:8 sql, recv_buff 4 MiB), BACKENDS ("files sql"), and bench/lib.sh's.
# FreeRADIUS is installed from Debian when missing (freeradius, freeradius-postgresql, freeradius-utils); its
# config lives in $BENCH_DIR/fr (the kit's setup-freeradius.sh, docs/benchmarks.md). Raw radload output: $BENCH_DIR/results.
set -euo pipefail
CASES=${CASES:-"auth:64 acct:64 acct:256"}
BACKENDS=${BACKENDS:-"files sql"}
FR_FILES_OPTS=${FR_FILES_OPTS:-"--threads 2:2 --spare 1:2 --recv-buff 4194304"}
FR_SQL_OPTS=${FR_SQL_OPTS:-"--threads 8:8 --spare 1:8 --sqlpool 8:8 --recv-buff 4194304"}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
setup="$shared/bench/setup-freeradius.sh"
[ -x "$setup" ] || { echo "missing $setup"; exit 1; }

need=""
for p in freeradius freeradius-postgresql freeradius-utils; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  echo "installing$need"
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq $need >/dev/null
fi

tg_prepare_radload
tg_build

fr_stop() {
  (cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh stop) >/dev/null 2>&1 || true
}
cleanup() {
  fr_stop
  tg_stop
}
trap cleanup EXIT

# FreeRADIUS via the shared script; its exit status is not trusted (it can fail after a good start), its
# readiness line is.
fr_start() { # backend opts...
  local out
  out=$(cd "$shared/bench" && BENCH_DIR=$B ./setup-freeradius.sh "$@" 2>&1) || true
  if ! grep -q 'ready after' <<<"$out"; then
    echo "FreeRADIUS $1 did not start:"
    tail -20 <<<"$out"
    exit 1
  fi
  grep 'ready after' <<<"$out" | sed 's/^\[setup\] /  /'
}

run_set() { # prefix auth-port acct-port [before-acct-hook]
  local prefix=$1 auth=$2 acct=$3 hook=${4:-} spec mode win port
  for spec in $CASES; do
    mode=${spec%%:*}
    win=${spec##*:}
    port=$auth
    [ "$mode" = acct ] && port=$acct
    [ "$mode" = acct ] && [ -n "$hook" ] && $hook
    tg_run_case "$prefix-$mode-w$win" "$port" "$mode" "$win" | grep '^MEDIAN'
  done
}

truncate_radacct() { PGPASSWORD=radpass psql -h 127.0.0.1 -U radius radius -qc 'TRUNCATE radacct' >/dev/null 2>&1 || true; }

for backend in $BACKENDS; do
  case $backend in
    files) opts=$FR_FILES_OPTS; store=config ;;
    sql) opts=$FR_SQL_OPTS; store=postgres ;;
    *) echo "unknown backend $backend (files | sql)"; exit 2 ;;
  esac
  echo "== FreeRADIUS $backend ($opts)"
  # shellcheck disable=SC2086
  fr_start "$backend" $opts
  hook=""
  [ "$backend" = sql ] && hook=truncate_radacct
  fr_pid=$(cat "$B/freeradius.pid" 2>/dev/null || true)
  run_set "cmp-fr-$backend" 18120 18130 "$hook"
  fr_stop
  if [ -n "$fr_pid" ] && kill -0 "$fr_pid" 2>/dev/null; then echo "FreeRADIUS (pid $fr_pid) still running"; exit 1; fi

  echo "== Tollgate, $store store, ${WORKERS:-default} workers"
  tg_write_config "$store"
  tg_start
  run_set "cmp-tg-$store" "$AUTH_PORT" "$ACCT_PORT"
  tg_stop
done

echo
echo "FreeRADIUS $(freeradius -v 2>/dev/null | sed -nE 's/.*Version ([0-9.]+).*/\1/p' | head -1) vs Tollgate $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'); medians of $REPS run(s) of $DUR s ($WARM s warm-up excluded), closed loop, $USERS users; ratio = Tollgate / FreeRADIUS req/s"
row() { printf '| %-30s | %16s | %8s | %16s | %8s | %6s |\n' "$@"; }
row case "FreeRADIUS req/s" "p99 ms" "Tollgate req/s" "p99 ms" ratio
echo "|$(printf -- '-%.0s' {1..32})|$(printf -- '-%.0s' {1..18})|$(printf -- '-%.0s' {1..10})|$(printf -- '-%.0s' {1..18})|$(printf -- '-%.0s' {1..10})|$(printf -- '-%.0s' {1..8})|"
for backend in $BACKENDS; do
  store=config; label="files / config file"
  [ "$backend" = sql ] && store=postgres && label="sql / PostgreSQL"
  for spec in $CASES; do
    mode=${spec%%:*}
    win=${spec##*:}
    read -r frr frp _ < <(tg_median "cmp-fr-$backend-$mode-w$win")
    read -r tgr tgp _ < <(tg_median "cmp-tg-$store-$mode-w$win")
    ratio=$(awk -v a="$tgr" -v b="$frr" 'BEGIN {if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-"}')
    row "$label $mode w$win" "$frr" "$frp" "$tgr" "$tgp" "$ratio"
  done
done
echo "Accounting: FreeRADIUS files appends to its detail file (no fsync), sql INSERTs/UPDATEs radacct; Tollgate"
echo "journals to PostgreSQL (synchronous_commit on) before it answers, in both of its stores."
