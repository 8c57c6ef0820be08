#!/usr/bin/env bash
# Runs per minute that 1 and 2 worker processes sustain on the real servers with trivial trials.
# Updates its section of docs/benchmarks.md.
#   bench/run-worker-throughput.sh [runs=12]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.WorkerThroughputBenchmark "${1:-12}" docs/benchmarks.md
