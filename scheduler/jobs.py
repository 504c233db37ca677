"""The job functions the scheduler runs: a crawl (in a child process) and a digest (in-process).

APScheduler persists a job as a reference to an importable function plus picklable arguments, so the
functions live here at module level and take names only; what they work with (the database, the
digests' channels, how to start a crawl) is the process's JobContext, bound by the service at start.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from digest.channels import Channel
from digest.delivery import DeliveryReport, deliver_digest
from digest.settings import DigestSettings
from scheduler.children import ChildOutcome, CrawlChildren
from scheduler.settings import SchedulerSettings
from storage import Database

log = logging.getLogger(__name__)


class InFlight:
    """Counts jobs running, so that stopping can wait for them to end."""

    def __init__(self) -> None:
        self._count = 0
        self._changed = threading.Condition()

    @contextmanager
    def track(self) -> Iterator[None]:
        with self._changed:
            self._count += 1
        try:
            yield
        finally:
            with self._changed:
                self._count -= 1
                self._changed.notify_all()

    def wait_done(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._count == 0, timeout)


@dataclass
class JobContext:
    """What jobs work with in this process."""

    database: Database
    digests: Mapping[str, DigestSettings]
    channels: Mapping[str, Sequence[Channel]]
    crawl_command: Callable[[str], list[str]]  # source name -> argv of `aiplus crawl`
    settings: SchedulerSettings = field(default_factory=SchedulerSettings)
    source_names: Sequence[str] | None = None  # configured sources, for digests' source health
    children: CrawlChildren = field(default_factory=CrawlChildren)
    in_flight: InFlight = field(default_factory=InFlight)


_context: JobContext | None = None


def bind(context: JobContext) -> None:
    global _context
    _context = context


def unbind() -> None:
    global _context
    _context = None


def current_context() -> JobContext:
    if _context is None:
        raise RuntimeError("no job context: jobs run inside `aiplus run`, which binds one")
    return _context


# -- crawl ---------------------------------------------------------------------------------------


def crawl_job(source: str) -> None:
    """Crawl one source in a child process (`aiplus crawl SOURCE`), within the time limit."""
    context = current_context()
    with context.in_flight.track(), context.children.active():
        argv = context.crawl_command(source)
        outcome = context.children.run(
            argv,
            time_limit=context.settings.crawl_time_limit,
            label=f"crawl {source}",
            logger=child_logger(source),
        )
        log_crawl_outcome(source, outcome)


def child_logger(source: str) -> logging.Logger:
    """The logger a crawl child's own lines are relayed under: `crawl.<source>`, outside the
    scheduler's loggers, so the child's INFO and DEBUG chatter (Scrapy's included) shows with -v and
    -vv like any other library's, and its warnings and errors always."""
    return logging.getLogger(f"crawl.{source}")


def summarize_crawl(stdout: str) -> str:
    """`aiplus crawl --json` output as one line: status and counts per source."""
    try:
        results = json.loads(stdout)
    except ValueError:
        return "no summary"
    parts = []
    for result in results if isinstance(results, list) else []:
        counts = result.get("counts", {})
        numbers = ", ".join(
            f"{counts.get(k, 0)} {k}" for k in ("new", "changed", "unchanged", "removed", "failed")
        )
        first_error = f"; first error: {result['errors'][0]}" if result.get("errors") else ""
        parts.append(f"{result.get('status', '?')}: {numbers}{first_error}")
    return "; ".join(parts) or "no summary"


def last_lines(tail: Sequence[str]) -> str:
    """A failed crawl's last output lines, appended to its error (empty when it wrote none)."""
    if not tail:
        return ""
    return "; its last output lines:\n" + "\n".join(f"    {line}" for line in tail)


def log_crawl_outcome(source: str, outcome: ChildOutcome) -> None:
    summary = summarize_crawl(outcome.stdout)
    if outcome.returncode is None:
        log.info("crawl %s not started: the scheduler is stopping", source)
    elif outcome.timed_out:
        log.error(
            "crawl %s stopped at its time limit after %.1f s (exit %s): %s%s",
            source,
            outcome.duration,
            outcome.returncode,
            summary,
            last_lines(outcome.tail),
        )
    elif outcome.stopped:
        log.warning(
            "crawl %s stopped at shutdown after %.1f s (exit %s): %s",
            source,
            outcome.duration,
            outcome.returncode,
            summary,
        )
    elif outcome.returncode != 0:
        log.error(
            "crawl %s failed after %.1f s (exit %d): %s%s",
            source,
            outcome.duration,
            outcome.returncode,
            summary,
            last_lines(outcome.tail),
        )
    else:
        log.info("crawl %s finished in %.1f s (exit 0): %s", source, outcome.duration, summary)


# -- digest --------------------------------------------------------------------------------------


def digest_job(digest: str, configured_at: datetime | None = None) -> DeliveryReport | None:
    """Deliver one digest: each channel gets what it has not received since the digest began
    (`configured_at`: when the scheduler first took it on). Waits for running crawls first, so the
    digest reports them whole; skipped when the scheduler is stopping."""
    context = current_context()
    with context.in_flight.track():
        settings = context.digests.get(digest)
        if settings is None:
            log.warning("digest %s is no longer configured: nothing to do", digest)
            return None
        children = context.children
        if children.stopping.wait(context.settings.digest_settle):
            log.info("digest %s not sent: the scheduler is stopping (it runs at its next time)", digest)
            return None
        if children.active_count:
            log.info("digest %s waits for %d running crawl(s)", digest, children.active_count)
        limit = context.settings.crawl_time_limit + context.settings.stop_grace
        if not children.wait_idle(limit):
            if children.stopping.is_set():
                log.info("digest %s not sent: the scheduler is stopping (it runs at its next time)", digest)
                return None
            log.warning("digest %s: crawls still running after %g s: sending what there is", digest, limit)
        report = deliver_digest(
            context.database,
            settings,
            context.channels.get(digest, ()),
            start=configured_at,
            configured_sources=context.source_names,
        )
        if report.failed:
            log.error(
                "digest %s: %d of %d channel(s) failed; their changes wait for the next run",
                digest,
                len(report.failed),
                len(report.results),
            )
        return report


def job_kwargs_for(
    kind: str, target: str, previous: Mapping[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """A job's arguments; a digest keeps the `configured_at` of its stored job across restarts."""
    if kind == "crawl":
        return {"source": target}
    configured_at = (previous or {}).get("configured_at") or now
    return {"digest": target, "configured_at": configured_at}
