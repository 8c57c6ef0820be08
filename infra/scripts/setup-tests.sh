#!/usr/bin/env bash
# Everything the tests need beyond what running trainlayer needs (infra/scripts/setup.sh): headless
# Chromium for the web-UI test, and the real servers (Temporal CLI dev server, MinIO) the integration tests
# run against, built from their Go modules once per machine. `./mvnw verify` runs this first (the root POM's
# setup-tests execution), so the README's test command works on a fresh machine. Safe to run repeatedly.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
# Headless Chromium: the web-UI integration test opens the Temporal UI with it (Debian's chromium package).
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  echo "installing chromium (headless browser for the Temporal web-UI test)"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
bash "$here/build-servers.sh" >/dev/null
