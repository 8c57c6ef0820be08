#!/usr/bin/env bash
# The demo retrain on the embedded stack and on the real servers (Temporal CLI dev server + MinIO, built
# from source once by infra/scripts/build-servers.sh), side by side. Updates its section of docs/benchmarks.md.
#   bench/run-backend-bench.sh [runs=5]
set -euo pipefail
exec "$(dirname "$0")/java.sh" dev.trainlayer.bench.BackendBenchmark "${1:-5}" docs/benchmarks.md
