#!/usr/bin/env bash
# Fleet search at scale (issue 32): 10,000 states of 50 resource instances each in the embedded SQLite
# store, indexed as the server indexes them; prints p50/p99/max of searches through the use case the
# REST API calls, for a reader of every project and for a reader of one project of twenty.
#
#   bench/search/run.sh                      # fills the store once (a few minutes), then measures
#   STATES=1000 RESOURCES=50 bench/search/run.sh
#
# The store is kept in $SEARCH_BENCH_DIR (default /tmp/statefort-search-bench) and reused for the same sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
cd "$ROOT"
if [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl bench -am package -DskipTests
fi
DIR="${SEARCH_BENCH_DIR:-/tmp/statefort-search-bench}"
mkdir -p "$DIR"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp bench/target/benchmarks.jar dev.statefort.bench.search.SearchBenchmark \
  "$DIR" "${STATES:-10000}" "${RESOURCES:-50}" "${ROUNDS:-300}"
