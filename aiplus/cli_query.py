"""The commands that ask the archive questions: `search`, `mentions`, `regulations`, `regulation`,
`actors` and `export`. Thin commands over storage.search, storage.mention_queries,
storage.regulation_queries and storage.export, registered on the `aiplus` group when aiplus.cli is
imported.

Names that mean the same thing come from the extractor's data files (crawler/extract/data): the
regulations gazetteer (canonical ids and Chinese/English names) and the list of known proposers
(雷军 = Lei Jun, 小米集团 = Xiaomi). Storage knows no files, so they are read here and passed down.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
import sys
import tomllib
from calendar import monthrange
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich.table import Table
from rich.text import Text

from aiplus.cli import State, cli, console, friendly_errors, output_options, pass_state, print_csv, print_json
from aiplus.config import CATEGORIES
from aiplus.timeparse import parse_when
from storage.export import FORMATS, TABLES, export_table
from storage.mention_queries import MENTION_KINDS, AliasTable, find_mentions, proposals_by_actor
from storage.regulation_queries import (
    RegulationCatalog,
    list_regulations,
    regulation_timeline,
    resolve_regulation,
)
from storage.search import DEFAULT_LIMIT, SearchResult, search

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

# Where the extractor's data files are; None: found next to the installed `crawler` package. Tests
# point it at their own files.
DATA_DIR: Path | None = None


# -- shared options and values -------------------------------------------------------------------

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def parse_day(value: str, *, end: bool = False) -> date:
    """A day for --since / --until: 2024-03-05, 2024-03 or 2024 (the first day of the month or year,
    or with `end` its last day), or any WHEN `changes` takes (7d, yesterday, a date-time)."""
    match = _PARTIAL_DATE.match(value)
    if match is None:
        return parse_when(value).astimezone().date()
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            return date(year, month, monthrange(year, month)[1] if end else 1)
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"cannot read the date {value!r}: use 2024-03-05, 2024-03, 2024, or a span such as 30d"
        ) from None


def day_range_options(command: F) -> F:
    command = click.option(
        "--until",
        "until_text",
        metavar="DATE",
        help="Pages dated up to and including this day (2024-12-31, 2024-12, 2024).",
    )(command)
    command = click.option(
        "--since",
        "since_text",
        metavar="DATE",
        help="Pages dated on or after this day (2024-03-01, 2024-03, 2024, 30d). A page's date is the "
        "one it states, else the day it was fetched.",
    )(command)
    return command


def _days(since_text: str | None, until_text: str | None) -> tuple[date | None, date | None]:
    since = parse_day(since_text) if since_text else None
    until = parse_day(until_text, end=True) if until_text else None
    return since, until


def category_option(command: F) -> F:
    return click.option(
        "--category", "categories", multiple=True, type=click.Choice(CATEGORIES), help="Repeatable."
    )(command)


def source_option(command: F) -> F:
    return click.option(
        "--source", "sources", multiple=True, metavar="NAME", help="Only these sources (repeatable)."
    )(command)


# -- the extractor's name lists ------------------------------------------------------------------


def data_dir() -> Path | None:
    if DATA_DIR is not None:
        return DATA_DIR
    spec = importlib.util.find_spec("crawler")  # finds the package without importing Scrapy
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "extract" / "data"


@functools.lru_cache(maxsize=8)
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("ignoring %s (names and aliases from it are not used): %s", path, exc)
        return {}


def regulation_catalog() -> RegulationCatalog:
    """Known regulations with their canonical ids and names (regulations.toml), if there."""
    folder = data_dir()
    if folder is None:
        return RegulationCatalog()
    try:
        return RegulationCatalog.from_rows(_read_toml(folder / "regulations.toml").get("regulation", []))
    except (KeyError, TypeError, AttributeError) as exc:
        log.warning("ignoring regulations.toml: %s", exc)
        return RegulationCatalog()


def person_aliases() -> tuple[AliasTable, AliasTable]:
    """Who is who across languages (persons.toml): people's names and their organisations'."""
    folder = data_dir()
    rows = _read_toml(folder / "persons.toml").get("person", []) if folder else []
    people, organizations = [], []
    for row in rows:
        if not isinstance(row, dict):
            continue
        people.append([row.get("zh") or "", row.get("en") or ""])
        organizations.append([row.get("organization") or "", row.get("organization_en") or ""])
    return AliasTable(people), AliasTable(organizations)


# -- search --------------------------------------------------------------------------------------


# Unknown options are query words: `aiplus search 安全 -草案` excludes 草案 without quoting.
@cli.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@category_option
@source_option
@click.option("--language", "languages", multiple=True, metavar="LANG", help="zh, en ... (repeatable).")
@day_range_options
@click.option("--all-versions", is_flag=True, help="Search earlier versions of pages too.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True, help="At most this many."
)
@output_options
@pass_state
@friendly_errors
def search_command(
    state: State,
    query: tuple[str, ...],
    categories: tuple[str, ...],
    sources: tuple[str, ...],
    languages: tuple[str, ...],
    since_text: str | None,
    until_text: str | None,
    all_versions: bool,
    limit: int,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Full-text search over the archive's pages (current versions), best match first.

    Words are ANDed; "quoted words" are a phrase; OR between two terms takes either; -term excludes;
    parentheses group. Chinese works from two characters (安全, 大模型); English words match whole, in
    any case. Snippets mark the matches **like this**.

    \b
    Examples:
      aiplus search 大模型 安全 --source cac --since 2025 --csv
      aiplus search '"Measures for Labeling"' --language en
      aiplus search '(数据 OR 算力) -征求意见稿' --category data_sharing --json
      aiplus search 征求意见稿 --all-versions
    """
    for word in query:
        if word.startswith("--"):  # options are taken as words only to let -word exclude
            raise click.UsageError(f"No such option: {word}")
    since, until = _days(since_text, until_text)
    text = " ".join(query)
    with state.database.session() as session:
        results = search(
            session,
            text,
            categories=categories,
            sources=sources,
            languages=languages,
            since=since,
            until=until,
            all_versions=all_versions,
            limit=limit,
        )
    rows = [result.to_dict() for result in results]
    if as_json:
        print_json(rows)
        return
    if as_csv:
        print_csv(
            [
                {
                    **{k: row[k] for k in ("id", "url", "title", "source", "published", "date", "language")},
                    "categories": " ".join(row["categories"]),
                    "version": row["version"],
                    "current": row["current"],
                    "score": row["score"],
                    "snippet": row["snippet"],
                }
                for row in rows
            ]
        )
        return
    if not results:
        console.print(f"Nothing found for {text!r}.")
        return
    console.print(_search_table(results, text, all_versions))


def _search_table(results: list[SearchResult], query: str, all_versions: bool) -> Table:
    table = Table(title=f"{len(results)} result(s) for {query}")
    for column in ("id", "date", "source", "title / url", "snippet"):
        table.add_column(column, overflow="fold")
    for result in results:
        title = Text(result.title or "(untitled)", style="bold")
        if all_versions:
            title.append(f"  v{result.seq}" + ("" if result.current else " (earlier version)"), style="cyan")
        title.append("\n" + result.url, style="dim")
        snippet = Text(result.snippet.text)
        for start, end in result.snippet.highlights:
            snippet.stylize("bold yellow", start, end)
        table.add_row(str(result.document_id), result.date.isoformat(), result.source, title, snippet)
    return table


# -- mentions ------------------------------------------------------------------------------------


@cli.command("mentions")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(MENTION_KINDS), help="Repeatable.")
@click.option(
    "--actor",
    "actors",
    multiple=True,
    metavar="NAME",
    help="A proposer, Chinese or English name (repeatable).",
)
@click.option(
    "--organization",
    "--org",
    "organizations",
    multiple=True,
    metavar="NAME",
    help="Part of the proposer's organisation, any language (repeatable).",
)
@category_option
@click.option("--regulation", metavar="ID_OR_NAME", help="Citations of this regulation (id or any name).")
@source_option
@day_range_options
@click.option("--all-versions", is_flag=True, help="Mentions in earlier versions too, one row per version.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@output_options
@pass_state
@friendly_errors
def mentions_command(
    state: State,
    kinds: tuple[str, ...],
    actors: tuple[str, ...],
    organizations: tuple[str, ...],
    categories: tuple[str, ...],
    regulation: str | None,
    sources: tuple[str, ...],
    since_text: str | None,
    until_text: str | None,
    all_versions: bool,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Proposals and regulation citations found in the pages, oldest first, one line each with its
    page and date.

    An actor matches by any of their names (雷军 finds Lei Jun too, from the extractor's list of known
    proposers); a regulation by its canonical id or any Chinese or English name.

    \b
    Examples:
      aiplus mentions --kind proposal --category data_sharing --since 2024-03
      aiplus mentions --actor "Lei Jun" --json
      aiplus mentions --regulation 人工智能生成合成内容标识办法 --csv
    """
    since, until = _days(since_text, until_text)
    people, orgs = person_aliases()
    with state.database.session() as session:
        group = resolve_regulation(session, regulation, regulation_catalog()) if regulation else None
        rows = list(
            find_mentions(
                session,
                kinds=kinds,
                actors=actors,
                organizations=organizations,
                categories=categories,
                sources=sources,
                regulation=group,
                since=since,
                until=until,
                all_versions=all_versions,
                aliases=people,
                organization_aliases=orgs,
                limit=limit,
            )
        )
    if as_json:
        print_json(rows)
        return
    if as_csv:
        print_csv(rows)
        return
    if not rows:
        console.print("No mentions.")
        return
    table = Table(title=f"{len(rows)} mention(s)")
    for column in ("date", "kind", "who / what", "detail", "category", "page"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row["kind"] == "regulation":
            what = row["title"] or row["doc_number"] or ""
            detail = " ".join(x for x in (row["status"], row["doc_number"], row["issuer"]) if x)
        else:
            what = (row["actor"] or "") + (f" ({row['organization']})" if row["organization"] else "")
            detail = row["summary"] or ""
        page = Text(row["page_title"] or "(untitled)")
        page.append(f"\n#{row['document_id']} {row['url']}", style="dim")
        table.add_row(row["date"], row["kind"], what, detail, row["category"] or "", page)
    console.print(table)


# -- regulations ---------------------------------------------------------------------------------


@cli.command("regulations")
@category_option
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(("draft", "final")), help="Latest status."
)
@source_option
@day_range_options
@output_options
@pass_state
@friendly_errors
def regulations_command(
    state: State,
    categories: tuple[str, ...],
    statuses: tuple[str, ...],
    sources: tuple[str, ...],
    since_text: str | None,
    until_text: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Every regulation the pages cite, one row each under one id for its Chinese and English names:
    latest status, when the draft and the final text were first seen, and how many pages cite it.

    \b
    Examples:
      aiplus regulations
      aiplus regulations --category safety_governance --status draft --json
    """
    since, until = _days(since_text, until_text)
    with state.database.session() as session:
        rows = list_regulations(
            session,
            regulation_catalog(),
            categories=categories,
            statuses=statuses,
            sources=sources,
            since=since,
            until=until,
        )
    if as_json:
        print_json(rows)
        return
    if as_csv:
        print_csv([{**row, "names": " | ".join(row["names"])} for row in rows])
        return
    if not rows:
        console.print("No regulations cited.")
        return
    table = Table(title=f"{len(rows)} regulation(s)")
    for column in ("id", "title", "status", "draft seen", "final seen", "pages", "category"):
        table.add_column(column, overflow="fold")
    for row in rows:
        title = Text(row["title"] or "")
        if row["title_en"] and row["title_en"] != row["title"]:
            title.append("\n" + row["title_en"], style="dim")
        table.add_row(
            row["id"],
            title,
            row["status"] or "",
            row["draft_first_seen"] or "",
            row["final_first_seen"] or "",
            str(row["pages"]),
            row["category"] or "",
        )
    console.print(table)


@cli.command("regulation")
@click.argument("reference", metavar="ID_OR_NAME")
@click.option("--limit", type=click.IntRange(min=1), help="List at most this many citing pages.")
@output_options
@pass_state
@friendly_errors
def regulation_command(state: State, reference: str, limit: int | None, as_json: bool, as_csv: bool) -> None:
    """One regulation (canonical id, Chinese or English title, or alias): its status timeline (draft
    first seen, final first seen, the effective date a page states) and the pages citing it, oldest
    first. --csv prints the citing pages.

    \b
    Examples:
      aiplus regulation cn-ai-content-labeling-measures-2025
      aiplus regulation 人工智能生成合成内容标识办法 --json
      aiplus regulation "Measures for Labeling AI-Generated Synthetic Content"
    """
    with state.database.session() as session:
        data = regulation_timeline(session, reference, regulation_catalog()).to_dict(page_limit=limit)
    if as_json:
        print_json(data)
        return
    if as_csv:
        print_csv([{**page, "statuses": " ".join(page["statuses"])} for page in data["pages"]])
        return
    console.print(Text(data["title"] or data["id"], style="bold"))
    if data["title_en"] and data["title_en"] != data["title"]:
        console.print(Text(data["title_en"]))
    facts = [
        ("id", data["id"]),
        ("status", data["status"]),
        ("issuer", data["issuer"]),
        ("number", data["doc_number"]),
        ("category", data["category"]),
        ("cited by", f"{data['page_count']} page(s), {data['mentions']} mention(s)"),
    ]
    for label, value in facts:
        if value:
            console.print(f"[bold]{label:>9}[/bold]  {value}")
    other_names = [n for n in data["names"] if n not in (data["title"], data["title_en"])]
    if other_names:
        console.print(f"[bold]{'names':>9}[/bold]  " + " | ".join(other_names))
    if data["timeline"]:
        timeline = Table(title="timeline")
        for column in ("date", "event", "page"):
            timeline.add_column(column, overflow="fold")
        for event in data["timeline"]:
            detail = Text(event.get("title") or event.get("statement") or "")
            detail.append(f"\n{event['url']}", style="dim")
            timeline.add_row(event["date"], event["event"], detail)
        console.print(timeline)
    pages = Table(title="cited by (oldest first)")
    for column in ("date", "id", "status", "source", "page"):
        pages.add_column(column, overflow="fold")
    for page in data["pages"]:
        title = Text(page["title"] or "(untitled)")
        if not page["current"]:
            title.append("  (no longer cited)", style="yellow")
        title.append("\n" + page["url"], style="dim")
        pages.add_row(
            page["date"], str(page["document_id"]), " → ".join(page["statuses"]), page["source"], title
        )
    console.print(pages)
    if limit is not None and data["page_count"] > limit:
        console.print(f"... and {data['page_count'] - limit} more page(s)")


# -- actors --------------------------------------------------------------------------------------


@cli.command("actors")
@click.option(
    "--actor", "actors", multiple=True, metavar="NAME", help="Chinese or English name (repeatable)."
)
@click.option(
    "--organization", "--org", "organizations", multiple=True, metavar="NAME", help="Part of an organisation."
)
@category_option
@click.option("--year", "years", multiple=True, type=int, help="Repeatable.")
@source_option
@day_range_options
@click.option("--all-versions", is_flag=True, help="Count proposals in earlier versions of pages too.")
@output_options
@pass_state
@friendly_errors
def actors_command(
    state: State,
    actors: tuple[str, ...],
    organizations: tuple[str, ...],
    categories: tuple[str, ...],
    years: tuple[int, ...],
    sources: tuple[str, ...],
    since_text: str | None,
    until_text: str | None,
    all_versions: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Who proposed what: one row per person, year and category, with their distinct proposals and
    the pages reporting them. A person's Chinese and English names count as one.

    \b
    Examples:
      aiplus actors --year 2025
      aiplus actors --category data_sharing --json
      aiplus actors --actor 雷军
    """
    since, until = _days(since_text, until_text)
    people, orgs = person_aliases()
    with state.database.session() as session:
        rows = proposals_by_actor(
            session,
            actors=actors,
            organizations=organizations,
            categories=categories,
            years=years,
            sources=sources,
            since=since,
            until=until,
            all_versions=all_versions,
            aliases=people,
            organization_aliases=orgs,
        )
    if as_json:
        print_json(rows)
        return
    if as_csv:
        print_csv(
            [
                {**row, "names": " | ".join(row["names"]), "summaries": " | ".join(row["summaries"])}
                for row in rows
            ]
        )
        return
    if not rows:
        console.print("No proposals.")
        return
    table = Table(title="who proposed what")
    for column in ("year", "actor", "organization", "category", "proposals", "pages", "what"):
        table.add_column(column, overflow="fold")
    for row in rows:
        what = "\n".join(f"• {s}" for s in row["summaries"][:3])
        if len(row["summaries"]) > 3:
            what += f"\n… {len(row['summaries']) - 3} more"
        names = " / ".join(row["names"]) if len(row["names"]) > 1 else row["actor"]
        table.add_row(
            str(row["year"]),
            names,
            row["organization"] or "",
            row["category"] or "",
            str(row["proposals"]),
            str(row["pages"]),
            what,
        )
    console.print(table)


# -- export --------------------------------------------------------------------------------------


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Choice((*TABLES, "all")),
    help="What to export (repeatable; default documents; all: every table).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="A file (one table) or a folder (several: one file each). Default: standard output.",
)
@click.option("--text/--no-text", "with_text", default=True, help="Include page texts and diffs (default).")
@pass_state
@friendly_errors
def export_command(
    state: State, fmt: str, tables: tuple[str, ...], out: Path | None, with_text: bool
) -> None:
    """Export documents, versions, mentions or changes as JSON Lines or CSV, streaming (constant
    memory, however large the archive).

    A document row carries its current version (title, date, language, categories, text); a version
    row its text; a mention row its page and date; a change row its diff and mention delta.
    Several tables go to a folder given with --out (one file per table) or, as JSON Lines, to
    standard output with a "table" key on each line.

    \b
    Examples:
      aiplus export --format jsonl --out archive.jsonl
      aiplus export --format csv --table mentions --out mentions.csv
      aiplus export --format csv --table all --out export/
    """
    chosen = list(TABLES) if "all" in tables else list(dict.fromkeys(tables or ("documents",)))
    several = len(chosen) > 1
    if several and fmt == "csv" and out is None:
        raise click.ClickException(
            "CSV holds one table: choose one with --table, or give --out FOLDER for one file per table"
        )
    if several and out is not None and out.exists() and not out.is_dir():
        raise click.ClickException(f"{out} is a file: several tables need a folder (one file per table)")
    with state.database.session() as session:
        if out is None:
            for table in chosen:
                export_table(
                    session, table, _stdout(), format=fmt, with_text=with_text, tag=table if several else None
                )
            return
        targets = [(table, out / f"{table}.{fmt}" if several else out) for table in chosen]
        try:
            if several:
                out.mkdir(parents=True, exist_ok=True)
            for table, path in targets:
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    count = export_table(session, table, handle, format=fmt, with_text=with_text)
                click.echo(f"exported {count} {table} to {path}", err=True)
        except OSError as exc:
            raise click.ClickException(f"cannot write {exc.filename or out}: {exc.strerror}") from None


def _stdout() -> TextIO:
    return sys.stdout
