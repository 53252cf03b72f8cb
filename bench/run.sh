#!/usr/bin/env bash
# The dnsreconcile benchmark: builds the release binary, then runs bench/bench.py against the
# Route53 emulator on 127.0.0.1 and prints a table of API calls, connections, CPU, peak RSS and
# wall time per zone size and pass. Figures are printed, not asserted.
#
#   bench/run.sh                         sizes 1,000, 10,000 and 50,000
#   bench/run.sh --sizes 1000            the CI smoke run
#   bench/run.sh --plain-moto            moto without the benchmark's indexes (slow above 10,000)
#   bench/run.sh --debug                 use the debug build (faster to build, slower to run)
#   bench/run.sh --keep                  keep the work directory (configs, logs, metrics)
#   bench/run.sh --endpoints 1000        one cluster of 1,000 endpoints in zones of each size, the
#                                        rest of the zone other owners' sets (a shared zone)
#
# Also: --rate N (requests per second given to the client, default 1000), --wrap CMD (a prefix
# for each pass, e.g. a profiler).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

configuration=release
arguments=()
while [ $# -gt 0 ]; do
    case "$1" in
        --debug) configuration=debug ;;
        --sizes|--rate|--wrap|--endpoints) arguments+=("$1" "$2"); shift ;;
        --sizes=*|--rate=*|--wrap=*|--endpoints=*|--plain-moto|--keep) arguments+=("$1") ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) dnsreconcile_log "unknown option $1 (see bench/run.sh --help)"; exit 64 ;;
    esac
    shift
done

dnsreconcile_install_missing
dnsreconcile_log "swift build -c $configuration --product dnsreconcile"
swift build -c "$configuration" --product dnsreconcile
binary="$(swift build -c "$configuration" --show-bin-path)/dnsreconcile"
exec python3 bench/bench.py --binary "$binary" "${arguments[@]}"
