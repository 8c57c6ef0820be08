#!/usr/bin/env bash
# Demo retrain benchmark: wall time split into activity execution and orchestration, trial throughput,
# and the same training run directly for comparison. Writes docs/benchmarks.md.
#   bench/run-demo-bench.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
export OMP_NUM_THREADS=1
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dtrainlayer.xgboost.nthread=1 -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.DemoBenchmark "${1:-3}" docs/benchmarks.md
