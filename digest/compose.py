"""Composing a digest: what changed, grouped so a reader sees in a minute what matters.

A digest is built from change objects (the public JSON of `aiplus changes`): headline counts, then
new, changed and removed documents, each section grouped by category, each document with its
mention-level lines and, for changed documents, a diff excerpt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


@dataclass
class DigestEntry:
    change: dict[str, Any]
    lines: list[str]  # mention-level lines, "regulation X: draft -> final", ...
    diff_excerpt: list[str]


@dataclass
class DigestSection:
    kind: str
    title: str
    groups: list[tuple[str, list[DigestEntry]]]  # (category label, entries)

    @property
    def count(self) -> int:
        return sum(len(entries) for _, entries in self.groups)


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
        return [entry.change["id"] for entry in self.entries]


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
        grouped: dict[str, list[DigestEntry]] = {}
        for change in of_kind:
            categories = change.get("categories") or [None]
            label = CATEGORY_LABELS.get(categories[0], categories[0] or "other")
            grouped.setdefault(label, []).append(entry_for(change))
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
                out.append(f"  {change['url']}  ({change['source']})")
                out.extend(f"  {line}" for line in entry.lines)
                out.extend(f"    {line}" for line in entry.diff_excerpt)
    if digest.source_health:
        out.append("")
        out.append("== Source health ==")
        out.extend(f"! {line}" for line in digest.source_health)
    return "\n".join(out) + "\n"
