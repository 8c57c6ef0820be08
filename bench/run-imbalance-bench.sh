#!/usr/bin/env bash
# Class weights (classWeights: none / auto / balanced, and the MLP's inputNoise) on an imbalanced public table: the
# diamonds table from plotnine's wheel, "is the cut Fair?" (3% of the rows). Reports the minority class's recall,
# precision and F1 on a holdout, medians over seeds. Installs pandas in bench/.venv. Updates its section of
# docs/benchmarks.md.
#   bench/run-imbalance-bench.sh [seeds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bench/.venv/bin/python -c "import pandas, numpy" 2>/dev/null; then
  [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q pandas numpy
fi
data=bench/results/imbalance
if [ ! -f $data/meta.json ]; then
  mkdir -p $data/wheel
  bench/.venv/bin/pip download -q --no-deps -d $data/wheel plotnine==0.15.9
  bench/.venv/bin/python bench/imbalance.py $data $data/wheel/plotnine-0.15.9-py3-none-any.whl
fi
exec bench/java.sh dev.trainlayer.bench.ImbalanceBenchmark $data "${1:-3}" docs/benchmarks.md
