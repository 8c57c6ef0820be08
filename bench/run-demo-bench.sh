#!/usr/bin/env bash
# Demo retrain benchmark: wall time split into activity execution and orchestration, trial throughput,
# and the same training run directly for comparison. Writes docs/benchmarks.md.
#   bench/run-demo-bench.sh [runs]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.DemoBenchmark "${1:-3}" docs/benchmarks.md
