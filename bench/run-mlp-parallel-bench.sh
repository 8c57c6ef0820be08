#!/usr/bin/env bash
# Two MLP trials in one worker process vs one alone, with per-thread gradients and with DJL's collector.
# Updates its section of docs/benchmarks.md.
#   bench/run-mlp-parallel-bench.sh [repeats=3]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.MlpParallelBenchmark "${1:-3}" docs/benchmarks.md
