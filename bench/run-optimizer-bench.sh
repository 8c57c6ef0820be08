#!/usr/bin/env bash
# Optimizer benchmark: trainlayer's GP-EI and random search vs Optuna's TPE and scikit-optimize's
# gp_minimize on Branin, Hartmann-6 and a mixed space, plus suggestion latency. Updates docs/benchmarks.md.
#   bench/run-optimizer-bench.sh [seeds=10] [budget=100] [skopt-seeds=seeds]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-10}; budget=${2:-100}; skopt_seeds=${3:-$seeds}
./mvnw -q -B install -DskipTests
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q optuna scikit-optimize
fi
mkdir -p bench/results
java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.OptimizerBenchmark \
  "$seeds" "$budget" bench/results/optimizer-java.json
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 bench/.venv/bin/python bench/optimizers.py "$seeds" "$budget" "$skopt_seeds" \
  bench/results/optimizer-python.json
python3 bench/report.py
