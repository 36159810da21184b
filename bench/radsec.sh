#!/usr/bin/env bash
# RadSec (RFC 6614) auth throughput: one Tollgate daemon (subscribers in PostgreSQL, as bench/radius.sh) with its
# RadSec listener on, driven three ways in the same run, one case at a time:
#   radsec  bench/radsec-load.mjs (node:tls, WINDOW requests in flight over CONNS connections) → Tollgate RadSec
#   proxy   radload (UDP) → radsecproxy (Debian's, one TLS connection) → Tollgate RadSec, for reference
#   udp     radload (UDP) → Tollgate UDP, for comparison
#   ceiling radsec-load → its own trivial responder (-L), no Tollgate: the most the client can measure here (not in
#           the default CASES)
# and prints a table of medians: req/s and p99 per case, and CPU time per request. Loopback only; stops only what it started, by PID.
#
#   bench/radsec.sh                       # REPS=3 runs of DUR=14 s (WARM=2 s excluded) per case: ~3 min
#   REPS=1 DUR=4 bench/radsec.sh          # smoke
#   CASES="radsec udp" CONNS=4 bench/radsec.sh
#
# Knobs: CASES (radsec proxy udp; also ceiling), WINDOW (64), CONNS (2: radsec-load's TLS connections),
#        RADSEC_PORT (28183), PROXY_PORT (28141: radsecproxy's UDP side), RESPONDER_PORT (28184: ceiling),
#        PREWARM (3: seconds of RadSec and of UDP load before the first case, not measured; 0 = none), and
#        bench/lib.sh's (REPS, DUR, WARM, WORKERS, USERS, STORE, PG_URL, BENCH_DIR, ports). Certificates (a CA, a
#        server and a client certificate, EC P-256) are made with openssl in $BENCH_DIR/radsec. radsecproxy is
#        installed from Debian when missing. Besides req/s and p99 the table shows CPU time per request of Tollgate
#        (and radsecproxy): steadier than req/s when the machine is shared. Raw output: $BENCH_DIR/results.
set -euo pipefail
CASES=${CASES:-"radsec proxy udp"}
WINDOW=${WINDOW:-64}
CONNS=${CONNS:-2}
RADSEC_PORT=${RADSEC_PORT:-28183}
PROXY_PORT=${PROXY_PORT:-28141}
RESPONDER_PORT=${RESPONDER_PORT:-28184}
PREWARM=${PREWARM:-3}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
pki="$B/radsec"
NAS_NAME=radsec-load.bench
PROXY_PID=""
RESPONDER_PID=""

if [[ " $CASES " == *" proxy "* ]] && ! command -v radsecproxy >/dev/null && [ ! -x /usr/sbin/radsecproxy ]; then
  echo "installing radsecproxy"
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq radsecproxy >/dev/null
fi
RADSECPROXY=$(command -v radsecproxy || echo /usr/sbin/radsecproxy)

# A private CA, the server's certificate (for 127.0.0.1 and tollgate.bench) and one NAS certificate for both
# clients (radsec-load and radsecproxy), as docs/operations.md describes; remade when older than a day.
make_pki() {
  mkdir -p "$pki"
  if [ -s "$pki/nas.pem" ] && [ -z "$(find "$pki/nas.pem" -mtime +0)" ]; then return 0; fi
  (
    cd "$pki"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 30 -subj /CN=tollgate-bench-ca 2>/dev/null
    issue() { # name subject san
      openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf 'subjectAltName=%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    }
    issue server /CN=tollgate.bench DNS:tollgate.bench,IP:127.0.0.1
    issue nas "/CN=$NAS_NAME" "DNS:$NAS_NAME"
  )
}

proxy_start() {
  cat >"$pki/radsecproxy.conf" <<EOF
ListenUDP 127.0.0.1:$PROXY_PORT
LogLevel 2
LogDestination file:///$pki/radsecproxy.log
tls default {
    CACertificateFile $pki/ca.pem
    CertificateFile $pki/nas.pem
    CertificateKeyFile $pki/nas.key
}
client radload {
    host 127.0.0.1
    type udp
    secret $SECRET
}
server tollgate {
    host 127.0.0.1
    port $RADSEC_PORT
    type tls
    secret radsec
    StatusServer off
}
realm * {
    server tollgate
}
EOF
  "$RADSECPROXY" -f -c "$pki/radsecproxy.conf" >"$pki/radsecproxy.out" 2>&1 &
  PROXY_PID=$!
  sleep 1
  kill -0 "$PROXY_PID" 2>/dev/null || { cat "$pki/radsecproxy.out"; return 1; }
}

proxy_stop() {
  if [ -n "$PROXY_PID" ]; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
    PROXY_PID=""
  fi
}

responder_stop() {
  if [ -n "$RESPONDER_PID" ]; then
    kill "$RESPONDER_PID" 2>/dev/null || true
    wait "$RESPONDER_PID" 2>/dev/null || true
    RESPONDER_PID=""
  fi
}

cleanup() {
  responder_stop
  proxy_stop
  tg_stop
}
trap cleanup EXIT

tg_prepare_radload
tg_build
make_pki
tg_write_config "$STORE"
# The radload entry (127.0.0.1) admits the NAS certificate by name too; its secret inside TLS is `radsec`.
PKI=$pki PORT=$RADSEC_PORT NAME=$NAS_NAME tg_config_edit '
  c.radius.radsec = { port: Number(env.PORT), certFile: env.PKI + "/server.pem", keyFile: env.PKI + "/server.key", caFile: env.PKI + "/ca.pem" };
  c.clients[0].tlsName = env.NAME;'
tg_start

load=(node "$root/bench/radsec-load.mjs" --ca "$pki/ca.pem" --cert "$pki/nas.pem" --key "$pki/nas.key")
# The daemon's first seconds of load run cold (JIT, caches): not part of any case, whichever runs first.
if [ "$PREWARM" != 0 ]; then
  "${load[@]}" -s "127.0.0.1:$RADSEC_PORT" -m auth -u "$B/users.txt" -w "$WINDOW" -k "$CONNS" -d "$PREWARM" >/dev/null 2>&1 || true
  "$B/radload" -s "127.0.0.1:$AUTH_PORT" -S "$SECRET" -m auth -u "$B/users.txt" -n 1000000000 -w "$WINDOW" -d "$PREWARM" >/dev/null 2>&1 || true
fi
declare -A TG_US PX_US
tck=$(getconf CLK_TCK)
# us_per_request TICKS NAME: CPU microseconds per request of case NAME.
us_per_request() {
  local sent
  sent=$(tg_sent_total "$2")
  if [ "$sent" -gt 0 ]; then echo $(( $1 * 1000000 / tck / sent )); else echo -; fi
}
for c in $CASES; do
  tg0=$(tg_cpu_ticks "$TG_PID")
  px0=""
  case $c in
    radsec)
      tg_run_reps "radsec-auth-w$WINDOW-k$CONNS" "${load[@]}" -s "127.0.0.1:$RADSEC_PORT" -m auth -u "$B/users.txt" \
        -w "$WINDOW" -k "$CONNS" -d "$DUR" -W "$WARM" -t 3000
      ;;
    proxy)
      proxy_start
      px0=$(tg_cpu_ticks "$PROXY_PID")
      tg_run_case "radsecproxy-auth-w$WINDOW" "$PROXY_PORT" auth "$WINDOW"
      PX_US[$c]=$(us_per_request $(( $(tg_cpu_ticks "$PROXY_PID") - px0 )) "radsecproxy-auth-w$WINDOW")
      proxy_stop
      ;;
    udp)
      tg_run_case "udp-auth-w$WINDOW" "$AUTH_PORT" auth "$WINDOW"
      ;;
    ceiling)
      node "$root/bench/radsec-load.mjs" -L "127.0.0.1:$RESPONDER_PORT" --ca "$pki/ca.pem" --cert "$pki/server.pem" --key "$pki/server.key" >"$pki/responder.out" 2>&1 &
      RESPONDER_PID=$!
      sleep 1
      tg_run_reps "radsec-ceiling-w$WINDOW-k$CONNS" "${load[@]}" -s "127.0.0.1:$RESPONDER_PORT" -m auth -u "$B/users.txt" \
        -w "$WINDOW" -k "$CONNS" -d "$DUR" -W "$WARM" -t 3000
      responder_stop
      ;;
    *) echo "unknown case $c"; exit 2 ;;
  esac
  TG_US[$c]=$(( $(tg_cpu_ticks "$TG_PID") - tg0 ))
done
curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^tollgate_radius_(dropped_total|stream_closed_total)\{.*\} [1-9]' || echo "no drops"
curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^tollgate_radius_stream_connections_total\{' || true
tg_stop

echo
echo "RadSec auth, window $WINDOW, ${WORKERS:-default (one per core)} workers, $REPS x ${DUR}s (${WARM}s warm-up), medians:"
echo "(CPU: microseconds of CPU time per request, warm-up included, of Tollgate's primary and workers, and of radsecproxy)"
printf '%-44s %10s %9s %5s %14s %17s\n' case req/s p99_ms runs tollgate_us/req radsecproxy_us/req
for c in $CASES; do
  case $c in
    radsec) name="radsec-auth-w$WINDOW-k$CONNS" label="radsec-load -> Tollgate RadSec ($CONNS conns)" ;;
    proxy) name="radsecproxy-auth-w$WINDOW" label="radload -> radsecproxy -> Tollgate RadSec" ;;
    udp) name="udp-auth-w$WINDOW" label="radload -> Tollgate UDP" ;;
    ceiling) name="radsec-ceiling-w$WINDOW-k$CONNS" label="radsec-load -> trivial responder (ceiling)" ;;
  esac
  set -- $(tg_median "$name")
  tg_us=-
  [ "$c" != ceiling ] && tg_us=$(us_per_request "${TG_US[$c]}" "$name")
  printf '%-44s %10s %9s %5s %14s %17s\n' "$label" "$1" "$2" "$3" "$tg_us" "${PX_US[$c]:--}"
done
