#!/usr/bin/env bash
# Checks DJL training on CUDA: run on a machine with an NVIDIA GPU, after `./mvnw install -DskipTests`.
#
# DJL needs CUDA builds of libtorch. Maven Central serves none for the PyTorch 2.7.1 that DJL 0.36 uses
# (ai.djl.pytorch:pytorch-native-cu124 stops at 2.5.1; cu126/cu128 are not served), so point DJL at a
# libtorch 2.7.1 CUDA build on that machine:
#   PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib PYTORCH_FLAVOR=cu128 bench/gpu-check.sh
# (a pip-installed torch 2.7.1 works too: PYTORCH_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib).
# Prints CPU vs GPU time for the same MLP and exits non-zero unless the GPU is used and matches CPU quality.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  echo "set PYTORCH_LIBRARY_PATH to a CUDA libtorch 2.7.1 lib directory (see the comment at the top)" >&2
  exit 2
fi
export PYTORCH_VERSION=${PYTORCH_VERSION:-2.7.1}
java -Xmx8g -Dlogback.configurationFile=infra/src/main/resources/logback.xml \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.trainlayer.bench.GpuCheck
