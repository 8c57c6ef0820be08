#!/usr/bin/env bash
# The demo retrain on the embedded stack and on the real servers (Temporal CLI dev server + MinIO, built
# from source once by infra/scripts/build-servers.sh), side by side. Updates its section of docs/benchmarks.md.
#   bench/run-backend-bench.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
export OMP_NUM_THREADS=1
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dtrainlayer.xgboost.nthread=1 -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.BackendBenchmark "${1:-5}" docs/benchmarks.md
