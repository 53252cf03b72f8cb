#!/usr/bin/env bash
# Checks what ships besides the binary, each step printing what it checked:
#   1. systemd units: `systemd-analyze verify` silent, security exposure <= 2.0, sysusers.d and
#      tmpfiles.d files applied to a scratch root;
#   2. the sandbox against a real pass (strace, against the Route53 emulator): only system calls
#      the units' SystemCallFilter allows, only per-process /proc files (ProcSubset=pid), only
#      AF_INET/AF_INET6/AF_UNIX sockets, writes only to the metrics and lock directories;
#   3. manual pages: `mandoc -Tlint -Wwarning` silent;
#   4. Kubernetes manifests: kubernetes-validate --strict against a pinned Kubernetes version,
#      warnings count as failures;
#   5. install: the static release build installed into a DESTDIR under .tmp, the tree listed,
#      the binary's size and ldd printed, the installed binary and units exercised.
# scripts/test.sh runs it after the test suites; it can also run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

EXPOSURE_LIMIT=2.0
KUBERNETES_VERSION=1.30
work="$PWD/.tmp/packaging"
rm -rf "$work"
mkdir -p "$work"

moto_pid=""
cleanup() {
    if [ -n "$moto_pid" ] && kill -0 "$moto_pid" 2>/dev/null; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

fail() { dnsreconcile_log "FAILED: $*"; exit 1; }

dnsreconcile_install_missing
swift build --product dnsreconcile >/dev/null
bin="$(swift build --show-bin-path)/dnsreconcile"

# --- 1. systemd units -----------------------------------------------------------------------
dnsreconcile_log "systemd units ($(systemd-analyze --version | head -n 1))"
units="$work/units"
mkdir -p "$units"
for unit in dnsreconcile.service dnsreconcile.timer dnsreconcile@.service dnsreconcile@.timer; do
    sed "s#/usr/local/bin/dnsreconcile#$bin#g" "systemd/$unit" >"$units/$unit"
done
# An instance too: %i expanded as systemd would for dnsreconcile@rke2-hk.
cp "$units/dnsreconcile@.service" "$units/dnsreconcile@rke2-hk.service"
cp "$units/dnsreconcile@.timer" "$units/dnsreconcile@rke2-hk.timer"
(
    cd "$units"
    # verify prints warnings for unknown keys or bad values but still exits 0: any output fails.
    out=$(systemd-analyze verify --man=no dnsreconcile.service dnsreconcile.timer 2>&1) || fail "verify: $out"
    [ -z "$out" ] || fail "systemd-analyze verify dnsreconcile.service dnsreconcile.timer: $out"
    out=$(systemd-analyze verify --man=no dnsreconcile@rke2-hk.service dnsreconcile@rke2-hk.timer 2>&1) || fail "verify: $out"
    [ -z "$out" ] || fail "systemd-analyze verify dnsreconcile@rke2-hk.service dnsreconcile@rke2-hk.timer: $out"
    echo "systemd-analyze verify --man=no: no output for dnsreconcile.service, dnsreconcile.timer, dnsreconcile@rke2-hk.service, dnsreconcile@rke2-hk.timer"
    for unit in dnsreconcile.service dnsreconcile@rke2-hk.service; do
        report=$(systemd-analyze security --offline=yes --no-pager "./$unit" 2>&1) || true
        score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        [ -n "$score" ] || fail "systemd-analyze security printed no exposure for $unit: $report"
        printf '%s\n' "$report" | grep '✗' | sed 's/^/    /' || true
        echo "systemd-analyze security --offline=yes $unit: exposure $score (limit $EXPOSURE_LIMIT)"
        awk -v score="$score" -v limit="$EXPOSURE_LIMIT" 'BEGIN { exit !(score <= limit) }' ||
            fail "$unit exposure $score is above $EXPOSURE_LIMIT"
    done
    systemd-analyze calendar --iterations=2 minutely | sed 's/^/    /'
)
# sysusers.d and tmpfiles.d into a scratch root; the ACL line with a user that exists on every
# host (tmpfiles resolves names through the host's NSS even with --root).
root="$work/root"
mkdir -p "$root/etc" "$root/var/lib/prometheus/node-exporter"
systemd-sysusers --root="$root" "$PWD/systemd/dnsreconcile.sysusers" 2>&1 | sed 's/^/    /'
grep -q '^dnsreconcile:' "$root/etc/passwd" || fail "sysusers.d did not create the dnsreconcile user"
sed 's/u:dnsreconcile:/u:nobody:/' systemd/dnsreconcile.tmpfiles >"$work/tmpfiles.conf"
out=$(systemd-tmpfiles --root="$root" --create "$work/tmpfiles.conf" 2>&1) || fail "systemd-tmpfiles: $out"
[ -z "$out" ] || fail "systemd-tmpfiles: $out"
if python3 -c "import os, sys; os.getxattr(sys.argv[1], 'system.posix_acl_access')" \
    "$root/var/lib/prometheus/node-exporter" 2>/dev/null; then
    echo "sysusers.d: user dnsreconcile created; tmpfiles.d: ACL set on var/lib/prometheus/node-exporter ($(ls -ld "$root/var/lib/prometheus/node-exporter" | cut -d' ' -f1))"
else
    echo "sysusers.d: user dnsreconcile created; tmpfiles.d: applied (this filesystem keeps no ACLs to look at)"
fi

# --- 2. the sandbox against a real pass -----------------------------------------------------
sandbox_check() {
port=$(dnsreconcile_free_port)
python3 Tests/DNSReconcileTestSupport/moto/moto_server_fixed.py "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('$endpoint/moto-api/', timeout=1)" 2>/dev/null; then break; fi
    kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; fail "moto_server did not start"; }
    sleep 0.2
done
python3 - "$endpoint" <<'PY'
import sys, uuid, boto3
boto3.client("route53", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing",
             aws_secret_access_key="testing").create_hosted_zone(Name="example.com", CallerReference=str(uuid.uuid4()))
PY
# Reach the emulator by a host name when this host's name resolves to loopback, so name
# resolution (nsswitch, /etc/hosts, the nscd socket) runs under strace too.
route53_host=127.0.0.1
if getent ahostsv4 "$(hostname)" 2>/dev/null | awk 'NR == 1 { exit !($1 ~ /^127\./) }'; then route53_host=$(hostname); fi
sandbox="$work/sandbox"
mkdir -p "$sandbox/conf.d" "$sandbox/metrics" "$sandbox/run"
cat >"$sandbox/dnsreconcile.ini" <<INI
[metrics]
textfile-dir = $sandbox/metrics
[run]
lock-file = $sandbox/run/dnsreconcile.lock
INI
cat >"$sandbox/conf.d/edge.ini" <<'INI'
[cluster]
name = edge
owner-id = edge
[provider "route53"]
domain-filter = example.com
[endpoint "web"]
name = web.example.com
targets = 192.0.2.10, 192.0.2.11
INI
env -i PATH=/usr/bin:/bin HOME=/nonexistent AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_ENDPOINT_URL_ROUTE_53="http://$route53_host:$port" AWS_EC2_METADATA_DISABLED=true NO_COLOR=1 \
    strace -f -qq -o "$work/strace.txt" "$bin" run --config "$sandbox/dnsreconcile.ini" --config-dir "$sandbox/conf.d" \
    >"$work/pass.log" 2>&1 || { cat "$work/pass.log" >&2; fail "the pass under strace failed"; }
grep -q 'dnsreconcile_run_success{cluster="edge"} 1' "$sandbox/metrics/dnsreconcile.prom" ||
    fail "the pass under strace did not succeed"

syscall_group() {  # the system calls of a systemd syscall group, nested groups expanded
    systemd-analyze syscall-filter "$1" | tail -n +2 | sed 's/^ *//' | grep -v -e '^#' -e '^$' | while read -r item; do
        case "$item" in @*) syscall_group "$item" ;; *) echo "$item" ;; esac
    done
}
allow=$(grep -h '^SystemCallFilter=[^~]' systemd/dnsreconcile.service | sed 's/^SystemCallFilter=//')
deny=$(grep -h '^SystemCallFilter=~' systemd/dnsreconcile.service | sed 's/^SystemCallFilter=~//')
for group in $allow; do syscall_group "$group"; done | sort -u >"$work/allow.txt"
for group in $deny; do syscall_group "$group"; done | sort -u >"$work/deny.txt"
comm -23 "$work/allow.txt" "$work/deny.txt" >"$work/allowed.txt"
awk '{ sub(/^[0-9]+ +/, ""); if ($0 ~ /^[a-z0-9_]+\(/) { sub(/\(.*/, ""); print } }' "$work/strace.txt" | sort -u >"$work/used.txt"
refused=$(comm -23 "$work/used.txt" "$work/allowed.txt" | tr '\n' ' ')
[ -z "$refused" ] || fail "the pass uses system calls SystemCallFilter refuses: $refused"
echo "pass against http://$route53_host:$port: $(grep -c . "$work/strace.txt") system call lines traced"
echo "system calls: $(wc -l <"$work/used.txt") distinct, all within SystemCallFilter=$allow ~$deny"
proc=$(grep -o '"/proc/[^"]*"' "$work/strace.txt" | tr -d '"' | grep -v -E '^/proc/(self|thread-self|[0-9]+)(/|$)' | sort -u | tr '\n' ' ' || true)
[ -z "$proc" ] || fail "the pass reads /proc files ProcSubset=pid hides: $proc"
echo "/proc: only per-process files ($(grep -o '"/proc/[^"]*"' "$work/strace.txt" | tr -d '"' | sort -u | tr '\n' ' '))"
families=$(grep -o 'socket(AF_[A-Z0-9]*' "$work/strace.txt" | sed 's/socket(//' | sort -u | tr '\n' ' ')
for family in $families; do
    case "$family" in AF_INET | AF_INET6 | AF_UNIX) ;; *) fail "the pass opens $family sockets, RestrictAddressFamilies refuses them" ;; esac
done
echo "sockets: ${families:-none}(RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX)"
written=$(grep -E 'open(at)?\(.*O_(WRONLY|RDWR|CREAT)|rename(at2?)?\(|mkdir(at)?\(|unlink(at)?\(' "$work/strace.txt" |
    grep -o '"/[^"]*"' | tr -d '"' | sort -u)
outside=$(printf '%s\n' "$written" | grep -v -e "^$sandbox/metrics" -e "^$sandbox/run" -e '^/dev/null$' | tr '\n' ' ' || true)
[ -z "$outside" ] || fail "the pass writes outside the metrics and lock directories: $outside"
echo "writes: only $(printf '%s\n' "$written" | sed "s#^$sandbox/##" | tr '\n' ' ')(metrics dir and lock dir)"
}
if strace -qq -o /dev/null true 2>/dev/null; then
    dnsreconcile_log "sandbox: one real pass under strace against the Route53 emulator"
    sandbox_check
else
    # A property of the machine (a container without ptrace), not of the units: say so loudly.
    dnsreconcile_log "SKIPPED sandbox check: strace cannot trace processes here (ptrace not permitted)"
fi

# --- 3. manual pages ------------------------------------------------------------------------
dnsreconcile_log "manual pages (mandoc $(dpkg-query -W -f '${Version}' mandoc 2>/dev/null || true))"
pages=(man/*.[1-8])
out=$(mandoc -Tlint -Wwarning "${pages[@]}" 2>&1) || true
[ -z "$out" ] || fail "mandoc -Tlint -Wwarning: $out"
echo "mandoc -Tlint -Wwarning ${pages[*]}: no output"
for page in "${pages[@]}"; do
    MANWIDTH=80 mandoc -Tutf8 "$page" >/dev/null || fail "mandoc cannot render $page"
done

# --- 4. Kubernetes manifests ----------------------------------------------------------------
validator=$(dnsreconcile_kubernetes_validate)
dnsreconcile_log "Kubernetes manifests ($DNSRECONCILE_KUBERNETES_VALIDATE, strict, Kubernetes $KUBERNETES_VERSION)"
manifests=(kubernetes/*.yaml kubernetes/irsa/*.yaml)
status=0
out=$("$validator" --strict -k "$KUBERNETES_VERSION" "${manifests[@]}" 2>&1) || status=$?
printf '%s\n' "$out" | sed 's/^/    /'
[ "$status" -eq 0 ] || fail "kubernetes-validate exited with $status"
# An unknown apiVersion is only a warning with exit status 0: count it as a failure.
if printf '%s\n' "$out" | grep -q -E '^(WARN|ERROR)'; then fail "kubernetes-validate reported warnings"; fi
[ "$(printf '%s\n' "$out" | grep -c '^INFO .* passed')" -eq "${#manifests[@]}" ] ||
    fail "kubernetes-validate did not pass every manifest"

# --- 5. install into a DESTDIR --------------------------------------------------------------
dnsreconcile_log "install: static release build into a DESTDIR"
destdir="$work/destdir"
release_started=$(date +%s)
DESTDIR="$destdir" PREFIX=/usr scripts/install.sh
echo "install took $(($(date +%s) - release_started)) s (release build included)"
installed="$destdir/usr/bin/dnsreconcile"
built="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)/dnsreconcile"
(cd "$destdir" && find . -mindepth 1 \( -type f -o -type l \) -printf '%M %10s  %p\n' | sort -k3)
echo "binary: $(stat -c %s "$built") bytes as built (--static-swift-stdlib), $(stat -c %s "$installed") bytes installed (stripped)"
echo "ldd $installed:"
ldd "$installed" | sed 's/^/    /'
if ldd "$installed" | grep -q -E 'libswift|libFoundation|libdispatch'; then fail "the installed binary needs the Swift runtime"; fi
"$installed" --version
"$installed" check-config --config "$destdir/etc/dnsreconcile/dnsreconcile.ini" \
    --config-dir "$destdir/usr/share/doc/dnsreconcile/examples/conf.d" >"$work/check-config.log" 2>&1 ||
    { cat "$work/check-config.log" >&2; fail "the installed binary rejects the installed example configuration"; }
echo "installed binary: check-config accepts the installed example configuration"
for shell in bash zsh fish; do
    case $shell in
        bash) file="$destdir/usr/share/bash-completion/completions/dnsreconcile" ;;
        zsh) file="$destdir/usr/share/zsh/site-functions/_dnsreconcile" ;;
        fish) file="$destdir/usr/share/fish/vendor_completions.d/dnsreconcile.fish" ;;
    esac
    grep -q 'check-config' "$file" || fail "the $shell completion does not know check-config"
done
bash -n "$destdir/usr/share/bash-completion/completions/dnsreconcile" || fail "the bash completion is not valid bash"
echo "completions: bash (bash -n clean), zsh, fish; each knows the subcommands"
grep -q "^ExecStart=/usr/bin/dnsreconcile run$" "$destdir/usr/lib/systemd/system/dnsreconcile.service" ||
    fail "the installed unit does not run /usr/bin/dnsreconcile"
(
    cd "$destdir/usr/lib/systemd/system"
    mkdir -p "$work/installed-units"
    for unit in dnsreconcile.service dnsreconcile.timer; do
        sed "s#/usr/bin/dnsreconcile#$installed#" "$unit" >"$work/installed-units/$unit"
    done
    cd "$work/installed-units"
    out=$(systemd-analyze verify --man=no dnsreconcile.service dnsreconcile.timer 2>&1) || fail "verify: $out"
    [ -z "$out" ] || fail "installed units: $out"
)
echo "installed units: ExecStart=/usr/bin/dnsreconcile, verify silent with the installed binary"
dnsreconcile_log "packaging checks passed"
