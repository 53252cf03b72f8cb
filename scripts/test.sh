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
dnsreconcile_log "bench/run.sh --sizes 1000 (smoke run of the benchmark: figures printed, not asserted)"
bench/run.sh --sizes 1000
dnsreconcile_log "scripts/check-packaging.sh (systemd units, sandbox, man pages, Kubernetes manifests, install)"
scripts/check-packaging.sh
