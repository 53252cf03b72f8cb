#!/usr/bin/env python3
"""A loopback HTTP proxy that counts Route53 API calls by operation and TCP connections.

Usage: count_proxy.py UPSTREAM_PORT   (listens on 127.0.0.1, a free port; prints
"listening on 127.0.0.1:PORT" once it accepts connections).

The client side speaks HTTP/1.1 keep-alive, so a client that reuses its connection shows up as
one connection however many requests it sends. The upstream side (moto) answers
`Connection: close` on every response, so each request gets its own upstream connection; both
numbers are reported. Control requests (not counted):
    GET  /__bench/stats   JSON: {"operations": {op: n}, "statuses": {op status: n},
                                 "client_connections": n, "upstream_connections": n,
                                 "request_bytes": n, "response_bytes": n}
    POST /__bench/reset   zeroes the counters
"""
import http.client
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPERATIONS = [
    ("GET", re.compile(r"^/2013-04-01/hostedzone/?$"), "ListHostedZones"),
    ("GET", re.compile(r"^/2013-04-01/hostedzone/[^/]+/rrset/?$"), "ListResourceRecordSets"),
    ("POST", re.compile(r"^/2013-04-01/hostedzone/[^/]+/rrset/?$"), "ChangeResourceRecordSets"),
    ("GET", re.compile(r"^/2013-04-01/hostedzone/[^/]+/?$"), "GetHostedZone"),
    ("GET", re.compile(r"^/2013-04-01/change/[^/]+$"), "GetChange"),
    ("POST", re.compile(r"^/2013-04-01/tags/hostedzone/?$"), "ListTagsForResources"),
    ("GET", re.compile(r"^/2013-04-01/tags/hostedzone/[^/]+$"), "ListTagsForResource"),
]
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "content-length", "server", "date", "expect"}


def operation(method, path):
    path = path.split("?", 1)[0]
    for wanted, pattern, name in OPERATIONS:
        if method == wanted and pattern.match(path):
            return name
    return "other %s %s" % (method, path)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.operations = {}
        self.statuses = {}
        self.client_connections = 0
        self.upstream_connections = 0
        self.request_bytes = 0
        self.response_bytes = 0

    def snapshot(self):
        return {
            "operations": dict(self.operations),
            "statuses": dict(self.statuses),
            "client_connections": self.client_connections,
            "upstream_connections": self.upstream_connections,
            "request_bytes": self.request_bytes,
            "response_bytes": self.response_bytes,
        }


STATS = Stats()
UPSTREAM = ("127.0.0.1", 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Counted at the first Route53 request, so control connections do not count.
        self.counted = False

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.forward()

    def do_POST(self):
        self.forward()

    def do_DELETE(self):
        self.forward()

    def do_PUT(self):
        self.forward()

    def reply(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__bench/"):
            with STATS.lock:
                if self.path == "/__bench/reset":
                    STATS.reset()
                snapshot = STATS.snapshot()
            self.reply(200, json.dumps(snapshot).encode())
            return
        name = operation(self.command, self.path)
        headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(*UPSTREAM, timeout=3600)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            status = response.status
            response_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        finally:
            upstream.close()
        with STATS.lock:
            if not self.counted:
                self.counted = True
                STATS.client_connections += 1
            STATS.upstream_connections += 1
            STATS.operations[name] = STATS.operations.get(name, 0) + 1
            key = "%s %d" % (name, status)
            STATS.statuses[key] = STATS.statuses.get(key, 0) + 1
            STATS.request_bytes += len(body)
            STATS.response_bytes += len(data)
        self.send_response(status)
        for key, value in response_headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main(argv):
    global UPSTREAM
    UPSTREAM = ("127.0.0.1", int(argv[0]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
