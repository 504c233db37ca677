"""Digest output formats, registered by kind: text, HTML, Markdown, JSON and Atom.

Titles, snippets and diffs come from crawled pages and are untrusted. HTML is rendered by jinja2 with
autoescape on, and only http(s) URLs become links, so page content never runs as markup. Markdown
escapes what Markdown and chat renderers (and apprise's Markdown-to-HTML conversion) would otherwise
interpret.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import jinja2

from digest.compose import Digest, DigestEntry, render_text

# The inline marks of storage.diffing: [-removed-] and {+added+}.
_DIFF_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.DOTALL)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


class DigestFormat:
    """A way of writing a digest down. Subclasses set `kind` (the name users give, as in
    `aiplus digest --format KIND` or a digest's `format`) and are registered by it."""

    kind: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    registry: ClassVar[dict[str, type[DigestFormat]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            DigestFormat.registry[cls.kind] = cls

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        raise NotImplementedError


def format_names() -> list[str]:
    return list(DigestFormat.registry)


def get_format(kind: str) -> DigestFormat:
    """The format registered as `kind`; ValueError naming the known ones otherwise."""
    try:
        return DigestFormat.registry[kind]()
    except KeyError:
        raise ValueError(f"unknown digest format {kind!r} (known: {', '.join(format_names())})") from None


def render(digest: Digest, kind: str, *, title: str | None = None) -> str:
    return get_format(kind).render(digest, title=title)


# -- helpers shared by the marked-up formats -------------------------------------------------------


def safe_link(url: str | None) -> str | None:
    """The URL if it may be a link (http or https with a host), else None: a crawled page could name
    itself javascript:... or data:..., which must never become a clickable link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def diff_spans(line: str) -> tuple[str, list[tuple[str, str]]]:
    """A diff excerpt line as (line kind, [(mark, text), ...]): kind is "minus", "plus" or "note";
    mark is "del", "ins" or "" for the unchanged text around them."""
    kind = {"-": "minus", "+": "plus"}.get(line[:1], "note") if line[1:2] == " " else "note"
    spans: list[tuple[str, str]] = []
    position = 0
    for match in _DIFF_MARK.finditer(line):
        if match.start() > position:
            spans.append(("", line[position : match.start()]))
        if match.group(1) is not None:
            spans.append(("del", match.group(1)))
        else:
            spans.append(("ins", match.group(2)))
        position = match.end()
    if position < len(line):
        spans.append(("", line[position:]))
    return kind, spans


def display_time(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M %Z}".rstrip()


def default_title(digest: Digest) -> str:
    return f"aiplus digest {digest.name}: {digest.headline}"


# -- the formats ---------------------------------------------------------------------------------


class TextFormat(DigestFormat):
    """Plain text: terminals, the text part of emails."""

    kind = "text"
    extension = "txt"
    media_type = "text/plain"

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        return render_text(digest)


@functools.cache
def _html_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("digest", "templates"),
        autoescape=True,  # every template, whatever its name: page content must never be markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class HtmlFormat(DigestFormat):
    """HTML: the email's HTML part, digest files, the Atom feed's entries. Page content is escaped;
    a Content-Security-Policy forbids scripts as a second line of defence."""

    kind = "html"
    extension = "html"
    media_type = "text/html"

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        template = _html_environment().get_template("digest.html.j2")
        return template.render(
            digest=digest,
            title=title or default_title(digest),
            link=safe_link,
            diff_spans=diff_spans,
            when=display_time,
        )


def markdown_text(value: object) -> str:
    """Untrusted text as inert Markdown: HTML special characters as entities (renderers pass raw HTML
    through), Markdown punctuation backslash-escaped, on one line."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown_link(text: str, url: str | None) -> str:
    href = safe_link(url)
    if href is None:
        return markdown_text(text)
    # An angle-bracket destination may hold anything but <, > and line breaks.
    href = href.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{markdown_text(text)}](<{href}>)"


def _code_block(lines: list[str], indent: str) -> list[str]:
    # A fence longer than any run of backticks inside, so page text cannot close it.
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{indent}{fence}diff", *(f"{indent}{line}" for line in lines), f"{indent}{fence}"]


class MarkdownFormat(DigestFormat):
    """Markdown: chat channels (apprise) and digest files."""

    kind = "md"
    extension = "md"
    media_type = "text/markdown"

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        out = [f"# {markdown_text(title or default_title(digest))}", ""]
        when = display_time(digest.generated_at)
        if digest.since is not None:
            when += f" · changes since {display_time(digest.since)}"
        out += [f"_{markdown_text(when)}_", "", f"**{markdown_text(digest.headline)}**"]
        if digest.empty:
            out += ["", "Nothing new, changed or removed."]
        for section in digest.sections:
            out += ["", f"## {markdown_text(section.title)} ({section.count})"]
            for label, entries in section.groups:
                out += ["", f"### {markdown_text(label)}", ""]
                for entry in entries:
                    out += self._entry(entry)
        if digest.source_health:
            out += ["", "## Source health", ""]
            out += [f"- ⚠ {markdown_text(line)}" for line in digest.source_health]
        return "\n".join(out) + "\n"

    def _entry(self, entry: DigestEntry) -> list[str]:
        change = entry.change
        line = "- " + _markdown_link(change.get("title") or "(untitled)", change.get("url"))
        if change.get("published"):
            line += f" \\[{markdown_text(change['published'])}\\]"
        line += f" · {markdown_text(change.get('source') or '')}"
        out = [line]
        for link in entry.links[1:]:  # the same document from other sources
            titled = f" · {markdown_text(link.title)}" if link.title else ""
            out.append(
                f"  - also {_markdown_link(link.url, link.url)} · {markdown_text(link.source)}{titled}"
            )
        out += [f"  - {markdown_text(text)}" for text in entry.lines]
        if entry.diff_excerpt:
            out += _code_block([" ".join(text.split()) for text in entry.diff_excerpt], "  ")
        return out


def digest_to_dict(digest: Digest, *, title: str | None = None) -> dict[str, Any]:
    """The digest as JSON-ready data: webhook bodies and .json files. Each entry is the public
    change object of `aiplus changes --json` plus its digest lines and diff excerpt, and in `also`
    the change objects of the same document's pages from other sources (their ids are in
    `change_ids` too)."""
    return {
        "digest": digest.name,
        "title": title or default_title(digest),
        "generated_at": digest.generated_at.isoformat(),
        "since": digest.since.isoformat() if digest.since else None,
        "headline": digest.headline,
        "counts": dict(digest.counts),
        "change_ids": digest.change_ids,
        "sections": [
            {
                "kind": section.kind,
                "title": section.title,
                "count": section.count,
                "groups": [
                    {
                        "category": label,
                        "changes": [
                            {
                                **entry.change,
                                "lines": entry.lines,
                                "diff_excerpt": entry.diff_excerpt,
                                "also": entry.also,
                            }
                            for entry in entries
                        ],
                    }
                    for label, entries in section.groups
                ],
            }
            for section in digest.sections
        ],
        "source_health": list(digest.source_health),
    }


class JsonFormat(DigestFormat):
    """JSON: webhooks and scripts."""

    kind = "json"
    extension = "json"
    media_type = "application/json"

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        return json.dumps(digest_to_dict(digest, title=title), ensure_ascii=False, indent=2) + "\n"


class AtomFormat(DigestFormat):
    """Atom: a feed with this one digest as its entry (the directory channel keeps a running feed)."""

    kind = "atom"
    extension = "atom"
    media_type = "application/atom+xml"

    def render(self, digest: Digest, *, title: str | None = None) -> str:
        from digest.atom import feed_document, make_entry

        title = title or default_title(digest)
        entry = make_entry(digest, title, HtmlFormat().render(digest, title=title), link=None)
        return feed_document(digest.name, [entry])
