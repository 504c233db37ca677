"""SQLAlchemy models of the archive: sources, crawl runs, documents and their versions, mentions,
changes, and digest deliveries.

A document is one page identity (canonical URL); a version is one distinct normalised content of it.
Nothing here is ever deleted by a crawl: a vanished page becomes a document in state "gone" that keeps
every version.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.mentions import MENTION_FIELDS


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no time zones and hands back naive datetimes; storing naive UTC and re-attaching UTC on
    the way out keeps comparisons and ISO output identical on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: archive times must carry a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentState(enum.StrEnum):
    LIVE = "live"
    GONE = "gone"


class ChangeKind(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    REMOVED = "removed"


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"  # some fetches failed
    FAILED = "failed"  # the run could not do its work (every fetch failed, list page down, ...)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A configured site or feed, as configured when it was last crawled."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="html")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    documents: Mapped[list[Document]] = relationship(back_populates="source")


class CrawlRun(Base):
    """One crawl of one source, with its counts and errors."""

    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.RUNNING.value)
    fetched: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[Any]] = mapped_column(default=list)

    source: Mapped[Source] = relationship()


class Document(Base):
    """One page identity: its canonical URL and where it stands now."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=DocumentState.LIVE.value)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_changed: Mapped[datetime]
    gone_since: Mapped[datetime | None]
    # Runs in a row whose list no longer showed this document (for "gone after N runs").
    missing_runs: Mapped[int] = mapped_column(default=0)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", use_alter=True, name="fk_document_current_version")
    )
    # Copied from the current version so that an unchanged fetch is decided from this row alone.
    current_text_sha256: Mapped[str | None] = mapped_column(String(64))
    # Validators for conditional requests (If-None-Match / If-Modified-Since) on the next crawl.
    http_etag: Mapped[str | None] = mapped_column(String(400))
    http_last_modified: Mapped[str | None] = mapped_column(String(100))

    source: Mapped[Source] = relationship(back_populates="documents")
    current_version: Mapped[Version | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[Version]] = relationship(
        back_populates="document", foreign_keys="Version.document_id", order_by="Version.seq"
    )

    __table_args__ = (Index("ix_document_last_changed", "last_changed"),)


class Version(Base):
    """One distinct content of a document, as first fetched."""

    __tablename__ = "version"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    seq: Mapped[int]  # 1, 2, 3 ... within its document
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    fetched_at: Mapped[datetime]
    http_status: Mapped[int | None]
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    # Where the raw response is archived: a WARC file under archive_dir and the record's byte offset.
    archive_path: Mapped[str | None] = mapped_column(String(1024))
    archive_offset: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(10))
    relevant: Mapped[bool] = mapped_column(Boolean, default=True)
    # Category slugs, space-separated with a leading and trailing space, so that one portable
    # LIKE '% slug %' filters them on every backend.
    categories: Mapped[str] = mapped_column(String(400), default=" ")

    document: Mapped[Document] = relationship(back_populates="versions", foreign_keys=[document_id])
    mentions: Mapped[list[Mention]] = relationship(back_populates="version", order_by="Mention.position")

    __table_args__ = (UniqueConstraint("document_id", "seq", name="uq_version_document_seq"),)

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()


class Mention(Base):
    """A proposal or regulation mention found in one version.

    `key` is stable across versions (see storage.mentions.stable_key), so the same mention in the next
    version is recognised as the same one and only real additions, removals and status moves are flagged.
    """

    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))  # proposal | regulation
    # Regulation fields
    title: Mapped[str | None] = mapped_column(Text)
    canonical_id: Mapped[str | None] = mapped_column(String(200), index=True)
    doc_number: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(10))  # draft | final | None
    # Proposal fields
    actor: Mapped[str | None] = mapped_column(String(200), index=True)
    organization: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    # Both
    category: Mapped[str | None] = mapped_column(String(40))
    snippet: Mapped[str | None] = mapped_column(Text)

    version: Mapped[Version] = relationship(back_populates="mentions")

    @classmethod
    def detail_columns(cls) -> tuple[Any, ...]:
        """The columns holding what was mentioned (storage.mentions.MENTION_FIELDS), for queries."""
        return tuple(getattr(cls, name) for name in MENTION_FIELDS)


class Change(Base):
    """What was flagged: a new document, changed content (with its diff and mention delta), or a
    document gone. It links the version before and the version after."""

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    detected_at: Mapped[datetime] = mapped_column(index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    old_version_id: Mapped[int | None] = mapped_column(ForeignKey("version.id"))
    new_version_id: Mapped[int | None] = mapped_column(ForeignKey("version.id"))
    # A changed document's diff; a removed one's reason ("HTTP 404"), since it has no diff.
    diff: Mapped[str] = mapped_column(Text, default="")
    mentions_added: Mapped[list[Any]] = mapped_column(default=list)
    mentions_removed: Mapped[list[Any]] = mapped_column(default=list)
    status_changes: Mapped[list[Any]] = mapped_column(default=list)

    document: Mapped[Document] = relationship()
    old_version: Mapped[Version | None] = relationship(foreign_keys=[old_version_id])
    new_version: Mapped[Version | None] = relationship(foreign_keys=[new_version_id])


class Reextraction(Base):
    """The current extractor run again over an archived version (`aiplus reextract`): what it now
    finds differently. Not a change of the page: the version's text stays as fetched."""

    __tablename__ = "reextraction"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    reextracted_at: Mapped[datetime] = mapped_column(default=utcnow)
    mentions_added: Mapped[list[Any]] = mapped_column(default=list)
    mentions_removed: Mapped[list[Any]] = mapped_column(default=list)
    status_changes: Mapped[list[Any]] = mapped_column(default=list)
    fields_changed: Mapped[dict[str, Any]] = mapped_column(default=dict)  # name -> [before, after]


class DigestDelivery(Base):
    """A change delivered by one digest over one channel: nothing is lost, nothing is sent twice."""

    __tablename__ = "digest_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(400))
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id"), index=True)
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("digest", "channel", "change_id", name="uq_digest_delivery"),)


__all__ = [
    "Base",
    "Change",
    "ChangeKind",
    "CrawlRun",
    "DigestDelivery",
    "Document",
    "DocumentState",
    "Mention",
    "Reextraction",
    "RunStatus",
    "Source",
    "UTCDateTime",
    "Version",
    "utcnow",
]
