"""The next server on a port, for the closing-listeners test: one process, one SO_REUSEPORT listener.

As a Go or Rust server started by the same supervisor would be. Answers every GET with 200, one
connection at a time per thread. Usage: reuseport-server.py HOST PORT. Standard library only.
"""

import http.server
import socket
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = b"next"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024

    def server_bind(self):
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        super().server_bind()


def main():
    server = Server((sys.argv[1], int(sys.argv[2])), Handler)
    print("next server ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
