"""Composing a digest: what changed, grouped so a reader sees in a minute what matters.

A digest is built from change objects (the public JSON of `aiplus changes`): headline counts, then
new, changed and removed documents, each section grouped by category, each document with its
mention-level lines and, for changed documents, a diff excerpt. A new document several sources
published (digest.duplicates) is one entry listing every link; the counts stay those of the changes,
and every change is still delivered and recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from digest.duplicates import same_document_groups, title_key

CATEGORY_LABELS = {
    "model_development": "model development",
    "data_sharing": "data sharing",
    "skills_development": "skills development",
    "safety_governance": "safety governance",
    "infrastructure": "infrastructure",
    "industry_application": "industry application",
    None: "other",
}
SECTION_TITLES = {"new": "New documents", "changed": "Changed documents", "removed": "Removed documents"}
DIFF_EXCERPT_LINES = 8


@dataclass(frozen=True)
class EntryLink:
    url: str
    source: str
    title: str | None  # the page's own title, when it reads differently from the entry's


@dataclass
class DigestEntry:
    change: dict[str, Any]  # the entry's change; for a document several sources published, the first
    lines: list[str]  # mention-level lines, "regulation X: draft -> final", ...
    diff_excerpt: list[str]
    also: list[dict[str, Any]] = field(default_factory=list)  # the same document's other new pages

    @property
    def changes(self) -> list[dict[str, Any]]:
        return [self.change, *self.also]

    @property
    def links(self) -> list[EntryLink]:
        """Every page of the entry: its URL and source, and its title where that differs."""
        key = title_key(self.change.get("title")) or self.change.get("title")
        return [
            EntryLink(
                c["url"],
                c["source"],
                None if (title_key(c.get("title")) or c.get("title")) == key else c.get("title"),
            )
            for c in self.changes
        ]


@dataclass
class DigestSection:
    kind: str
    title: str
    groups: list[tuple[str, list[DigestEntry]]]  # (category label, entries)

    @property
    def count(self) -> int:
        """The changes in the section, as the headline counts them (an entry may hold several)."""
        return sum(len(entry.changes) for _, entries in self.groups for entry in entries)


@dataclass
class Digest:
    name: str
    generated_at: datetime
    since: datetime | None
    counts: dict[str, int]
    sections: list[DigestSection]
    source_health: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())

    @property
    def headline(self) -> str:
        parts = [f"{self.counts.get(kind, 0)} {kind}" for kind in ("new", "changed", "removed")]
        return ", ".join(parts)

    @property
    def entries(self) -> list[DigestEntry]:
        """Every entry, in reading order (sections, then category groups)."""
        return [entry for section in self.sections for _, entries in section.groups for entry in entries]

    @property
    def change_ids(self) -> list[int]:
        """The ids of the changes this digest reports: what a delivery records as sent."""
        return [change["id"] for entry in self.entries for change in entry.changes]


def mention_line(mention: dict[str, Any], verb: str) -> str:
    category = CATEGORY_LABELS.get(mention.get("category"), mention.get("category") or "other")
    if mention.get("kind") == "proposal":
        who = mention.get("actor") or "?"
        if mention.get("organization"):
            who += f" ({mention['organization']})"
        summary = mention.get("summary") or mention.get("snippet") or ""
        return f"{verb} proposal: {who}, {category}: {summary}".rstrip(": ")
    title = mention.get("title") or "?"
    status = f" ({mention['status']})" if mention.get("status") else ""
    number = f" {mention['doc_number']}" if mention.get("doc_number") else ""
    return f"{verb} regulation: {title}{number}{status}"


def entry_for(change: dict[str, Any]) -> DigestEntry:
    lines = [f"regulation {s['title']}: {s['from']} -> {s['to']}" for s in change.get("status_changes", [])]
    verb_added = "new" if change["kind"] in ("new", "changed") else "cited"
    lines += [mention_line(m, verb_added) for m in change.get("mentions_added", [])]
    lines += [mention_line(m, "dropped") for m in change.get("mentions_removed", [])]
    if change["kind"] == "removed" and change.get("reason"):
        lines.insert(0, f"gone: {change['reason']}")
    diff_lines = [line for line in (change.get("diff") or "").splitlines() if line[:1] in "+-"]
    excerpt = diff_lines[:DIFF_EXCERPT_LINES]
    if len(diff_lines) > DIFF_EXCERPT_LINES:
        excerpt.append(f"... {len(diff_lines) - DIFF_EXCERPT_LINES} more changed sentences")
    return DigestEntry(change, lines, excerpt if change["kind"] == "changed" else [])


def entry_for_document(changes: Sequence[dict[str, Any]]) -> DigestEntry:
    """One entry for pages that are the same document: the first page's, with every page's lines."""
    entry = entry_for(changes[0])
    for change in changes[1:]:
        entry.lines += [line for line in entry_for(change).lines if line not in entry.lines]
    entry.also = list(changes[1:])
    return entry


def compose(
    name: str,
    changes: Sequence[dict[str, Any]],
    *,
    generated_at: datetime,
    since: datetime | None = None,
    source_health: Sequence[str] = (),
) -> Digest:
    counts = {kind: 0 for kind in SECTION_TITLES}
    sections = []
    for kind, title in SECTION_TITLES.items():
        of_kind = [c for c in changes if c["kind"] == kind]
        counts[kind] = len(of_kind)
        if not of_kind:
            continue
        # Only new pages are grouped: a change or a removal is news about one page.
        documents = same_document_groups(of_kind) if kind == "new" else [[c] for c in of_kind]
        grouped: dict[str, list[DigestEntry]] = {}
        for pages in documents:
            categories = pages[0].get("categories") or [None]
            label = CATEGORY_LABELS.get(categories[0], categories[0] or "other")
            grouped.setdefault(label, []).append(entry_for_document(pages))
        order = list(CATEGORY_LABELS.values())
        groups = sorted(
            grouped.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
        )
        sections.append(DigestSection(kind, title, groups))
    return Digest(name, generated_at, since, counts, sections, list(source_health))


def render_text(digest: Digest) -> str:
    """Plain text: for terminals, email text parts and chat messages."""
    out = [f"aiplus digest '{digest.name}' — {digest.generated_at:%Y-%m-%d %H:%M %Z}".rstrip()]
    if digest.since is not None:
        out.append(f"Changes since {digest.since:%Y-%m-%d %H:%M %Z}: {digest.headline}")
    else:
        out.append(f"Changes: {digest.headline}")
    if digest.empty:
        out.append("")
        out.append("Nothing new, changed or removed.")
    for section in digest.sections:
        out.append("")
        out.append(f"== {section.title} ({section.count}) ==")
        for label, entries in section.groups:
            out.append(f"-- {label} --")
            for entry in entries:
                change = entry.change
                published = f" [{change['published']}]" if change.get("published") else ""
                out.append(f"* {change.get('title') or '(untitled)'}{published}")
                for link in entry.links:
                    titled = f": {link.title}" if link.title else ""
                    out.append(f"  {link.url}  ({link.source}{titled})")
                out.extend(f"  {line}" for line in entry.lines)
                out.extend(f"    {line}" for line in entry.diff_excerpt)
    if digest.source_health:
        out.append("")
        out.append("== Source health ==")
        out.extend(f"! {line}" for line in digest.source_health)
    return "\n".join(out) + "\n"
