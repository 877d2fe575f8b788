#!/usr/bin/env python3
"""Independent webhook receiver for simhound's tests (Python standard library only).

Verifies each POST the way docs/alerts.md tells integrators to: HMAC-SHA256 over
"<X-Simhound-Timestamp>.<raw body>" with the shared secret, compared in constant time; a timestamp
more than 300 s from this machine's clock is refused as stale; a delivery id seen before within that
window is answered 200 "duplicate" and not recorded again. Written apart from the collector's code
so a mistake on one side cannot hide on the other.

  env WEBHOOK_SECRET   the shared secret (its UTF-8 bytes are the HMAC key)
  stdout               "LISTENING <port>" once bound to 127.0.0.1
  GET  /_received      accepted deliveries, JSON
  GET  /_rejected      refused requests with the reason, JSON
  POST /_fail?count=N&status=S   the next N deliveries are answered with status S (retry tests)
"""
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

SECRET = os.environ["WEBHOOK_SECRET"].encode("utf-8")
TOLERANCE_S = 300
lock = threading.Lock()
received = []
rejected = []
seen = {}
failing = {"count": 0, "status": 503}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            if self.path == "/_received":
                return self.reply(200, received)
            if self.path == "/_rejected":
                return self.reply(200, rejected)
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        if url.path == "/_fail":
            q = parse_qs(url.query)
            with lock:
                failing["count"] = int(q.get("count", ["1"])[0])
                failing["status"] = int(q.get("status", ["503"])[0])
            return self.reply(200, {"ok": True})
        ts = self.headers.get("x-simhound-timestamp")
        sig = self.headers.get("x-simhound-signature")
        delivery = self.headers.get("x-simhound-delivery")

        def refuse(status, reason):
            with lock:
                rejected.append({"reason": reason, "delivery_id": delivery})
            return self.reply(status, {"error": reason})

        if not ts or not sig or not delivery:
            return refuse(400, "missing_headers")
        try:
            ts_int = int(ts)
        except ValueError:
            return refuse(400, "bad_timestamp")
        expected = "v1=" + hmac.new(SECRET, ts.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, sig):
            return refuse(401, "bad_signature")
        now = time.time()
        if abs(now - ts_int) > TOLERANCE_S:
            return refuse(401, "stale")
        try:
            doc = json.loads(body)
        except ValueError:
            return refuse(400, "not_json")
        if doc.get("delivery_id") != delivery:
            return refuse(400, "delivery_id_mismatch")
        with lock:
            if failing["count"] > 0:
                failing["count"] -= 1
                status = failing["status"]
                rejected.append({"reason": "told_to_fail", "status": status, "delivery_id": delivery})
                return self.reply(status, {"error": "failing on purpose"})
            for key, at in list(seen.items()):
                if now - at > TOLERANCE_S:
                    del seen[key]
            if delivery in seen:
                return self.reply(200, {"duplicate": True})
            seen[delivery] = now
            received.append({
                "delivery_id": delivery,
                "timestamp": ts_int,
                "event": self.headers.get("x-simhound-event"),
                "body": doc,
            })
        self.reply(200, {"ok": True})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("LISTENING %d" % server.server_address[1], flush=True)
server.serve_forever()
