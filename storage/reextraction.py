"""Applying a re-extraction to an archived version: the current extractor's mentions and metadata
replace the stored ones, and the difference is recorded as a re-extraction, never as a change of
the page (its text stays exactly as fetched, and no change row is flagged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.fulltext import index_document
from storage.mentions import MentionRecord, mention_delta, unique_by_key
from storage.models import Document, Mention, Reextraction, Version
from storage.recording import add_mentions, version_mentions


@dataclass(frozen=True)
class Reextracted:
    """What the extractor says now about an archived version."""

    title: str | None
    published: date | None
    language: str | None
    relevant: bool
    categories: Sequence[str]
    mentions: Sequence[MentionRecord]


def apply_reextraction(session: Session, version_id: int, now: Reextracted, at: datetime) -> int | None:
    """Bring a version's mentions and metadata up to date; returns the re-extraction record's id, or
    None when the extractor finds nothing different."""
    version = session.get(Version, version_id)
    if version is None:
        raise LookupError(f"no version {version_id}")
    mentions = unique_by_key(now.mentions)
    old_mentions = version_mentions(session, version_id)
    delta = mention_delta(old_mentions, mentions)
    categories = " ".join(dict.fromkeys(now.categories))
    new_values: dict[str, Any] = {
        "title": now.title,
        "published": now.published,
        "language": now.language,
        "relevant": now.relevant,
        "categories": f" {categories} " if categories else " ",
    }
    fields = {
        name: [_plain(getattr(version, name)), _plain(value)]
        for name, value in new_values.items()
        if getattr(version, name) != value
    }
    same_order = [m.key for m in old_mentions] == [m.key for m in mentions]
    if not delta and not fields and same_order and old_mentions == list(mentions):
        return None
    old_title = version.title
    for name, value in new_values.items():
        setattr(version, name, value)
    session.execute(delete(Mention).where(Mention.version_id == version_id))
    add_mentions(session, version_id, mentions)
    document = session.get(Document, version.document_id)
    if "title" in fields and document is not None and document.current_version_id == version_id:
        index_document(session, document.id, version.title, version.text, previous=(old_title, version.text))
    record = Reextraction(
        version_id=version_id,
        reextracted_at=at,
        mentions_added=[m.to_dict() for m in delta.added],
        mentions_removed=[m.to_dict() for m in delta.removed],
        status_changes=delta.status_changes,
        fields_changed=fields,
    )
    session.add(record)
    session.flush()
    return record.id


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
