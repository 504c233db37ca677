"""A crawl child's output, relayed through the scheduler's logging instead of onto its terminal.

The child (`aiplus crawl --json SOURCE`) logs to stderr, Scrapy included, and prints its JSON summary
on stdout. Each stderr line is logged again under the logger given (one named for the source), at the
level the child logged it with, so the scheduler's own level and format decide what is shown; the
last lines are kept for the error when the crawl fails. Both pipes are read by threads of their own
from the start: a child that writes a lot never blocks on a full pipe while the scheduler waits.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from typing import IO

# A record as the child's logging writes it ("%(asctime)s %(levelname)s %(name)s: %(message)s"), or
# as Scrapy's own format does ("%(asctime)s [%(name)s] %(levelname)s: %(message)s").
_RECORD = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?\s+"
    r"(?:(?P<level>[A-Z]+)\s+(?P<name>[^\s:]+)|\[(?P<scrapy_name>[^\]]+)\]\s+(?P<scrapy_level>[A-Z]+))"
    r":\s?(?P<message>.*)$"
)
_LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARNING": logging.WARNING,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}
TAIL_LINES = 10
TAIL_WIDTH = 300  # a line kept for an error message is cut here (Scrapy can log whole page bodies)


def parse_line(line: str) -> tuple[int | None, str]:
    """(level, the line without the child's time stamp) for a log record; (None, line) for anything
    else: a record's continuation (a traceback, a pretty-printed dict) or a stray print."""
    match = _RECORD.match(line)
    if match is None:
        return None, line
    level_name = match.group("level") or match.group("scrapy_level")
    level = _LEVELS.get(level_name)
    if level is None:
        return None, line
    name = match.group("name") or match.group("scrapy_name")
    return level, f"{name}: {match.group('message')}"


class ChildOutput:
    """Reads a child's stdout (kept) and stderr (relayed to `logger`, last lines kept) until both
    close."""

    def __init__(self, stdout: IO[bytes] | None, stderr: IO[bytes] | None, logger: logging.Logger) -> None:
        self.logger = logger
        self._stdout: list[bytes] = []
        self._tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._lock = threading.Lock()  # finish() may copy while a reader still appends
        self._threads = [
            threading.Thread(target=target, args=(pipe,), name=f"{logger.name} {what}", daemon=True)
            for target, pipe, what in ((self._collect, stdout, "stdout"), (self._relay, stderr, "stderr"))
            if pipe is not None
        ]
        for thread in self._threads:
            thread.start()

    def _collect(self, pipe: IO[bytes]) -> None:
        with pipe:
            for chunk in iter(lambda: pipe.read(65536), b""):
                with self._lock:
                    self._stdout.append(chunk)

    def _relay(self, pipe: IO[bytes]) -> None:
        # A line that is not a record continues the one before (a traceback under its ERROR line);
        # before any record, unexpected output on stderr is worth a warning. "Traceback" always starts
        # an error: Python prints an uncaught exception without a record.
        level = logging.WARNING
        with pipe:
            for raw in pipe:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if not line.strip():
                    continue
                parsed, text = parse_line(line)
                if parsed is not None:
                    level = parsed
                elif line.startswith("Traceback (most recent call last)"):
                    level = logging.ERROR
                self.logger.log(level, "%s", text)
                with self._lock:
                    self._tail.append(f"{logging.getLevelName(level)} {text}"[:TAIL_WIDTH])

    def finish(self, timeout: float) -> tuple[str, list[str]]:
        """(stdout, the last stderr lines) once the child has exited. Waits at most `timeout` for the
        pipes to close: a worker the child left behind may still hold them, and is not waited for."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in self._threads):
            self.logger.warning("output still open %g s after the crawl ended: not waiting for it", timeout)
        with self._lock:
            return b"".join(self._stdout).decode("utf-8", "replace"), list(self._tail)
