"""SQL pieces the archive queries share (search, mentions, regulations, export): a page's date on every
backend, and the filters on date, category, source and language written once.

A page's date is the date it states (`version.published`) or, when it states none, the day it was
first fetched (UTC). Filters on it are by day and inclusive at both ends: `since=2024-03-01,
until=2024-03-31` is the whole of March.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, func, or_, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from storage.models import Source, Version


class _day_of(FunctionElement[date]):
    """The calendar day of a stored (naive UTC) datetime column."""

    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(_day_of)
def _day_of_default(element: _day_of, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(_day_of, "sqlite")
def _day_of_sqlite(element: _day_of, compiler: Any, **kw: Any) -> str:
    # SQLite keeps dates as ISO text: date() gives 'YYYY-MM-DD', which compares as a date column does.
    return f"date({compiler.process(element.clauses, **kw)})"


def page_date(version: Any = Version) -> ColumnElement[date]:
    """The date of a page version: the one it states, else the day it was fetched."""
    return func.coalesce(version.published, _day_of(version.fetched_at), type_=Date)


def previous_version_of(version: Any, previous: Any) -> ColumnElement[bool]:
    """Join condition: `previous` is the version of the same document just before `version`."""
    return and_(previous.document_id == version.document_id, previous.seq == version.seq - 1)


def seen_date(version: Any, previous: Any) -> ColumnElement[date]:
    """The date a version's content can be dated to (for "when was it first seen").

    A document's first version: the date it states, else the day it was fetched. A later version
    (outer-joined as `previous`, see previous_version_of): the date it states if that is not older
    than the fetch of the version before, else the day it was fetched - its content changed between
    the two fetches, so an old page that turns a draft into a final text dates the final text to
    when that was seen, not to the page's original date.
    """
    fetched = _day_of(version.fetched_at)
    expression = case(
        (previous.id.is_(None), func.coalesce(version.published, fetched)),
        (version.published >= _day_of(previous.fetched_at), version.published),
        else_=fetched,
    )
    return type_coerce(expression, Date)


def date_range(
    expression: ColumnElement[date], since: date | None, until: date | None
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if since is not None:
        clauses.append(expression >= since)
    if until is not None:
        clauses.append(expression <= until)
    return clauses


def check_range(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise ValueError(f"--since {since.isoformat()} is after --until {until.isoformat()}")


def version_category_clause(categories: Sequence[str], version: Any = Version) -> ColumnElement[bool] | None:
    """Versions in any of the categories (stored as ' slug slug ', see models.Version)."""
    if not categories:
        return None
    return or_(*(version.categories.like(f"% {slug} %") for slug in categories))


def language_clause(languages: Sequence[str], version: Any = Version) -> ColumnElement[bool] | None:
    """Versions in any of the languages; `zh` also takes regional tags such as zh-CN."""
    if not languages:
        return None
    clauses = []
    for language in languages:
        code = language.strip().lower()
        clauses.append(func.lower(version.language) == code)
        clauses.append(func.lower(version.language).like(f"{code}-%"))
    return or_(*clauses)


def source_clause(sources: Sequence[str]) -> ColumnElement[bool] | None:
    return Source.name.in_(list(sources)) if sources else None


def all_of(clauses: Sequence[ColumnElement[bool] | None]) -> ColumnElement[bool] | None:
    present = [c for c in clauses if c is not None]
    return and_(*present) if present else None


def escape_like(value: str) -> str:
    """A value to put between LIKE wildcards, its own % and _ taken literally (ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
