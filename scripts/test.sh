#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

dnsreconcile_install_missing
dnsreconcile_log "swift build --build-tests"
swift build --build-tests
dnsreconcile_log "swift test"
swift test
