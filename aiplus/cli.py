"""The `aiplus` command line: thin commands over the storage, crawler and digest packages.

Tables for people (rich), `--json` and `--csv` for scripts. Domain errors (bad configuration, unusable
database, unknown document, bad date) print one clear line and exit 1, never a traceback.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import DBAPIError

from aiplus.config import CATEGORIES, CHANGE_KINDS, AppConfig, ConfigError, load_config
from aiplus.timeparse import parse_when
from storage import Database, StorageError
from storage.queries import (
    NotFound,
    changes_since,
    document_history,
    document_removals,
    document_to_dict,
    find_document,
    version_diff,
)

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False)


class State:
    """What every command gets: the configuration, and the database opened on first use."""

    def __init__(self, config_file: str | None) -> None:
        self.config_file = config_file
        self._config: AppConfig | None = None
        self._database: Database | None = None

    @property
    def config(self) -> AppConfig:
        if self._config is None:
            self._config = load_config(self.config_file)
        return self._config

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = Database.open(self.config.storage)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


pass_state = click.make_pass_decorator(State)


def friendly_errors(command: F) -> F:
    """Turn the domain's errors into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (ConfigError, StorageError, NotFound, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
        except DBAPIError as exc:  # the database failed under us: say what it said, in one line
            orig = getattr(exc, "orig", None) or exc
            raise click.ClickException(f"database error: {str(orig).strip().splitlines()[0]}") from None

    return wrapper  # type: ignore[return-value]


def output_options(command: F) -> F:
    command = click.option("--csv", "as_csv", is_flag=True, help="Print CSV (for spreadsheets).")(command)
    command = click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts).")(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config_file",
    envvar="AIPLUS_CONFIG",
    type=click.Path(dir_okay=False),
    help="Configuration file (default ./aiplus.toml, or $AIPLUS_CONFIG; built-in defaults without one).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="aiplus-monitor", prog_name="aiplus")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, verbose: int) -> None:
    """aiplus-monitor: track China's "AI+" (人工智能+) policy.

    Crawls government and news pages, keeps every version, flags what is new, changed or gone, and
    finds who proposed what and which regulations are cited.

    \b
    Examples:
      aiplus changes --since 2026-11-01 --kind changed
      aiplus history https://www.gov.cn/zhengce/content/202508/content_7037861.htm
      aiplus diff 42
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # The level goes on the handlers too: libraries that set their own loggers' levels (Scrapy sets
    # its to DEBUG) would otherwise print below it.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    state = State(config_file)
    ctx.obj = state
    ctx.call_on_close(state.close)


# -- changes --------------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--since", "since_text", metavar="WHEN", help="ISO date or date-time (offset optional), or 7d / 24h."
)
@click.option("--until", "until_text", metavar="WHEN", help="Only changes before this time.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(CHANGE_KINDS), help="Repeatable.")
@click.option("--source", "sources", multiple=True, metavar="NAME", help="Only these sources (repeatable).")
@click.option("--category", "categories", multiple=True, type=click.Choice(CATEGORIES), help="Repeatable.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many changes.")
@output_options
@pass_state
@friendly_errors
def changes(
    state: State,
    since_text: str | None,
    until_text: str | None,
    kinds: tuple[str, ...],
    sources: tuple[str, ...],
    categories: tuple[str, ...],
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """What was flagged: new documents, changed content, documents gone.

    \b
    Examples:
      aiplus changes --since 2026-11-01
      aiplus changes --since 7d --kind changed --category safety_governance --json
    """
    since = parse_when(since_text) if since_text else None
    until = parse_when(until_text) if until_text else None
    with state.database.session() as session:
        rows = changes_since(
            session, since, kinds=kinds, sources=sources, categories=categories, until=until, limit=limit
        )
    if as_json:
        print_json(rows)
        return
    if as_csv:
        print_csv(
            [
                {
                    **{
                        k: row[k]
                        for k in ("id", "kind", "detected_at", "source", "url", "title", "published")
                    },
                    "categories": " ".join(row["categories"]),
                    "mentions_added": len(row["mentions_added"]),
                    "mentions_removed": len(row["mentions_removed"]),
                    "status_changes": "; ".join(
                        f"{s['title']}: {s['from']} -> {s['to']}" for s in row["status_changes"]
                    ),
                    "reason": row["reason"] or "",
                }
                for row in rows
            ]
        )
        return
    if not rows:
        console.print("No changes." if not since else f"No changes since {since.isoformat()}.")
        return
    table = Table(title=f"{len(rows)} change(s)", show_lines=False)
    for column in ("id", "kind", "detected", "source", "title / url", "mentions"):
        table.add_column(column, overflow="fold")
    for row in rows:
        mentions = []
        if row["mentions_added"]:
            mentions.append(f"+{len(row['mentions_added'])}")
        if row["mentions_removed"]:
            mentions.append(f"-{len(row['mentions_removed'])}")
        mentions.extend(f"{s['title']}: {s['from']}→{s['to']}" for s in row["status_changes"])
        title = Text(row["title"] or "(untitled)")
        title.append("\n" + row["url"], style="dim")
        if row["reason"]:
            title.append(f"\ngone: {row['reason']}", style="red")
        table.add_row(
            str(row["id"]),
            Text(row["kind"], style=KIND_STYLES.get(row["kind"], "")),
            row["detected_at"][:19].replace("T", " "),
            row["source"],
            title,
            "\n".join(mentions),
        )
    console.print(table)


KIND_STYLES = {"new": "green", "changed": "yellow", "removed": "red"}


# -- crawl --------------------------------------------------------------------------------------


@cli.command()
@click.argument("source_names", metavar="[SOURCE]...", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_state
@friendly_errors
def crawl(state: State, source_names: tuple[str, ...], as_json: bool) -> None:
    """Crawl the named sources now (default: every enabled source) and print a summary.

    Exit status 1 when the run failed: a bad configuration, an unusable database, or every source's
    fetches failed.

    \b
    Examples:
      aiplus crawl                      # every enabled source
      aiplus crawl gov-cn-latest cac-wxfb
    """
    from aiplus.crawling import run_crawl

    config = state.config
    sources = [config.source(name) for name in source_names] or [s for s in config.sources if s.enabled]
    if not sources:
        raise click.ClickException("no enabled sources to crawl")
    results = run_crawl(config, state.database, sources, console=None if as_json else err_console)
    if as_json:
        print_json([dataclasses.asdict(r) for r in results])
    else:
        print_crawl_summary(results)
    if all(r.status == "failed" for r in results):
        raise click.ClickException(
            "every source failed: " + "; ".join(f"{r.source}: {_first_error(r)}" for r in results)
        )


def _first_error(result: Any) -> str:
    return result.errors[0] if result.errors else "nothing could be fetched"


def print_crawl_summary(results: list[Any]) -> None:
    table = Table(title="crawl summary")
    for column in ("source", "status", "new", "changed", "unchanged", "removed", "skipped", "failed"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    styles = {"ok": "green", "partial": "yellow", "failed": "red"}
    for r in results:
        c = r.counts
        table.add_row(
            r.source,
            Text(r.status, style=styles.get(r.status, "")),
            *(str(c.get(k, 0)) for k in ("new", "changed", "unchanged", "removed", "skipped", "failed")),
        )
    console.print(table)
    for r in results:
        for error in r.errors[:5]:
            console.print(Text(f"{r.source}: {error}", style="red"))
        if len(r.errors) > 5:
            console.print(Text(f"{r.source}: ... and {len(r.errors) - 5} more errors", style="red"))


@cli.command()
@click.option(
    "--dir", "folder", type=click.Path(file_okay=False, path_type=Path), help="Keep the archive here."
)
def demo(folder: Path | None) -> None:
    """The whole loop offline: serve the bundled sample site, crawl it, let it change, crawl again,
    and print what was flagged and the digest.

    \b
    Examples:
      aiplus demo
      aiplus demo --dir ./demo-archive    # keep the archive to explore it afterwards
    """
    from aiplus.demo import run_demo

    if run_demo(folder, console) != 0:
        raise click.ClickException("the demo did not complete (see above)")


@cli.command()
@click.argument("file_or_url")
@click.option("--url", "page_url", metavar="URL", help="The page's URL, when reading a saved file.")
@click.option(
    "--content", metavar="SELECTOR", help="CSS selector of the main text (as a source's `content`)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON (the public contract).")
@pass_state
@friendly_errors
def extract(state: State, file_or_url: str, page_url: str | None, content: str | None, as_json: bool) -> None:
    """Run the extractor on one page: main text, title, date, language, relevance, categories,
    regulation and proposal mentions. Offline for a saved file; a URL is fetched once.

    \b
    Examples:
      aiplus extract saved.htm --url https://www.gov.cn/zhengce/content/202508/content_7037861.htm --json
      aiplus extract https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm
    """
    from crawler.decoding import decode_body
    from crawler.extract import extract_page

    if file_or_url.startswith(("http://", "https://")):
        from crawler.fetch_one import FetchOneError, fetch_one

        try:
            fetched = fetch_one(file_or_url, state.config.crawl)
        except FetchOneError as exc:
            raise click.ClickException(str(exc)) from None
        body, content_type, page_url = fetched.body, fetched.content_type, page_url or fetched.url
    else:
        path = Path(file_or_url)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
        content_type = None
    decoded = decode_body(body, content_type)
    extraction = extract_page(decoded.text, page_url, content_selector=content)
    data = extraction.to_json()
    if as_json:
        print_json(data)
        return
    console.print(Text(data["title"] or "(untitled)", style="bold"))
    facts = [
        ("url", data["url"]),
        ("published", data["published"]),
        ("language", data["language"]),
        ("relevant", "yes" if data["relevant"] else "no"),
        ("categories", ", ".join(data["categories"])),
        ("issuer", data.get("issuer")),
        ("document no.", data.get("doc_number")),
        ("decoded as", f"{decoded.encoding} (declared {decoded.declared or 'nothing'})"),
    ]
    for label, value in facts:
        if value:
            console.print(f"[bold]{label:>12}[/bold]  {value}")
    if data["mentions"]:
        console.print(mention_table(data["mentions"]))
    console.print()
    console.print(Text(data["text"]))


@cli.command()
@click.option(
    "--source", "source_names", multiple=True, metavar="NAME", help="Only these sources (repeatable)."
)
@click.option("--all-versions", is_flag=True, help="Every archived version, not only the current ones.")
@click.option("--dry-run", is_flag=True, help="Report what would be updated; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_state
@friendly_errors
def reextract(
    state: State, source_names: tuple[str, ...], all_versions: bool, dry_run: bool, as_json: bool
) -> None:
    """Run the current extractor over the archived raw responses, without refetching.

    Mentions, draft/final status, titles, dates and categories that the extractor now reads
    differently replace the stored ones and are recorded as re-extractions; they are not flagged as
    changes of the pages, whose text stays as fetched.

    \b
    Examples:
      aiplus reextract --dry-run
      aiplus reextract --source gov-cn-latest --all-versions
    """
    from crawler.reextract import reextract as run_reextract

    config = state.config
    sources = {s.name: s for s in config.sources}
    counts = run_reextract(
        state.database,
        config.storage.archive_dir,
        sources,
        only_sources=source_names,
        all_versions=all_versions,
        dry_run=dry_run,
    )
    result = {k: counts.get(k, 0) for k in ("updated", "unchanged", "missing", "failed")}
    if as_json:
        print_json({**result, "dry_run": dry_run})
        return
    verb = "would update" if dry_run else "updated"
    console.print(
        f"{verb} {result['updated']} version(s); {result['unchanged']} unchanged; "
        f"{result['missing']} without a raw response on disk; {result['failed']} failed"
    )


# -- show / history / diff -----------------------------------------------------------------------


@cli.command()
@click.argument("doc")
@click.option("--text/--no-text", "with_text", default=True, help="Print the main text (default: yes).")
@output_options
@pass_state
@friendly_errors
def show(state: State, doc: str, with_text: bool, as_json: bool, as_csv: bool) -> None:
    """One document (by id or URL): where it stands, its mentions, and its current text.

    \b
    Example:
      aiplus show https://www.gov.cn/zhengce/content/202508/content_7037861.htm
    """
    with state.database.session() as session:
        document = find_document(session, doc)
        data = document_to_dict(session, document, with_text=with_text)
    if as_json:
        print_json(data)
        return
    if as_csv:
        print_csv([{k: v for k, v in data.items() if k not in ("mentions", "text", "categories")}])
        return
    console.print(Text(data["title"] or "(untitled)", style="bold"))
    console.print(Text(data["url"], style="dim"))
    facts = [
        ("id", data["id"]),
        ("source", data["source"]),
        ("state", data["state"]),
        ("published", data["published"]),
        ("language", data["language"]),
        ("categories", ", ".join(data["categories"])),
        ("first seen", data["first_seen"]),
        ("last seen", data["last_seen"]),
        ("last changed", data["last_changed"]),
        ("versions", f"{data['versions']} (current: {data['current_version']})"),
    ]
    if data["gone_since"]:
        facts.append(("gone since", data["gone_since"]))
    for label, value in facts:
        if value not in (None, ""):
            console.print(f"[bold]{label:>12}[/bold]  {value}")
    if data["mentions"]:
        console.print()
        console.print(mention_table(data["mentions"]))
    if with_text and data.get("text"):
        console.print()
        console.print(Text(data["text"]))


def mention_table(mentions: list[dict[str, Any]]) -> Table:
    table = Table(title="mentions")
    for column in ("kind", "who / what", "detail", "status", "category"):
        table.add_column(column, overflow="fold")
    for m in mentions:
        if m["kind"] == "regulation":
            detail = " ".join(x for x in (m.get("doc_number"), m.get("issuer")) if x)
            table.add_row(
                "regulation", m.get("title") or "", detail, m.get("status") or "", m.get("category") or ""
            )
        else:
            who = m.get("actor") or ""
            if m.get("organization"):
                who += f" ({m['organization']})"
            table.add_row("proposal", who, m.get("summary") or "", "", m.get("category") or "")
    return table


@cli.command()
@click.argument("doc")
@output_options
@pass_state
@friendly_errors
def history(state: State, doc: str, as_json: bool, as_csv: bool) -> None:
    """Every version of a document (by id or URL), oldest first, and when it was flagged gone.

    \b
    Example:
      aiplus history 42 --json
    """
    with state.database.session() as session:
        document = find_document(session, doc)
        entries = [entry.to_dict() for entry in document_history(session, document)]
        removals = [
            {"detected_at": c.detected_at.isoformat(), "reason": c.diff}
            for c in document_removals(session, document)
        ]
        url, doc_state = document.url, document.state
    if as_json:
        print_json(
            {"id": document.id, "url": url, "state": doc_state, "versions": entries, "removals": removals}
        )
        return
    if as_csv:
        print_csv([{k: v for k, v in e.items() if k != "status_changes"} for e in entries])
        return
    table = Table(title=f"{url} ({doc_state})")
    for column in ("version", "fetched", "change", "characters", "mentions", "title"):
        table.add_column(column, overflow="fold")
    for e in entries:
        moves = ", ".join(f"{s['title']}: {s['from']}→{s['to']}" for s in e["status_changes"])
        mentions = f"+{e['mentions_added']} -{e['mentions_removed']}" + (f" {moves}" if moves else "")
        table.add_row(
            str(e["seq"]),
            e["fetched_at"][:19].replace("T", " "),
            e["change"] or "",
            str(e["characters"]),
            mentions,
            e["title"] or "",
        )
    console.print(table)
    for removal in removals:
        console.print(
            f"[red]gone[/red] since {removal['detected_at'][:19].replace('T', ' ')} {removal['reason']}"
        )


@cli.command()
@click.argument("doc")
@click.argument("v1", type=click.IntRange(min=1), required=False)
@click.argument("v2", type=click.IntRange(min=1), required=False)
@click.option("--context", type=click.IntRange(min=0), default=1, show_default=True, help="Sentences around.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts).")
@pass_state
@friendly_errors
def diff(state: State, doc: str, v1: int | None, v2: int | None, context: int, as_json: bool) -> None:
    """What changed in a document between two versions (default: the last change).

    Character-level for Chinese, word-level for English: [-removed-] and {+added+}.

    \b
    Examples:
      aiplus diff 42            # the version before the current, against the current
      aiplus diff 42 1 3        # version 1 against version 3
    """
    if v1 is not None and v2 is None:
        raise click.UsageError("give two versions (V1 V2), or none for the last change")
    with state.database.session() as session:
        document = find_document(session, doc)
        old, new, text_diff = version_diff(session, document, v1, v2, context=context)
        rendered = text_diff.render()
        header = (document.url, old.seq, new.seq, old.fetched_at.isoformat(), new.fetched_at.isoformat())
    if as_json:
        print_json(
            {
                "id": document.id,
                "url": header[0],
                "from_version": header[1],
                "to_version": header[2],
                "from_fetched_at": header[3],
                "to_fetched_at": header[4],
                "diff": rendered,
            }
        )
        return
    console.print(Text(f"{header[0]}  version {header[1]} -> {header[2]}", style="bold"))
    if not rendered:
        console.print("No difference in the normalised text.")
        return
    for line in rendered.splitlines():
        console.print(styled_diff_line(line))


def styled_diff_line(line: str) -> Text:
    styles = {"@": "cyan", "-": "red", "+": "green"}
    text = Text(line, style=styles.get(line[:1], ""))
    # Highlight the changed spans inside the sentence.
    for open_marker, close_marker, style in (
        ("[-", "-]", "bold reverse red"),
        ("{+", "+}", "bold reverse green"),
    ):
        start = 0
        while (begin := line.find(open_marker, start)) != -1:
            end = line.find(close_marker, begin + 2)
            if end == -1:
                break
            text.stylize(style, begin, end + 2)
            start = end + 2
    return text


# -- database ------------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """The archive database: schema migrations."""


@db.command("upgrade")
@pass_state
@friendly_errors
def db_upgrade(state: State) -> None:
    """Apply pending schema migrations (also done automatically when a command opens the database).

    \b
    Example:
      aiplus --config aiplus.toml db upgrade
    """
    database = Database(state.config.storage)
    try:
        database.check_connection()
        applied = database.upgrade()
        revision = database.current_revision()
    finally:
        database.dispose()
    click.echo(f"{'migrated to' if applied else 'already at'} revision {revision}")


@db.command("current")
@pass_state
@friendly_errors
def db_current(state: State) -> None:
    """Print the database's schema revision and the newest one this version knows."""
    database = Database(state.config.storage)
    try:
        database.check_connection()
        click.echo(f"current: {database.current_revision() or 'none (empty database)'}")
        click.echo(f"head:    {database.head_revision()}")
    finally:
        database.dispose()


# -- output helpers ------------------------------------------------------------------------------


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_csv(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@contextmanager
def _no_broken_pipe() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:  # `aiplus changes | head`
        sys.stderr.close()
        sys.exit(0)


# The command modules register themselves on `cli`; imported last because they import from here.
from aiplus import cli_digest, cli_query  # noqa: E402,F401


def main() -> None:
    with _no_broken_pipe():
        cli(prog_name="aiplus")
