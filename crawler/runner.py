"""Running a crawl: one crawl_run per source, all sources in one Scrapy process, counts and errors
recorded when it ends.

Twisted's reactor cannot be restarted in a process, so `crawl_sources` runs once per process: the CLI
calls it for `aiplus crawl`, and the scheduler starts `aiplus crawl SOURCE` as a child process.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.backlog import backlog_for
from crawler.recording import RecordingTarget, init_worker
from crawler.run_context import ProgressCallback, RunContext
from crawler.scrapy_settings import scrapy_settings
from crawler.settings import CrawlSettings, SourceSettings
from crawler.spiders import KnownDocument, SourceSpider
from storage import Database
from storage.models import Document, DocumentState, RunStatus, Source
from storage.recording import note_missing_from_list
from storage.runs import finish_run, start_run

log = logging.getLogger(__name__)

PAGE_OUTCOMES = ("new", "changed", "unchanged", "removed", "irrelevant")


@dataclass
class SourceRunResult:
    source: str
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def load_known(database: Database, source: str) -> dict[str, KnownDocument]:
    """The source's live documents, with what a conditional request needs."""
    with database.session() as session:
        rows = session.execute(
            select(
                Document.url,
                Document.http_etag,
                Document.http_last_modified,
                Document.last_seen,
                Document.current_text_sha256,
            )
            .join(Source, Document.source_id == Source.id)
            .where(Source.name == source, Document.state == DocumentState.LIVE.value)
        )
        return {row[0]: KnownDocument(*row) for row in rows}


def crawl_sources(
    sources: Sequence[SourceSettings],
    crawl: CrawlSettings,
    database: Database,
    archive_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    log_level: str = "WARNING",
) -> list[SourceRunResult]:
    """Crawl the sources now (in this process, once) and record everything in the archive."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Spawned, not forked: forking a process that already runs threads (the reactor's) can deadlock.
    workers = recording_workers(crawl)
    backlog = backlog_for(workers)
    recorder = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(database.settings, Path(archive_dir), log_level, os.getpid()),
    )
    contexts = []
    try:
        for source in sources:
            with database.transaction() as session:
                run_id = start_run(session, source.name, source.kind, _jsonable(source))
            contexts.append(
                RunContext(
                    source=source,
                    run_id=run_id,
                    database=database,
                    known=load_known(database, source.name),
                    recorder=recorder,
                    backlog=backlog,
                    target=RecordingTarget(source, run_id, f"{stamp}-run{run_id}"),
                    progress=progress,
                )
            )
        process = CrawlerProcess(
            scrapy_settings(crawl, sources=len(contexts), log_level=log_level), install_root_handler=False
        )
        # Scrapy's logging set-up gives its own loggers level DEBUG, which our root handler (installed
        # by the CLI, not by Scrapy) does not filter: every response and item would be logged, item
        # bodies included, at a third of the crawl process's CPU.
        for name in ("scrapy", "twisted", "py.warnings"):
            logging.getLogger(name).setLevel(log_level)
        for context in contexts:
            process.crawl(SourceSpider.registry[context.source.kind], context=context)
        process.start()
    finally:
        recorder.shutdown(wait=True)
    return [_finish(context) for context in contexts]


def recording_workers(crawl: CrawlSettings) -> int:
    """Worker processes for recording: one per core. The reactor's own process needs a fifth of a core
    at full speed (it only downloads and parses list pages), so giving every core a worker beats
    keeping one free (bench/crawl_speed.py, 2 cores: 56 -> 89 pages/s)."""
    if crawl.recording_workers > 0:
        return crawl.recording_workers
    # The cores this process may run on, not the machine's: a container or CI runner is often given
    # two cores of a large host, and a worker per host core would only queue for them.
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _finish(context: RunContext) -> SourceRunResult:
    source = context.source
    if source.gone_after_unlisted_runs > 0:
        now = datetime.now(UTC)
        for url in context.unlisted:
            if url in context.recorded:
                continue

            def note_missing(session: Session, url: str = url) -> int | None:
                return note_missing_from_list(
                    session,
                    url,
                    now,
                    gone_after_runs=source.gone_after_unlisted_runs,
                    crawl_run_id=context.run_id,
                )

            change = context.database.write(note_missing)
            if change is not None:
                context.count("removed", url)
    counts = dict(context.counts)
    fetched = sum(counts.get(k, 0) for k in PAGE_OUTCOMES)
    failed = counts.get("failed", 0)
    if fetched == 0 and (failed or context.list_failures):
        status = RunStatus.FAILED.value
    elif failed:
        status = RunStatus.PARTIAL.value
    else:
        status = RunStatus.OK.value
    stored = {
        "fetched": fetched,
        "new": counts.get("new", 0),
        "changed": counts.get("changed", 0),
        "unchanged": counts.get("unchanged", 0),
        "removed": counts.get("removed", 0),
        "failed": failed,
        "skipped": counts.get("skipped", 0) + counts.get("irrelevant", 0),
    }
    with context.database.transaction() as session:
        finish_run(session, context.run_id, stored, context.errors, status)
    log.info("%s: %s %s", source.name, status, stored)
    return SourceRunResult(
        source.name,
        context.run_id,
        status,
        {**stored, "irrelevant": counts.get("irrelevant", 0)},
        list(context.errors),
    )


def _jsonable(source: SourceSettings) -> dict[str, Any]:
    return dataclasses.asdict(source)
