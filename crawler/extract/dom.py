"""Parsing a page into an lxml tree, tolerant of whatever real sites send, plus CSS selectors compiled
once. lxml is used directly: BeautifulSoup costs ten times more per page on the crawl's hot path. The
tree is plain lxml.etree, not lxml.html: lxml.html looks up a Python element class every time an
element is touched, a fifth of the main-text extraction's time; text_of() stands in for its
text_content()."""

from __future__ import annotations

import functools
import logging
import re
from typing import TypeAlias

from lxml import etree

log = logging.getLogger(__name__)

# An XML declaration with an encoding cannot be parsed from a str by lxml; the text is decoded already.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Browsers ignore </body> and </html> until the end of the file; libxml2 stops reading at them, and real
# gov.cn pages close <html> at the end of an included header, before the article.
_CLOSING_ROOT = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)

# An element of a parsed page.
Element: TypeAlias = etree._Element


def parse_html(markup: str) -> Element | None:
    """The page as an lxml tree, or None when nothing can be made of it (empty or binary input).

    libxml2 repairs broken markup the way browsers mostly do; it never raises on bad nesting, only on
    empty documents, which is the None case."""
    if not markup or not markup.strip():
        return None
    markup = _XML_DECLARATION.sub("", markup, count=1)
    markup = _CLOSING_ROOT.sub("", markup)
    if "\x00" in markup:
        markup = markup.replace("\x00", "")
    try:
        root = etree.fromstring(markup, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        log.debug("unparsable page: %s", error)
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def text_of(element: Element) -> str:
    """All the text inside an element (lxml.html's text_content())."""
    return "".join(element.itertext())


@functools.lru_cache(maxsize=256)
def _compiled(selector: str) -> etree.XPath | None:
    try:
        from lxml.cssselect import CSSSelector

        return CSSSelector(selector, translator="html")
    except Exception as error:  # cssselect raises several error types for bad selectors
        log.warning("ignoring invalid CSS selector %r: %s", selector, error)
        return None


def select(root: Element, selector: str) -> list[Element]:
    """Elements matching a CSS selector, in document order; an invalid selector matches nothing."""
    compiled = _compiled(selector.strip())
    if compiled is None:
        return []
    try:
        return [el for el in compiled(root) if isinstance(el, etree._Element) and isinstance(el.tag, str)]
    except Exception as error:  # pragma: no cover - lxml XPath evaluation errors on odd trees
        log.warning("CSS selector %r failed: %s", selector, error)
        return []


def drop(element: Element) -> None:
    """Remove an element and its content but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def class_id(element: Element) -> str:
    """The element's class and id attributes as one lower-case string, for boilerplate patterns."""
    cls = element.get("class")
    ident = element.get("id")
    if cls and ident:
        return f"{cls} {ident}".lower()
    return (cls or ident or "").lower()
