"""Several writers, and a writer killed mid-transaction: the archive stays consistent and usable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from storage import Database, DatabaseSettings
from storage.models import Change, Document, Version

WORKER = Path(__file__).with_name("record_worker.py")
REPO = Path(__file__).resolve().parents[1]


def start_worker(url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def assert_consistent(db: Database) -> None:
    with db.session() as session:
        if db.is_sqlite:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        for document in session.scalars(select(Document)):
            current = session.get(Version, document.current_version_id)
            assert current is not None and current.document_id == document.id
            assert current.text_sha256 == document.current_text_sha256
            assert current.seq == len(document.versions)
        documents = session.scalar(select(func.count()).select_from(Document))
        new_changes = session.scalar(select(func.count()).where(Change.kind == "new"))
        assert new_changes == documents  # every document was flagged new exactly once
        index_rows = session.execute(text("SELECT count(*) FROM search_index")).scalar()
        assert index_rows == documents  # the search index moved in step


def test_two_processes_recording_at_once_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'aiplus.db'}"
    Database.open(DatabaseSettings(url=url)).dispose()
    # Both record the same 150 URLs (racing to create them) plus 150 of their own, one page a
    # transaction, as fast as they can.
    workers = [start_worker(url, "--prefix", "shared", "--count", "150") for _ in range(2)]
    workers += [start_worker(url, "--prefix", f"own{i}", "--count", "150") for i in range(2)]
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        assert "database is locked" not in err and "retrying" not in err  # writers queued, none failed
        assert out.strip() == "done"
    db = Database.open(DatabaseSettings(url=url))
    try:
        assert_consistent(db)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Document)) == 450
            assert session.scalar(select(func.count()).select_from(Version)) == 450
    finally:
        db.dispose()


def test_writer_killed_mid_transaction_leaves_a_consistent_archive(db_url):
    worker = start_worker(
        db_url, "--prefix", "k", "--count", "200", "--batch", "50", "--hang-mid-transaction"
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.strip() == "mid-transaction", worker.stderr.read() if worker.stderr else ""
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    worker.communicate()

    db = Database.open(DatabaseSettings(url=db_url))
    try:
        assert_consistent(db)
        with db.session() as session:
            # The first batch committed; the killed one left nothing behind.
            assert session.scalar(select(func.count()).select_from(Document)) == 50
    finally:
        db.dispose()

    # The next run completes the work: the 50 already recorded are unchanged, 150 are new.
    rerun = start_worker(db_url, "--prefix", "k", "--count", "200", "--batch", "50")
    _out, err = rerun.communicate(timeout=240)
    assert rerun.returncode == 0, err
    db = Database.open(DatabaseSettings(url=db_url))
    try:
        assert_consistent(db)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Document)) == 200
            assert session.scalar(select(func.count()).select_from(Version)) == 200
    finally:
        db.dispose()
