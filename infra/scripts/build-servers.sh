#!/usr/bin/env bash
# Builds the real servers used by the integration tests and by `./trainlayer dev`, from their Go
# modules (needs only Go and the Go module proxy), into a cache shared by every checkout:
#   ${TRAINLAYER_CACHE:-~/.cache/trainlayer}/bin/temporal-<version>/temporal   Temporal CLI (dev server + web UI)
#   ${TRAINLAYER_CACHE:-~/.cache/trainlayer}/bin/minio-<version>/minio         MinIO server
# Prints "temporal=<path>" and "minio=<path>". A binary already built is reused, so only the first run on
# a machine takes minutes.
#
# Versions: Temporal CLI v1.5.1 (`go install` works as is; v1.8.2 needs its cliext sub-module, which the
# module proxy here does not serve). MinIO: the upstream project is archived and the proxy refuses its
# RELEASE.* tags, so this pins the last commit it serves. MinIO is AGPL-3.0: it runs as a separate,
# unmodified server process and nothing of it is linked into trainlayer. Any S3-compatible store works.
set -euo pipefail
TEMPORAL_CLI_VERSION=v1.5.1
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
cache=${TRAINLAYER_CACHE:-$HOME/.cache/trainlayer}

build() {
  local name=$1 package=$2 version=$3 binary=$4 label=$5 estimate=$6 step=$7
  local dir="$cache/bin/$name-$version"
  if [ ! -x "$dir/$binary" ]; then
    if ! command -v go >/dev/null; then
      echo "Go is needed to build $name (https://go.dev/doc/install); or put a $binary binary at $dir/$binary" >&2
      exit 1
    fi
    echo "[$step] building $label once for this machine, about $estimate ($package@$version into $dir)" >&2
    local tmp="$dir.partial.$$" started=$SECONDS
    rm -rf "$tmp" && mkdir -p "$tmp"
    GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath" go install "$package@$version" >&2
    rm -rf "$dir" && mv "$tmp" "$dir"   # whole or nothing: an interrupted build leaves no half binary
    echo "[$step] built $label in $((SECONDS - started)) s; later starts reuse it" >&2
  fi
  echo "$name=$dir/$binary"
}

build temporal github.com/temporalio/cli/cmd/temporal "$TEMPORAL_CLI_VERSION" temporal \
  "Temporal ${TEMPORAL_CLI_VERSION#v} (dev server and web UI)" "3 minutes" "1/2"
build minio github.com/minio/minio "$MINIO_VERSION" minio "MinIO (object store)" "2 minutes" "2/2"
