"""Another program on a loopback port that answers like a Prefect server (every path: 200 and
`true`), for the prefect_server tests in both tiers (the health check must tell it from ours)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Foreign(http.server.BaseHTTPRequestHandler):
    """Another program on the port: answers every path with 200 and `true`, as Prefect would."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args):
        pass


@contextmanager
def foreign_server() -> Iterator[int]:
    """The port of a foreign server, shut down on exit."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Foreign)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
