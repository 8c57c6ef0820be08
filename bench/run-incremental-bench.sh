#!/usr/bin/env bash
# Incremental training vs retraining from scratch (on the newer rows, and on all rows so far): test metric
# and training time, for the MLP and XGBoost on the breast-cancer, wine and diabetes data, through the real
# activities. Updates its section of docs/benchmarks.md.
#   bench/run-incremental-bench.sh [seeds=3]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.IncrementalBenchmark "${1:-3}" docs/benchmarks.md
