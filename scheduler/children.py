"""Crawl child processes: each crawl runs as its own process (Twisted's reactor cannot be restarted in
one), with a time limit, and is stopped cleanly when the scheduler stops.

A child gets its own session, so a Ctrl-C in the terminal reaches the scheduler only and the
scheduler decides how the child stops: SIGTERM (Scrapy finishes in-flight requests and records the
run), then, after a grace period, SIGKILL to its whole process group (workers included). Its output
never reaches the terminal directly: stderr is relayed through the scheduler's logging and stdout
(the crawl's summary) kept (scheduler.child_output).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from scheduler.child_output import ChildOutput

log = logging.getLogger(__name__)

# How long to wait, after a child exited, for its pipes to close (a worker it left may hold them).
OUTPUT_CLOSE_WAIT = 5.0


@dataclass(frozen=True)
class ChildOutcome:
    returncode: int | None  # None: never started (the scheduler was stopping)
    duration: float
    stdout: str
    timed_out: bool = False
    stopped: bool = False  # stopped because the scheduler is shutting down
    tail: list[str] = field(default_factory=list)  # its last stderr lines, for an error message

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.stopped


class CrawlChildren:
    """The crawls of one scheduler: running children, crawls in flight, and stopping them all."""

    def __init__(self, stop_grace: float = 30.0) -> None:
        self.stop_grace = stop_grace
        self.stopping = threading.Event()
        # Reentrant: a second Ctrl-C (kill_all) runs in the main thread, which may hold it.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._running: dict[int, subprocess.Popen[bytes]] = {}
        self._terminated: set[int] = set()  # sent SIGTERM once: a second one makes Scrapy stop uncleanly
        self._active = 0

    # -- crawls in flight --------------------------------------------------------------------------

    @contextmanager
    def active(self) -> Iterator[None]:
        """Mark a crawl job in flight from its very start (before its child exists), so a digest
        due at the same moment waits for it."""
        with self._changed:
            self._active += 1
        try:
            yield
        finally:
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    @property
    def active_count(self) -> int:
        with self._lock:
            return self._active

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no crawl is in flight; False on timeout or when the scheduler is stopping."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._active and not self.stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.5))
        return not self.stopping.is_set()

    # -- running one child ---------------------------------------------------------------------------

    def run(
        self,
        argv: Sequence[str],
        *,
        time_limit: float,
        label: str,
        logger: logging.Logger | None = None,
    ) -> ChildOutcome:
        """Run a child to completion or its time limit. Its stdout (the crawl's JSON summary) is
        captured; its stderr lines are logged under `logger` at the level each was written with."""
        started = time.monotonic()
        with self._lock:
            if self.stopping.is_set():
                return ChildOutcome(None, 0.0, "", stopped=True)
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            self._running[process.pid] = process
        output = ChildOutput(process.stdout, process.stderr, logger or log)
        log.info("%s started (pid %d)", label, process.pid)
        timed_out = False
        try:
            try:
                process.wait(timeout=time_limit)
            except subprocess.TimeoutExpired:
                timed_out = True
                log.warning("%s is over its time limit of %g s: stopping it", label, time_limit)
                self._stop(process, label)
        finally:
            with self._changed:
                self._running.pop(process.pid, None)
                self._terminated.discard(process.pid)
                self._changed.notify_all()
        stdout, tail = output.finish(OUTPUT_CLOSE_WAIT)
        return ChildOutcome(
            process.returncode,
            time.monotonic() - started,
            stdout,
            timed_out=timed_out,
            stopped=self.stopping.is_set() and not timed_out,
            tail=tail,
        )

    def _terminate(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            if process.pid in self._terminated:
                return
            self._terminated.add(process.pid)
        log.info("stopping crawl child %d (SIGTERM)", process.pid)
        _signal(process, signal.SIGTERM, group=False)

    def _stop(self, process: subprocess.Popen[bytes], label: str) -> None:
        """SIGTERM, then SIGKILL to the process group after the grace period."""
        self._terminate(process)
        try:
            process.wait(timeout=self.stop_grace)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %g s: killing it", label, self.stop_grace)
            _signal(process, signal.SIGKILL, group=True)
            process.wait()

    # -- stopping everything ---------------------------------------------------------------------------

    def stop_all(self) -> None:
        """No new children from now on; running ones get SIGTERM and, after the grace period, SIGKILL.
        Returns when all have exited."""
        with self._lock:
            self.stopping.set()
            running = list(self._running.values())
        for process in running:
            self._terminate(process)
        deadline = time.monotonic() + self.stop_grace
        with self._changed:
            while self._running and time.monotonic() < deadline:
                self._changed.wait(min(0.2, max(0.0, deadline - time.monotonic())))
            left = list(self._running.values())
        for process in left:
            log.warning("crawl child %d did not stop within %g s: killing it", process.pid, self.stop_grace)
            _signal(process, signal.SIGKILL, group=True)

    def kill_all(self) -> None:
        """At once: SIGKILL to every child's process group (a second Ctrl-C)."""
        with self._lock:
            self.stopping.set()
            running = list(self._running.values())
        for process in running:
            _signal(process, signal.SIGKILL, group=True)


def _signal(process: subprocess.Popen[bytes], signum: int, *, group: bool) -> None:
    if process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, signum)  # its own session: the group id is its pid
        else:
            process.send_signal(signum)
    except ProcessLookupError:
        pass
