#!/usr/bin/env bash
# Search benchmarks: trials to reach the default-parameter baseline, GP-EI vs random, on the breast-cancer
# and diabetes data through the real activities; and a 64-trial search's orchestration throughput on the
# embedded Temporal server. Updates its section of docs/benchmarks.md.
#   bench/run-search-bench.sh [seeds=5] [budget=30]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.SearchBenchmark "${1:-5}" "${2:-30}" docs/benchmarks.md
