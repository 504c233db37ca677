"""`aiplus reextract`: the current extractor over the archived WARC records, without refetching;
differences are recorded as re-extractions, never as changes of the pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import delete, func, select

from aiplus.cli import cli
from crawler.sample_site import SampleSite
from storage import Database, DatabaseSettings
from storage.models import Change, Document, Mention, Reextraction, Version

REPO = Path(__file__).resolve().parents[1]
LABELING_FINAL = "/cac/2025-03/14/c_1743654684782215.htm"


def test_reextract_restores_mentions_without_flagging_changes(tmp_path):
    from aiplus.demo import write_demo_config

    with SampleSite(state=1) as site:
        config = write_demo_config(tmp_path, site.base_url)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        crawl = subprocess.run(
            [sys.executable, "-m", "aiplus", "--config", str(config), "crawl", "sample-cac"],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert crawl.returncode == 0, crawl.stderr
        url = site.url(LABELING_FINAL)

    db = Database.open(DatabaseSettings(url=f"sqlite:///{tmp_path / 'aiplus.db'}"))
    try:
        with db.transaction() as session:
            version = session.scalar(
                select(Version).join(Document, Version.document_id == Document.id).where(Document.url == url)
            )
            version_id = version.id
            kept = session.scalars(select(Mention.title).where(Mention.version_id == version_id)).all()
            assert "人工智能生成合成内容标识办法" in kept
            # An older extractor: it found no mentions and a worse title.
            session.execute(delete(Mention).where(Mention.version_id == version_id))
            version.title = "标识办法_中央网络安全和信息化委员会办公室"
            text_before = version.text
            changes_before = session.scalar(select(func.count()).select_from(Change))

        dry = CliRunner().invoke(
            cli, ["--config", str(config), "reextract", "--dry-run", "--json"], catch_exceptions=False
        )
        assert json.loads(dry.output)["updated"] == 1
        with db.session() as session:
            assert session.scalar(select(func.count()).where(Mention.version_id == version_id)) == 0

        result = CliRunner().invoke(
            cli, ["--config", str(config), "reextract", "--json"], catch_exceptions=False
        )
        counts = json.loads(result.output)
        assert (
            counts["updated"] == 1 and counts["failed"] == counts["missing"] == 0 and counts["unchanged"] >= 3
        )

        with db.session() as session:
            restored = session.scalars(select(Mention.title).where(Mention.version_id == version_id)).all()
            assert sorted(restored) == sorted(kept)
            version = session.get(Version, version_id)
            assert version.text == text_before and "_中央网络" not in version.title
            (record,) = session.scalars(select(Reextraction)).all()
            assert record.version_id == version_id
            assert "人工智能生成合成内容标识办法" in {m["title"] for m in record.mentions_added}
            assert record.fields_changed["title"][0] == "标识办法_中央网络安全和信息化委员会办公室"
            assert (
                session.scalar(select(func.count()).select_from(Change)) == changes_before
            )  # nothing flagged

        again = CliRunner().invoke(
            cli, ["--config", str(config), "reextract", "--json"], catch_exceptions=False
        )
        assert json.loads(again.output)["updated"] == 0
    finally:
        db.dispose()
