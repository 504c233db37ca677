"""Recording fetches: the one place that decides whether a page is new, changed, unchanged or gone.

`record_page` takes a fetched page's main text and metadata, normalises the text, and in the caller's
transaction either touches `last_seen` (same normalised text), or stores a new version with its
mentions, the change row (diff and mention delta) and the search index entry. `mark_gone` flags a
vanished page; nothing is ever deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from storage.diffing import diff_texts
from storage.fulltext import IndexTerms, index_document, index_superseded_version
from storage.mentions import MENTION_FIELDS, MentionRecord, mention_delta, unique_by_key
from storage.models import Change, ChangeKind, Document, DocumentState, Mention, Source, Version
from storage.normalize import DEFAULT_NORMALIZER, NormalizedText, TextNormalizer

log = logging.getLogger(__name__)

# The mapped tables, for the plain INSERTs of _record_new.
_DOCUMENTS = cast(Table, Document.__table__)
_VERSIONS = cast(Table, Version.__table__)
_MENTIONS = cast(Table, Mention.__table__)
_CHANGES = cast(Table, Change.__table__)

# The statements a new page runs, built once: building a statement and its cache key costs about three
# times what executing it costs on SQLite, and a first crawl runs these for every page.
_DOCUMENT_BY_URL = select(Document).where(Document.url == bindparam("url"))
_SOURCE_ID_BY_NAME = select(Source.id).where(Source.name == bindparam("name"))
_INSERT_DOCUMENT = _DOCUMENTS.insert().returning(_DOCUMENTS.c.id)
_INSERT_VERSION = _VERSIONS.insert().returning(_VERSIONS.c.id)
_INSERT_CHANGE = _CHANGES.insert().returning(_CHANGES.c.id)
_INSERT_MENTIONS = _MENTIONS.insert()
_SET_CURRENT_VERSION = (
    _DOCUMENTS.update()
    .where(_DOCUMENTS.c.id == bindparam("document_id"))
    .values(current_version_id=bindparam("version_id"))
)


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page as the crawler hands it over: main text (boilerplate already removed) and
    what the extractor found in it."""

    url: str
    source: str
    text: str
    fetched_at: datetime
    title: str | None = None
    published: date | None = None
    language: str | None = None
    relevant: bool = True
    categories: Sequence[str] = ()
    mentions: Sequence[MentionRecord] = ()
    http_status: int | None = 200
    raw_sha256: str | None = None
    archive_path: str | None = None
    archive_offset: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    crawl_run_id: int | None = None
    source_kind: str = "html"


@dataclass(frozen=True)
class RecordOutcome:
    status: str  # "new" | "changed" | "unchanged"
    document_id: int
    version_id: int
    change_id: int | None = None
    mentions_added: list[MentionRecord] = field(default_factory=list)
    mentions_removed: list[MentionRecord] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedText:
    """What recording a page computes from its text alone: the normalised text and comparison key,
    and, for a page that will be stored, its search index terms. A caller that records pages from
    several processes into one SQLite file prepares them before the write transaction: SQLite has one
    write lock, and every millisecond spent computing under it is a millisecond the other writer
    waits."""

    normalized: NormalizedText
    index: IndexTerms | None  # None: computed in the transaction, if the page turns out to be stored

    @classmethod
    def of(cls, page: FetchedPage, normalized: NormalizedText, *, will_store: bool = True) -> PreparedText:
        """`will_store` False: the caller knows the text is unchanged, so no index terms are needed."""
        index = IndexTerms.of(page.title, normalized.folded, body_folded=True) if will_store else None
        return cls(normalized, index)


def get_or_create_source(session: Session, name: str, kind: str = "html") -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind=kind, settings={})
        session.add(source)
        session.flush()
    return source


def find_document_by_url(session: Session, url: str) -> Document | None:
    return session.scalar(_DOCUMENT_BY_URL, {"url": url})


def version_mentions(session: Session, version_id: int) -> list[MentionRecord]:
    rows = session.scalars(select(Mention).where(Mention.version_id == version_id).order_by(Mention.position))
    return [mention_record(row) for row in rows]


def mention_record(row: Mention) -> MentionRecord:
    return MentionRecord(**{name: getattr(row, name) for name in MENTION_FIELDS})


def record_page(
    session: Session,
    page: FetchedPage,
    normalizer: TextNormalizer = DEFAULT_NORMALIZER,
    *,
    prepared: PreparedText | None = None,
) -> RecordOutcome:
    """Record one fetched page in the caller's transaction; see the module docstring. `prepared` is
    prepare_text(page, normalizer) when the caller computed it before the transaction."""
    if page.fetched_at.tzinfo is None:
        raise ValueError("FetchedPage.fetched_at must carry a time zone")
    if prepared is None:
        prepared = PreparedText(normalizer.normalize(page.text), None)
    normalized = prepared.normalized
    document = find_document_by_url(session, page.url)

    if document is not None and document.current_text_sha256 == normalized.sha256:
        _touch(document, page)
        assert document.current_version_id is not None
        return RecordOutcome("unchanged", document.id, document.current_version_id)

    mentions = unique_by_key(page.mentions)
    index = prepared.index
    if index is None:
        index = IndexTerms.of(page.title, normalized.folded, body_folded=True)
    if document is None:
        return _record_new(session, page, normalized, index, mentions)

    return _record_changed(session, document, page, normalized, index, mentions)


def _record_changed(
    session: Session,
    document: Document,
    page: FetchedPage,
    normalized: NormalizedText,
    index: IndexTerms,
    mentions: Sequence[MentionRecord],
) -> RecordOutcome:
    """A known document whose text changed: a new version, the diff and the mention delta."""
    text, text_sha256 = normalized.text, normalized.sha256
    old_version = session.get(Version, document.current_version_id)
    assert old_version is not None
    old_mentions = version_mentions(session, old_version.id)
    version = _add_version(session, document, old_version.seq + 1, page, text, text_sha256, mentions)
    delta = mention_delta(old_mentions, mentions)
    change = Change(
        document_id=document.id,
        kind=ChangeKind.CHANGED.value,
        detected_at=page.fetched_at,
        crawl_run_id=page.crawl_run_id,
        old_version_id=old_version.id,
        new_version_id=version.id,
        diff=diff_texts(old_version.text, text).render(),
        mentions_added=[m.to_dict() for m in delta.added],
        mentions_removed=[m.to_dict() for m in delta.removed],
        status_changes=delta.status_changes,
    )
    index_superseded_version(session, old_version.id, old_version.title, old_version.text)
    document.last_changed = page.fetched_at
    document.current_version_id = version.id
    document.current_text_sha256 = text_sha256
    _touch(document, page)
    session.add(change)
    index_document(
        session,
        document.id,
        page.title,
        normalized.folded,
        previous=(old_version.title, old_version.text),
        entry=index,
    )
    session.flush()
    return RecordOutcome(
        "changed", document.id, version.id, change.id, list(delta.added), list(delta.removed)
    )


def _record_new(
    session: Session,
    page: FetchedPage,
    normalized: NormalizedText,
    index: IndexTerms,
    mentions: Sequence[MentionRecord],
) -> RecordOutcome:
    """A page the archive has never seen: its document, first version, mentions, change and index
    entry, written as plain INSERTs. Most pages of a first crawl take this path, and the ORM's unit of
    work for these five rows cost as much as the rest of recording together."""
    text, text_sha256 = normalized.text, normalized.sha256
    source_id = _source_id(session, page.source, page.source_kind)
    document_id = session.execute(
        _INSERT_DOCUMENT,
        {
            "url": page.url,
            "source_id": source_id,
            "state": DocumentState.LIVE.value,
            "first_seen": page.fetched_at,
            "last_seen": page.fetched_at,
            "last_changed": page.fetched_at,
            "missing_runs": 0,
            "current_text_sha256": text_sha256,
            "http_etag": page.etag,
            "http_last_modified": page.last_modified,
        },
    ).scalar_one()
    version_id = session.execute(
        _INSERT_VERSION,
        {"document_id": document_id, "seq": 1, **_version_values(page, text, text_sha256)},
    ).scalar_one()
    add_mentions(session, version_id, mentions)
    change_id = session.execute(
        _INSERT_CHANGE,
        {
            "document_id": document_id,
            "kind": ChangeKind.NEW.value,
            "detected_at": page.fetched_at,
            "crawl_run_id": page.crawl_run_id,
            "new_version_id": version_id,
            "diff": "",
            "mentions_added": [m.to_dict() for m in mentions],
            "mentions_removed": [],
            "status_changes": [],
        },
    ).scalar_one()
    session.execute(_SET_CURRENT_VERSION, {"document_id": document_id, "version_id": version_id})
    index_document(session, document_id, page.title, normalized.folded, entry=index)
    return RecordOutcome("new", document_id, version_id, change_id, list(mentions), [])


def _source_id(session: Session, name: str, kind: str) -> int:
    source_id = session.execute(_SOURCE_ID_BY_NAME, {"name": name}).scalar()
    if source_id is None:
        source_id = get_or_create_source(session, name, kind).id
    return source_id


def _version_values(page: FetchedPage, text: str, text_sha256: str) -> dict[str, object]:
    categories = " ".join(dict.fromkeys(page.categories))
    return {
        "crawl_run_id": page.crawl_run_id,
        "fetched_at": page.fetched_at,
        "http_status": page.http_status,
        "raw_sha256": page.raw_sha256,
        "archive_path": page.archive_path,
        "archive_offset": page.archive_offset,
        "text": text,
        "text_sha256": text_sha256,
        "title": page.title,
        "published": page.published,
        "language": page.language,
        "relevant": page.relevant,
        # Space-delimited, so that a category is found with LIKE '% slug %'.
        "categories": f" {categories} " if categories else " ",
    }


def _mention_rows(version_id: int, mentions: Sequence[MentionRecord]) -> list[dict[str, object]]:
    return [
        {
            "version_id": version_id,
            "key": m.key,
            "position": position,
            **{name: getattr(m, name) for name in MENTION_FIELDS},
        }
        for position, m in enumerate(mentions)
    ]


def _touch(document: Document, page: FetchedPage) -> None:
    document.last_seen = max(document.last_seen, page.fetched_at)
    document.missing_runs = 0
    if page.etag is not None or page.last_modified is not None:
        document.http_etag = page.etag
        document.http_last_modified = page.last_modified
    if document.state != DocumentState.LIVE.value:
        # A page that was gone answers again: it is live, and its versions carry on where they were.
        log.info("document %s is back after being gone since %s", document.url, document.gone_since)
        document.state = DocumentState.LIVE.value
        document.gone_since = None


def _add_version(
    session: Session,
    document: Document,
    seq: int,
    page: FetchedPage,
    text: str,
    text_sha256: str,
    mentions: Sequence[MentionRecord],
) -> Version:
    version = Version(document_id=document.id, seq=seq, **_version_values(page, text, text_sha256))
    session.add(version)
    session.flush()
    add_mentions(session, version.id, mentions)
    return version


def add_mentions(session: Session, version_id: int, mentions: Sequence[MentionRecord]) -> None:
    """Store a version's mentions, in page order."""
    if mentions:
        session.execute(_INSERT_MENTIONS, _mention_rows(version_id, mentions))


def record_not_modified(session: Session, url: str, fetched_at: datetime) -> RecordOutcome | None:
    """A conditional request answered 304: the document is unchanged, only last_seen moves.

    Returns None when the URL is not in the archive (the crawler then fetches it in full).
    """
    document = find_document_by_url(session, url)
    if document is None or document.current_version_id is None:
        return None
    document.last_seen = max(document.last_seen, fetched_at)
    document.missing_runs = 0
    if document.state != DocumentState.LIVE.value:
        document.state = DocumentState.LIVE.value
        document.gone_since = None
    return RecordOutcome("unchanged", document.id, document.current_version_id)


def mark_gone(
    session: Session,
    url: str,
    detected_at: datetime,
    *,
    crawl_run_id: int | None = None,
    reason: str = "",
) -> int | None:
    """Flag a document removed (404/410 on recrawl, or gone from its list). Returns the change id,
    or None when the URL is unknown or already gone. Its versions stay in the archive. `reason`
    ("HTTP 404") is kept in the change's diff column, which a removal has no other use for."""
    document = find_document_by_url(session, url)
    if document is None or document.state == DocumentState.GONE.value:
        return None
    document.state = DocumentState.GONE.value
    document.gone_since = detected_at
    change = Change(
        document_id=document.id,
        kind=ChangeKind.REMOVED.value,
        detected_at=detected_at,
        crawl_run_id=crawl_run_id,
        old_version_id=document.current_version_id,
        new_version_id=None,
        diff=reason,
        mentions_added=[],
        mentions_removed=[],
        status_changes=[],
    )
    session.add(change)
    session.flush()
    return change.id


def note_missing_from_list(
    session: Session,
    url: str,
    detected_at: datetime,
    *,
    gone_after_runs: int,
    crawl_run_id: int | None = None,
) -> int | None:
    """A known document its source's list no longer shows: after `gone_after_runs` such runs in a
    row it is flagged removed. Returns the change id when it was."""
    document = find_document_by_url(session, url)
    if document is None or document.state == DocumentState.GONE.value:
        return None
    document.missing_runs += 1
    if document.missing_runs < gone_after_runs:
        return None
    return mark_gone(
        session,
        url,
        detected_at,
        crawl_run_id=crawl_run_id,
        reason=f"missing from the list for {document.missing_runs} runs",
    )
