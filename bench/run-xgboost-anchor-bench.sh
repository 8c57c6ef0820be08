#!/usr/bin/env bash
# XGBoost4J as a trainlayer trial trains it vs the Python xgboost package, same data, parameters and seed, 1 thread.
# Installs the anchor (xgboost-cpu, numpy) in bench/.venv. Updates its section of docs/benchmarks.md.
#   bench/run-xgboost-anchor-bench.sh [rows=100000] [rounds=200] [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bench/.venv/bin/python -c "import xgboost, numpy" 2>/dev/null; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q xgboost-cpu numpy
fi
export OPENBLAS_NUM_THREADS=1
exec bench/java.sh dev.trainlayer.bench.XgboostAnchorBenchmark "${1:-100000}" "${2:-200}" "${3:-3}" bench/.venv/bin/python docs/benchmarks.md
