#!/usr/bin/env python3
"""fault-server.py - a tiny HTTP/1.1 server that misbehaves on purpose, for
tests/integration/damaged-inputs.sh (issue 8: enormous answers, slow
servers, bodies cut short, a wrong Content-Length, 500 then success) and
a fake Docker Engine (API 1.41) on a unix socket whose answers can be
swapped for damaged ones.

Feed mode (TCP, 127.0.0.1 only):
    fault-server.py --body FILE --port-file PATH
Listens on a free port of 127.0.0.1 and writes it to PATH. The first path
component of a request picks the behaviour; the rest of the path is
ignored and FILE is the body:
    /ok/...        200 with FILE
    /huge/...      200 announcing 4 GiB (Content-Length), then zeros
    /endless/...   200 without Content-Length, zeros until the client goes
    /slow/...      200 with FILE, one byte per second
    /cut/...       Content-Length of FILE, half of it sent, then close
    /longcl/...    Content-Length 1000 bytes more than FILE, FILE, close
    /flaky/...     500 to the first request for a path, then 200 with FILE
    /fail/...      500 always
Each request is logged to stderr as "STATUS PATH".

Engine mode (unix socket):
    fault-server.py --unix SOCKET --engine DIR --control FILE
Serves the real answers of DIR (../shared/samples/engine/docker):
/_ping (the headers of ping.headers.txt), /version, /v1.41/info,
/v1.41/containers/json (containers-json-all.json), each container's
inspect (containers/*.json by "Id") and image inspect (images/*.json by
"Id"). FILE is read on every request; each of its lines "TARGET PATH"
(TARGET: version, info, list, inspect, image) serves PATH instead of the
real answer: for inspect, the inspect of the container of
containers/priv-always.json; for image, every image inspect."""
import argparse
import http.server
import json
import os
import socket
import socketserver
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-server/1"

    def log_message(self, fmt, *args):
        pass

    def head(self, status, length=None, ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def send(self, status, body, ctype="application/json", extra=()):
        self.head(status, len(body), ctype, extra)
        self.wfile.write(body)

    # ---------------------------------------------------------------- feed
    def feed(self):
        opts = self.server.opts
        mode = self.path.split("/")[1] if self.path.count("/") > 1 else ""
        body = opts.body_bytes
        sys.stderr.write("%s %s\n" % (mode, self.path))
        sys.stderr.flush()
        try:
            if mode == "ok":
                self.send(200, body)
            elif mode == "huge":
                self.head(200, 4 << 30)
                block = b"\0" * 65536
                while True:
                    self.wfile.write(block)
            elif mode == "endless":
                self.head(200, None)
                block = b"\0" * 65536
                while True:
                    self.wfile.write(block)
            elif mode == "slow":
                self.head(200, len(body))
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == "cut":
                self.head(200, len(body))
                self.wfile.write(body[:len(body) // 2])
            elif mode == "longcl":
                self.head(200, len(body) + 1000)
                self.wfile.write(body)
            elif mode == "flaky":
                with self.server.lock:
                    first = self.path not in self.server.seen
                    self.server.seen.add(self.path)
                if first:
                    self.send(500, b"try again\n", "text/plain")
                else:
                    self.send(200, body)
            else:
                self.send(500, b"failing on purpose\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -------------------------------------------------------------- engine
    def override(self, target):
        try:
            with open(self.server.opts.control) as f:
                for line in f:
                    parts = line.split(None, 1)
                    if len(parts) == 2 and parts[0] == target:
                        with open(parts[1].strip(), "rb") as g:
                            return g.read()
        except FileNotFoundError:
            pass
        return None

    def engine(self):
        srv = self.server
        path = self.path.split("?")[0]
        if path == "/_ping":
            self.send(200, b"OK", "text/plain", srv.ping_headers)
            return
        if path.startswith("/v") and path[2:3].isdigit() and "/" in path[1:]:
            path = path[path.index("/", 1):]
        target, real = None, None
        if path == "/version":
            target, real = "version", srv.files.get("version.json")
        elif path == "/info":
            target, real = "info", srv.files.get("info.json")
        elif path == "/containers/json":
            target, real = "list", srv.files.get("containers-json-all.json")
        elif path.startswith("/containers/") and path.endswith("/json"):
            cid = path[len("/containers/"):-len("/json")]
            real = srv.containers.get(cid)
            if cid == srv.damaged_container:
                target = "inspect"
        elif path.startswith("/images/") and path.endswith("/json"):
            iid = path[len("/images/"):-len("/json")]
            real = srv.images.get(iid)
            target = "image"
        body = self.override(target) if target else None
        if body is None:
            body = real
        if body is None:
            self.send(404, b'{"message":"page not found"}\n')
            return
        self.send(200, body, "application/json", srv.ping_headers)

    def do_GET(self):
        if self.server.opts.unix:
            self.engine()
        else:
            self.feed()

    do_HEAD = do_GET


class TCPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    # slipway asks for every inspect at once, as dockerd's backlog allows
    request_queue_size = 128

    def get_request(self):
        conn, _ = super().get_request()
        # BaseHTTPRequestHandler wants a (host, port) client address.
        return conn, ("local", 0)


def load_engine(srv, d):
    def read(*p):
        with open(os.path.join(d, *p), "rb") as f:
            return f.read()

    srv.files = {n: read(n) for n in ("version.json", "info.json", "containers-json-all.json")}
    srv.containers, srv.images = {}, {}
    for sub, table in (("containers", srv.containers), ("images", srv.images)):
        for n in sorted(os.listdir(os.path.join(d, sub))):
            if not n.endswith(".json") or "history" in n:
                continue
            data = read(sub, n)
            table[json.loads(data)["Id"]] = data
    srv.damaged_container = json.loads(read("containers", "priv-always.json"))["Id"]
    srv.ping_headers = []
    for line in read("ping.headers.txt").decode().splitlines()[1:]:
        if not line.strip():
            break
        k, v = line.split(":", 1)
        if k.lower() in ("api-version", "ostype", "server", "docker-experimental"):
            srv.ping_headers.append((k, v.strip()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--body")
    ap.add_argument("--port-file")
    ap.add_argument("--unix")
    ap.add_argument("--engine")
    ap.add_argument("--control")
    opts = ap.parse_args()
    if opts.unix:
        if os.path.exists(opts.unix):
            os.unlink(opts.unix)
        srv = UnixServer(opts.unix, Handler)
        load_engine(srv, opts.engine)
    else:
        with open(opts.body, "rb") as f:
            opts.body_bytes = f.read()
        srv = TCPServer(("127.0.0.1", 0), Handler)
        srv.seen, srv.lock = set(), threading.Lock()
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, opts.port_file)
    srv.opts = opts
    srv.serve_forever()


if __name__ == "__main__":
    main()
