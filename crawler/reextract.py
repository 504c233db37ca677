"""`aiplus reextract`: the current extractor over archived responses, without refetching.

Each version's raw response is read back from its WARC record, decoded and extracted again with
its source's selectors; what the extractor now finds differently (mentions, status, title, date,
categories) replaces what is stored and is recorded as a re-extraction, not as a change of the page.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from crawler.decoding import decode_body
from crawler.extract import extract_page
from crawler.settings import SourceSettings
from crawler.warc import WarcLocation, read_response
from storage import Database
from storage.models import Document, Source, Version
from storage.reextraction import Reextracted, apply_reextraction

log = logging.getLogger(__name__)


def reextract(
    database: Database,
    archive_dir: Path,
    sources: Mapping[str, SourceSettings],
    *,
    only_sources: Sequence[str] = (),
    all_versions: bool = False,
    dry_run: bool = False,
    on_version: Callable[[str], None] | None = None,
) -> Counter[str]:
    """Re-extract the current versions (or every version) of the archive; returns counts of
    updated, unchanged, missing (no raw response on disk) and failed versions."""
    counts: Counter[str] = Counter()
    with database.session() as session:
        query = (
            select(Version.id, Version.archive_path, Version.archive_offset, Document.url, Source.name)
            .join(Document, Version.document_id == Document.id)
            .join(Source, Document.source_id == Source.id)
            .order_by(Version.id)
        )
        if not all_versions:
            query = query.where(Document.current_version_id == Version.id)
        if only_sources:
            query = query.where(Source.name.in_(list(only_sources)))
        rows = session.execute(query).all()
    now = datetime.now(UTC)
    for version_id, path, offset, url, source_name in rows:
        outcome = _reextract_one(
            database, archive_dir, sources.get(source_name), version_id, path, offset, url, now, dry_run
        )
        counts[outcome] += 1
        if on_version is not None:
            on_version(outcome)
    return counts


def _reextract_one(
    database: Database,
    archive_dir: Path,
    source: SourceSettings | None,
    version_id: int,
    path: str | None,
    offset: int | None,
    url: str,
    at: datetime,
    dry_run: bool,
) -> str:
    if path is None or offset is None or not (Path(archive_dir) / path).exists():
        return "missing"
    try:
        _, _, headers, body = read_response(archive_dir, WarcLocation(path, offset))
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        decoded = decode_body(body, content_type)
        extraction = extract_page(
            decoded.text,
            url,
            content_selector=source.content if source else None,
            exclude=source.exclude if source else (),
            language=source.language if source else None,
        )
    except Exception as exc:  # one unreadable record must not stop the rest
        log.warning("cannot re-extract version %s (%s): %s", version_id, url, exc)
        return "failed"
    now = Reextracted(
        title=extraction.title,
        published=extraction.published,
        language=extraction.language,
        relevant=extraction.relevant,
        categories=extraction.categories,
        mentions=extraction.mentions,
    )
    with database.transaction() as session:
        record = apply_reextraction(session, version_id, now, at)
        if dry_run:
            session.rollback()
    return "unchanged" if record is None else "updated"
