"""Regulations as the archive has seen them: one entry per regulation across its Chinese and English
names, its status timeline (draft first seen, final first seen, the effective date a page states) and
the pages that cite it.

Identity: a mention belongs to the regulation of its canonical id when the extractor recognised it.
Otherwise its title decides, compared folded (storage.mentions.fold) and without a draft marker
(（征求意见稿）, (Draft for Comment)): a title that a catalogue of known regulations (passed in by the
caller; the CLI reads the extractor's regulations.toml) or another mention ties to a canonical id joins
that id; a title nobody ties to one is a regulation of its own, identified by its folded form.

Dates are the pages' (stated, else the day fetched), so a regulation's history reads in the order the
documents were published even when the archive collected them later. A status seen first in a later
version of a page is dated to that version (storage.querytools.seen_date): an old page that now cites
the final text does not date the final text back to its own publication.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from storage.mentions import fold
from storage.models import Document, Mention, Source, Version
from storage.queries import NotFound
from storage.querytools import (
    all_of,
    check_range,
    date_range,
    page_date,
    previous_version_of,
    seen_date,
    source_clause,
)

# A draft marker written as part of a title: 《X（征求意见稿）》, X (Draft for Comment).
DRAFT_SUFFIX = re.compile(
    r"\s*[（(]\s*(?:征求意见稿|草案|修订草案|送审稿|草案征求意见稿|"
    r"[Dd]raft(?: for (?:[Pp]ublic )?[Cc]omments?)?)\s*[)）]\s*$"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def regulation_key(title: str | None) -> str:
    """A title's comparison form: folded, without a draft marker."""
    if not title:
        return ""
    return fold(DRAFT_SUFFIX.sub("", title.strip()))


# -- the catalogue of known regulations ----------------------------------------------------------


@dataclass(frozen=True)
class KnownRegulation:
    """A regulation of the catalogue: its canonical id and every name it goes by."""

    id: str
    zh: str
    en: str | None = None
    aliases: tuple[str, ...] = ()
    issuer: str | None = None
    doc_number: str | None = None
    category: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.zh, self.en, *self.aliases) if n))


class RegulationCatalog:
    """Known regulations, found by canonical id or by any of their names."""

    def __init__(self, entries: Iterable[KnownRegulation] = ()) -> None:
        self.entries = list(entries)
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_key: dict[str, KnownRegulation] = {}
        for entry in self.entries:
            for name in entry.names:
                self._by_key.setdefault(regulation_key(name), entry)
                if "Labeling" in name:  # the British spelling pages use as often
                    self._by_key.setdefault(regulation_key(name.replace("Labeling", "Labelling")), entry)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> RegulationCatalog:
        """From rows shaped like the [[regulation]] tables of the extractor's regulations.toml."""
        return cls(
            KnownRegulation(
                id=row["id"],
                zh=row["zh"],
                en=row.get("en"),
                aliases=tuple(row.get("aliases", ())),
                issuer=row.get("issuer"),
                doc_number=row.get("doc_number"),
                category=row.get("category"),
            )
            for row in rows
            if row.get("id") and row.get("zh")
        )

    def __len__(self) -> int:
        return len(self.entries)

    def by_id(self, regulation_id: str | None) -> KnownRegulation | None:
        return self._by_id.get(regulation_id or "")

    def lookup(self, reference: str) -> KnownRegulation | None:
        """The regulation with this canonical id or name (any alias, folded, draft marker ignored)."""
        reference = reference.strip()
        return self._by_id.get(reference) or self._by_key.get(regulation_key(reference))


EMPTY_CATALOG = RegulationCatalog()


# -- identity ------------------------------------------------------------------------------------


class _Identity:
    """Which regulation a (canonical id, title) pair is: by id, by a title the catalogue or another
    mention ties to an id, or by its folded title."""

    def __init__(self, catalog: RegulationCatalog, pairs: Iterable[tuple[str | None, str | None]]) -> None:
        self.catalog = catalog
        self._learned: dict[str, str] = {}
        for canonical_id, title in pairs:
            if canonical_id and title:
                self._learned.setdefault(regulation_key(title), canonical_id)
        self.ids = set(self._learned.values())

    def key(self, canonical_id: str | None, title: str | None, doc_number: str | None = None) -> str:
        if canonical_id:
            return canonical_id
        folded = regulation_key(title)
        entry = self.catalog.lookup(title) if title else None
        if entry is not None:
            return entry.id
        return self._learned.get(folded) or folded or fold(doc_number)


@dataclass(frozen=True)
class RegulationGroup:
    """One regulation's mentions: those with its canonical id, and those without any id whose title
    (exactly as stored) is one of `titles`."""

    key: str
    canonical_id: str | None
    titles: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    known: KnownRegulation | None = None

    def clause(self) -> ColumnElement[bool]:
        options: list[ColumnElement[bool]] = []
        if self.canonical_id:
            options.append(Mention.canonical_id == self.canonical_id)
        if self.titles:
            options.append(and_(Mention.canonical_id.is_(None), Mention.title.in_(list(self.titles))))
        if not options:  # pragma: no cover - a group always has an id or a title
            options.append(Mention.id.is_(None))
        return and_(Mention.kind == "regulation", or_(*options))


def resolve_regulation(
    session: Session, reference: str, catalog: RegulationCatalog = EMPTY_CATALOG
) -> RegulationGroup:
    """The regulation a user means by a canonical id, a Chinese or English title, or an alias.

    Raises NotFound when neither the catalogue nor the archive knows the name.
    """
    reference = reference.strip()
    if not reference:
        raise ValueError("give a regulation's id or name")
    entry = catalog.lookup(reference)
    canonical_id = entry.id if entry else None
    if canonical_id is None and session.scalar(
        select(Mention.id).where(Mention.canonical_id == reference).limit(1)
    ):
        canonical_id = reference
    wanted = regulation_key(reference)
    if canonical_id is None:
        # A name the catalogue does not know: the archive's own titles decide.
        pairs: list[tuple[str | None, str | None]] = [
            (cid, title)
            for cid, title in session.execute(
                select(Mention.canonical_id, Mention.title).where(Mention.kind == "regulation").distinct()
            )
        ]
        identity = _Identity(catalog, pairs)
        candidates = {identity.key(cid, title) for cid, title in pairs if regulation_key(title) == wanted}
        candidates |= {cid for cid, _ in pairs if cid and fold(cid) == fold(reference)}
        if not candidates:
            raise NotFound(
                f"no regulation {reference!r} in the archive "
                "(give its canonical id, Chinese or English title; `aiplus regulations` lists them)"
            )
        key = sorted(candidates)[0]
        if any(cid == key for cid, _ in pairs):
            canonical_id = key
        else:
            titles = tuple(
                sorted({t for cid, t in pairs if cid is None and t and identity.key(None, t) == key})
            )
            return RegulationGroup(key=key, canonical_id=None, titles=titles, names=titles)
        entry = catalog.by_id(canonical_id)
    seen_with_id = select(Mention.title).where(Mention.canonical_id == canonical_id).distinct()
    names_seen = [title for title in session.scalars(seen_with_id) if title]
    names = tuple(dict.fromkeys([*(entry.names if entry else ()), *sorted(names_seen)]))
    keys = {regulation_key(name) for name in names}
    without_id = (
        select(Mention.title).where(Mention.kind == "regulation", Mention.canonical_id.is_(None)).distinct()
    )
    orphans = [title for title in session.scalars(without_id) if title]
    titles = tuple(
        sorted(
            t
            for t in orphans
            if regulation_key(t) in keys or (entry is not None and catalog.lookup(t) is entry)
        )
    )
    return RegulationGroup(
        key=canonical_id, canonical_id=canonical_id, titles=titles, names=names, known=entry
    )


# -- effective dates -----------------------------------------------------------------------------

_ZH_EFFECTIVE = re.compile(
    r"(?:自|从|于)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:正式)?\s*(?:施行|实施|生效)"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_EN_DATE = (
    r"(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4})"
    r"|(?P<iso>\d{4}-\d{1,2}-\d{1,2}))"
)
_EN_EFFECTIVE = re.compile(
    r"(?i:\b(?:(?:take[sn]?|took|taking|come[s]?|came|coming)\s+into\s+(?:effect|force)"
    r"|(?:take[sn]?|took|taking)\s+effect|enter(?:s|ed)?\s+into\s+force|(?:become[s]?|became)\s+effective"
    r"|effective|in\s+(?:effect|force))"
    r"\s*,?\s*(?:(?:on|from|as\s+of|starting(?:\s+(?:from|on))?|beginning(?:\s+on)?)\s+)?)" + _EN_DATE
)
# How far from a regulation's name a statement may stand and still be about it.
_NEAR_AFTER = 200
_NEAR_BEFORE = 40
_SENTENCE_END = re.compile(r"[。！？；!?;]|\.(?=\s)")
_BACK_REFERENCE = re.compile(r"\s*(?:[《“\"]|本|该|此|上述|(?i:the|these|this|it|they|which)\b)")


@dataclass(frozen=True)
class EffectiveStatement:
    date: date
    start: int
    end: int
    text: str


def effective_statements(value: str) -> list[EffectiveStatement]:
    """Every 自2025年9月1日起施行 / "take effect on September 1, 2025" in a text, in order."""
    found = []
    for match in _ZH_EFFECTIVE.finditer(value):
        day = _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day:
            found.append(EffectiveStatement(day, match.start(), match.end(), match.group().strip()))
    for match in _EN_EFFECTIVE.finditer(value):
        groups = match.groupdict()
        if groups["iso"]:
            year, month, day_number = (int(x) for x in groups["iso"].split("-"))
            day = _date(year, month, day_number)
        else:
            month_name = (groups["m1"] or groups["m2"] or "").lower()
            number = _MONTHS.get(month_name)
            day = (
                _date(int(groups["y1"] or groups["y2"]), number, int(groups["d1"] or groups["d2"]))
                if number
                else None
            )
        if day:
            found.append(EffectiveStatement(day, match.start(), match.end(), match.group().strip()))
    found.sort(key=lambda s: s.start)
    return found


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def effective_date_in(
    value: str, names: Sequence[str], *, about_it: bool = False
) -> EffectiveStatement | None:
    """The effective date the text states for the regulation of these names.

    `about_it`: the whole text is about the regulation (its own page, or a mention's snippet), so the
    first statement counts. Otherwise a statement counts when it stands close to one of the names: in
    the same sentence (自2025年9月1日起施行的《标识办法》), or in the next one when that refers back
    ("... issued the Measures. The Measures take effect on ...").
    """
    statements = effective_statements(value)
    if not statements:
        return None
    if about_it:
        return statements[0]
    lowered = value.lower()
    occurrences: list[tuple[int, int]] = []
    for name in names:
        needle = name.strip().lower()
        if len(needle) < 2:
            continue
        start = lowered.find(needle)
        while start != -1:
            occurrences.append((start, start + len(needle)))
            start = lowered.find(needle, start + 1)
    for statement in statements:
        for start, end in occurrences:
            if end <= statement.start and statement.start - end <= _NEAR_AFTER:
                between = value[end : statement.start]
                if "\n" in between:
                    continue
                ends = list(_SENTENCE_END.finditer(between))
                # The same sentence, or the next one when it refers back: "... the Measures. The
                # Measures take effect on ...", "《办法》印发。该办法自...起施行".
                if not ends or (len(ends) == 1 and _BACK_REFERENCE.match(between[ends[0].end() :])):
                    return statement
            elif start >= statement.end and start - statement.end <= _NEAR_BEFORE:
                between = value[statement.end : start]
                if "\n" not in between and not _SENTENCE_END.search(between):
                    return statement
    return None


# -- the list of regulations ---------------------------------------------------------------------


@dataclass
class _Summary:
    key: str
    canonical_id: str | None
    known: KnownRegulation | None
    titles: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    issuers: Counter[str] = field(default_factory=Counter)
    doc_numbers: Counter[str] = field(default_factory=Counter)
    documents: set[int] = field(default_factory=set)
    mentions: int = 0
    first: date | None = None
    last: date | None = None
    draft_first: date | None = None
    final_first: date | None = None
    latest: tuple[date, int, str] | None = None  # (date, final-ness, status) of the latest status seen

    def add(self, row: Any, first: date, last: date) -> None:
        """Add one (title, status, category, issuer, doc_number, document) group of mentions."""
        count = row.count
        for counter, value in (
            (self.titles, row.title),
            (self.categories, row.category),
            (self.issuers, row.issuer),
            (self.doc_numbers, row.doc_number),
        ):
            if value:
                counter[value] += count
        self.documents.add(row.document_id)
        self.mentions += count
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        status = row.status
        if status == "draft":
            self.draft_first = first if self.draft_first is None else min(self.draft_first, first)
        elif status == "final":
            self.final_first = first if self.final_first is None else min(self.final_first, first)
        if status:
            candidate = (last, 1 if status == "final" else 0, status)
            if self.latest is None or candidate > self.latest:
                self.latest = candidate

    @property
    def category(self) -> str | None:
        if self.known is not None and self.known.category:
            return self.known.category
        return _most_common(self.categories)

    @property
    def status(self) -> str | None:
        return self.latest[2] if self.latest else None

    def to_dict(self) -> dict[str, Any]:
        zh, en = _names(self.known, self.titles)
        return {
            "id": self.key,
            "canonical_id": self.canonical_id,
            "title": zh or en,
            "title_en": en,
            "names": sorted(self.titles, key=lambda t: (-self.titles[t], t)),
            "issuer": (self.known.issuer if self.known and self.known.issuer else _most_common(self.issuers)),
            "doc_number": (
                self.known.doc_number
                if self.known and self.known.doc_number
                else _most_common(self.doc_numbers)
            ),
            "category": self.category,
            "status": self.status,
            "draft_first_seen": _iso(self.draft_first),
            "final_first_seen": _iso(self.final_first),
            "first_seen": _iso(self.first),
            "last_seen": _iso(self.last),
            "mentions": self.mentions,
            "pages": len(self.documents),
        }


def _most_common(counter: Counter[str]) -> str | None:
    if not counter:
        return None
    return sorted(counter, key=lambda n: (-counter[n], n))[0]


def _names(known: KnownRegulation | None, titles: Counter[str]) -> tuple[str | None, str | None]:
    """The Chinese and the English title: the catalogue's, else the ones seen most often."""
    ordered = sorted(titles, key=lambda t: (-titles[t], t))
    zh = known.zh if known else next((t for t in ordered if _HAN.search(t)), None)
    en = known.en if known and known.en else next((t for t in ordered if not _HAN.search(t)), None)
    return zh, en


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def list_regulations(
    session: Session,
    catalog: RegulationCatalog = EMPTY_CATALOG,
    *,
    categories: Sequence[str] = (),
    statuses: Sequence[str] = (),
    sources: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Every regulation the archive's pages cite (in any version), one row each, oldest first seen
    first: its names, latest status, when the draft and the final text were first seen, and how many
    pages cite it. Filters: the regulation's category and latest status, the citing pages' sources
    and dates."""
    check_range(since, until)
    day = page_date()
    previous = aliased(Version)
    seen = seen_date(Version, previous)
    statement = (
        select(
            Mention.canonical_id,
            Mention.title,
            Mention.status,
            Mention.category,
            Mention.issuer,
            Mention.doc_number,
            Document.id.label("document_id"),
            func.min(seen).label("first"),
            func.max(seen).label("last"),
            func.count().label("count"),
        )
        .join(Version, Version.id == Mention.version_id)
        .outerjoin(previous, previous_version_of(Version, previous))
        .join(Document, Document.id == Version.document_id)
        .join(Source, Source.id == Document.source_id)
        .group_by(
            Mention.canonical_id,
            Mention.title,
            Mention.status,
            Mention.category,
            Mention.issuer,
            Mention.doc_number,
            Document.id,
        )
    )
    condition = all_of([Mention.kind == "regulation", source_clause(sources), *date_range(day, since, until)])
    statement = statement.where(condition) if condition is not None else statement
    rows = session.execute(statement).all()
    identity = _Identity(catalog, ((row.canonical_id, row.title) for row in rows))
    summaries: dict[str, _Summary] = {}
    for row in rows:
        key = identity.key(row.canonical_id, row.title, row.doc_number)
        if not key:
            continue
        summary = summaries.get(key)
        if summary is None:
            known = catalog.by_id(key)
            is_id = row.canonical_id is not None or known is not None or key in identity.ids
            summary = summaries[key] = _Summary(key, key if is_id else None, known)
        summary.add(row, _day(row.first), _day(row.last))
    wanted_categories, wanted_statuses = set(categories), set(statuses)
    result = [
        s.to_dict()
        for s in summaries.values()
        if (not wanted_categories or s.category in wanted_categories)
        and (not wanted_statuses or s.status in wanted_statuses)
    ]
    result.sort(key=lambda r: (r["first_seen"] or "", r["id"]))
    return result


def _day(value: date | str) -> date:
    # A min() or max() over the page date comes back as text from SQLite's aggregate.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- one regulation's timeline -------------------------------------------------------------------


@dataclass
class CitingPage:
    document_id: int
    url: str
    title: str | None
    source: str
    date: date
    first_cited: datetime
    statuses: list[str] = field(default_factory=list)
    status: str | None = None
    current: bool = False
    snippet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "url": self.url,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat(),
            "first_cited": self.first_cited.isoformat(),
            "status": self.status,
            "statuses": self.statuses,
            "current": self.current,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class StatusSeen:
    """When a status was first seen: the page's date, when it was fetched, and which page."""

    status: str
    date: date
    fetched_at: datetime
    document_id: int
    url: str
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "fetched_at": self.fetched_at.isoformat(),
            "document_id": self.document_id,
            "url": self.url,
            "title": self.title,
        }


@dataclass(frozen=True)
class Effective:
    date: date
    document_id: int
    url: str
    statement: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "document_id": self.document_id,
            "url": self.url,
            "statement": self.statement,
        }


@dataclass
class RegulationTimeline:
    group: RegulationGroup
    titles: Counter[str]
    issuer: str | None
    doc_number: str | None
    category: str | None
    status: str | None
    draft: StatusSeen | None
    final: StatusSeen | None
    effective: Effective | None
    pages: list[CitingPage]
    mentions: int

    def events(self) -> list[dict[str, Any]]:
        """The status timeline in date order: draft first seen, final first seen, effective."""
        events = []
        for label, seen in (("draft first seen", self.draft), ("final first seen", self.final)):
            if seen is not None:
                events.append({"event": label, **seen.to_dict()})
        if self.effective is not None:
            events.append({"event": "effective", **self.effective.to_dict()})
        order = {"draft first seen": 0, "final first seen": 1, "effective": 2}
        events.sort(key=lambda e: (e["date"], order[e["event"]]))
        return events

    def to_dict(self, page_limit: int | None = None) -> dict[str, Any]:
        zh, en = _names(self.group.known, self.titles)
        names = list(dict.fromkeys([*self.group.names, *sorted(self.titles)]))
        return {
            "id": self.group.key,
            "canonical_id": self.group.canonical_id,
            "title": zh or en,
            "title_en": en,
            "names": names,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "category": self.category,
            "status": self.status,
            "draft_first_seen": self.draft.to_dict() if self.draft else None,
            "final_first_seen": self.final.to_dict() if self.final else None,
            "effective": self.effective.to_dict() if self.effective else None,
            "timeline": self.events(),
            "mentions": self.mentions,
            "page_count": len(self.pages),
            "pages": [p.to_dict() for p in self.pages[:page_limit]],
        }


def regulation_timeline(
    session: Session, reference: str | RegulationGroup, catalog: RegulationCatalog = EMPTY_CATALOG
) -> RegulationTimeline:
    """A regulation (by canonical id or any name) with its status timeline and the pages citing it,
    oldest first (every version counts: a page that cited the draft and now cites the final text
    shows both statuses)."""
    group = (
        reference
        if isinstance(reference, RegulationGroup)
        else resolve_regulation(session, reference, catalog)
    )
    day = page_date()
    previous = aliased(Version)
    rows = session.execute(
        select(
            Mention.title,
            Mention.status,
            Mention.snippet,
            Mention.issuer,
            Mention.doc_number,
            Mention.category,
            Version.fetched_at,
            day.label("day"),
            seen_date(Version, previous).label("seen"),
            Version.title.label("page_title"),
            Document.id.label("document_id"),
            Document.url,
            (Document.current_version_id == Version.id).label("current"),
            Source.name.label("source"),
        )
        .join(Version, Version.id == Mention.version_id)
        .outerjoin(previous, previous_version_of(Version, previous))
        .join(Document, Document.id == Version.document_id)
        .join(Source, Source.id == Document.source_id)
        .where(group.clause())
        .order_by(day, Version.fetched_at, Version.id, Mention.position)
        .execution_options(yield_per=1000)
    )
    titles: Counter[str] = Counter()
    issuers: Counter[str] = Counter()
    doc_numbers: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    pages: dict[int, CitingPage] = {}
    first_seen: dict[str, StatusSeen] = {}
    latest: tuple[date, datetime, int, str] | None = None
    snippet_effective: list[tuple[int, date, Effective]] = []  # (0 if final, page date, statement)
    names = group.names or tuple(group.titles)
    mentions = 0
    for row in rows:
        page_day, seen = _day(row.day), _day(row.seen)
        mentions += 1
        title, issuer, doc_number = row.title, row.issuer, row.doc_number
        category, snippet = row.category, row.snippet
        if title:
            titles[title] += 1
        if issuer:
            issuers[issuer] += 1
        if doc_number:
            doc_numbers[doc_number] += 1
        if category:
            categories[category] += 1
        page = pages.get(row.document_id)
        if page is None:
            page = CitingPage(row.document_id, row.url, row.page_title, row.source, page_day, row.fetched_at)
            pages[row.document_id] = page
        page.title = row.page_title or page.title
        page.current = page.current or bool(row.current)
        page.snippet = snippet or page.snippet
        status = row.status
        if status:
            page.status = status
            if status not in page.statuses:
                page.statuses.append(status)
            earlier = first_seen.get(status)
            if earlier is None or (seen, row.fetched_at) < (earlier.date, earlier.fetched_at):
                first_seen[status] = StatusSeen(
                    status, seen, row.fetched_at, row.document_id, row.url, row.page_title
                )
            candidate = (seen, row.fetched_at, 1 if status == "final" else 0, status)
            if latest is None or candidate > latest:
                latest = candidate
        if snippet and _EFFECT_HINT.search(snippet):
            statement = effective_date_in(snippet, names, about_it=True)
            if statement is not None:
                effective = Effective(statement.date, row.document_id, row.url, statement.text)
                snippet_effective.append((0 if status == "final" else 1, seen, effective))
    if mentions == 0:
        raise NotFound(f"no page in the archive cites {group.key!r}")
    known = group.known
    return RegulationTimeline(
        group=group,
        titles=titles,
        issuer=known.issuer if known and known.issuer else _most_common(issuers),
        doc_number=known.doc_number if known and known.doc_number else _most_common(doc_numbers),
        category=known.category if known and known.category else _most_common(categories),
        status=latest[3] if latest else None,
        draft=first_seen.get("draft"),
        final=first_seen.get("final"),
        effective=_effective(session, group, names, snippet_effective),
        pages=sorted(pages.values(), key=lambda p: (p.date, p.first_cited, p.document_id)),
        mentions=mentions,
    )


_EFFECT_WORDS = ("施行", "实施", "生效")
_EFFECT_HINT = re.compile("施行|实施|生效|effect|force", re.IGNORECASE)  # cheap test before the real one
_EFFECT_WORDS_EN = ("effect", "in force", "effective")


def _effective(
    session: Session,
    group: RegulationGroup,
    names: Sequence[str],
    from_snippets: list[tuple[int, date, Effective]],
) -> Effective | None:
    """The effective date a page states: from final-status pages first, earliest page first; a
    mention's snippet before the rest of its page."""
    best = min(from_snippets, key=lambda item: (item[0], item[1]), default=None)
    if best is not None and best[0] == 0:
        return best[2]
    previous = aliased(Version)
    day = seen_date(Version, previous)
    final_first = case((Mention.status == "final", 0), else_=1)
    lowered = func.lower(Version.text)
    texts = session.execute(
        select(final_first, day, Version.id, Version.text, Version.title, Document.id, Document.url)
        .join(Version, Version.id == Mention.version_id)
        .outerjoin(previous, previous_version_of(Version, previous))
        .join(Document, Document.id == Version.document_id)
        .where(
            group.clause(),
            or_(
                *(Version.text.like(f"%{word}%") for word in _EFFECT_WORDS),
                *(lowered.like(f"%{word}%") for word in _EFFECT_WORDS_EN),
            ),
        )
        .order_by(final_first, day, Version.id)
        .execution_options(yield_per=50)
    )
    keys = {regulation_key(name) for name in names if name}
    seen: set[int] = set()
    with texts:  # closed when left early (a server-side cursor on PostgreSQL)
        for not_final, page_day, version_id, body, page_title, document_id, url in texts:
            if version_id in seen:
                continue
            seen.add(version_id)
            own_page = bool(page_title) and any(key and key in fold(page_title) for key in keys)
            statement = effective_date_in(body, names, about_it=own_page)
            if statement is None:
                continue
            found = (not_final, _day(page_day), Effective(statement.date, document_id, url, statement.text))
            if best is None or (found[0], found[1]) < (best[0], best[1]):
                best = found
            break
    return best[2] if best else None


__all__ = [
    "DRAFT_SUFFIX",
    "EMPTY_CATALOG",
    "CitingPage",
    "Effective",
    "EffectiveStatement",
    "KnownRegulation",
    "RegulationCatalog",
    "RegulationGroup",
    "RegulationTimeline",
    "StatusSeen",
    "effective_date_in",
    "effective_statements",
    "list_regulations",
    "regulation_key",
    "regulation_timeline",
    "resolve_regulation",
]
