#!/usr/bin/env bash
# Terraform benchmark (issue 11): the real terraform against Statefort (embedded default, encryption
# on) and against a minimal in-memory http backend (bench InMemoryBackend: a map, no durability, no
# auth), on 127.0.0.1, interleaved (A B A B). Per round and backend: `terraform apply` of 1,000
# terraform_data resources whose input changes every round (round 1 creates them), then `terraform
# plan -detailed-exitcode` with no changes. Prints each timing and the mean difference.
#
#   bench/terraform/run.sh            # about 1 minute; needs terraform on the PATH
#   ROUNDS=3 RESOURCES=1000 bench/terraform/run.sh
#
# Everything it starts is stopped by PID at exit; data lives in a temporary directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java-home.sh
source "$ROOT/scripts/java-home.sh"
JAVA="$JAVA_HOME/bin/java"
ROUNDS="${ROUNDS:-6}"
RESOURCES="${RESOURCES:-1000}"
command -v terraform >/dev/null || { echo "bench: terraform is missing from the PATH" >&2; exit 1; }

cd "$ROOT"
if [ ! -f server/target/statefort.jar ] || [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests
fi

WORK="$(mktemp -d /tmp/statefort-tfbench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.FreePort; }
await() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "bench: $1 never answered" >&2; exit 1; }

port="$(free_port)"
"$JAVA" -Xmx1g -jar server/target/statefort.jar serve --port "$port" --data-dir "$WORK/statefort/data" \
    --master-key-file "$WORK/statefort/master.key" >"$WORK/statefort.log" 2>&1 &
PIDS+=("$!")
await "http://127.0.0.1:$port/readyz"
URL_statefort="http://127.0.0.1:$port/tf/default/bench"
PASSWORD_statefort="$(cat "$WORK/statefort/data/initial-admin-token")"

port="$(free_port)"
"$JAVA" -cp bench/target/benchmarks.jar dev.statefort.bench.load.InMemoryBackend "$port" >"$WORK/memory.log" 2>&1 &
PIDS+=("$!")
await "http://127.0.0.1:$port/"
URL_memory="http://127.0.0.1:$port/bench"
PASSWORD_memory="unused"

BACKENDS=(statefort memory)
for b in "${BACKENDS[@]}"; do
  mkdir -p "$WORK/$b/cli" "$WORK/$b/home"
  cat >"$WORK/$b/cli/main.tf" <<EOF
terraform {
  backend "http" {}
}
variable "generation" {
  type = number
}
resource "terraform_data" "r" {
  count = $RESOURCES
  input = "resource \${count.index} of generation \${var.generation}"
}
EOF
done

tf() { # backend args...
  local b="$1"; shift
  local url="URL_$b" password="PASSWORD_$b"
  (cd "$WORK/$b/cli" && env -i PATH="$PATH" HOME="$WORK/$b/home" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1 \
      TF_HTTP_ADDRESS="${!url}" TF_HTTP_LOCK_ADDRESS="${!url}/lock" TF_HTTP_UNLOCK_ADDRESS="${!url}/lock" \
      TF_HTTP_USERNAME=terraform TF_HTTP_PASSWORD="${!password}" NO_PROXY=127.0.0.1 \
      terraform "$@" >>"$WORK/$b.tf.log" 2>&1)
}
timed() { # label backend args... ; prints seconds, appends to results
  local label="$1" b="$2"; shift 2
  local start end status=0
  start=$(date +%s.%N)
  tf "$b" "$@" || status=$?
  end=$(date +%s.%N)
  if [ "$label" = plan ] && [ "$status" -ne 0 ]; then echo "bench: plan on $b found changes or failed ($status)" >&2; tail -20 "$WORK/$b.tf.log" >&2; exit 1; fi
  if [ "$label" != plan ] && [ "$status" -ne 0 ]; then echo "bench: $label on $b failed ($status)" >&2; tail -20 "$WORK/$b.tf.log" >&2; exit 1; fi
  local seconds; seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  echo "$label $b $seconds" | tee -a "$WORK/results"
}

: >"$WORK/results"
for b in "${BACKENDS[@]}"; do tf "$b" init -input=false; done
for round in $(seq 1 "$ROUNDS"); do
  for b in "${BACKENDS[@]}"; do
    label=apply-change; [ "$round" = 1 ] && label=apply-create
    timed "$label" "$b" apply -auto-approve -var "generation=$round"
    timed plan "$b" plan -detailed-exitcode -var "generation=$round"
  done
done

echo
echo "mean seconds per step ($RESOURCES resources, $ROUNDS rounds; apply-create is round 1 only):"
awk '{ key = $1 SUBSEP $2; n[key]++; sum[key] += $3; labels[$1] = 1 } END {
  for (l in labels) {
    s = sum[l SUBSEP "statefort"] / n[l SUBSEP "statefort"]; m = sum[l SUBSEP "memory"] / n[l SUBSEP "memory"]
    printf "%-13s statefort %6.2f s  in-memory %6.2f s  difference %+.2f s  ratio %.2f\n", l, s, m, s - m, s / m
  }
}' "$WORK/results" | sort
