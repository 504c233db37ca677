"""Document numbers (发文字号): found in whatever brackets the page uses and written in the official
〔〕 form, so that 工信部联科[2025]279号, 国发（2025）11号 and 国发〔2025〕11号 compare equal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crawler.extract.textutil import squash

# 国发〔2025〕11号 with 〔〕 [] ［］ （） () 【】 around the year. The prefix is the run of Chinese
# characters before the bracket (a 文号 prefix names the issuer and the series: 国发, 工信部联科).
_BRACKETED = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12})\s*[〔\[［（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］）)】]"
    r"\s*(?:第\s*)?(?P<number>\d{1,5})\s*号"
)
# Order and announcement numbers: 令第15号, 国务院令第790号, 公告第六十四号, 第六十四号公告, and the
# yearly series of customs and other agencies: 海关总署公告2026年第118号.
_ORDER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{0,8}?(?:令|公告))\s*(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?"
    r"第\s*(?P<number>[\d〇零一二三四五六七八九十百千]+)\s*号"
)
_ORDER_REVERSED = re.compile(r"第\s*(?P<number>[\d〇零一二三四五六七八九十百千]+)\s*号\s*(?P<kind>公告|令)")
# National standards: GB 45438-2025, GB/T 45654-2025.
_STANDARD = re.compile(r"\bGB(?:/[TZ])?\s?\d{3,6}(?:\.\d+)?\s?-\s?(?:19|20)\d{2}\b")
# English and pinyin renderings: Guo Fa [2025] No. 11, CAC Order No. 12.
_PINYIN = re.compile(
    r"\b(?P<prefix>(?:[A-Z][a-z]{0,5} ){1,5})\[(?P<year>(?:19|20)\d{2})\] No\. ?(?P<number>\d{1,5})\b"
)
_ENGLISH_ORDER = re.compile(r"\b(?:(?P<issuer>[A-Z]{2,6}) )?Order No\. ?(?P<number>\d{1,5})\b")
# Words that precede a 文号 in running text and are not part of its prefix.
_LEADING_WORDS = re.compile(r"^(?:.*?(?:印发|发布|公布|根据|按照|依据|见|即|以|为|的|了|和|及|与|是))+")


def normalize_doc_number(value: str | None) -> str | None:
    """The document number in official form, or None when the value holds none.

    >>> normalize_doc_number("\u200b工信部联科[2025]279号")
    '工信部联科〔2025〕279号'
    >>> normalize_doc_number("国发（2025）11号")
    '国发〔2025〕11号'
    """
    if not value:
        return None
    value = squash(value)
    match = _BRACKETED.search(value)
    if match:
        prefix = _LEADING_WORDS.sub("", match.group("prefix")) or match.group("prefix")
        return f"{prefix}〔{match.group('year')}〕{int(match.group('number'))}号"
    match = _ORDER.search(value)
    if match:
        year = f"{match.group('year')}年" if match.group("year") else ""
        prefix = _LEADING_WORDS.sub("", match.group("prefix")) or match.group("prefix")
        return f"{prefix}{year}第{match.group('number')}号"
    match = _ORDER_REVERSED.search(value)
    if match:
        return f"{match.group('kind')}第{match.group('number')}号"
    match = _STANDARD.search(value)
    if match:
        return re.sub(r"\s*-\s*", "-", match.group(0))
    match = _PINYIN.search(value)
    if match:
        return f"{match.group('prefix').strip()} [{match.group('year')}] No. {match.group('number')}"
    match = _ENGLISH_ORDER.search(value)
    if match:
        return f"令第{match.group('number')}号"
    return None


# Where a number can start, found with patterns that begin with a literal or a small character class:
# the full patterns begin with a run of any Chinese characters (the prefix) or with optional words, and
# trying them at every position of a page costs ten times more than finding these first.
_BRACKETED_ANCHOR = re.compile(r"[〔\[［（(【]\s*(?:19|20)\d{2}\s*[〕\]］）)】]")
_ORDER_ANCHOR = re.compile(r"(?:令|公告)\s*(?:(?:19|20)\d{2}\s*年\s*)?第")
# How far before its anchor a match can start: a 12-character prefix and some spaces.
_PREFIX_REACH = 30


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every document number in the text: (start, end, normalised form)."""
    found = []
    for pattern, anchor in (
        (_BRACKETED, _BRACKETED_ANCHOR),
        (_ORDER, _ORDER_ANCHOR),
        (_ORDER_REVERSED, "第"),
        (_STANDARD, "GB"),
        (_PINYIN, "] No."),
        (_ENGLISH_ORDER, "Order No."),
    ):
        for match in _matches(pattern, anchor, text):
            normal = normalize_doc_number(match.group(0))
            if normal:
                found.append((match.start(), match.end(), normal))
    found.sort()
    return found


def _matches(pattern: re.Pattern[str], anchor: re.Pattern[str] | str, text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), found faster: a literal anchor that every match contains must occur,
    and a pattern anchor's matches say where to look (the leftmost match ending at each anchor)."""
    if isinstance(anchor, str):
        if anchor in text:
            yield from pattern.finditer(text)
        return
    searched_to = 0
    for hint in anchor.finditer(text):
        if hint.start() < searched_to:
            continue
        match = pattern.search(text, max(searched_to, hint.start() - _PREFIX_REACH))
        if match is None:
            return
        if match.start() > hint.end():  # not this anchor's: look again from the next anchor
            continue
        yield match
        searched_to = match.end()
