#!/usr/bin/env bash
# Multi-node load benchmark (issue 14 point 8): the load generator of bench/load against
#   embedded   one node on the embedded default (SQLite + files), as in bench/load/run.sh
#   pg-1       one node on PostgreSQL + S3 (s3proxy on files)
#   pg-2       two nodes on another PostgreSQL + the same S3 (another bucket), behind HAProxy
# each scenario run against all three in turn (A B C A B C), bounded in time; prints every run
# (units/s, p50, p99, statuses) and the means with ratios against the embedded default. Any 5xx or
# failed client is reported at the end and makes the script exit 1.
#
#   bench/cluster/run.sh                         # about 4 minutes; needs haproxy (apt-get install haproxy)
#   SECONDS_PER_RUN=3 ROUNDS=1 bench/cluster/run.sh
#   JAR=/path/other-statefort.jar bench/cluster/run.sh   # another build (run both for a before/after)
#
# PostgreSQL (embedded, from its own binaries) and s3proxy run in one JVM started from the it
# module's test classpath. Everything it starts is stopped by PID at exit; data lives in a
# temporary directory. All traffic stays on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
JAVA="$JAVA_HOME/bin/java"
RUN_SECONDS="${SECONDS_PER_RUN:-5}"
ROUNDS="${ROUNDS:-2}"
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$HAPROXY" ] || { echo "bench: haproxy is missing (apt-get install haproxy)" >&2; exit 1; }

cd "$ROOT"
JAR="${JAR:-server/target/statefort.jar}"   # JAR=/path/other-statefort.jar: another build, same run
if [ ! -f "$JAR" ] || [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests
fi
WORK="$(mktemp -d /tmp/statefort-cluster-load.XXXXXX)"
./mvnw -B -q -pl it test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/it.classpath" >/dev/null
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FreePort; }
load() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.LoadGenerator --seconds "$RUN_SECONDS" "$@"; }
await_ready() { # url
  for _ in $(seq 1 150); do
    if curl -fs "$1/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "bench: $1 never became ready" >&2
  return 1
}

# PostgreSQL x2 and s3proxy
"$JAVA" -cp "it/target/test-classes:$(cat "$WORK/it.classpath")" dev.statefort.it.support.BackingServices \
    "$WORK/services" 2 >"$WORK/services.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/services.log" 2>/dev/null && break; sleep 0.2; done
grep -q '^ready' "$WORK/services.log" || { cat "$WORK/services.log" >&2; exit 1; }
PG1="$(sed -n 's/^postgres1=//p' "$WORK/services.log")"
PG2="$(sed -n 's/^postgres2=//p' "$WORK/services.log")"
S3="$(sed -n 's/^s3=//p' "$WORK/services.log")"
MASTER_KEY="$("$JAVA" -jar "$JAR" keys generate-master)"

start_node() { # name database-port bucket -> sets URL_<name> (and writes $WORK/<name>/...)
  local name="$1" pg="$2" bucket="$3" port
  port="$(free_port)"
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name/statefort.properties" <<PROPS
database.url=jdbc:postgresql://127.0.0.1:$pg/postgres
database.user=postgres
storage.default=s3
storage.s3.type=s3
storage.s3.bucket=$bucket
storage.s3.endpoint=http://127.0.0.1:$S3
storage.s3.region=us-east-1
storage.s3.create=true
PROPS
  STATEFORT_MASTER_KEY="$MASTER_KEY" STATEFORT_STORAGE_S3_ACCESS_KEY_ID=statefort-it \
  STATEFORT_STORAGE_S3_SECRET_ACCESS_KEY=statefort-it-secret-0123456789 STATEFORT_SHUTDOWN_DRAIN=0s \
    "$JAVA" -Xmx1g -jar "$JAR" serve --port "$port" --data-dir "$WORK/$name/data" \
      --config "$WORK/$name/statefort.properties" >"$WORK/$name/log" 2>&1 &
  PIDS+=("$!")
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
  printf -v "PORT_$name" '%s' "$port"
}

# the embedded default
port="$(free_port)"
mkdir -p "$WORK/embedded"
"$JAVA" -Xmx1g -jar "$JAR" serve --port "$port" --data-dir "$WORK/embedded/data" \
    --master-key-file "$WORK/embedded/master.key" >"$WORK/embedded/log" 2>&1 &
PIDS+=("$!")
URL_embedded="http://127.0.0.1:$port"

start_node pg1 "$PG1" one
start_node pg2a "$PG2" two
start_node pg2b "$PG2" two
for u in "$URL_embedded" "$URL_pg1" "$URL_pg2a" "$URL_pg2b"; do await_ready "$u"; done

BALANCER="$(free_port)"
cat >"$WORK/haproxy.cfg" <<CFG
global
    maxconn 1024
defaults
    mode http
    timeout connect 1s
    timeout client 120s
    timeout server 120s
    retries 3
    option redispatch
frontend statefort
    bind 127.0.0.1:$BALANCER
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    server a 127.0.0.1:$PORT_pg2a check
    server b 127.0.0.1:$PORT_pg2b check
CFG
"$HAPROXY" -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=("$!")
URL_pg2="http://127.0.0.1:$BALANCER"
await_ready "$URL_pg2"

token_of() { # name: the initial admin token from whichever data dir holds it
  local f
  for f in "$WORK/$1"*/data/initial-admin-token; do [ -f "$f" ] && { cat "$f"; return 0; }; done
  return 1
}
TOKEN_embedded="$(token_of embedded)"
TOKEN_pg1="$(token_of pg1)"
TOKEN_pg2="$(token_of pg2)"
SETUPS=(embedded pg1 pg2)

"$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.StateFile 1048576 >"$WORK/get.json"
for s in "${SETUPS[@]}"; do
  url="URL_$s"; token="TOKEN_$s"
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer ${!token}" -H 'Content-Type: application/json' \
      --data-binary "@$WORK/get.json" "${!url}/tf/default/get"
  # warm-up (JIT, pools, caches), checked for errors like every run
  echo "warm-up $s $(load --seconds 3 --url "${!url}" --token "${!token}" --prefix warm --mode cycle --clients 8 --size 10240)" \
      | tee -a "$WORK/warm-up"
done

RESULTS="$WORK/results"
: >"$RESULTS"
scenario() { # label load-args...
  local label="$1"; shift
  for round in $(seq 1 "$ROUNDS"); do
    for s in "${SETUPS[@]}"; do
      url="URL_$s"; token="TOKEN_$s"
      echo "$label $s $(load --url "${!url}" --token "${!token}" --prefix "r$round" "$@")" | tee -a "$RESULTS"
    done
  done
}
scenario "cycle-10KiB-1" --mode cycle --clients 1 --size 10240
scenario "cycle-10KiB-8" --mode cycle --clients 8 --size 10240
scenario "cycle-1MiB-8" --mode cycle --clients 8 --size 1048576
scenario "race-8-retry20" --mode race --clients 8 --retry-ms 20
scenario "get-1MiB-16" --mode get --clients 16 --path /tf/default/get

echo
echo "means over the rounds (units/s, p50 and p99 in ms) and ratios against the embedded default:"
awk '{
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^units\/s=/) { split($i, v, "="); rate = v[2] }
    if ($i ~ /^p50-ms=/) { split($i, v, "="); p50 = v[2] }
    if ($i ~ /^p99-ms=/) { split($i, v, "="); p99 = v[2] }
  }
  if ($0 ~ /^  /) next
  key = $1 SUBSEP $2; n[key]++; sum[key] += rate; s50[key] += p50; s99[key] += p99; labels[$1] = 1
} END {
  for (l in labels) {
    e = sum[l SUBSEP "embedded"] / n[l SUBSEP "embedded"]
    line = sprintf("%-15s", l)
    split("embedded pg1 pg2", who, " ")
    for (w = 1; w <= 3; w++) {
      k = l SUBSEP who[w]
      if (!n[k]) continue
      r = sum[k] / n[k]
      line = line sprintf("  %s %7.1f/s p50 %6.1f p99 %7.1f", who[w], r, s50[k] / n[k], s99[k] / n[k])
      if (who[w] != "embedded") line = line sprintf(" (x%.2f)", r / e)
    }
    print line
  }
}' "$RESULTS" | sort
if cat "$RESULTS" "$WORK/warm-up" | grep -Eq 'statuses=\{[^}]*(5[0-9][0-9]|-1)='; then
  echo "bench: a setup answered 5xx or a client failed (see above)" >&2
  exit 1
fi
echo "errors: none (no 5xx, no failed client)"
