"""Atom feeds of digests: one feed file per digest that feed readers can follow.

The directory channel adds an entry per delivered digest to `<name>.atom` beside the digest files,
keeping the newest FEED_ENTRIES. Entry content is the HTML digest (already escaped), carried as
escaped text (`type="html"`), so nothing in a page can break the feed's XML.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from digest.compose import Digest

log = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/aiplus-monitor/digest")

ET.register_namespace("", ATOM_NS)


def _q(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed_id(name: str) -> str:
    """A stable id per digest name: readers recognise the feed across restarts and moves."""
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'feed/' + name)}"


def make_entry(digest: Digest, title: str, html: str, link: str | None) -> ET.Element:
    """One feed entry for a digest; `link` (relative to the feed, or absolute) names its file."""
    stamp = _rfc3339(digest.generated_at)
    entry = ET.Element(_q("entry"))
    ET.SubElement(
        entry, _q("id")
    ).text = f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'entry/{digest.name}/{digest.generated_at.isoformat()}')}"
    ET.SubElement(entry, _q("title")).text = title
    ET.SubElement(entry, _q("updated")).text = stamp
    ET.SubElement(entry, _q("published")).text = stamp
    if link:
        ET.SubElement(entry, _q("link"), rel="alternate", type="text/html", href=link)
    ET.SubElement(entry, _q("summary")).text = digest.headline
    ET.SubElement(entry, _q("content"), type="html").text = html
    return entry


def feed_document(name: str, entries: list[ET.Element], *, self_link: str | None = None) -> str:
    """A complete Atom document with these entries (newest first)."""
    feed = ET.Element(_q("feed"))
    ET.SubElement(feed, _q("id")).text = feed_id(name)
    ET.SubElement(feed, _q("title")).text = f"aiplus digest {name}"
    ET.SubElement(feed, _q("subtitle")).text = "What changed in the policy documents aiplus-monitor follows"
    updated = entries[0].findtext(_q("updated")) if entries else None
    ET.SubElement(feed, _q("updated")).text = updated or _rfc3339(datetime.now(UTC))
    author = ET.SubElement(feed, _q("author"))
    ET.SubElement(author, _q("name")).text = "aiplus-monitor"
    ET.SubElement(feed, _q("generator")).text = "aiplus-monitor"
    if self_link:
        ET.SubElement(feed, _q("link"), rel="self", type="application/atom+xml", href=self_link)
    feed.extend(entries)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def read_entries(path: Path) -> list[ET.Element]:
    """The entries of an existing feed file; none when it is missing or unreadable (it is rebuilt)."""
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        return []
    except (ET.ParseError, OSError) as exc:
        log.warning("feed %s is unreadable (%s): starting it afresh", path, exc)
        return []
    return root.findall(_q("entry"))


def update_feed(path: Path, digest: Digest, title: str, html: str, link: str | None) -> None:
    """Add the digest as the newest entry of the feed file at `path`, keeping FEED_ENTRIES."""
    entries = [make_entry(digest, title, html, link), *read_entries(path)][:FEED_ENTRIES]
    write_atomically(path, feed_document(digest.name, entries, self_link=path.name))


def write_atomically(path: Path, text: str) -> None:
    """Readers (feed readers polling the file, web servers) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
