#!/usr/bin/env python3
# webhook-receiver.py - the test's HTTP receiver for -o webhook (python3's
# http.server on 127.0.0.1).  Answers FAIL_STATUS to the first FAIL_COUNT
# POSTs, then 200; appends every accepted body's events, one JSON object a
# line, to OUT, and one line per request ("status content-type nr-events
# kind") to OUT.requests.  Writes its port to PORTFILE once it listens.
#
#   webhook-receiver.py PORTFILE OUT FAIL_COUNT FAIL_STATUS
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, out, fail_count, fail_status = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
seen = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        seen += 1
        status = fail_status if seen <= fail_count else 200
        try:
            doc = json.loads(body)
            events = doc if isinstance(doc, list) else [doc]
            kind = "array" if isinstance(doc, list) else "object"
        except ValueError:
            events, kind = [], "invalid"
        with open(out + ".requests", "a") as f:
            f.write("%d %s %d %s\n" % (status, self.headers.get("Content-Type"), len(events), kind))
        if status == 200:
            with open(out, "a") as f:
                for e in events:
                    f.write(json.dumps(e) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
import os  # noqa: E402

os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
