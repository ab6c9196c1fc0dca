#!/usr/bin/env python3
"""fault_server.py MODE PORT_FILE LOG_FILE [UPSTREAM_URL]

A misbehaving HTTP endpoint in front of (or instead of) the real Kafka Connect,
for tests/integration/test_faults.sh.  Listens on 127.0.0.1, an ephemeral port
written to PORT_FILE; appends one line per request to LOG_FILE:
"METHOD PATH -> what it did".  Every answer closes its connection.

MODE, for every request unless it says "write" (POST/PUT/DELETE under
/connectors, not /validate; other requests are proxied to UPSTREAM unchanged):
  stall             read the request, never answer, keep the connection open
  slow:S            proxy to UPSTREAM, answer after S seconds
  trickle:S         proxy to UPSTREAM, send the answer a few bytes at a time
                    over S seconds (each gap short: only a total deadline helps)
  500html           answer 500 with an HTML body, as a broken reverse proxy does
  garbage           answer bytes that are not HTTP at all
  cut               proxy to UPSTREAM, send the headers with the real
                    Content-Length and half the body, then close
  cutwrite[:N]      proxy writes to UPSTREAM (they land) but cut their answer
                    mid-body, from the Nth write on (default 1)
  500write[:N]      answer writes 500 with an HTML body without forwarding
                    them, from the Nth write on (default 1)
  stallwrite[:N]    proxy writes to UPSTREAM (they land) but never answer
                    them, from the Nth write on (default 1)
  stallafter[:N]    proxy everything until N writes (default 1) have been
                    answered, then stall every request: Connect gone after
                    the write, while apply waits for RUNNING
  404write[:N]      answer writes 404 with an HTML body (a reverse proxy's
                    page, not Connect's JSON) without forwarding them, from
                    the Nth write on (default 1)
  notasks           proxy everything, but every status read shows each
                    connector RUNNING with no task at all
Stops on SIGTERM.
"""
import http.client
import json
import signal
import socket
import socketserver
import sys
import threading
import time
import urllib.parse

HTML_404 = (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n"
            b"<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
            b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
HTML_500 = (b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n"
            b"<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n"
            b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def no_tasks(doc):
    """Every connector status in doc ({"connector": .., "tasks": [..]}) made
    RUNNING with no task, as Connect shows one whose tasks never started."""
    if isinstance(doc, dict):
        if "connector" in doc and "tasks" in doc:
            doc["connector"]["state"] = "RUNNING"
            doc["tasks"] = []
            return doc
        return {k: no_tasks(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [no_tasks(v) for v in doc]
    return doc


def main(argv):
    mode, port_file, log_file = argv[0], argv[1], argv[2]
    upstream = urllib.parse.urlsplit(argv[3]) if len(argv) > 3 else None
    kind, _, arg = mode.partition(":")
    lock = threading.Lock()
    state = {"writes": 0}
    held = []  # stalled sockets, kept open until exit

    def log(line):
        with lock:
            with open(log_file, "a") as f:
                f.write(line + "\n")

    def read_request(sock):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0") or 0)
        while len(body) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return method, path, headers, body

    def forward(method, path, headers, body):
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        h = {"Content-Type": headers.get("content-type", "application/json"),
             "Accept": headers.get("accept", "application/json")}
        conn.request(method, path, body=body if body else None, headers=h)
        r = conn.getresponse()
        payload = r.read()
        status, reason, ctype = r.status, r.reason, r.getheader("Content-Type", "application/json")
        conn.close()
        return status, reason, ctype, payload

    def response(status, reason, ctype, payload):
        return (("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % (status, reason, ctype, len(payload))).encode("latin-1"), payload)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                self.serve()
            except OSError:  # the client gave up first: that is the point
                pass

        def serve(self):
            sock = self.request
            req = read_request(sock)
            if req is None:
                return
            method, path, headers, body = req
            is_write = method in ("POST", "PUT", "DELETE") and path.startswith("/connectors") \
                and "/validate" not in path
            nth = 0
            if is_write:
                with lock:
                    state["writes"] += 1
                    nth = state["writes"]
            from_n = int(arg) if arg and kind in ("cutwrite", "500write", "stallwrite", "stallafter",
                                                  "404write") else 1
            act = kind
            if kind in ("cutwrite", "500write", "stallwrite", "404write") and (not is_write or nth < from_n):
                act = "proxy"
            if kind == "stallafter":
                with lock:
                    act = "stall" if state.get("answered", 0) >= from_n else "proxy"
            if act == "stall":
                log("%s %s -> stalled" % (method, path))
                held.append(sock)
                time.sleep(3600)
                return
            if act in ("500html", "500write"):
                head, payload = response(500, "Internal Server Error", "text/html", HTML_500)
                sock.sendall(head + payload)
                log("%s %s -> 500 html%s" % (method, path, " (not forwarded)" if is_write else ""))
                return
            if act == "404write":
                head, payload = response(404, "Not Found", "text/html", HTML_404)
                sock.sendall(head + payload)
                log("%s %s -> 404 html (not forwarded)" % (method, path))
                return
            if act == "garbage":
                sock.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\x00\x01\x02\xff")
                log("%s %s -> garbage" % (method, path))
                return
            status, reason, ctype, payload = forward(method, path, headers, body)
            if act == "notasks" and method == "GET" and status == 200 and \
                    ("/status" in path or "expand=status" in path):
                payload = json.dumps(no_tasks(json.loads(payload))).encode()
                log("%s %s -> 200, shown RUNNING with no task" % (method, path))
            head, payload = response(status, reason, ctype, payload)
            if act == "stallwrite":
                log("%s %s -> %d from upstream, never answered (forwarded)" % (method, path, status))
                held.append(sock)
                time.sleep(3600)
            elif act == "slow":
                time.sleep(float(arg))
                sock.sendall(head + payload)
                log("%s %s -> %d after %ss" % (method, path, status, arg))
            elif act == "trickle":
                data = head + payload
                step = max(1, len(data) // 40)
                gap = float(arg) / max(1, (len(data) + step - 1) // step)
                for i in range(0, len(data), step):
                    sock.sendall(data[i:i + step])
                    time.sleep(gap)
                log("%s %s -> %d trickled over %ss" % (method, path, status, arg))
            elif act in ("cut", "cutwrite"):
                sock.sendall(head + payload[:len(payload) // 2])
                time.sleep(0.1)
                sock.shutdown(socket.SHUT_RDWR)
                log("%s %s -> %d cut after %d of %d body bytes (forwarded)"
                    % (method, path, status, len(payload) // 2, len(payload)))
            else:
                sock.sendall(head + payload)
                if is_write:
                    with lock:
                        state["answered"] = state.get("answered", 0) + 1
                log("%s %s -> %d proxied" % (method, path, status))

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    srv = Server(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (srv.server_close(), sys.exit(0)))
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
