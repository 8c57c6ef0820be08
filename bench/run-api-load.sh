#!/usr/bin/env bash
# The API under load (issue 9): N clients for S seconds submitting runs with idempotency keys (and repeats of
# them) while one client reads; writes p50/p99 latencies to docs/benchmarks.md. Loopback only, bounded.
#   bench/run-api-load.sh [clients] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
./mvnw -B -pl infra verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ApiLoadIT \
  -Dtrainlayer.load.clients="${1:-50}" -Dtrainlayer.load.seconds="${2:-60}" -Dtrainlayer.load.docs="$(pwd)/docs/benchmarks.md"
