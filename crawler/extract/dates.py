"""Dates as Chinese and English pages write them: 2025年08月26日, 2025-08-26-17:00:09 (gov.cn's
firstpublishedtime), 2024/09/14, 2024-03-05T04:12:00Z, March 5, 2024, 5 Mar 2024, Aug. 7, 2023, and the
year-then-month/day split of Xinhua's header (2024 03/04)."""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_NUMERIC = (
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
_ENGLISH_MDY = rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}})\b"
_ENGLISH_DMY = rf"\b(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon3>{_MONTH})\.?,?\s+(?P<y3>(?:19|20)\d{{2}})\b"
_SPLIT_YEAR = r"(?P<y4>(?:19|20)\d{2})\s+(?P<m4>\d{1,2})\s*/\s*(?P<d4>\d{1,2})(?!\d)"
DATE = re.compile(
    "|".join((_NUMERIC, _ENGLISH_MDY, _ENGLISH_DMY, _SPLIT_YEAR)),
    re.IGNORECASE,
)


def _build(year: str, month: str | int, day: str) -> datetime.date | None:
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    if not 1990 <= value.year <= 2100:
        return None
    return value


def _from_match(match: re.Match[str]) -> datetime.date | None:
    groups = match.groupdict()
    if groups["y"]:
        return _build(groups["y"], groups["m"], groups["d"])
    if groups["y2"]:
        return _build(groups["y2"], _month_number(groups["mon"]), groups["d2"])
    if groups["y3"]:
        return _build(groups["y3"], _month_number(groups["mon3"]), groups["d3"])
    if groups["y4"]:
        return _build(groups["y4"], groups["m4"], groups["d4"])
    return None


def _month_number(word: str) -> int:
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    return _MONTHS.get(word[:3], 0)


def parse_date(text: str | None) -> datetime.date | None:
    """The first valid date in the text, or None."""
    if not text:
        return None
    for match in DATE.finditer(text):
        value = _from_match(match)
        if value is not None:
            return value
    return None


def iter_dates(text: str) -> list[tuple[int, datetime.date]]:
    """Every valid date in the text with its position."""
    found = []
    for match in DATE.finditer(text):
        value = _from_match(match)
        if value is not None:
            found.append((match.start(), value))
    return found


# Labels right before a date in a date line. "Updated January 8, 2026 / First published December 30,
# 2025": the page was published on the second date; an update or edit date is not when it came out.
_PUBLISHED_LABEL = re.compile(
    r"(?:(?<![A-Za-z])(?:first\s+)?(?:published|posted)(?:\s+on)?|发布(?:时间|日期|于)?|发表(?:时间|日期|于)?)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"(?:(?<![A-Za-z])(?:last\s+)?(?:updated|modified|edited|revised)(?:\s+on)?|(?:更新|修改)(?:时间|日期|于)?)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)


def date_line_date(text: str | None) -> datetime.date | None:
    """The publication date of a date line: the date labelled as published if one is, else the first
    date not labelled as an update, else the first date."""
    if not text:
        return None
    found = iter_dates(text)
    if not found:
        return None
    labels = [(text[max(0, start - 24) : start], value) for start, value in found]
    for before, value in labels:
        if _PUBLISHED_LABEL.search(before):
            return value
    for before, value in labels:
        if not _UPDATED_LABEL.search(before):
            return value
    return found[0][1]


# Dates in article URLs: /2024-03/07/c_..., /20240307/..., /202403/t20240308_..., /2024/0305/c...,
# /a/202403/11/WS..., .../slug-2024-03-05/
_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
    re.compile(r"-((?:19|20)\d{2})-(\d{2})-(\d{2})/?(?:$|[?#])"),
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
)


def date_from_url(url: str | None) -> datetime.date | None:
    if not url:
        return None
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match:
            value = _build(*match.groups())
            if value is not None:
                return value
    return None
