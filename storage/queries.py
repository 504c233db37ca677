"""Archive queries the commands use: changes since a time, a document's history, diffs between versions.

Every function takes a Session; results are plain dictionaries shaped like the public JSON of
DESIGN.md, so the CLI prints them as they are and scripts can rely on their keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from storage.diffing import TextDiff, diff_texts
from storage.models import Change, ChangeKind, Document, Mention, Source, Version
from storage.recording import mention_record


class NotFound(LookupError):
    """No document, version or change answers to the reference given."""


def find_document(session: Session, ref: str | int) -> Document:
    """A document by id (digits) or URL."""
    ref_text = str(ref).strip()
    if ref_text.isdigit():
        document = session.get(Document, int(ref_text))
    else:
        document = session.scalar(select(Document).where(Document.url == ref_text))
        if document is None and not ref_text.endswith("/"):
            document = session.scalar(select(Document).where(Document.url == ref_text + "/"))
    if document is None:
        raise NotFound(f"no document {ref_text!r} in the archive (give its id or URL)")
    return document


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def changes_since(
    session: Session,
    since: datetime | None = None,
    *,
    kinds: Sequence[str] = (),
    sources: Sequence[str] = (),
    categories: Sequence[str] = (),
    until: datetime | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Changes detected at or after `since`, oldest first, as public JSON objects.

    A category filter keeps changes whose page (the version after, or before for removals) is in
    one of the categories, or that added or removed a mention in one of them.
    """
    for kind in kinds:
        if kind not in {k.value for k in ChangeKind}:
            raise ValueError(f"unknown change kind {kind!r} (new, changed or removed)")
    page_version = aliased(Version)
    query = (
        select(Change, Document, Source, page_version)
        .join(Document, Change.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .join(page_version, page_version.id == Change.new_version_id, isouter=True)
        .order_by(Change.detected_at, Change.id)
    )
    # Removed documents have no version after: describe them by the version before.
    query = query.where(or_(Change.new_version_id.is_not(None), Change.old_version_id.is_not(None)))
    if since is not None:
        query = query.where(Change.detected_at >= since)
    if until is not None:
        query = query.where(Change.detected_at < until)
    if kinds:
        query = query.where(Change.kind.in_(list(kinds)))
    if sources:
        query = query.where(Source.name.in_(list(sources)))
    results = []
    for change, document, source, version in session.execute(query):
        if version is None and change.old_version_id is not None:
            version = session.get(Version, change.old_version_id)
        if categories and not _in_categories(change, version, categories):
            continue
        results.append(change_to_dict(change, document, source, version))
        if limit is not None and len(results) >= limit:
            break
    return results


def _in_categories(change: Change, version: Version | None, categories: Sequence[str]) -> bool:
    wanted = set(categories)
    if version is not None and wanted & set(version.category_list):
        return True
    mentions = [*change.mentions_added, *change.mentions_removed]
    return any(m.get("category") in wanted for m in mentions)


def change_to_dict(
    change: Change, document: Document, source: Source, version: Version | None
) -> dict[str, Any]:
    return {
        "id": change.id,
        "kind": change.kind,
        "url": document.url,
        "document_id": document.id,
        "title": version.title if version else None,
        "source": source.name,
        "detected_at": _iso(change.detected_at),
        "published": _iso(version.published) if version else None,
        "categories": version.category_list if version else [],
        "old_version": change.old_version_id,
        "new_version": change.new_version_id,
        "mentions_added": change.mentions_added,
        "mentions_removed": change.mentions_removed,
        "status_changes": [
            {"title": s.get("title"), "from": s.get("from"), "to": s.get("to")} for s in change.status_changes
        ],
        "diff": change.diff if change.kind == ChangeKind.CHANGED.value else "",
        "reason": removal_reason(change),
    }


def removal_reason(change: Change) -> str | None:
    """Why a document was flagged removed ("HTTP 404", "missing from the list for 3 runs"); None for
    other changes. A removal has no diff, so mark_gone keeps the reason in the diff column."""
    if change.kind != ChangeKind.REMOVED.value:
        return None
    return change.diff or None


def document_to_dict(session: Session, document: Document, *, with_text: bool = True) -> dict[str, Any]:
    version = session.get(Version, document.current_version_id) if document.current_version_id else None
    data: dict[str, Any] = {
        "id": document.id,
        "url": document.url,
        "source": document.source.name,
        "state": document.state,
        "first_seen": _iso(document.first_seen),
        "last_seen": _iso(document.last_seen),
        "last_changed": _iso(document.last_changed),
        "gone_since": _iso(document.gone_since),
        "versions": session.scalar(select(func.count()).where(Version.document_id == document.id)),
        "current_version": version.seq if version else None,
        "title": version.title if version else None,
        "published": _iso(version.published) if version else None,
        "language": version.language if version else None,
        "relevant": version.relevant if version else None,
        "categories": version.category_list if version else [],
        "mentions": [],
    }
    if version is not None:
        rows = session.scalars(
            select(Mention).where(Mention.version_id == version.id).order_by(Mention.position)
        )
        data["mentions"] = [mention_record(row).to_dict() for row in rows]
        if with_text:
            data["text"] = version.text
    return data


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    version_id: int
    fetched_at: datetime
    title: str | None
    text_sha256: str
    characters: int
    change_kind: str | None
    mentions_added: int
    mentions_removed: int
    status_changes: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "version_id": self.version_id,
            "fetched_at": _iso(self.fetched_at),
            "title": self.title,
            "text_sha256": self.text_sha256,
            "characters": self.characters,
            "change": self.change_kind,
            "mentions_added": self.mentions_added,
            "mentions_removed": self.mentions_removed,
            "status_changes": self.status_changes,
        }


def document_history(session: Session, document: Document) -> list[HistoryEntry]:
    """Every version of a document, oldest first, with the change that introduced it."""
    versions = session.scalars(
        select(Version).where(Version.document_id == document.id).order_by(Version.seq)
    )
    changes = {
        c.new_version_id: c
        for c in session.scalars(select(Change).where(Change.document_id == document.id))
        if c.new_version_id is not None
    }
    history = []
    for version in versions:
        change = changes.get(version.id)
        history.append(
            HistoryEntry(
                seq=version.seq,
                version_id=version.id,
                fetched_at=version.fetched_at,
                title=version.title,
                text_sha256=version.text_sha256,
                characters=len(version.text),
                change_kind=change.kind if change else None,
                mentions_added=len(change.mentions_added) if change else 0,
                mentions_removed=len(change.mentions_removed) if change else 0,
                status_changes=change.status_changes if change else [],
            )
        )
    return history


def document_removals(session: Session, document: Document) -> list[Change]:
    return list(
        session.scalars(
            select(Change)
            .where(Change.document_id == document.id, Change.kind == ChangeKind.REMOVED.value)
            .order_by(Change.detected_at)
        )
    )


def get_version(session: Session, document: Document, seq: int) -> Version:
    version = session.scalar(select(Version).where(Version.document_id == document.id, Version.seq == seq))
    if version is None:
        raise NotFound(f"document {document.id} has no version {seq}")
    return version


def version_diff(
    session: Session,
    document: Document,
    old_seq: int | None = None,
    new_seq: int | None = None,
    *,
    context: int = 1,
) -> tuple[Version, Version, TextDiff]:
    """The diff between two versions of a document (default: the one before the current, and the
    current), with `context` unchanged sentences around each change."""
    if new_seq is None:
        current = session.get(Version, document.current_version_id)
        if current is None:
            raise NotFound(f"document {document.id} has no versions")
        new_seq = current.seq
    if old_seq is None:
        old_seq = new_seq - 1
        if old_seq < 1:
            raise NotFound(f"document {document.id} has only one version: nothing to compare")
    old, new = get_version(session, document, old_seq), get_version(session, document, new_seq)
    return old, new, diff_texts(old.text, new.text, context=context)
