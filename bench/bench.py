#!/usr/bin/env python3
"""Runs the dnsreconcile benchmark against moto on loopback and prints a table of figures.

Usually started by bench/run.sh, which builds the binary first. For each size: a fresh zone with
foreign records seeded by UPSERT, a generated conf.d with one cluster of SIZE static endpoints,
then three passes of the real binary: initial (all creates), changed (~5 % updated, ~1 %
deleted), no-op. API calls are counted at a loopback proxy between the binary and moto (which
also counts connections); CPU and peak RSS of the binary come from wait4() in a small launcher
process (see MEASURE); moto's CPU from /proc. Figures are printed, not asserted; the run fails only when a pass does not exit 0.
"""
import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import workload  # noqa: E402

DUMMY_AUTH = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=00"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print("bench: " + message, file=sys.stderr, flush=True)


class Child:
    """A helper process that prints its port on its first matching output line."""

    def __init__(self, argv, pattern, log_path, timeout=30):
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1"))
        deadline = time.time() + timeout
        while True:
            with open(log_path) as handle:
                match = re.search(pattern, handle.read())
            if match:
                self.port = int(match.group(1))
                return
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                with open(log_path) as handle:
                    raise SystemExit("bench: %s did not start:\n%s" % (argv[1], handle.read()[-3000:]))
            time.sleep(0.05)

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.process.pid) as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def http_call(port, method, path, body=b"", headers=None, timeout=3600):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def route53(port, method, path, body=b"", expect=200):
    headers = {"Authorization": DUMMY_AUTH}
    if body:
        headers["Content-Type"] = "application/xml"
    status, data = http_call(port, method, "/2013-04-01" + path, body, headers)
    if status != expect:
        raise SystemExit("bench: moto %s %s answered %d: %s" % (method, path, status, data[:500]))
    return data.decode()


def create_zone(port, name):
    body = ('<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>%s</Name>'
            "<CallerReference>bench-%s-%f</CallerReference></CreateHostedZoneRequest>" % (name, name, time.time()))
    text = route53(port, "POST", "/hostedzone", body.encode(), expect=201)
    return re.search(r"<Id>/hostedzone/([^<]+)</Id>", text).group(1)


def count_record_sets(port, zone_id):
    text = route53(port, "GET", "/hostedzone/%s/rrset?maxitems=10000000" % zone_id)
    return text.count("<ResourceRecordSet>")


# Linux carries a process's peak RSS across exec() from the memory image it replaced, and a child
# started from this script (fork or vfork) replaces an image the size of this script, which at
# 50,000 record sets holds the generated zone and config. The launcher is a fresh interpreter that
# forks the binary from its own small image and reports the binary's wait4() figures: its peak RSS
# is then the binary's own (the launcher image is far below the binary's baseline).
MEASURE = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as handle:
    handle.write("%d %f %f %d" % (os.waitstatus_to_exitcode(status), time.monotonic() - started,
                                  usage.ru_utime + usage.ru_stime, usage.ru_maxrss))
"""


def run_measured(argv, env, cwd):
    """Runs argv; (status, wall seconds, user+sys seconds, peak RSS KiB, stderr text)."""
    err_path = os.path.join(cwd, "last-stderr.txt")
    report_path = os.path.join(cwd, "last-measure.txt")
    with open(err_path, "w") as err, open(os.path.join(cwd, "last-stdout.txt"), "w") as out:
        launcher = [sys.executable, "-c", MEASURE, report_path] + argv
        subprocess.run(launcher, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, check=True)
    with open(report_path) as handle:
        status, wall, cpu, rss = handle.read().split()
    with open(err_path) as handle:
        stderr = handle.read()
    return int(status), float(wall), float(cpu), int(rss), stderr


def metrics_requests(path):
    """dnsreconcile_api_requests by operation from the metrics file."""
    counts = {}
    try:
        with open(path) as handle:
            for line in handle:
                match = re.match(r'dnsreconcile_api_requests(?:_total)?\{([^}]*)\} (\S+)', line)
                if not match:
                    continue
                labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
                operation = labels.get("operation", "?")
                counts[operation] = counts.get(operation, 0) + int(float(match.group(2)))
    except FileNotFoundError:
        pass
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--plain-moto", action="store_true", help="the tests' fixed launcher without the indexes")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--rate", type=int, default=1000, help="requests-per-second given to the client")
    parser.add_argument("--wrap", default="", help="command prefix for each pass, e.g. a profiler; {pass} and "
                        "{size} are replaced (figures then include the wrapper)")
    parser.add_argument("--endpoints", type=int, default=0,
                        help="a cluster of this many endpoints in every zone, the rest of each zone's SIZE record "
                        "sets another owner's or nobody's (a shared zone); default: SIZE endpoints")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    work = tempfile.mkdtemp(prefix="dnsreconcile-bench-")
    launcher = (os.path.join(ROOT, "Tests", "DNSReconcileTestSupport", "moto", "moto_server_fixed.py")
                if args.plain_moto else os.path.join(HERE, "moto_fast.py"))
    moto = proxy = None
    rows, notes = [], []
    failed = False
    try:
        moto = Child([sys.executable, launcher, "0"], r"Running on http://127\.0\.0\.1:(\d+)",
                     os.path.join(work, "moto.log"))
        while http_call(moto.port, "GET", "/moto-api/")[0] != 200:
            time.sleep(0.1)
        proxy = Child([sys.executable, os.path.join(HERE, "count_proxy.py"), str(moto.port)],
                      r"listening on 127\.0\.0\.1:(\d+)", os.path.join(work, "proxy.log"))
        log("moto on %d (%s), counting proxy on %d, work dir %s"
            % (moto.port, "plain fixed launcher" if args.plain_moto else "fixed launcher + indexes", proxy.port, work))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": work,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "NO_COLOR": "1",
        }
        for size in sizes:
            failed |= not bench_size(size, args, work, moto, proxy, env, rows, notes)
    finally:
        if proxy:
            proxy.stop()
        if moto:
            moto.stop()
        if args.keep:
            log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows, notes)
    return 1 if failed else 0


def bench_size(size, args, work, moto, proxy, env, rows, notes):
    http_call(moto.port, "POST", "/moto-api/reset")
    zone = "bench%d.example" % size
    zone_id = create_zone(moto.port, zone + ".")
    # A few other zones, so ListHostedZones has something to page over.
    for index in range(3):
        create_zone(moto.port, "other%d-%d.example." % (index, size))

    endpoints = args.endpoints or size
    started, cpu = time.monotonic(), moto.cpu_seconds()
    # With a fixed cluster, its sets (each with its companion) and NS/SOA, foreign ones fill the zone.
    foreign = (workload.foreign_changes(size, zone) if not args.endpoints
               else workload.foreign_changes(size, zone, total=max(0, size - 2 * endpoints - 2)))
    for body in workload.change_batches(foreign):
        route53(moto.port, "POST", "/hostedzone/%s/rrset/" % zone_id, body.encode())
    notes.append("size %d: seeded %d foreign record sets with UPSERT in %.1f s (moto CPU %.1f s)"
                 % (size, len(foreign), time.monotonic() - started, moto.cpu_seconds() - cpu))

    directory = os.path.join(work, "size-%d" % size)
    confd = os.path.join(directory, "conf.d")
    os.makedirs(confd)
    os.makedirs(os.path.join(directory, "metrics"))
    main_config = os.path.join(directory, "dnsreconcile.ini")
    with open(main_config, "w") as handle:
        handle.write(workload.main_file(directory))
    cluster = os.path.join(confd, "bench.ini")
    endpoint = "http://127.0.0.1:%d" % proxy.port

    def write_cluster(changed):
        with open(cluster, "w") as handle:
            handle.write(workload.cluster_file(endpoints, zone, endpoint, changed=changed, rate=args.rate))

    write_cluster(False)
    config_bytes = os.path.getsize(cluster)
    base = [args.binary]
    common = ["--config", main_config, "--config-dir", confd]
    status, wall, cpu_s, rss, stderr = run_measured(base + ["check-config"] + common, env, directory)
    if status != 0:
        log("check-config failed (%d):\n%s" % (status, stderr[-3000:]))
        return False
    rows.append({"size": size, "pass": "check-config", "wall": wall, "cpu": cpu_s, "rss": rss, "ops": {}, "floors": None,
                 "conns": "-", "upstream": "-", "moto": 0.0, "changes": "%.1f MiB conf" % (config_bytes / 1048576)})

    ok = True
    for label, changed in (("initial", False), ("changed", True), ("no-op", True)):
        write_cluster(changed)
        listing_floor = math.ceil(count_record_sets(moto.port, zone_id) / 300)
        http_call(proxy.port, "POST", "/__bench/reset")
        moto_before = moto.cpu_seconds()
        wrap = args.wrap.replace("{pass}", label).replace("{size}", str(size)).split()
        status, wall, cpu_s, rss, stderr = run_measured(wrap + base + ["run"] + common, env, directory)
        moto_cpu = moto.cpu_seconds() - moto_before
        stats = json.loads(http_call(proxy.port, "GET", "/__bench/stats")[1])
        summary = re.findall(r"bench: (\d+) created, (\d+) updated, (\d+) deleted", stderr)
        changes = "%s/%s/%s" % summary[-1] if summary else "?"
        batch_floor = sum(int(n) for n in re.findall(r"Route53's limits allow no fewer than (\d+)", stderr))
        metered = metrics_requests(os.path.join(directory, "metrics", "dnsreconcile.prom"))
        if metered != stats["operations"]:
            notes.append("size %d %s: the metrics file says %s, the proxy %s" % (size, label, metered, stats["operations"]))
        rows.append({"size": size, "pass": label, "wall": wall, "cpu": cpu_s, "rss": rss, "ops": stats["operations"],
                     "conns": stats["client_connections"], "upstream": stats["upstream_connections"],
                     "moto": moto_cpu, "changes": changes, "floors": (1, listing_floor, batch_floor)})
        if status != 0:
            log("%s pass for size %d exited %d:\n%s" % (label, size, status, stderr[-3000:]))
            ok = False
            break
    total = count_record_sets(moto.port, zone_id)
    pages = math.ceil(total / 300)
    notes.append("size %d: the zone ends with %d record sets (%d desired + companions, foreign, NS, SOA): "
                 "floor for a no-op pass = 1 ListHostedZones + %d ListResourceRecordSets"
                 % (size, total, workload.desired_count(endpoints, changed=True), pages))
    return ok


def print_table(rows, notes):
    operations = ["ListHostedZones", "ListResourceRecordSets", "ChangeResourceRecordSets"]
    others = sorted({op for row in rows for op in row["ops"] if op not in operations})
    header = ["size", "pass", "LHZ", "LRRS", "CRRS"] + (["other"] if others else []) + \
        ["conns", "upstream", "client CPU s", "peak RSS MiB", "wall s", "moto CPU s", "created/updated/deleted"]
    table = [header]
    for row in rows:
        if row["floors"] is None:
            cells = [str(row["size"]), row["pass"], "-", "-", "-"]
        else:
            cells = [str(row["size"]), row["pass"]] + ["%d (%d)" % (row["ops"].get(op, 0), floor)
                                                       for op, floor in zip(operations, row["floors"])]
        if others:
            cells.append(",".join("%s=%d" % (op, row["ops"][op]) for op in others if op in row["ops"]) or "0")
        cells += [str(row["conns"]), str(row["upstream"]), "%.2f" % row["cpu"], "%.1f" % (row["rss"] / 1024),
                  "%.2f" % row["wall"], "%.2f" % row["moto"], row["changes"]]
        table.append(cells)
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    print()
    for index, line in enumerate(table):
        print("  ".join(cell.rjust(width) if column not in (1, len(header) - 1) else cell.ljust(width)
                        for column, (cell, width) in enumerate(zip(line, widths))))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print()
    print("LHZ / LRRS / CRRS: ListHostedZones / ListResourceRecordSets / ChangeResourceRecordSets requests counted at")
    print("  the proxy; in parentheses the floor: 1 page of zones, ceil(record sets in the zone / 300) pages, and the")
    print("  fewest batches Route53's limits allow for the plan (1,000 records with UPSERT x2, 32,000 characters), as")
    print("  the client logs it.")
    print("conns: TCP connections the client opened to the proxy, which keeps them alive (HTTP/1.1): 1 when the whole")
    print("  pass, change batches included, went over one connection. upstream: the proxy's connections to moto, one")
    print("  per request (moto answers 'Connection: close').")
    print("client CPU: user+sys of dnsreconcile (wait4 in a launcher forked from a small image, so that the peak RSS")
    print("  is the binary's own); peak RSS: its maximum resident set; wall: the whole pass,")
    print("  moto's time included; moto CPU: the emulator's user+sys during the pass (/proc).")
    for note in notes:
        print("- " + note)


if __name__ == "__main__":
    sys.exit(main())
