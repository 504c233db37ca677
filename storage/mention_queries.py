"""Querying mentions: proposals and regulation citations filtered by kind, actor, organisation,
category, regulation, source and date, and who proposed what by year and category.

People and organisations are written in Chinese on one page and in English on the next (雷军, Lei Jun;
小米集团, Xiaomi). An AliasTable says which names are one: a filter on any of them finds them all, and
the actor summary counts them as one person. Storage knows no data files: the caller builds the table
(the CLI reads the extractor's persons.toml).

By default only the mentions in each document's current version count (what the pages say now); with
`all_versions`, a mention in every version is a row of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from storage.mentions import fold
from storage.models import Document, Mention, Source, Version
from storage.querytools import all_of, check_range, date_range, escape_like, page_date, source_clause
from storage.regulation_queries import RegulationGroup

MENTION_KINDS = ("proposal", "regulation")


class AliasTable:
    """Groups of names that mean the same person or organisation; the first name of a group is the one
    shown. Look-ups fold case, width, spaces and quotes (storage.mentions.fold)."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._groups: dict[str, tuple[str, ...]] = {}
        for group in groups:
            names = tuple(dict.fromkeys(name.strip() for name in group if name and name.strip()))
            if not names:
                continue
            merged: list[str] = []
            for name in names:  # a name in two groups joins them; the earlier group's order stands
                for other in self._groups.get(fold(name), ()):
                    if other not in merged:
                        merged.append(other)
            merged.extend(name for name in names if name not in merged)
            for name in merged:
                self._groups[fold(name)] = tuple(merged)

    def __bool__(self) -> bool:
        return bool(self._groups)

    def names(self, name: str) -> tuple[str, ...]:
        """Every name of whoever `name` is, `name` itself included."""
        group = self._groups.get(fold(name), ())
        return tuple(dict.fromkeys((*group, name.strip())))

    def canonical(self, name: str) -> str:
        group = self._groups.get(fold(name))
        return group[0] if group else name.strip()


NO_ALIASES = AliasTable()


def _actor_clause(actors: Sequence[str], aliases: AliasTable) -> ColumnElement[bool] | None:
    if not actors:
        return None
    names = {n.lower() for actor in actors for n in aliases.names(actor)}
    # lower(actor) has an index of its own (migration 0002).
    return func.lower(Mention.actor).in_(sorted(names))


def _organization_clause(organizations: Sequence[str], aliases: AliasTable) -> ColumnElement[bool] | None:
    if not organizations:
        return None
    names = {n.lower() for organization in organizations for n in aliases.names(organization)}
    return or_(
        *(func.lower(Mention.organization).like(f"%{escape_like(n)}%", escape="\\") for n in sorted(names))
    )


def _mention_statement(
    columns: Sequence[Any],
    *,
    kinds: Sequence[str],
    actors: Sequence[str],
    organizations: Sequence[str],
    categories: Sequence[str],
    sources: Sequence[str],
    regulation: RegulationGroup | None,
    since: date | None,
    until: date | None,
    all_versions: bool,
    aliases: AliasTable,
    organization_aliases: AliasTable,
) -> Select[Any]:
    for kind in kinds:
        if kind not in MENTION_KINDS:
            raise ValueError(f"unknown mention kind {kind!r} (proposal or regulation)")
    check_range(since, until)
    statement = (
        select(*columns)
        .select_from(Mention)
        .join(Version, Version.id == Mention.version_id)
        .join(Document, Document.id == Version.document_id)
        .join(Source, Source.id == Document.source_id)
    )
    condition = all_of(
        [
            None if all_versions else Document.current_version_id == Version.id,
            Mention.kind.in_(list(kinds)) if kinds else None,
            _actor_clause(actors, aliases),
            _organization_clause(organizations, organization_aliases),
            Mention.category.in_(list(categories)) if categories else None,
            source_clause(sources),
            regulation.clause() if regulation is not None else None,
            *date_range(page_date(), since, until),
        ]
    )
    return statement.where(condition) if condition is not None else statement


_MENTION_COLUMNS = (
    Mention.id,
    *Mention.detail_columns(),
    Document.id.label("document_id"),
    Document.url,
    Version.title.label("page_title"),
    Source.name.label("source"),
    page_date().label("date"),
    Version.published,
    Version.fetched_at,
    Version.seq.label("version"),
    (Document.current_version_id == Version.id).label("current"),
)


def find_mentions(
    session: Session,
    *,
    kinds: Sequence[str] = (),
    actors: Sequence[str] = (),
    organizations: Sequence[str] = (),
    categories: Sequence[str] = (),
    sources: Sequence[str] = (),
    regulation: RegulationGroup | None = None,
    since: date | None = None,
    until: date | None = None,
    all_versions: bool = False,
    aliases: AliasTable = NO_ALIASES,
    organization_aliases: AliasTable = NO_ALIASES,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Mentions matching every filter given, oldest page first, each with its page and date.

    `actors` match a mention's actor by any alias (case-insensitive, whole name); `organizations`
    match part of the organisation, by any alias; `categories` are the mention's own; dates are the
    page's (stated, else the day fetched), inclusive. Streams: rows are read in batches.
    """
    statement = _mention_statement(
        _MENTION_COLUMNS,
        kinds=kinds,
        actors=actors,
        organizations=organizations,
        categories=categories,
        sources=sources,
        regulation=regulation,
        since=since,
        until=until,
        all_versions=all_versions,
        aliases=aliases,
        organization_aliases=organization_aliases,
    ).order_by(page_date(), Version.fetched_at, Document.id, Version.seq, Mention.position)
    if limit is not None:
        statement = statement.limit(limit)
    with session.execute(statement.execution_options(yield_per=500)) as result:
        for row in result:
            yield mention_row_dict(row._mapping)


def mention_row_dict(row: Mapping[Any, Any]) -> dict[str, Any]:
    data = dict(row)
    for key in ("date", "published", "fetched_at"):
        value = data.get(key)
        data[key] = value.isoformat() if isinstance(value, date | datetime) else value
    data["current"] = bool(data["current"])
    return data


# -- who proposed what ---------------------------------------------------------------------------


@dataclass
class _ActorGroup:
    actor: str
    year: int
    category: str | None
    names: Counter[str] = field(default_factory=Counter)
    organizations: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    proposals: dict[str, str] = field(default_factory=dict)  # folded summary -> summary as written
    documents: set[int] = field(default_factory=set)
    first: date | None = None
    last: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "names": sorted(self.names, key=lambda n: (n != self.actor, -self.names[n], n)),
            "organization": _most_common(self.organizations),
            "role": _most_common(self.roles),
            "year": self.year,
            "category": self.category,
            "proposals": len(self.proposals),
            "pages": len(self.documents),
            "summaries": [summary for summary in self.proposals.values() if summary],
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


def _most_common(counter: Counter[str]) -> str | None:
    if not counter:
        return None
    return sorted(counter, key=lambda n: (-counter[n], n))[0]


def proposals_by_actor(
    session: Session,
    *,
    actors: Sequence[str] = (),
    organizations: Sequence[str] = (),
    categories: Sequence[str] = (),
    years: Sequence[int] = (),
    sources: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    all_versions: bool = False,
    aliases: AliasTable = NO_ALIASES,
    organization_aliases: AliasTable = NO_ALIASES,
) -> list[dict[str, Any]]:
    """Who proposed what: one row per person, year and category, with how many distinct proposals
    (by summary), on how many pages, and what they were. A person's aliases count as one person.
    Sorted by year, then most proposals, then name."""
    columns = (
        Mention.actor,
        Mention.organization,
        Mention.role,
        Mention.summary,
        Mention.category,
        Document.id,
        page_date().label("date"),
    )
    statement = _mention_statement(
        columns,
        kinds=("proposal",),
        actors=actors,
        organizations=organizations,
        categories=categories,
        sources=sources,
        regulation=None,
        since=since,
        until=until,
        all_versions=all_versions,
        aliases=aliases,
        organization_aliases=organization_aliases,
    ).order_by(page_date(), Document.id, Mention.position)
    wanted_years = set(years)
    groups: dict[tuple[str, int, str | None], _ActorGroup] = {}
    for actor, organization, role, summary, category, document_id, day in session.execute(
        statement.execution_options(yield_per=1000)
    ):
        if wanted_years and day.year not in wanted_years:
            continue
        name = actor.strip() if actor and actor.strip() else "(unnamed)"
        person = aliases.canonical(name)
        group = groups.get((person, day.year, category))
        if group is None:
            group = groups[(person, day.year, category)] = _ActorGroup(person, day.year, category)
        group.names[name] += 1
        if organization:
            group.organizations[organization_aliases.canonical(organization)] += 1
        if role:
            group.roles[role] += 1
        # A proposal is its summary; one without a summary counts once per page.
        group.proposals.setdefault(fold(summary) if summary else f"#{document_id}", summary or "")
        group.documents.add(document_id)
        group.first = day if group.first is None else min(group.first, day)
        group.last = day if group.last is None else max(group.last, day)
    rows = [g.to_dict() for g in groups.values()]
    rows.sort(key=lambda r: (r["year"], -r["proposals"], -r["pages"], r["actor"], r["category"] or ""))
    return rows


__all__ = [
    "MENTION_KINDS",
    "NO_ALIASES",
    "AliasTable",
    "find_mentions",
    "mention_row_dict",
    "proposals_by_actor",
]
