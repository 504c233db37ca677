"""Crawl runs: one row per source and run, with its counts and errors.

A run left "running" by a crawl that was killed is closed as failed by the next run of its source, so
the history never shows a run that never ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import CrawlRun, RunStatus, utcnow
from storage.recording import get_or_create_source

COUNTS = ("fetched", "new", "changed", "unchanged", "removed", "failed", "skipped")


def start_run(
    session: Session, source: str, kind: str = "html", settings: Mapping[str, Any] | None = None
) -> int:
    source_row = get_or_create_source(session, source, kind)
    source_row.kind = kind
    if settings is not None:
        source_row.settings = dict(settings)
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == source_row.id, CrawlRun.status == RunStatus.RUNNING.value)
        .values(
            status=RunStatus.FAILED.value,
            finished_at=utcnow(),
            errors=["interrupted: the crawl did not finish"],
        )
    )
    run = CrawlRun(source_id=source_row.id, status=RunStatus.RUNNING.value, errors=[])
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    counts: Mapping[str, int],
    errors: Sequence[str] = (),
    status: str | None = None,
    finished_at: datetime | None = None,
) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    for name in COUNTS:
        setattr(run, name, int(counts.get(name, 0)))
    run.errors = list(errors)[:200]
    if status is None:
        if run.fetched and run.failed >= run.fetched:
            status = RunStatus.FAILED.value
        elif run.failed:
            status = RunStatus.PARTIAL.value
        else:
            status = RunStatus.OK.value
    run.status = status
    run.finished_at = finished_at or utcnow()
    return run


def last_runs(session: Session) -> list[CrawlRun]:
    """The latest run of each source."""
    runs = session.scalars(select(CrawlRun).order_by(CrawlRun.source_id, CrawlRun.started_at.desc()))
    latest: dict[int, CrawlRun] = {}
    for run in runs:
        latest.setdefault(run.source_id, run)
    return list(latest.values())
