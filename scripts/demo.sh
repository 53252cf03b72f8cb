#!/usr/bin/env bash
# The whole tool on one machine: a local Route53 emulator, the zone example.com, and the two
# example clusters of conf.d/ (their Ingresses and Services in conf.d/manifests/) reconciled into
# it (plan, first run, second run with nothing to do).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

dnsreconcile_install_missing
dnsreconcile_log "swift build"
swift build
bin="$(swift build --show-bin-path)/dnsreconcile"

work=$(mktemp -d "${TMPDIR:-/tmp}/dnsreconcile-demo.XXXXXX")
moto_pid=""
cleanup() {
    if [ -n "$moto_pid" ] && kill -0 "$moto_pid" 2>/dev/null; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The emulator, with the two Route53 fidelity fixes the tests use, on loopback only.
port=$(dnsreconcile_free_port)
python3 Tests/DNSReconcileTestSupport/moto/moto_server_fixed.py "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('$endpoint/moto-api/', timeout=1)" 2>/dev/null; then break; fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then cat "$work/moto.log" >&2; exit 1; fi
    sleep 0.2
done
dnsreconcile_log "moto_server on $endpoint"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_ENDPOINT_URL_ROUTE_53="$endpoint"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL

route53() {  # route53 create-zone | list
    python3 - "$endpoint" "$1" <<'PY'
import sys, uuid, boto3
endpoint, action = sys.argv[1], sys.argv[2]
r53 = boto3.client("route53", endpoint_url=endpoint, region_name="us-east-1")
if action == "create-zone":
    zone = r53.create_hosted_zone(Name="example.com", CallerReference=str(uuid.uuid4()))["HostedZone"]
    print("created zone %s (%s)" % (zone["Name"], zone["Id"].split("/")[-1]))
else:
    for zone in r53.list_hosted_zones()["HostedZones"]:
        print("records of %s" % zone["Name"])
        for rrset in r53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone["Id"]).build_full_result()["ResourceRecordSets"]:
            if rrset["Type"] in ("SOA", "NS"):
                continue
            routing = "latency %s" % rrset["Region"] if "Region" in rrset else ""
            values = ", ".join(r["Value"] for r in rrset.get("ResourceRecords", []))
            print("  %-24s %-4s %-4s %-24s %5s  %s" % (rrset["Name"], rrset["Type"], rrset.get("SetIdentifier", "-"),
                                                      routing or "simple", rrset.get("TTL", "-"), values))
PY
}
route53 create-zone

# A main file of our own, so a system-wide /etc/dnsreconcile/dnsreconcile.ini is never read.
cat >"$work/dnsreconcile.ini" <<INI
[metrics]
textfile-dir = $work/metrics

[run]
lock-file = $work/dnsreconcile.lock
deadline  = 1m
INI
common=(--config "$work/dnsreconcile.ini" --config-dir conf.d)

dnsreconcile_log "dnsreconcile check-config"
"$bin" check-config "${common[@]}"
dnsreconcile_log "dnsreconcile plan"
"$bin" plan "${common[@]}"
dnsreconcile_log "dnsreconcile run (first pass: creates the records and their ownership TXT records)"
"$bin" run "${common[@]}"
dnsreconcile_log "dnsreconcile run (second pass: nothing to do)"
"$bin" run "${common[@]}"

dnsreconcile_log "Route53 now holds"
route53 list
dnsreconcile_log "metrics ($work/metrics/dnsreconcile.prom)"
grep -v '^#' "$work/metrics/dnsreconcile.prom"
if command -v promtool >/dev/null 2>&1; then
    promtool check metrics <"$work/metrics/dnsreconcile.prom" && dnsreconcile_log "promtool check metrics: ok"
fi
