#!/usr/bin/env python3
"""connect_409_proxy.py PORT_FILE TARGET_URL N COUNT_FILE

A pass-through HTTP proxy in front of a real Kafka Connect worker that answers
the first N writes (POST/PUT/DELETE under /connectors) with the 409s a
distributed Connect herder gives during a rebalance, word for word (Kafka
Connect 3.9 HerderRequestHandler / DistributedHerder), and forwards every other
request to TARGET_URL unchanged.  Connect 3.9 itself rarely answers writes
with 409 (it forwards them to the leader and checks for a pending rebalance
only on reads), so this makes the retry path certain while the rebalance
itself is real.  Listens on 127.0.0.1, an ephemeral port written to PORT_FILE;
the number of 409s sent so far goes to COUNT_FILE.  Stops on SIGTERM.
"""
import http.client
import http.server
import sys
import threading
import urllib.parse

MESSAGES = [
    "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.",
    "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
    "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)",
]


def main(argv):
    port_file, target, limit, count_file = argv[0], urllib.parse.urlsplit(argv[1]), int(argv[2]), argv[3]
    lock = threading.Lock()
    state = {"sent": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def _handle(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            write = self.command in ("POST", "PUT", "DELETE") and self.path.startswith("/connectors") \
                and "/validate" not in self.path
            with lock:
                inject = write and state["sent"] < limit
                if inject:
                    msg = MESSAGES[state["sent"] % len(MESSAGES)]
                    state["sent"] += 1
                    with open(count_file, "w") as f:
                        f.write(str(state["sent"]))
            if inject:
                out = ('{"error_code":409,"message":"%s"}' % msg).encode()
                self.send_response(409)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
                return
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept", "user-agent")}
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                status, ctype = r.status, r.getheader("Content-Type")
            except OSError:
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            finally:
                conn.close()
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(count_file, "w") as f:
        f.write("0")
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    import signal
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
