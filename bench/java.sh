#!/usr/bin/env bash
# Shared by the bench scripts: builds the project and runs one benchmark's main class with native math
# pinned to 1 thread (so the numbers do not depend on how busy this shared machine is).
#   bench/java.sh <main class> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
export OMP_NUM_THREADS=1 MKL_CBWR="${MKL_CBWR:-AVX2,STRICT}"   # as ./trainlayer and the image run it
exec java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dtrainlayer.xgboost.nthread=1 -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$@"
