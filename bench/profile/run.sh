#!/usr/bin/env bash
# CPU profile of a warm Statefort (issue 27): starts the jar on the embedded default (SQLite + files,
# encryption on), warms it with WARM_SECONDS (default 30) of load, then records PROFILE_SECONDS
# (default 30) of the same load with async-profiler (CPU, every INTERVAL_MS ms, per thread) and prints
# the CPU per unit of work by component (the carriers that run the request virtual threads, the SQLite
# writer, the JIT compilers, GC, the analysis pool), the server's total CPU per unit from /proc, and the
# hottest frames.
#
#   bench/profile/run.sh                              # cycle (LOCK GET POST UNLOCK) 10 KiB, 8 clients
#   CLIENTS=1 bench/profile/run.sh                    # one client
#   SIZE=1048576 bench/profile/run.sh                 # 1 MiB states
#   LOAD='--mode race --clients 8' bench/profile/run.sh
#   JAR=/path/other-statefort.jar bench/profile/run.sh   # another build (before/after)
#   KEEP=/tmp/profile bench/profile/run.sh            # keep the collapsed stacks (for a flame graph)
#
# async-profiler is tools.profiler:async-profiler:4.1 from the Maven repository (fetched once). Only
# 127.0.0.1 is used; everything started is stopped by PID at exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
JAVA="$JAVA_HOME/bin/java"
WARM_SECONDS="${WARM_SECONDS:-30}"
PROFILE_SECONDS="${PROFILE_SECONDS:-30}"
INTERVAL_MS="${INTERVAL_MS:-1}"
CLIENTS="${CLIENTS:-8}"
SIZE="${SIZE:-10240}"
LOAD="${LOAD:---mode cycle --clients $CLIENTS --size $SIZE}"

cd "$ROOT"
JAR="${JAR:-server/target/statefort.jar}"
if [ ! -f "$JAR" ] || [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests
fi
PROFILER_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar"
if [ ! -f "$PROFILER_JAR" ]; then
  ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1
fi

WORK="$(mktemp -d /tmp/statefort-profile.XXXXXX)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/cpu.collapsed "$WORK/summary" "$KEEP/" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$WORK" && "$JAVA_HOME/bin/jar" xf "$PROFILER_JAR" linux-x64/libasyncProfiler.so)
AGENT="$WORK/linux-x64/libasyncProfiler.so"
PORT="$("$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FreePort)"
# The agent starts with the JVM and writes one profile per PROFILE_SECONDS window (loop mode): attaching
# later is not reliable here (the attach socket does not answer), so the window that lies wholly inside
# the measured load is the one summarized; the warm-up's windows are left out.
t0="$(date +%s.%N)"
"$JAVA" -Xmx1g "-agentpath:$AGENT=start,event=cpu,interval=${INTERVAL_MS}ms,threads,loop=${PROFILE_SECONDS}s,collapsed,file=$WORK/cpu-%n{99}.collapsed" \
    -jar "$JAR" serve --port "$PORT" --data-dir "$WORK/data" \
    --master-key-file "$WORK/master.key" >"$WORK/server.log" 2>&1 &
PID="$!"
for _ in $(seq 1 100); do
  if curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
URL="http://127.0.0.1:$PORT"
TOKEN="$(cat "$WORK/data/initial-admin-token")"
load() { # seconds prefix
  # shellcheck disable=SC2086
  "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.LoadGenerator --seconds "$1" \
      --url "$URL" --token "$TOKEN" --prefix "$2" $LOAD
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK_MS=$(( 1000 / $(getconf CLK_TCK) ))

echo "profile: $JAR, load '$LOAD', warm-up ${WARM_SECONDS}s, then a ${PROFILE_SECONDS}s window of the same load profiled"
echo "warm-up: $(load "$WARM_SECONDS" warm)"
tm="$(date +%s.%N)"
before="$(cpu_ticks)"
measured="$(load $(( 2 * PROFILE_SECONDS + 2 )) profiled)"
after="$(cpu_ticks)"
te="$(date +%s.%N)"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
echo "profiled: $measured"
window="$(awk -v t0="$t0" -v tm="$tm" -v te="$te" -v w="$PROFILE_SECONDS" 'BEGIN {
  for (k = 0; k < 99; k++) if (t0 + k * w >= tm && t0 + (k + 1) * w <= te) { print k; exit } }')"
PROFILE="$(printf '%s/cpu-%d.collapsed' "$WORK" "$window")"
cp "$PROFILE" "$WORK/cpu.collapsed"

rate="$(echo "$measured" | sed -n 's/.*units\/s=\([0-9.]*\).*/\1/p')"
units="$(awk -v r="$rate" -v s="$PROFILE_SECONDS" 'BEGIN { printf "%.0f", r * s }')"
all_units="$(awk -v r="$rate" -v s=$(( 2 * PROFILE_SECONDS + 2 )) 'BEGIN { printf "%.0f", r * s }')"
{
  awk -v t=$(( after - before )) -v ms="$TICK_MS" -v u="$all_units" 'BEGIN {
    printf "server CPU from /proc over the measured load: %d ms over %d units: %.3f ms per unit\n", t * ms, u, (u > 0 ? t * ms / u : 0) }'
  "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.profile.CpuProfileSummary \
      "$WORK/cpu.collapsed" "$INTERVAL_MS" "$units" "${TOP:-20}"
} | tee "$WORK/summary"
if echo "$measured" | grep -Eq 'statuses=\{[^}]*(5[0-9][0-9]|-1)='; then
  echo "profile: the server answered 5xx or a client failed during the profiled run" >&2
  exit 1
fi
