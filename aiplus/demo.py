"""`aiplus demo`: the whole loop offline, against the bundled sample site.

Serve the sample site on 127.0.0.1, crawl it into a fresh archive, switch the site to its later state
(pages edited, pages that only changed in noise, pages added and removed), crawl again, and print what
was flagged and the digest. Each crawl runs as a child `aiplus crawl`, as the scheduler runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from crawler.sample_site import SampleSite, sources_toml
from digest.compose import compose, render_text
from storage import Database, DatabaseSettings
from storage.queries import changes_since

DEMO_CRAWL_SETTINGS = """[crawl]
user_agent = "aiplus-monitor demo"
obey_robots = true
concurrency = 8
download_delay = 0
autothrottle = false
timeout = 10
retries = 1
retry_backoff = 0.2
"""


def write_demo_config(folder: Path, base_url: str) -> Path:
    config = folder / "aiplus.toml"
    config.write_text(
        f"# Written by `aiplus demo`: the sample site was served at {base_url}\n"
        f'[storage]\nurl = "sqlite:///{folder / "aiplus.db"}"\narchive_dir = "{folder / "archive"}"\n\n'
        f"{DEMO_CRAWL_SETTINGS}\n{sources_toml(base_url)}",
        encoding="utf-8",
    )
    return config


def crawl_child(config: Path) -> int:
    """`aiplus crawl` in a child process (Twisted's reactor runs once per process)."""
    return subprocess.call(
        [sys.executable, "-m", "aiplus", "--config", str(config), "crawl"], env=os.environ.copy()
    )


def run_demo(folder: Path | None, console: Console) -> int:
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="aiplus-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "aiplus.db").exists():
        console.print(
            f"[red]{folder / 'aiplus.db'} exists: give an empty folder (the demo starts a fresh archive)[/]"
        )
        return 1
    with SampleSite(state=1) as site:
        config = write_demo_config(folder, site.base_url)
        console.rule("1. The sample site, first state: crawl into a fresh archive")
        console.print(f"site: {site.base_url}   archive: {folder}")
        if crawl_child(config) != 0:
            return 1
        site.set_state(2)
        second_crawl = datetime.now(UTC)
        console.rule("2. The site changed (edits, noise, new and removed pages): crawl again")
        if crawl_child(config) != 0:
            return 1

    database = Database.open(DatabaseSettings(url=f"sqlite:///{folder / 'aiplus.db'}"))
    try:
        with database.session() as session:
            flagged = changes_since(session, second_crawl)
    finally:
        database.dispose()
    console.rule("3. What the second crawl flagged")
    for change in flagged:
        style = {"new": "green", "changed": "yellow", "removed": "red"}[change["kind"]]
        # A removal says why (HTTP 404, or missing from the list for N runs), as the digest does.
        reason = f"  [red]({escape(change['reason'])})[/]" if change.get("reason") else ""
        title = escape(change["title"] or "(untitled)")
        console.print(f"[{style}]{change['kind']:>8}[/]  {title}{reason}  [dim]{escape(change['url'])}[/]")
    console.rule("4. The digest")
    digest = compose("demo", flagged, generated_at=datetime.now(UTC), since=second_crawl)
    console.print(render_text(digest), markup=False, highlight=False)
    console.print(f"Explore the archive: aiplus --config {config} changes | history URL | diff URL")
    return 0
