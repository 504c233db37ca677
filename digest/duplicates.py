"""The same document published by several sources: gov.cn and CAC both post 人工智能生成合成内容标识办法,
each at its own URL. A digest shows such new pages as one entry that lists every link.

Two new pages are the same document when their titles are the same once folded (NFKC, case, quotes,
book-title marks and spacing, and a 文号 in brackets at the end), or when both are the document with
the same 文号 (document number). A page's own 文号 is the one of the regulation mention the extractor
records for the page itself, named by the page's title (X, or 关于印发《X》的通知): a 文号 the page only
cites does not make it that document, so a news report quoting 国发〔2025〕11号 stays apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from storage.mentions import fold

# Short titles (通知, 政策解读, Notice) are shared by unrelated pages: they never group on their own.
MIN_TITLE_CHARACTERS = 8
_TRAILING_NUMBER = re.compile(r"\s*[（(〔\[【][^（()）]*?号[）)〕\]】]\s*$")
_ISSUED = re.compile(r"关于(?:印发|发布|公布|施行)《([^《》]+)》")
_OPENING = re.compile(r"[(\[（【［]")
_CLOSING = re.compile(r"[)\]）】］]")


def title_key(title: str | None) -> str | None:
    """A page title in its comparison form; None when it is too short to identify a document."""
    if not title:
        return None
    key = fold(_TRAILING_NUMBER.sub("", title))
    return key if len(key) >= MIN_TITLE_CHARACTERS else None


def doc_number_key(number: str | None) -> str | None:
    """A 文号 in its comparison form: NFKC, no spaces, every kind of year bracket as 〔〕."""
    if not number:
        return None
    value = "".join(unicodedata.normalize("NFKC", number).split())
    value = _CLOSING.sub("〕", _OPENING.sub("〔", value))
    return value or None


def own_doc_numbers(change: dict[str, Any]) -> set[str]:
    """The 文号 of the document a page is, from its regulation mentions named by its title."""
    title = change.get("title") or ""
    names = {fold(title), fold(_TRAILING_NUMBER.sub("", title))}
    names.update(fold(name) for name in _ISSUED.findall(title))
    names.discard("")
    numbers = set()
    for mention in change.get("mentions_added") or []:
        if mention.get("kind") != "regulation" or fold(mention.get("title")) not in names:
            continue
        key = doc_number_key(mention.get("doc_number"))
        if key:
            numbers.add(key)
    return numbers


def same_document_groups(changes: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The changes in groups of pages that are the same document, each group in the changes' order,
    the groups in the order of their first change. Grouping is transitive: a page that shares its
    title with one page and its 文号 with another brings the three together."""
    parent = list(range(len(changes)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_with: dict[str, int] = {}
    for index, change in enumerate(changes):
        keys = {f"number:{number}" for number in own_doc_numbers(change)}
        title = title_key(change.get("title"))
        if title:
            keys.add(f"title:{title}")
        for key in sorted(keys):
            if key in first_with:
                a, b = root(first_with[key]), root(index)
                parent[max(a, b)] = min(a, b)  # the earlier change stays the group's head
            else:
                first_with[key] = index
    groups: dict[int, list[dict[str, Any]]] = {}
    for index, change in enumerate(changes):
        groups.setdefault(root(index), []).append(change)
    return list(groups.values())
