"""What happens to a fetched response after the download, in a worker process: decode, extract,
archive the raw response as WARC, record in the archive.

It runs in worker processes (a spawn-started process pool) rather than on Scrapy's reactor thread:
parsing and extraction are CPU-bound Python, and in another process they run on the second core
while the reactor keeps downloading. Each worker opens its own database connection and its own WARC
file per run, so no two processes ever append to one file. One page is one transaction: a crawl
killed at any moment leaves every recorded page whole and the rest for the next run.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from crawler.decoding import decode_body
from crawler.extract import extract_page
from crawler.items import FetchedItem
from crawler.settings import SourceSettings
from crawler.warc import WarcArchive
from storage import (
    Database,
    DatabaseSettings,
    FetchedPage,
    PreparedText,
    TextNormalizer,
    mark_gone,
    record_not_modified,
    record_page,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordingTarget:
    """Where one source's run records its pages (sent to the worker with every item: keep it small)."""

    source: SourceSettings
    run_id: int
    run_label: str  # names the run's WARC files


@dataclass(frozen=True)
class RecordingResult:
    outcome: str  # new | changed | unchanged | removed | irrelevant | skipped | failed
    error: str | None = None


class _Worker:
    """Per-process state: the database, and each run's WARC file and normaliser."""

    def __init__(self, database: DatabaseSettings, archive_dir: Path) -> None:
        self.database = Database.open(database, upgrade=False)
        self.archive_dir = Path(archive_dir)
        self.warcs: dict[int, WarcArchive] = {}
        self.normalizers: dict[int, TextNormalizer] = {}
        atexit.register(self.close)

    def warc(self, target: RecordingTarget) -> WarcArchive:
        if target.run_id not in self.warcs:
            label = f"{target.run_label}-{os.getpid()}"
            self.warcs[target.run_id] = WarcArchive(self.archive_dir, target.source.name, label)
        return self.warcs[target.run_id]

    def normalizer(self, target: RecordingTarget) -> TextNormalizer:
        if target.run_id not in self.normalizers:
            self.normalizers[target.run_id] = TextNormalizer(ignore=target.source.ignore)
        return self.normalizers[target.run_id]

    def close(self) -> None:
        for warc in self.warcs.values():
            warc.close()
        self.warcs.clear()
        self.database.dispose()


_worker: _Worker | None = None
# Held while a page is being recorded, so that the orphan watchdog never exits mid-record.
_recording = threading.Lock()
ORPHAN_CHECK_SECONDS = 1.0
# How long an orphaned worker waits for the page in hand before it exits anyway. A page records in
# milliseconds; only a record stuck on a database lock takes longer, and its transaction is rolled
# back when the process exits, so leaving it loses nothing that was stored.
ORPHAN_GRACE_SECONDS = 10.0


def init_worker(
    database: DatabaseSettings, archive_dir: Path, log_level: str = "WARNING", crawl_pid: int | None = None
) -> None:
    """Process-pool initializer: open the database once per worker.

    `crawl_pid` is the crawl process that started the pool. It is passed in rather than read with
    os.getppid() here because the pool starts workers on demand: a worker started just before its
    crawl is killed runs this after it has already been orphaned, and would watch its new parent."""
    global _worker
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _worker = _Worker(database, archive_dir)
    parent = crawl_pid if crawl_pid is not None else os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    """A worker outlives a crawl process killed with SIGKILL: the pool's queues stay open (each worker
    holds their write ends too), so it would wait for work forever, holding its database connection
    and WARC file. When the parent is gone, finish the page in hand, close the files and exit."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    finished = _recording.acquire(timeout=ORPHAN_GRACE_SECONDS)
    try:
        log.warning("crawl process %d is gone: recording worker %d exits", parent, os.getpid())
        # Closing the files under a record still in progress could tear its WARC record.
        if finished and _worker is not None:
            _worker.close()
    except Exception:
        log.exception("recording worker %d: closing its files failed", os.getpid())
    finally:
        # Whatever happened above, the worker must not linger.
        os._exit(0)


def record_fetched(item: FetchedItem, target: RecordingTarget, known: str | None) -> RecordingResult:
    """Record one response; never raises (a bad page is a counted failure, not a stopped crawl)."""
    if _worker is None:
        raise RuntimeError("record_fetched runs in a worker started with init_worker")
    try:
        with _recording:
            return RecordingResult(_record(_worker, item, target, known))
    except Exception as exc:
        log.exception("%s: failed to record %s", target.source.name, item.url)
        return RecordingResult("failed", f"recording failed: {type(exc).__name__}: {exc}")


def _record(worker: _Worker, item: FetchedItem, target: RecordingTarget, known: str | None) -> str:
    """`known` is the comparison key of the page's current version when the archive has the page
    (the crawl read them all in one query; "" when it has none), None for a page it never saw."""
    database = worker.database
    if item.outcome == "not_modified":
        result = database.write(lambda s: record_not_modified(s, item.url, item.fetched_at))
        return "unchanged" if result is not None else "skipped"
    if item.outcome == "gone":
        change = database.write(
            lambda s: mark_gone(
                s, item.url, item.fetched_at, crawl_run_id=target.run_id, reason=f"HTTP {item.status}"
            )
        )
        return "removed" if change is not None else "skipped"

    source = target.source
    decoded = decode_body(item.body, item.content_type)
    extraction = extract_page(
        decoded.text,
        item.url,
        content_selector=source.content,
        exclude=source.exclude,
        language=source.language,
    )
    if not extraction.relevant and known is None:
        return "irrelevant"
    location = worker.warc(target).write_response(
        item.url, item.status, item.headers, item.body, item.fetched_at, item.ip
    )
    headers = {k.lower(): v for k, v in item.headers}
    page = FetchedPage(
        url=item.url,
        source=source.name,
        source_kind=source.kind,
        text=extraction.text,
        fetched_at=item.fetched_at,
        title=extraction.title,
        published=extraction.published,
        language=extraction.language,
        relevant=extraction.relevant,
        categories=extraction.categories,
        mentions=extraction.mentions,
        http_status=item.status,
        raw_sha256=hashlib.sha256(item.body).hexdigest(),
        archive_path=location.path,
        archive_offset=location.offset,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        crawl_run_id=target.run_id,
    )
    # Everything that needs no database is done before the write transaction, which holds the one
    # write lock that this process shares with the other workers. A page the list did not know is
    # almost always new; a known one is indexed only if its text changed.
    normalizer = worker.normalizer(target)
    normalized = normalizer.normalize(page.text)
    will_store = known != normalized.sha256
    prepared = PreparedText.of(page, normalized, will_store=will_store)
    return database.write(lambda s: record_page(s, page, normalizer, prepared=prepared)).status
