#!/usr/bin/env bash
# Webhook cost (issue 31): the apply cycle (LOCK GET POST UNLOCK per client on its own state) on three
# Statefort servers on the embedded default, run in turn (A B C, A B C, ...) in the same run:
#   plain   no webhook
#   alerts  one webhook for lock.stale and guard.refused (an alerting hook: a normal cycle sends nothing)
#   all     one webhook for every event (each cycle sends lock.acquired, state.written, lock.released)
# The webhooks post to nginx on 127.0.0.1 (answers 204). Prints each run with the server's CPU per
# cycle, the mean per server and the ratios to plain, and how many deliveries the receiver got against
# how many events the cycles made (the outbox keeping up or not).
#
#   bench/webhooks/run.sh                     # about 4 minutes; needs nginx (apt-get install nginx-light)
#   SECONDS_PER_RUN=5 ROUNDS=2 WARM_SECONDS=10 bench/webhooks/run.sh
#
# Everything it starts is stopped by PID at exit; data lives in a temporary directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
JAVA="$JAVA_HOME/bin/java"
RUN_SECONDS="${SECONDS_PER_RUN:-10}"
ROUNDS="${ROUNDS:-3}"
WARM_SECONDS="${WARM_SECONDS:-30}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "bench: nginx is missing (apt-get install nginx-light)" >&2; exit 1; }

cd "$ROOT"
if [ ! -f server/target/statefort.jar ] || [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests
fi
WORK="$(mktemp -d /tmp/statefort-webhooks.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FreePort; }

SINK_PORT="$(free_port)"
mkdir -p "$WORK/nginx/body"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
  client_body_temp_path $WORK/nginx/body;
  log_format hook '\$request_uri';
  server {
    listen 127.0.0.1:$SINK_PORT;
    location / { access_log $WORK/nginx/access.log hook; return 204; }
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" &
PIDS+=("$!")

start_statefort() { # name
  local name="$1" port
  port="$(free_port)"
  mkdir -p "$WORK/$name"
  STATEFORT_WEBHOOK_ALLOWED_HOSTS=127.0.0.1 STATEFORT_WEBHOOK_ALLOW_HTTP=on \
      "$JAVA" -Xmx1g -jar server/target/statefort.jar serve --port "$port" --data-dir "$WORK/$name/data" \
      --master-key-file "$WORK/$name/master.key" >"$WORK/$name/log" 2>&1 &
  PIDS+=("$!"); printf -v "PID_$name" '%s' "$!"
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
  printf -v "TOKEN_$name" '%s' "$(cat "$WORK/$name/data/initial-admin-token")"
}
hook() { # name events-json
  local url="URL_$1" token="TOKEN_$1"
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer ${!token}" -H 'Content-Type: application/json' \
      -d "{\"url\":\"http://127.0.0.1:$SINK_PORT/$1\",\"events\":$2}" "${!url}/api/v1/projects/default/webhooks"
}
SERVERS=(plain alerts all)
for s in "${SERVERS[@]}"; do start_statefort "$s"; done
hook alerts '["lock.stale","guard.refused"]'
hook all '["*"]'

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK_MS=$(( 1000 / $(getconf CLK_TCK) ))
load() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.LoadGenerator "$@"; }
measured() { # server seconds args...
  local who="$1" seconds="$2" pid url token before after out
  shift 2
  pid="PID_$who"; url="URL_$who"; token="TOKEN_$who"
  before=$(cpu_ticks "${!pid}")
  out="$(load --seconds "$seconds" --url "${!url}" --token "${!token}" "$@")"
  after=$(cpu_ticks "${!pid}")
  echo "$out" | awk -v ticks=$(( after - before )) -v tick_ms="$TICK_MS" -v s="$seconds" '{
    for (i = 1; i <= NF; i++) if ($i ~ /^units\/s=/) { split($i, v, "="); rate = v[2] }
    printf "%s server-cpu-ms/unit=%.2f\n", $0, (rate > 0 ? ticks * tick_ms / (rate * s) : 0) }'
}

echo "warm-up: ${WARM_SECONDS}s of cycles per server"
for s in "${SERVERS[@]}"; do
  echo "warm-up $s $(measured "$s" "$WARM_SECONDS" --mode cycle --clients 8 --size 10240 --prefix warm) seconds=$WARM_SECONDS" | tee -a "$WORK/warm-up"
done
RESULTS="$WORK/results"
: >"$RESULTS"
for clients in 8 1; do
  for round in $(seq 1 "$ROUNDS"); do
    for s in "${SERVERS[@]}"; do
      echo "cycle-10KiB-$clients $s $(measured "$s" "$RUN_SECONDS" --mode cycle --clients "$clients" --size 10240 --prefix "r$round-$clients") seconds=$RUN_SECONDS" | tee -a "$RESULTS"
    done
  done
done
sleep 3 # the outbox drains
echo
echo "mean cycles/s per scenario and server, ratio to plain (same run, interleaved), server CPU per cycle:"
awk '{
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^units\/s=/) { split($i, v, "="); rate = v[2] }
    if ($i ~ /^server-cpu-ms\/unit=/) { split($i, v, "="); cpu = v[2] }
  }
  k = $1 SUBSEP $2; n[k]++; sum[k] += rate; cpus[k] += cpu; labels[$1] = 1
} END {
  for (l in labels) {
    p = sum[l SUBSEP "plain"] / n[l SUBSEP "plain"]
    line = sprintf("%-15s plain %7.1f/s (%.2f ms CPU)", l, p, cpus[l SUBSEP "plain"] / n[l SUBSEP "plain"])
    split("alerts all", others, " ")
    for (j = 1; j <= 2; j++) { w = others[j]; b = sum[l SUBSEP w] / n[l SUBSEP w]
      line = line sprintf("  %s %7.1f/s ratio %.2f (%.2f ms CPU)", w, b, b / p, cpus[l SUBSEP w] / n[l SUBSEP w]) }
    print line
  }
}' "$RESULTS" | sort
cycles_all="$(cat "$WORK/warm-up" "$RESULTS" | awk '$2 == "all" { for (i = 1; i <= NF; i++) {
    if ($i ~ /^units\/s=/) { split($i, v, "="); r = v[2] } if ($i ~ /^seconds=/) { split($i, v, "="); t = v[2] } }
  c += r * t } END { printf "%d", c }')"
delivered="$(grep -c '^/all' "$WORK/nginx/access.log" || true)"
echo "deliveries to 'all': $delivered received for about $(( cycles_all * 3 )) events (3 per cycle: lock.acquired, state.written, lock.released); to 'alerts': $(grep -c '^/alerts' "$WORK/nginx/access.log" || true)"
if cat "$WORK/warm-up" "$RESULTS" | grep -Eq 'statuses=\{[^}]*(5[0-9][0-9]|-1)='; then echo "bench: a run had 5xx or failed requests" >&2; exit 1; fi
