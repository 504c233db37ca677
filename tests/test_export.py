"""Exporting documents, versions, mentions and changes as JSON Lines and CSV, streamed in batches."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, insert, select

from storage import MentionRecord, mark_gone, record_page
from storage.export import TABLES, columns, export_table, iter_rows
from storage.models import Change, Document, Mention, Source, Version

from helpers import T0, page

URL = "https://www.cac.gov.cn/2024-09/14/c_1727567886199789.htm"
DRAFT = MentionRecord(
    kind="regulation", title="人工智能生成合成内容标识办法", status="draft", canonical_id="labeling"
)
FINAL = MentionRecord(
    kind="regulation", title="人工智能生成合成内容标识办法", status="final", canonical_id="labeling"
)
LEI = MentionRecord(
    kind="proposal",
    actor="雷军",
    organization="小米集团",
    summary='建议, "开放"数据',
    category="data_sharing",
)


@pytest.fixture
def archive(database):
    with database.transaction() as session:
        record_page(
            session,
            page(
                URL,
                "网信办起草了标识办法。\n征求意见，截止日期：10月14日。",
                at=0,
                source="cac",
                title="标识办法",
                published=date(2024, 9, 14),
                categories=["safety_governance"],
                mentions=[DRAFT],
            ),
        )
        record_page(
            session, page("https://news.cn/1", "雷军建议开放数据。", at=1, source="news", mentions=[LEI])
        )
        record_page(session, page("https://news.cn/gone", "旧闻。", at=1, source="news"))
    with database.transaction() as session:
        record_page(
            session,
            page(
                URL,
                "网信办发布了标识办法。\n自2025年9月1日起施行。",
                at=24,
                source="cac",
                title="标识办法",
                mentions=[FINAL],
            ),
        )
        mark_gone(session, "https://news.cn/gone", T0 + timedelta(hours=30))
    return database


def export(database, table, fmt, **options):
    out = io.StringIO()
    with database.session() as session:
        count = export_table(session, table, out, format=fmt, **options)
    return count, out.getvalue()


def table_count(database, model):
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("table", "model"),
    [("documents", Document), ("versions", Version), ("mentions", Mention), ("changes", Change)],
)
def test_jsonl_and_csv_hold_every_row(archive, table, model):
    expected = table_count(archive, model)
    count, jsonl = export(archive, table, "jsonl")
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert count == len(rows) == expected > 0
    assert list(rows[0]) == columns(table)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    count, text = export(archive, table, "csv")
    records = list(csv.DictReader(io.StringIO(text)))
    assert count == len(records) == expected
    assert text.splitlines()[0] == ",".join(columns(table))
    assert [int(r["id"]) for r in records] == [r["id"] for r in rows]


def test_exported_values(archive):
    documents = [json.loads(line) for line in export(archive, "documents", "jsonl")[1].splitlines()]
    labeling = next(d for d in documents if d["url"] == URL)
    assert labeling["current_version"] == 2 and labeling["source"] == "cac"
    assert labeling["text"] == "网信办发布了标识办法。\n自2025年9月1日起施行。"
    assert labeling["first_seen"] == "2026-03-05T08:00:00+00:00"
    assert next(d for d in documents if d["url"].endswith("gone"))["state"] == "gone"

    versions = [json.loads(line) for line in export(archive, "versions", "jsonl")[1].splitlines()]
    first = next(v for v in versions if v["url"] == URL and v["seq"] == 1)
    assert first["current"] is False and first["published"] == "2024-09-14"
    assert first["categories"] == ["safety_governance"] and "征求意见" in first["text"]

    mentions = [json.loads(line) for line in export(archive, "mentions", "jsonl")[1].splitlines()]
    assert [(m["status"], m["version"], m["current"]) for m in mentions if m["kind"] == "regulation"] == [
        ("draft", 1, False),
        ("final", 2, True),
    ]
    assert next(m for m in mentions if m["kind"] == "proposal")["summary"] == LEI.summary

    changes = [json.loads(line) for line in export(archive, "changes", "jsonl")[1].splitlines()]
    assert [c["kind"] for c in changes] == ["new", "new", "new", "changed", "removed"]
    moved = changes[3]
    assert moved["status_changes"][0]["from"] == "draft" and moved["status_changes"][0]["to"] == "final"
    assert "{+发布+}" in moved["diff"] or "发布" in moved["diff"]


def test_csv_quotes_commas_quotes_and_newlines(archive):
    _, text = export(archive, "mentions", "csv")
    records = list(csv.DictReader(io.StringIO(text)))
    assert next(r for r in records if r["kind"] == "proposal")["summary"] == LEI.summary
    assert {r["current"] for r in records} == {"true", "false"}
    _, versions = export(archive, "versions", "csv")
    version_rows = list(csv.DictReader(io.StringIO(versions)))
    assert "网信办起草了标识办法。\n征求意见，截止日期：10月14日。" in {r["text"] for r in version_rows}
    assert {r["categories"] for r in version_rows} == {"safety_governance", ""}  # words, not a list
    _, changes = export(archive, "changes", "csv")
    changed = next(r for r in csv.DictReader(io.StringIO(changes)) if r["kind"] == "changed")
    assert json.loads(changed["status_changes"])[0]["to"] == "final"


def test_without_text(archive):
    for table in TABLES:
        assert "text" not in columns(table, with_text=False)
        _, jsonl = export(archive, table, "jsonl", with_text=False)
        assert all(
            "text" not in json.loads(line) and "diff" not in json.loads(line) for line in jsonl.splitlines()
        )


def test_unknown_table_or_format(archive):
    with pytest.raises(ValueError, match="unknown table"):
        export(archive, "users", "jsonl")
    with pytest.raises(ValueError, match="unknown export format"):
        export(archive, "documents", "xml")


def test_rows_are_read_in_batches(archive):
    """Streaming, not fetching everything: each query asks for batches (a server-side cursor on
    PostgreSQL), and the first row arrives before the last is read."""
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append((context.execution_options.get("yield_per"), type(cursor).__name__))

    event.listen(archive.engine, "before_cursor_execute", before)
    try:
        with archive.session() as session:
            rows = iter_rows(session, "versions", batch_size=2)
            first = next(rows)
            assert first["id"] == 1
            rest = list(rows)
    finally:
        event.remove(archive.engine, "before_cursor_execute", before)
    assert len(rest) == table_count(archive, Version) - 1
    [(yield_per, cursor_type)] = [s for s in seen if s[0] is not None]
    assert yield_per == 2
    if archive.engine.dialect.name == "postgresql":
        assert cursor_type == "ServerCursor"


class Sink(io.TextIOBase):
    """A stream that keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def test_export_memory_stays_flat_as_the_archive_grows(database):
    """12 MB of text export with a fraction of it in memory at any time."""
    body = "人工智能安全治理。" * 2000  # 18,000 characters a page
    with database.transaction() as session:
        source = Source(name="bulk", kind="html", settings={})
        session.add(source)
        session.flush()
        session.execute(
            insert(Document),
            [
                {
                    "id": n,
                    "url": f"https://bulk.cn/{n}",
                    "source_id": source.id,
                    "first_seen": T0,
                    "last_seen": T0,
                    "last_changed": T0,
                }
                for n in range(1, 701)
            ],
        )
        session.execute(
            insert(Version),
            [
                {
                    "id": n,
                    "document_id": n,
                    "seq": 1,
                    "fetched_at": T0,
                    "text": body + str(n),
                    "text_sha256": "0" * 64,
                    "categories": " ",
                }
                for n in range(1, 701)
            ],
        )
    sink = Sink()
    tracemalloc.start()
    try:
        with database.session() as session:
            for fmt in ("jsonl", "csv"):
                export_table(session, "versions", sink, format=fmt, batch_size=20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size > 2 * 700 * len(body)  # everything went out, twice
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB while exporting {sink.size / 1e6:.0f} MB"
