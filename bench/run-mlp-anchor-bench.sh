#!/usr/bin/env bash
# An MLP trial as trainlayer trains it (DJL, PyTorch engine) vs PyTorch in Python on the same network, data, batch size
# and threads. Installs the anchor (torch 2.7.1 from PyPI, the libtorch DJL's engine loads) in bench/.venv. Updates its
# section of docs/benchmarks.md.
#   bench/run-mlp-anchor-bench.sh [rows=50000] [epochs=4] [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bench/.venv/bin/python -c "import torch, numpy" 2>/dev/null; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q torch==2.7.1 numpy
fi
export OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec bench/java.sh dev.trainlayer.bench.MlpAnchorBenchmark "${1:-50000}" "${2:-4}" "${3:-3}" bench/.venv/bin/python docs/benchmarks.md
