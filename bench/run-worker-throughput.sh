#!/usr/bin/env bash
# Runs per minute that 1 and 2 worker processes sustain on the real servers with trivial trials.
# Updates its section of docs/benchmarks.md.
#   bench/run-worker-throughput.sh [runs=12]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
java -Xmx2g -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.WorkerThroughputBenchmark "${1:-12}" docs/benchmarks.md
