#!/usr/bin/env bash
# XGBoost4J as a trainlayer trial trains it vs the Python xgboost package, same data, parameters and seed, 1 thread:
# once with the worker's XGBoost4J against the newest xgboost-cpu PyPI serves, once with both sides at one version
# (SAME_VERSION, an XGBoost4J jar fetched from Maven Central for the bench JVM only), so the binding's own cost shows
# apart from the difference between library versions. Installs the anchors in bench/.venv and bench/.venv-xgboost-same.
# Updates its section of docs/benchmarks.md.
#   bench/run-xgboost-anchor-bench.sh [rows=100000] [rounds=200] [repeats=5]
set -euo pipefail
cd "$(dirname "$0")/.."
SAME_VERSION=${SAME_VERSION:-3.0.4}
if ! bench/.venv/bin/python -c "import xgboost, numpy" 2>/dev/null; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q xgboost-cpu numpy
fi
if ! bench/.venv-xgboost-same/bin/python -c "import xgboost, numpy" 2>/dev/null; then
  python3 -m venv bench/.venv-xgboost-same
  bench/.venv-xgboost-same/bin/pip install -q "xgboost-cpu==$SAME_VERSION" numpy
fi
./mvnw -q -B install -DskipTests
./mvnw -q -B dependency:get -Dartifact="ml.dmlc:xgboost4j_2.12:$SAME_VERSION" -Dtransitive=false
repo=$(./mvnw -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout)
worker_jar=$(tr ':' '\n' < bench/target/classpath.txt | grep '/xgboost4j_2.12-')
same_jar="$repo/ml/dmlc/xgboost4j_2.12/$SAME_VERSION/xgboost4j_2.12-$SAME_VERSION.jar"
args=("${1:-100000}" "${2:-200}" "${3:-5}")
mkdir -p bench/results/xgboost-anchor
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
run() {
  java -Xmx4g -Dtrainlayer.xgboost.nthread=1 -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
    -cp "bench/target/classes:$1" dev.trainlayer.bench.XgboostAnchorBenchmark "${@:2}"
}
run "$(sed "s#$worker_jar#$same_jar#" bench/target/classpath.txt)" "${args[@]}" bench/.venv-xgboost-same/bin/python \
  --json bench/results/xgboost-anchor/same-version.json
run "$(cat bench/target/classpath.txt)" "${args[@]}" bench/.venv/bin/python docs/benchmarks.md \
  bench/results/xgboost-anchor/same-version.json
