"""Exporting the archive's documents, versions, mentions and changes as JSON Lines or CSV.

Streaming: rows are read in batches (`yield_per`: a server-side cursor on PostgreSQL, SQLite's own
step-by-step cursor) and written as they come, so exporting a large archive takes constant memory.
Columns are fixed per table (the CSV header is the same whatever the data), dates are ISO 8601, and
in CSV lists become JSON (mentions, status changes) or space-separated words (categories).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.models import Change, Document, Mention, Source, Version
from storage.querytools import page_date

TABLES = ("documents", "versions", "mentions", "changes")
FORMATS = ("jsonl", "csv")
BATCH_SIZE = 500


def _documents(with_text: bool) -> Select[Any]:
    columns = [
        Document.id,
        Document.url,
        Source.name.label("source"),
        Document.state,
        Document.first_seen,
        Document.last_seen,
        Document.last_changed,
        Document.gone_since,
        Version.seq.label("current_version"),
        Document.current_version_id,
        Version.title,
        Version.published,
        Version.language,
        Version.relevant,
        Version.categories,
    ]
    if with_text:
        columns.append(Version.text)
    return (
        select(*columns)
        .join(Source, Source.id == Document.source_id)
        .outerjoin(Version, Version.id == Document.current_version_id)
        .order_by(Document.id)
    )


def _versions(with_text: bool) -> Select[Any]:
    columns = [
        Version.id,
        Version.document_id,
        Document.url,
        Version.seq,
        (Document.current_version_id == Version.id).label("current"),
        Version.fetched_at,
        Version.crawl_run_id,
        Version.http_status,
        Version.title,
        Version.published,
        Version.language,
        Version.relevant,
        Version.categories,
        Version.text_sha256,
        Version.raw_sha256,
        Version.archive_path,
        Version.archive_offset,
    ]
    if with_text:
        columns.append(Version.text)
    return select(*columns).join(Document, Document.id == Version.document_id).order_by(Version.id)


def _mentions(with_text: bool) -> Select[Any]:
    return (
        select(
            Mention.id,
            Version.document_id,
            Document.url,
            Mention.version_id,
            Version.seq.label("version"),
            (Document.current_version_id == Version.id).label("current"),
            page_date().label("date"),
            Mention.key,
            Mention.position,
            *Mention.detail_columns(),
        )
        .join(Version, Version.id == Mention.version_id)
        .join(Document, Document.id == Version.document_id)
        .order_by(Mention.id)
    )


def _changes(with_text: bool) -> Select[Any]:
    columns = [
        Change.id,
        Change.kind,
        Change.document_id,
        Document.url,
        Change.detected_at,
        Change.crawl_run_id,
        Change.old_version_id,
        Change.new_version_id,
        Change.mentions_added,
        Change.mentions_removed,
        Change.status_changes,
    ]
    if with_text:
        columns.append(Change.diff)
    return select(*columns).join(Document, Document.id == Change.document_id).order_by(Change.id)


_QUERIES = {"documents": _documents, "versions": _versions, "mentions": _mentions, "changes": _changes}


def columns(table: str, *, with_text: bool = True) -> list[str]:
    """The columns of an exported table, in order (the CSV header)."""
    return [str(c.key) for c in _query(table, with_text).selected_columns]


def _query(table: str, with_text: bool) -> Select[Any]:
    try:
        return _QUERIES[table](with_text)
    except KeyError:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})") from None


def iter_rows(
    session: Session, table: str, *, with_text: bool = True, batch_size: int = BATCH_SIZE
) -> Iterator[dict[str, Any]]:
    """The rows of one table, oldest first, as plain values (ISO dates, category lists), streamed."""
    statement = _query(table, with_text).execution_options(yield_per=batch_size)
    with session.execute(statement) as result:
        for row in result:
            yield {key: _plain(key, value) for key, value in row._mapping.items()}


def _plain(key: str, value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if key == "categories" and isinstance(value, str):
        return value.split()
    return value


def write_jsonl(rows: Iterator[dict[str, Any]], out: TextIO, *, tag: str | None = None) -> int:
    """One JSON object per line (tagged {"table": tag, ...} when several tables share a stream)."""
    count = 0
    for row in rows:
        if tag is not None:
            row = {"table": tag, **row}
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO, fieldnames: Sequence[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: _csv_value(key, value) for key, value in row.items()})
        count += 1
    return count


def _csv_value(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if key == "categories" and isinstance(value, list):
        return " ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_table(
    session: Session,
    table: str,
    out: TextIO,
    *,
    format: str = "jsonl",
    with_text: bool = True,
    tag: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write one table to `out` in the format; returns the number of rows."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (jsonl or csv)")
    rows = iter_rows(session, table, with_text=with_text, batch_size=batch_size)
    if format == "jsonl":
        return write_jsonl(rows, out, tag=tag)
    return write_csv(rows, out, columns(table, with_text=with_text))


__all__ = [
    "BATCH_SIZE",
    "FORMATS",
    "TABLES",
    "columns",
    "export_table",
    "iter_rows",
    "write_csv",
    "write_jsonl",
]
