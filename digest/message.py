"""A composed digest on its way out: the subject line and its renderings, made once and shared by the
channels that send the same changes."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from digest.compose import Digest
from digest.formats import render

DEFAULT_SUBJECT = "AI+ 政策动态 · {name}: {headline}"
SUBJECT_FIELDS = ("name", "headline", "new", "changed", "removed", "date")


def check_subject(template: str) -> None:
    """ValueError when a subject template names an unknown placeholder or is malformed; called when
    the configuration is loaded, so a typo never surfaces halfway through a delivery."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"subject {template!r} is not a valid template: {exc}") from None
    unknown = sorted(name for name in names if name not in SUBJECT_FIELDS)
    if unknown:
        raise ValueError(
            f"subject {template!r} names unknown placeholder(s) {', '.join(unknown)} "
            f"(known: {', '.join(SUBJECT_FIELDS)})"
        )


def subject_line(template: str | None, digest: Digest) -> str:
    values = {
        "name": digest.name,
        "headline": digest.headline,
        "new": digest.counts.get("new", 0),
        "changed": digest.counts.get("changed", 0),
        "removed": digest.counts.get("removed", 0),
        "date": f"{digest.generated_at:%Y-%m-%d}",
    }
    line = (template or DEFAULT_SUBJECT).format_map(values)
    return " ".join(line.split())  # a header is one line, whatever the template holds


@dataclass
class DigestMessage:
    """What a channel sends: the digest, its subject, and its renderings by format (made lazily)."""

    digest: Digest
    subject: str
    _rendered: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, digest: Digest, subject_template: str | None = None) -> DigestMessage:
        return cls(digest, subject_line(subject_template, digest))

    def render(self, kind: str) -> str:
        if kind not in self._rendered:
            self._rendered[kind] = render(self.digest, kind, title=self.subject)
        return self._rendered[kind]

    @property
    def change_ids(self) -> list[int]:
        return self.digest.change_ids
