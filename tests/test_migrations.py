"""Schema migrations: applied automatically to a fresh database, by `aiplus db upgrade`, and safely
when several processes open a fresh database at once."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import inspect

from aiplus.cli import cli
from storage import Database, DatabaseSettings
from storage.models import Base
from storage.search import search

REPO = Path(__file__).resolve().parents[1]
TABLES = {
    "source",
    "crawl_run",
    "document",
    "version",
    "mention",
    "change",
    "digest_delivery",
    "search_index",
}


def test_fresh_database_is_migrated_on_open(db_url):
    db = Database.open(DatabaseSettings(url=db_url))
    try:
        assert db.current_revision() == db.head_revision() is not None
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        assert db.upgrade() is False  # nothing left to do
    finally:
        db.dispose()


def test_migrations_match_the_models(db_url):
    """The migration creates every column the models declare (a model change needs a migration)."""
    db = Database.open(DatabaseSettings(url=db_url))
    try:
        inspector = inspect(db.engine)
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert {c.name for c in table.columns} == columns, table.name
    finally:
        db.dispose()


def test_db_upgrade_command(db_url, tmp_path):
    config = tmp_path / "aiplus.toml"
    config.write_text(f'[storage]\nurl = "{db_url}"\n', encoding="utf-8")
    first = CliRunner().invoke(cli, ["--config", str(config), "db", "upgrade"], catch_exceptions=False)
    second = CliRunner().invoke(cli, ["--config", str(config), "db", "upgrade"], catch_exceptions=False)
    current = CliRunner().invoke(cli, ["--config", str(config), "db", "current"], catch_exceptions=False)
    head = Database(DatabaseSettings(url=db_url)).head_revision()
    assert first.exit_code == 0 and first.output.startswith(f"migrated to revision {head}")
    assert second.output.startswith(f"already at revision {head}")
    assert f"current: {head}" in current.output and f"head:    {head}" in current.output


def test_processes_opening_a_fresh_database_at_once(db_url):
    code = (
        "from storage import Database, DatabaseSettings;"
        f"Database.open(DatabaseSettings(url={db_url!r})).dispose()"
    )
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(4)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    db = Database.open(DatabaseSettings(url=db_url))
    try:
        assert db.current_revision() == db.head_revision()
    finally:
        db.dispose()


# -- an archive written at revision 0001, upgraded to head ----------------------------------------------

LABELING = "https://www.cac.gov.cn/2025-03/14/labeling.htm"
AI_PLUS = "https://www.gov.cn/zhengce/content/202508/ai-plus.htm"
ENGLISH = "https://english.example.cn/2025/labeling.html"
# (url, source, versions oldest first as (title, text)); the last version is the current one.
OLD_ARCHIVE = [
    (
        LABELING,
        "cac",
        [
            ("标识办法（征求意见稿）", "人工智能生成合成内容标识办法（征求意见稿）公开征求意见。"),
            ("标识办法", "人工智能生成合成内容标识办法于2025年3月14日发布，自2025年9月1日起施行。"),
        ],
    ),
    (AI_PLUS, "gov", [("国务院关于深入实施人工智能+行动的意见", "加强数据安全，推进算力建设。")]),
    (
        ENGLISH,
        "news-en",
        [
            (
                "Labeling rules drafted",
                "Regulators published draft Measures for Labeling AI-Generated Content.",
            ),
            (
                "Labeling rules issued",
                "The Measures for Labeling AI-Generated Content take effect in September.",
            ),
        ],
    ),
]

# The tables as revision 0001 created them (only the columns written here): the test must not lean on
# today's models or recording code, which follow head.
_SOURCE = sa.table(
    "source", sa.column("id"), sa.column("name"), sa.column("kind"), sa.column("settings", sa.JSON),
    sa.column("created_at", sa.DateTime),
)  # fmt: skip
_DOCUMENT = sa.table(
    "document", sa.column("id"), sa.column("url"), sa.column("source_id"), sa.column("state"),
    sa.column("first_seen", sa.DateTime), sa.column("last_seen", sa.DateTime),
    sa.column("last_changed", sa.DateTime), sa.column("missing_runs"), sa.column("current_version_id"),
    sa.column("current_text_sha256"),
)  # fmt: skip
_VERSION = sa.table(
    "version", sa.column("id"), sa.column("document_id"), sa.column("seq"),
    sa.column("fetched_at", sa.DateTime), sa.column("text"), sa.column("text_sha256"), sa.column("title"),
    sa.column("relevant", sa.Boolean), sa.column("categories"),
)  # fmt: skip


def write_0001_archive(connection: sa.Connection) -> None:
    """OLD_ARCHIVE as an archive at revision 0001 held it: the rows, and a current-version index in
    stale terms (a run of Chinese after a number was one term then, so 发布 was not found in it)."""
    when = datetime(2026, 3, 5, 8)
    version_id = 0
    for document_id, (url, source, versions) in enumerate(OLD_ARCHIVE, start=1):
        connection.execute(
            sa.insert(_SOURCE).values(id=document_id, name=source, kind="html", settings={}, created_at=when)
        )
        connection.execute(
            sa.insert(_DOCUMENT).values(
                id=document_id, url=url, source_id=document_id, state="live", first_seen=when,
                last_seen=when, last_changed=when, missing_runs=0,
            )
        )  # fmt: skip
        for seq, (title, body) in enumerate(versions, start=1):
            version_id += 1
            connection.execute(
                sa.insert(_VERSION).values(
                    id=version_id, document_id=document_id, seq=seq, fetched_at=when, text=body,
                    text_sha256=f"{version_id:064d}", title=title, relevant=True, categories=" ",
                )
            )  # fmt: skip
        connection.execute(
            sa.update(_DOCUMENT)
            .where(_DOCUMENT.c.id == document_id)
            .values(current_version_id=version_id, current_text_sha256=f"{version_id:064d}")
        )
        if connection.dialect.name == "sqlite":
            stale = "INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)"
        else:
            stale = (
                "INSERT INTO search_index (document_id, terms) "
                "VALUES (:id, to_tsvector('simple', :title || ' ' || :body))"
            )
        connection.execute(sa.text(stale), {"id": document_id, "title": title, "body": body})


def test_an_archive_from_revision_0001_searches_correctly_after_upgrading(db_url, monkeypatch):
    """Migration 0002 rebuilds the current-version index and fills the history index from the rows an
    0001 archive has, with no help from live code: what a search finds afterwards is right."""
    db = Database(DatabaseSettings(url=db_url))
    try:
        db.upgrade("0001")
        with db.engine.begin() as connection:
            write_0001_archive(connection)
        with monkeypatch.context() as patched:
            # As if storage/fulltext.py had changed since 0002 was written: the migration must not care.
            patched.setattr("storage.fulltext.terms", lambda value: ["changed"])
            db.upgrade()
        assert db.current_revision() == db.head_revision()

        def found(query: str, **options: bool) -> list[tuple[str, int, bool]]:
            with db.session() as session:
                return sorted((r.url, r.seq, r.current) for r in search(session, query, **options))

        assert found("发布") == [(LABELING, 2, True)]  # Chinese right after a date: re-indexed
        assert found("征求意见稿") == []  # the current index holds current versions only
        assert found("征求意见稿", all_versions=True) == [(LABELING, 1, False)]  # history filled
        assert found("人工智能") == sorted([(AI_PLUS, 1, True), (LABELING, 2, True)])
        assert found("安全 算力") == [(AI_PLUS, 1, True)]
        assert found("drafted") == [] and found("drafted", all_versions=True) == [(ENGLISH, 1, False)]
        assert found('"measures for labeling"', all_versions=True) == [
            (ENGLISH, 1, False),
            (ENGLISH, 2, True),
        ]
        assert found("国务院") == [(AI_PLUS, 1, True)]  # title terms are indexed too
    finally:
        db.dispose()


def test_migrations_import_no_live_code():
    """A migration does what it did when it was written: it imports alembic, SQLAlchemy and the
    standard library, never the project's modules, which follow head."""
    project = {"aiplus", "crawler", "digest", "scheduler", "storage", "bench", "tests"}
    for path in sorted((REPO / "storage" / "migrations" / "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & project, (path.name, names)
