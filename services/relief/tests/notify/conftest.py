"""A real local HTTP server that fails its first `failures` requests, then answers 204."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.tries = 0
        self.received: list[dict] = []
        self.keys: list[str] = []
        self.lock = threading.Lock()


@pytest.fixture
def receiver():
    state = Receiver(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.tries += 1
                failing = state.failures > 0
                if failing:
                    state.failures -= 1
                else:
                    state.received.append(json.loads(body))
                    state.keys.append(self.headers.get("Idempotency-Key", ""))
            self.send_response(503 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
