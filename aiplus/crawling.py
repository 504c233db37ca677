"""Wiring a crawl: the configuration's sources, the archive, and a progress display."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aiplus.config import AppConfig
from crawler.runner import SourceRunResult, crawl_sources
from crawler.settings import SourceSettings
from storage import Database


def run_crawl(
    config: AppConfig, database: Database, sources: Sequence[SourceSettings], console: Console | None = None
) -> list[SourceRunResult]:
    """Crawl the sources once, showing progress on `console` when it is a terminal."""
    log_level = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    archive_dir = config.storage.archive_dir
    if console is None or not console.is_terminal:
        return crawl_sources(sources, config.crawl, database, archive_dir, log_level=log_level)

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[source]}"),
        TextColumn("{task.completed} pages"),
        TextColumn(
            "[green]{task.fields[new]} new[/] [yellow]{task.fields[changed]} changed[/] "
            "[red]{task.fields[failed]} failed[/]"
        ),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks = {
        s.name: progress.add_task(s.name, source=s.name, total=None, new=0, changed=0, failed=0)
        for s in sources
    }
    tallies = {s.name: {"new": 0, "changed": 0, "failed": 0} for s in sources}

    def on_page(source: str, outcome: str, url: str) -> None:
        tally = tallies[source]
        if outcome in tally:
            tally[outcome] += 1
        progress.update(
            tasks[source], advance=1, new=tally["new"], changed=tally["changed"], failed=tally["failed"]
        )

    with progress:
        return crawl_sources(
            sources, config.crawl, database, archive_dir, progress=on_page, log_level=log_level
        )
