"""The state of one source's crawl run, shared by its spider and the pipeline: what the archive
already knows, counts, errors, and where results go."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.settings import SourceSettings
from storage import Database

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from crawler.backlog import RecordingBacklog
    from crawler.recording import RecordingTarget
    from crawler.spiders.base import KnownDocument

log = logging.getLogger(__name__)

# (source name, outcome, url): called after every page, for progress displays.
ProgressCallback = Callable[[str, str, str], None]


@dataclass
class RunContext:
    source: SourceSettings
    run_id: int
    database: Database
    known: dict[str, KnownDocument]
    recorder: Executor  # the recording worker processes
    target: RecordingTarget
    backlog: RecordingBacklog  # pages waiting for a worker, shared by all sources of the process
    progress: ProgressCallback | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    recorded: set[str] = field(default_factory=set)  # URLs answered this run (200 or 304)
    list_failures: int = 0
    limit_reached: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, outcome: str, url: str = "") -> None:
        with self._lock:
            self.counts[outcome] += 1
            if outcome in ("new", "changed", "unchanged", "irrelevant"):
                self.recorded.add(url)
        if self.progress is not None and outcome not in ("lists",):
            self.progress(self.source.name, outcome, url)

    def fail(self, url: str, reason: str, *, list_page: bool = False) -> None:
        log.warning("%s: %s: %s", self.source.name, url, reason)
        with self._lock:
            self.errors.append(f"{url}: {reason}")
            if list_page:
                self.list_failures += 1
        self.count("failed", url)

    def skip(self, url: str, reason: str) -> None:
        log.info("%s: skipped %s: %s", self.source.name, url, reason)
        self.count("skipped", url)

    def note_limit(self, limit: int) -> None:
        if self.limit_reached is None:
            self.limit_reached = limit
            log.info("%s: max_pages (%d) reached", self.source.name, limit)

    def summary(self) -> dict[str, Any]:
        with self._lock:
            return {
                "source": self.source.name,
                "run_id": self.run_id,
                **self.counts,
                "errors": list(self.errors),
            }
