#!/usr/bin/env python3
"""A loopback stand-in for the EC2 instance metadata service, IMDSv2 only.

Usage: imds-standin.py ROLE EXPIRES_IN_SECONDS
Prints "PORT <n>" once it listens on 127.0.0.1 (a free port), and exits when its stdin closes
(so it never outlives the test process).

- PUT /latest/api/token needs X-aws-ec2-metadata-token-ttl-seconds (else 400) and returns a new
  session token.
- Every GET needs a token this server issued in X-aws-ec2-metadata-token (else 401), as on an
  instance that enforces IMDSv2.
- GET /latest/meta-data/iam/security-credentials/ lists ROLE; GET .../ROLE returns credentials
  that expire EXPIRES_IN_SECONDS from now, with AccessKeyId ASIAIMDSSTANDIN<n>, n counting from 1.
- GET /_log (no token needed) returns one line per earlier request: "METHOD PATH token|notoken".
"""
import datetime
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = sys.argv[1]
EXPIRES_IN = int(sys.argv[2])
CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/"

state = {"tokens": set(), "issued": 0, "credentials": 0, "log": []}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        token = self.headers.get("X-aws-ec2-metadata-token")
        with lock:
            state["log"].append("%s %s %s" % (self.command, self.path, "token" if token else "notoken"))
            return token in state["tokens"]

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.record()
        if self.path != "/latest/api/token":
            return self.reply(404, "not found")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(400, "missing X-aws-ec2-metadata-token-ttl-seconds")
        with lock:
            state["issued"] += 1
            token = "imds-session-token-%d" % state["issued"]
            state["tokens"].add(token)
        self.reply(200, token)

    def do_GET(self):
        if self.path == "/_log":
            with lock:
                return self.reply(200, "\n".join(state["log"]))
        if not self.record():
            return self.reply(401, "")
        if self.path == CREDENTIALS_PATH:
            return self.reply(200, ROLE)
        if self.path == CREDENTIALS_PATH + ROLE:
            with lock:
                state["credentials"] += 1
                number = state["credentials"]
            expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=EXPIRES_IN)
            document = {
                "Code": "Success",
                "LastUpdated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Type": "AWS-HMAC",
                "AccessKeyId": "ASIAIMDSSTANDIN%d" % number,
                "SecretAccessKey": "imds-secret-%d" % number,
                "Token": "imds-session-%d" % number,
                "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            return self.reply(200, json.dumps(document), "application/json")
        self.reply(404, "not found")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("PORT %d\n" % server.server_address[1])
    sys.stdout.flush()
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
