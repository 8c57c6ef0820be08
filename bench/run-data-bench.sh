#!/usr/bin/env bash
# The data phases (snapshot, validate, features) of a run vs pandas read_csv + split + standardize, on generated
# numeric tables of each size (30 columns and a 0/1 target). trainlayer's activities run in their own JVM (a worker
# process, the store over HTTP in another); pandas is installed in bench/.venv. Updates docs/benchmarks.md.
#   bench/run-data-bench.sh [sizes=100000,300000,1000000] [columns=30]
#   BENCH_STORE=minio bench/run-data-bench.sh ...   the same against MinIO (the store of ./trainlayer dev) instead of S3Proxy
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bench/.venv/bin/python -c "import pandas, numpy" 2>/dev/null; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q pandas numpy
fi
export OPENBLAS_NUM_THREADS=1
exec bench/java.sh ${BENCH_STORE:+-Dbench.store=$BENCH_STORE} dev.trainlayer.bench.DataPathBenchmark "${1:-100000,300000,1000000}" "${2:-30}" bench/.venv/bin/python docs/benchmarks.md
