"""The bundled sample site crawled in its two states: exactly the expected new, changed and removed
flags; noise is not a change; pages about something else are never flagged."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from crawler.sample_site import SampleSite, load_expected
from storage import Database, DatabaseSettings
from storage.models import Document
from storage.queries import changes_since

REPO = Path(__file__).resolve().parents[1]
EXPECTED = load_expected()


def crawl(config: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "aiplus", "--config", str(config), "crawl", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def crawled_twice(tmp_path_factory):
    """The archive after crawling state 1, then state 2 (on SQLite; the storage tests cover both backends)."""
    from aiplus.demo import write_demo_config

    folder = tmp_path_factory.mktemp("sample")
    with SampleSite(state=1) as site:
        config = write_demo_config(folder, site.base_url)
        crawl(config)
        database = Database.open(DatabaseSettings(url=f"sqlite:///{folder / 'aiplus.db'}"))
        with database.session() as session:
            first_paths = {urlparse(url).path for url in session.scalars(select(Document.url))}
        site.set_state(2)
        second_started = datetime.now(UTC)
        crawl(config)
    with database.session() as session:
        flagged = changes_since(session, second_started)
        states = {urlparse(d.url).path: d.state for d in session.scalars(select(Document))}
    database.dispose()
    return first_paths, flagged, states, folder


def paths_of(flagged, kind):
    return {urlparse(c["url"]).path for c in flagged if c["kind"] == kind}


def test_first_crawl_stores_exactly_the_relevant_pages(crawled_twice):
    first_paths, _, _, _ = crawled_twice
    assert first_paths == set(EXPECTED["relevant_state1"])
    assert not first_paths & set(EXPECTED["not_relevant"])


def test_second_crawl_flags_exactly_what_changed(crawled_twice):
    _, flagged, states, _ = crawled_twice
    assert paths_of(flagged, "new") == set(EXPECTED["new"])
    assert paths_of(flagged, "changed") == {c["path"] for c in EXPECTED["changed"]}
    assert paths_of(flagged, "removed") == set(EXPECTED["removed"])
    assert not paths_of(flagged, "changed") & set(EXPECTED["noise_only"])
    for path in EXPECTED["removed"]:
        assert states[path] == "gone"


def test_changed_pages_carry_their_diff_and_mention_delta(crawled_twice):
    _, flagged, _, _ = crawled_twice
    by_path = {urlparse(c["url"]).path: c for c in flagged if c["kind"] == "changed"}
    for expected in EXPECTED["changed"]:
        change = by_path[expected["path"]]
        assert expected["must_contain"] in change["diff"].replace("{+", "").replace("+}", "")
    moves = [s for c in flagged for s in c["status_changes"]]
    assert any(s["from"] == "draft" and s["to"] == "final" and "标识办法" in s["title"] for s in moves)
    added_actors = {m.get("actor") for c in flagged for m in c["mentions_added"] if m["kind"] == "proposal"}
    assert "李东生" in added_actors


def test_the_search_index_follows_changed_pages(crawled_twice):
    # The workers decide whether a known page needs new index terms from the key the crawl read with
    # its list of known pages; a changed page must be found by its new text, under its own document.
    from storage.fulltext import search_documents

    _, _, _, folder = crawled_twice
    database = Database.open(DatabaseSettings(url=f"sqlite:///{folder / 'aiplus.db'}"))
    try:
        with database.session() as session:
            ids = {urlparse(d.url).path: d.id for d in session.scalars(select(Document))}
            for expected in EXPECTED["changed"]:
                hits = search_documents(session, [expected["must_contain"]])
                assert ids[expected["path"]] in {hit.document_id for hit in hits}, expected["path"]
    finally:
        database.dispose()


def test_demo_command_runs_the_whole_loop(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "aiplus", "demo", "--dir", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "What the second crawl flagged" in out and "The digest" in out
    assert (
        f"{len(EXPECTED['new'])} new, {len(EXPECTED['changed'])} changed, {len(EXPECTED['removed'])} removed"
        in out
    )
    assert "draft -> final" in out
    # The flagged list says why each page counts as removed, as the digest does.
    flagged = out.split("What the second crawl flagged")[1].split("The digest")[0]
    removed_lines = [line for line in flagged.splitlines() if line.strip().startswith("removed")]
    assert len(removed_lines) == len(EXPECTED["removed"])
    assert all("(HTTP 404)" in line for line in removed_lines), removed_lines
    assert (tmp_path / "demo" / "aiplus.db").exists()
