"""A small local web server for the bundled sample site.

The site is package data: one folder per state (``state1``, ``state2``) holding the files served,
laid out as their URL paths. The crawler's tests and ``aiplus demo`` serve state 1 on 127.0.0.1,
crawl it, switch to state 2 (the site some weeks later) and crawl again.

What the server does, so that the crawler meets what real sites send:

* Content-Type by file extension, ``charset=utf-8`` for text, unless ``headers.json`` (next to
  this module) overrides it for a path; that is how the GBK pages are served as ``charset=gb2312``.
* ``ETag`` (a hash of the bytes sent) and ``Last-Modified``, and 304 for a matching
  ``If-None-Match`` or a not-newer ``If-Modified-Since``.
* 404 with a small HTML page for missing files; ``index.htm`` / ``index.html`` for folders.
* Placeholders in any file: ``{{base}}`` becomes the server's base URL (feeds, sitemaps and JSON
  lists need absolute URLs); ``{{clock}}`` becomes the current Beijing time
  (``2026-11-26 21:30:05``), a noise source that changes between fetches.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import posixpath
import re
import threading
from datetime import UTC, datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

PACKAGE = "crawler.sample_site"
BEIJING = timezone(timedelta(hours=8))

# The date each state of the site was published. A file's Last-Modified is the date of the earliest
# state from which its bytes have not changed, so a conditional request carried over from a state-1
# crawl gets a 304 for an unchanged file and a 200 for a changed one.
_FIRST_STATE_DATE = datetime(2026, 1, 5, 6, 0, tzinfo=BEIJING)
_STATE_INTERVAL = timedelta(days=66)  # state 2: 2026-03-12

CONTENT_TYPES = {
    ".htm": "text/html",
    ".html": "text/html",
    ".shtml": "text/html",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".css": "text/css",
    ".js": "application/javascript",
}
INDEX_FILES = ("index.htm", "index.html")

CLOCK = b"{{clock}}"
BASE = b"{{base}}"

NOT_FOUND_PAGE = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>\n'
    b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n"
)


def package_root() -> Traversable:
    return files(PACKAGE)


def available_states() -> list[int]:
    """The states shipped with the package (folders named stateN)."""
    states = []
    for entry in package_root().iterdir():
        match = re.fullmatch(r"state(\d+)", entry.name)
        if match and entry.is_dir():
            states.append(int(match.group(1)))
    return sorted(states)


def state_date(state: int) -> datetime:
    return _FIRST_STATE_DATE + (state - 1) * _STATE_INTERVAL


def load_expected() -> dict[str, Any]:
    """The answer key for the change from state 1 to state 2 (expected.json)."""
    data: dict[str, Any] = json.loads(package_root().joinpath("expected.json").read_text(encoding="utf-8"))
    return data


def sources_toml(base_url: str | None = None) -> str:
    """The [[source]] entries that crawl the sample site; `{base}` filled in when base_url is given."""
    text = package_root().joinpath("sources.toml").read_text(encoding="utf-8")
    return text.replace("{base}", base_url.rstrip("/")) if base_url else text


class _Files:
    """Reads the state folders once; files are immutable package data."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, str], bytes | None] = {}
        root = package_root()
        self._headers: dict[str, dict[str, str]] = json.loads(
            root.joinpath("headers.json").read_text(encoding="utf-8")
        )

    def headers_for(self, path: str) -> dict[str, str]:
        return self._headers.get(path, {})

    def read(self, state: int, path: str) -> bytes | None:
        key = (state, path)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        node: Traversable = package_root().joinpath(f"state{state}")
        for part in path.strip("/").split("/"):
            if part:
                node = node.joinpath(part)
        data = node.read_bytes() if node.is_file() else None
        with self._lock:
            self._cache[key] = data
        return data

    def is_dir(self, state: int, path: str) -> bool:
        node: Traversable = package_root().joinpath(f"state{state}")
        for part in path.strip("/").split("/"):
            if part:
                node = node.joinpath(part)
        return node.is_dir()

    def last_modified(self, state: int, path: str, data: bytes) -> datetime:
        first = state
        while first > 1 and self.read(first - 1, path) == data:
            first -= 1
        return state_date(first)


def _content_type(path: str) -> str:
    ext = posixpath.splitext(path)[1].lower()
    ctype = CONTENT_TYPES.get(ext, "application/octet-stream")
    if ctype.startswith("text/") or ctype in (
        "application/json",
        "application/xml",
        "application/javascript",
    ):
        ctype += "; charset=utf-8"
    return ctype


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


class _Handler(BaseHTTPRequestHandler):
    server_version = "aiplus-sample-site/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    site: SampleSite  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        state = self.site.state
        raw_path = urlsplit(self.path).path or "/"
        path = unquote(raw_path)
        normal = posixpath.normpath(path)
        if path.endswith("/") and normal != "/":
            normal += "/"
        if not normal.startswith("/") or ".." in path.split("/"):
            self._not_found(head)
            return
        store = self.site._files
        if normal.endswith("/") or store.is_dir(state, normal):
            if not normal.endswith("/"):
                self._redirect(raw_path + "/", head)
                return
            for index in INDEX_FILES:
                if store.read(state, normal + index) is not None:
                    normal += index
                    break
            else:
                self._not_found(head)
                return
        raw = store.read(state, normal)
        if raw is None:
            self._not_found(head)
            return

        body = raw.replace(BASE, self.site.base_url.encode("ascii"))
        dynamic = CLOCK in raw
        if dynamic:
            now = datetime.now(BEIJING)
            body = body.replace(CLOCK, now.strftime("%Y-%m-%d %H:%M:%S").encode("ascii"))
            modified = now.replace(microsecond=0)
        else:
            modified = store.last_modified(state, normal, raw)
        etag = f'"{hashlib.sha256(body).hexdigest()[:24]}"'

        headers = {
            "Content-Type": _content_type(normal),
            "ETag": etag,
            "Last-Modified": email.utils.format_datetime(modified.astimezone(UTC), usegmt=True),
            "Cache-Control": "no-cache",
        }
        headers.update(store.headers_for(normal))

        if self._not_modified(etag, None if dynamic else modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name in ("ETag", "Last-Modified", "Cache-Control"):
                self.send_header(name, headers[name])
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, modified: datetime | None) -> bool:
        # RFC 9110: If-None-Match, when present, decides; If-Modified-Since only without it. A page
        # made on each request (modified=None) is never older than the client's copy: it only
        # answers If-None-Match, whose tag changes with the bytes.
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        since = self.headers.get("If-Modified-Since")
        if since and modified is not None:
            try:
                since_dt = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if since_dt.tzinfo is None:
                since_dt = since_dt.replace(tzinfo=UTC)
            return modified.replace(microsecond=0) <= since_dt
        return False

    def _not_found(self, head: bool) -> None:
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(NOT_FOUND_PAGE)))
        self.end_headers()
        if not head:
            self.wfile.write(NOT_FOUND_PAGE)

    def _redirect(self, location: str, head: bool) -> None:
        body = b"<html><body>Moved</body></html>\n"
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SampleSite:
    """The bundled sample site, served on 127.0.0.1 from a daemon thread.

    >>> with SampleSite(state=1) as site:            # doctest: +SKIP
    ...     crawl(site.base_url + "/govcn/zhengce/zuixin/")
    ...     site.set_state(2)
    ...     crawl(site.base_url + "/govcn/zhengce/zuixin/")

    `port=0` (the default) binds a free port; `base_url` is ``http://127.0.0.1:PORT``.
    """

    host = "127.0.0.1"

    def __init__(self, state: int = 1, port: int = 0) -> None:
        self._states = available_states()
        self._check_state(state)
        self._state = state
        self._requested_port = port
        self._state_lock = threading.Lock()
        self._files = _Files()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _check_state(self, state: int) -> None:
        if state not in self._states:
            raise ValueError(f"unknown sample-site state {state!r}; available: {self._states}")

    @property
    def states(self) -> list[int]:
        return list(self._states)

    @property
    def state(self) -> int:
        with self._state_lock:
            return self._state

    def set_state(self, state: int) -> None:
        """Switch the site to another state; requests after this call see the new files."""
        self._check_state(state)
        with self._state_lock:
            self._state = state

    @property
    def port(self) -> int:
        if self._server is None:
            if self._requested_port:
                return self._requested_port
            raise RuntimeError("the sample site is not started (port 0 is chosen when it starts)")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a site path such as '/govcn/zhengce/zuixin/'."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def start(self) -> SampleSite:
        if self._server is not None:
            return self
        handler = type("SampleSiteHandler", (_Handler,), {"site": self})
        server = ThreadingHTTPServer((self.host, self._requested_port), handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sample-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("sample site (state %d) serving at %s", self.state, self.base_url)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "not started"
        return f"<SampleSite state={self.state} {where}>"
