#!/usr/bin/env bash
# The kill -9 loop (issue 16) at length: writers keep writing to a Statefort process that gets SIGKILL
# at a random moment, restarts on the same data directory and is checked (every acknowledged write
# there byte for byte, no torn state, the held lock still held) -- ROUNDS times (default 100; CI runs
# 30 of them in Kill9LoopTest). About 4 s a round. Prints "Kill9LoopTest observed: ..." at the end.
#
#   bench/faults/kill9-loop.sh              # 100 rounds
#   ROUNDS=300 bench/faults/kill9-loop.sh
#
# Needs the jar and the modules installed once: ./mvnw -B install -DskipTests
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
cd "$ROOT"
./mvnw -B -q verify -pl it -Dtest=Kill9LoopTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstatefort.kill9.rounds="${ROUNDS:-100}" -Dspotless.check.skip=true
