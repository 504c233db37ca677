"""Mentions as the archive sees them: a record type, a stable key, and the delta between two versions.

The key makes "the same mention in the next version" recognisable: a regulation is keyed by its
canonical id (or its title with marks, quotes and spacing folded), a proposal by its actor and what
was proposed. Status (draft / final) is deliberately not part of the key, so a draft that becomes final
is one mention whose status moved, not one removed and one added.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_MARKS = re.compile(r"[《》〈〉「」『』“”\"'‘’\s]+")

MENTION_FIELDS = (
    "kind",
    "title",
    "canonical_id",
    "doc_number",
    "issuer",
    "status",
    "actor",
    "organization",
    "role",
    "summary",
    "category",
    "snippet",
)


def fold(value: str | None) -> str:
    """A name in its comparison form: NFKC, lower case, without book-title marks, quotes or spaces."""
    if not value:
        return ""
    return _MARKS.sub("", unicodedata.normalize("NFKC", value)).lower()


_REGULATION_KEYS = ("kind", "title", "canonical_id", "doc_number", "issuer", "status", "category", "snippet")
_PROPOSAL_KEYS = ("kind", "actor", "organization", "role", "category", "summary", "snippet")


@dataclass(frozen=True)
class MentionRecord:
    """One proposal or regulation mention, as the extractor reports it (fields of DESIGN.md)."""

    kind: str  # "proposal" | "regulation"
    title: str | None = None
    canonical_id: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    status: str | None = None  # "draft" | "final" | None
    actor: str | None = None
    organization: str | None = None
    role: str | None = None
    summary: str | None = None
    category: str | None = None
    snippet: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ("proposal", "regulation"):
            raise ValueError(f"mention kind must be 'proposal' or 'regulation', not {self.kind!r}")
        if self.status not in (None, "draft", "final"):
            raise ValueError(f"mention status must be 'draft', 'final' or None, not {self.status!r}")

    @property
    def key(self) -> str:
        return stable_key(self)

    def to_dict(self) -> dict[str, Any]:
        """The mention as in `aiplus extract --json`: regulation or proposal fields, by kind."""
        # The fields are plain strings: read them directly (dataclasses.asdict deep-copies every value).
        keep = _REGULATION_KEYS if self.kind == "regulation" else _PROPOSAL_KEYS
        return {name: getattr(self, name) for name in keep}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MentionRecord:
        values: dict[str, Any] = {name: data.get(name) for name in MENTION_FIELDS if name in data}
        return cls(**values)


def stable_key(mention: MentionRecord) -> str:
    if mention.kind == "regulation":
        basis = mention.canonical_id or fold(mention.title) or fold(mention.doc_number)
        return f"regulation:{basis}"[:300]
    digest = hashlib.sha1(fold(mention.summary).encode("utf-8")).hexdigest()[:12]
    return f"proposal:{fold(mention.actor)}:{digest}"[:300]


def unique_by_key(mentions: Iterable[MentionRecord]) -> list[MentionRecord]:
    """The mentions in page order with repeats of a key dropped (the first occurrence stands)."""
    seen: set[str] = set()
    unique = []
    for mention in mentions:
        key = mention.key
        if key not in seen:
            seen.add(key)
            unique.append(mention)
    return unique


@dataclass(frozen=True)
class MentionDelta:
    added: list[MentionRecord]
    removed: list[MentionRecord]
    status_changes: list[dict[str, Any]]  # {"title", "key", "from", "to"}

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.status_changes)


def mention_delta(old: Iterable[MentionRecord], new: Iterable[MentionRecord]) -> MentionDelta:
    old_by_key = {m.key: m for m in unique_by_key(old)}
    new_by_key = {m.key: m for m in unique_by_key(new)}
    added = [m for key, m in new_by_key.items() if key not in old_by_key]
    removed = [m for key, m in old_by_key.items() if key not in new_by_key]
    moves = []
    for key, after in new_by_key.items():
        before = old_by_key.get(key)
        if before is not None and before.status != after.status and after.status is not None:
            moves.append(
                {"title": after.title or before.title, "key": key, "from": before.status, "to": after.status}
            )
    return MentionDelta(added, removed, moves)
