#!/usr/bin/env bash
# Installs what the build and tests need beyond Java 17 and Maven Central: the system OpenMP runtime
# that XGBoost4J's native library links against. Safe to run repeatedly.
set -euo pipefail
if ! ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1'; then
  echo "installing libgomp1 (OpenMP runtime for XGBoost)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq libgomp1
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq libgomp1
  fi
fi
# Headless Chromium: the web-UI integration test opens the Temporal UI with it (Debian's chromium package).
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  echo "installing chromium (headless browser for the Temporal web-UI test)"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  echo "Java 17 or newer is required (java -version)" >&2
  exit 1
fi
# The real servers the integration tests run against (Temporal CLI dev server, MinIO), built from their
# Go modules once per machine and cached (infra/scripts/build-servers.sh).
bash "$(dirname "$0")/build-servers.sh" >/dev/null
