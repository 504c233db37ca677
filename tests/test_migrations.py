"""Schema migrations: applied automatically to a fresh database, by `aiplus db upgrade`, and safely
when several processes open a fresh database at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect

from aiplus.cli import cli
from storage import Database, DatabaseSettings
from storage.models import Base

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
