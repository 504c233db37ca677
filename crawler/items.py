"""What spiders hand to the pipeline: one fetched response, or a known page's answer on recrawl."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FetchedItem:
    """A response for one article URL.

    `outcome` says what the response means for the archive: "page" (a body to extract and record),
    "not_modified" (304 to a conditional request), or "gone" (404/410 for a page the archive knows).
    """

    url: str
    source: str
    outcome: str
    status: int
    fetched_at: datetime
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = field(default=b"", repr=False)  # a log line must not carry a whole page
    content_type: str | None = None
    ip: str | None = None
