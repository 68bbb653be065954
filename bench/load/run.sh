#!/usr/bin/env bash
# Load benchmark (issue 11): Statefort on the embedded default (SQLite + files, encryption on) and
# nginx (static files and WebDAV, no lock, no fsync) side by side on 127.0.0.1, each scenario run
# against both in turn (A B A B), bounded in time. Prints each run and the ratio product/nginx.
#
#   bench/load/run.sh                 # about 3 minutes; needs nginx (apt-get install nginx-light)
#   SECONDS_PER_RUN=3 ROUNDS=1 bench/load/run.sh
#   BASELINE_JAR=/path/old-statefort.jar bench/load/run.sh   # also an older Statefort, same scenarios
#   TMPFS_BLOBS=1 bench/load/run.sh   # also Statefort with its blob directory on /dev/shm: what a
#                                     # blob write would cost if it needed no fsync of its own
#                                     # (the ceiling of keeping small blobs inside the database)
#   SCENARIOS='cycle-10KiB-8 race-8' bench/load/run.sh   # only these scenarios (labels as printed)
#   WARM_SECONDS=30                   # mixed load per server before the first figure (default 30)
#
# Everything it starts is stopped by PID at exit; data lives in a temporary directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
JAVA="$JAVA_HOME/bin/java"
RUN_SECONDS="${SECONDS_PER_RUN:-5}"
ROUNDS="${ROUNDS:-2}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "bench: nginx is missing (apt-get install nginx-light)" >&2; exit 1; }

cd "$ROOT"
if [ ! -f server/target/statefort.jar ] || [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests
fi

WORK="$(mktemp -d /tmp/statefort-load.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FreePort; }

start_statefort() { # name jar [blob-dir] -> sets URL_<name>, TOKEN_<name>
  local name="$1" jar="$2" blobs="${3:-$WORK/$1/data/blobs}" port
  port="$(free_port)"
  mkdir -p "$WORK/$name"
  STATEFORT_BLOB_STORE_DIR="$blobs" "$JAVA" -Xmx1g -jar "$jar" serve --port "$port" --data-dir "$WORK/$name/data" \
      --master-key-file "$WORK/$name/master.key" >"$WORK/$name/log" 2>&1 &
  PIDS+=("$!"); printf -v "PID_$name" '%s' "$!"
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
  printf -v "TOKEN_$name" '%s' "$(cat "$WORK/$name/data/initial-admin-token")"
}

start_nginx() {
  local port
  port="$(free_port)"
  mkdir -p "$WORK/nginx/www/dav" "$WORK/nginx/body"
  "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.StateFile 1048576 >"$WORK/nginx/www/static.json"
  cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  client_max_body_size 200m;
  server {
    listen 127.0.0.1:$port;
    root $WORK/nginx/www;
    location /dav/ { dav_methods PUT DELETE; create_full_put_path on; }
  }
}
EOF
  "$NGINX" -c "$WORK/nginx/nginx.conf" &
  PIDS+=("$!"); PID_nginx="$!"
  for _ in $(seq 1 50); do
    if curl -fs "http://127.0.0.1:$port/static.json" -o /dev/null; then break; fi
    sleep 0.1
  done
  URL_nginx="http://127.0.0.1:$port"
}

# CPU time (user + system, in clock ticks) of a process and its children (nginx's workers)
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
TICK_MS=$(( 1000 / $(getconf CLK_TCK) ))
measured() { # who load-args... : one run, with the server's CPU milliseconds per unit appended
  local who="$1" pid before out after
  shift
  pid="PID_$who"
  before=$(cpu_ticks "${!pid}")
  out="$(load "$@")"
  after=$(cpu_ticks "${!pid}")
  echo "$out" | awk -v ticks=$(( after - before )) -v tick_ms="$TICK_MS" -v s="$RUN_SECONDS" '{
    for (i = 1; i <= NF; i++) if ($i ~ /^units\/s=/) { split($i, v, "="); rate = v[2] }
    printf "%s server-cpu-ms/unit=%.2f\n", $0, (rate > 0 ? ticks * tick_ms / (rate * s) : 0) }'
}

load() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.LoadGenerator --seconds "$RUN_SECONDS" "$@"; }

start_statefort product server/target/statefort.jar
PRODUCTS=(product)
if [ -n "${BASELINE_JAR:-}" ]; then start_statefort baseline "$BASELINE_JAR"; PRODUCTS+=(baseline); fi
if [ -n "${TMPFS_BLOBS:-}" ]; then
  SHM="$(mktemp -d /dev/shm/statefort-load.XXXXXX)"
  trap 'cleanup; rm -rf "$SHM"' EXIT
  start_statefort shmblobs server/target/statefort.jar "$SHM/blobs"
  PRODUCTS+=(shmblobs)
fi
start_nginx
"$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FsyncProbe "$WORK"

# the state the GET scenario reads: 1 MiB, written once
for p in "${PRODUCTS[@]}"; do
  url="URL_$p"; token="TOKEN_$p"
  "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.StateFile 1048576 >"$WORK/get.json"
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer ${!token}" -H 'Content-Type: application/json' \
      --data-binary "@$WORK/get.json" "${!url}/tf/default/get"
done

RESULTS="$WORK/results"
: >"$RESULTS"
# warm-up (JIT, caches): WARM_SECONDS (default 30) of mixed load per server before any figure (a
# long-running server is warm), not counted in the means but checked for errors like every run
WARM_EACH=$(( (${WARM_SECONDS:-30} + 3) / 4 ))
for p in "${PRODUCTS[@]}"; do
  url="URL_$p"; token="TOKEN_$p"
  for args in "--mode cycle --clients 8 --size 10240" "--mode cycle --clients 4 --size 1048576" "--mode race --clients 8" "--mode get --gzip true --clients 8 --path /tf/default/get"; do
    # shellcheck disable=SC2086
    echo "warm-up $p $(load --seconds "$WARM_EACH" --url "${!url}" --token "${!token}" --prefix warm $args)" | tee -a "$WORK/warm-up"
  done
done
scenario() { # label product-args... -- nginx-args...
  local label="$1"; shift
  # SCENARIOS='cycle-10KiB-8 race-8' runs only those (default: all)
  if [ -n "${SCENARIOS:-}" ] && [[ " $SCENARIOS " != *" $label "* ]]; then return; fi
  local product=() nginx=()
  while [ "$1" != "--" ]; do product+=("$1"); shift; done; shift
  nginx=("$@")
  for round in $(seq 1 "$ROUNDS"); do
    for p in "${PRODUCTS[@]}"; do
      url="URL_$p"; token="TOKEN_$p"
      echo "$label $p $(measured "$p" --url "${!url}" --token "${!token}" --prefix "r$round" "${product[@]}")" | tee -a "$RESULTS"
    done
    if [ "${#nginx[@]}" -gt 0 ]; then
      echo "$label nginx $(measured nginx --url "$URL_nginx" --prefix "r$round" "${nginx[@]}")" | tee -a "$RESULTS"
    fi
  done
}

scenario "cycle-10KiB-1" --mode cycle --clients 1 --size 10240 -- --mode dav --clients 1 --size 10240
scenario "cycle-10KiB-8" --mode cycle --clients 8 --size 10240 -- --mode dav --clients 8 --size 10240
scenario "cycle-1MiB-1" --mode cycle --clients 1 --size 1048576 -- --mode dav --clients 1 --size 1048576
scenario "cycle-1MiB-8" --mode cycle --clients 8 --size 1048576 -- --mode dav --clients 8 --size 1048576
scenario "race-8" --mode race --clients 8 --
scenario "race-8-retry20" --mode race --clients 8 --retry-ms 20 --
# 8 planners and 1 applier on one state (the applier retries every 100 ms and applies every 0.5 s):
# plan grants/s, applies/s, the applier's wait
scenario "planners-8+1" --mode planners --clients 9 --
scenario "get-1MiB-16" --mode get --clients 16 --path /tf/default/get -- --mode get --clients 16 --path /static.json
scenario "get-1MiB-16-gzip" --mode get --gzip true --clients 16 --path /tf/default/get -- --mode get --gzip true --clients 16 --path /static.json
scenario "post-100MB-1" --mode post --clients 1 --size 100000000 -- --mode put --clients 1 --size 100000000

echo
echo "mean units/s over the rounds per scenario and ratios (product / nginx, product / each other run):"
awk '{
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^units\/s=/) { split($i, v, "="); rate = v[2] }
    if ($i ~ /^bytes\/unit=/) { split($i, v, "="); size = v[2] }
    if ($i ~ /^server-cpu-ms\/unit=/) { split($i, v, "="); cpu = v[2] }
  }
  key = $1 SUBSEP $2; n[key]++; sum[key] += rate; bytes[key] = size; cpus[key] += cpu; labels[$1] = 1; who[$2] = 1
} END {
  for (l in labels) {
    p = sum[l SUBSEP "product"] / n[l SUBSEP "product"]
    line = sprintf("%-14s product %8.1f/s", l, p)
    if (n[l SUBSEP "nginx"]) { g = sum[l SUBSEP "nginx"] / n[l SUBSEP "nginx"]; line = line sprintf("  nginx %8.1f/s  ratio %.2f", g, p / g) }
    for (w in who) {
      if (w == "product" || w == "nginx" || !n[l SUBSEP w]) continue
      b = sum[l SUBSEP w] / n[l SUBSEP w]; line = line sprintf("  %s %8.1f/s  ratio %.2f", w, b, p / b)
    }
    line = line sprintf("  server-cpu-ms/unit %.2f", cpus[l SUBSEP "product"] / n[l SUBSEP "product"])
    if (n[l SUBSEP "nginx"]) line = line sprintf(" (nginx %.2f)", cpus[l SUBSEP "nginx"] / n[l SUBSEP "nginx"])
    if (l ~ /^get/ && bytes[l SUBSEP "product"] > 0 && n[l SUBSEP "nginx"]) line = line sprintf("  bytes/response %d vs nginx %d (%.1fx fewer)", bytes[l SUBSEP "product"], bytes[l SUBSEP "nginx"], bytes[l SUBSEP "nginx"] / bytes[l SUBSEP "product"])
    print line
  }
}' "$RESULTS" | sort
for p in "${PRODUCTS[@]}"; do
  if cat "$RESULTS" "$WORK/warm-up" | grep " $p " | grep -Eq 'statuses=\{[^}]*(5[0-9][0-9]|-1)='; then
    echo "bench: $p answered 5xx or a client failed (see above)" >&2
  fi
done
