"""A local HTTP server on 127.0.0.1 whose pages misbehave on purpose, for the crawler's fault tests.

Routes map a path to a behaviour; tests change them between crawls:

    with FaultServer() as site:
        site.route("/a.htm", page("<html>...</html>"))
        site.route("/flaky.htm", sequence(status(500), page("...")))
        site.route("/loop.htm", redirect("/loop2.htm"))
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def page(body: str | bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Behaviour:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return respond


def status(code: int, body: str = "") -> Behaviour:
    return page(body or f"<html><body><h1>{code}</h1></body></html>", status=code)


def sequence(*behaviours: Behaviour) -> Behaviour:
    """Each request gets the next behaviour; the last one repeats."""
    remaining = list(behaviours)
    lock = threading.Lock()

    def respond(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            behaviour = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        behaviour(handler)

    return respond


def slow(seconds: float, then: Behaviour) -> Behaviour:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        then(handler)

    return respond


def redirect(location: str, code: int = 302) -> Behaviour:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def huge(size: int, chunk: int = 1 << 20) -> Behaviour:
    """A page of `size` bytes, streamed (the crawler should give up at its size cap)."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                piece = block[: min(chunk, size - sent)]
                handler.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    return respond


class FaultServer:
    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server._lock:
                    server.hits[path] = server.hits.get(path, 0) + 1
                    behaviour = server.routes.get(path)
                # The client may give up (a timeout or a size cap): that is the point.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    (behaviour or status(404))(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, behaviour: Behaviour) -> None:
        with self._lock:
            self.routes[path] = behaviour

    def unroute(self, path: str) -> None:
        with self._lock:
            self.routes.pop(path, None)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __iter__(self) -> Iterator[str]:
        return iter(self.routes)
