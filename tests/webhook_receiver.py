"""A real HTTP receiver on 127.0.0.1 for webhook and apprise tests: it records every request and
answers with scripted statuses (then 200)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered


class WebhookReceiver:
    """`with WebhookReceiver(statuses=[500]) as hook:` answers the first POST 500, later ones 200."""

    def __init__(self, statuses: Iterable[int] = ()) -> None:
        self._statuses = list(statuses)
        self._lock = threading.Condition()
        self.requests: list[Request] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    status = receiver._statuses.pop(0) if receiver._statuses else 200
                    receiver.requests.append(
                        Request("POST", self.path, dict(self.headers.items()), body, status)
                    )
                    receiver._lock.notify_all()
                answer = b'{"ok": true}' if status < 300 else b'{"error": "try later"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def accepted(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.status < 300]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Request]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.requests)} request(s) arrived, expected {count}")
                self._lock.wait(remaining)
            return list(self.requests)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
