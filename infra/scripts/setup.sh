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
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  echo "Java 17 or newer is required (java -version)" >&2
  exit 1
fi
