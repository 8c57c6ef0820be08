#!/usr/bin/env bash
# Search benchmarks: trials to reach the default-parameter baseline, GP-EI vs random, on the breast-cancer
# and diabetes data through the real activities; and a 64-trial search's orchestration throughput on the
# embedded Temporal server. Updates its section of docs/benchmarks.md.
#   bench/run-search-bench.sh [seeds=5] [budget=30]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
export OMP_NUM_THREADS=1
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dtrainlayer.xgboost.nthread=1 -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.SearchBenchmark "${1:-5}" "${2:-30}" docs/benchmarks.md
