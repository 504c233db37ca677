"""Page metadata: the document's title (site suffixes removed), its publication date, issuing body,
document number and language.

Sources, strongest first: the government metadata table (gov.cn and MIIT write 发文机关 / 发文字号 /
发布日期 with odd spacing and full-width colons), meta tags (including gov.cn's
firstpublishedtime "YYYY-MM-DD-HH:MM:SS"), the npc.gov.cn script variable `fbrq`, <time> elements, the
date line under the headline, the URL, and the CMS stamp some sites leave in a comment. Read before the
main-text extraction modifies the tree."""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.extract.dates import date_from_url, date_line_date, parse_date
from crawler.extract.docnumbers import find_doc_numbers, normalize_doc_number
from crawler.extract.dom import Element, text_of
from crawler.extract.textutil import squash

log = logging.getLogger(__name__)

# Labels of the government metadata tables, spaces removed before matching (索 引 号, 标　　题).
_TABLE_LABELS = {
    "标题": "title",
    "发文机关": "issuer",
    "发布机构": "publisher",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "published",
    "发文日期": "published",
    "公布日期": "published",
    "成文日期": "written",
    "索引号": "index",
    "主题分类": "subject",
    "公文种类": "kind",
}
_LABEL = re.compile(rf"^({'|'.join(_TABLE_LABELS)})[:：]?$")
_INLINE_LABEL = re.compile(rf"^({'|'.join(_TABLE_LABELS)})\s*[:：]\s*(\S.*)$")
# Any label in the raw page, its characters perhaps spaced out (发&nbsp;文&nbsp;机&nbsp;关): a page with
# none has no metadata table, and looking for one costs a pass over every element of the tree.
_SPACING = r"(?:\s|&nbsp;|&#160;|&#xa0;|&ensp;|&emsp;|&#12288;|\u3000)*"
_ANY_LABEL_IN_RAW = re.compile(
    "|".join(_SPACING.join(map(re.escape, label)) for label in _TABLE_LABELS), re.IGNORECASE
)
# Where a second label starts in the same cell (发文机关：国务院　发文字号：国发〔2025〕11号).
_NEXT_LABEL = re.compile(rf"\s(?:{'|'.join(_TABLE_LABELS)})\s*[:：]|\s[\u4e00-\u9fff]{{2,6}}[:：]")

# Meta tags that carry the publication date, best first.
_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "firstpublishedtime",
    "articl-pubtime",
    "article-pubtime",
    "dcterms.date",
    "dcterms.issued",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
    "datepublished",
)
_TITLE_METAS = ("og:title", "twitter:title", "cse_headline", "articletitle", "headline", "title")
# The publication date in a script variable: npc.gov.cn's fbrq, and the pubtime / publishTime /
# releaseTime variables of other CMSs (var pubtime = '2024-03-10 12:05:08').
_SCRIPT_DATE = re.compile(
    r"""\b(?:fbrq|pub_?time|pub_?date|publish_?time|publish_?date|release_?time|article_?time|news_?time|"""
    r"""date_?published)"""  # and schema.org's "datePublished" in JSON-LD
    r"""["']?\s*[=:]\s*["']([^"']+)["']""",  # var pubtime = "…", or "pubTime":"…" in a JSON state
    re.IGNORECASE,
)
# Where _SCRIPT_DATE can start, in lower case: its names begin with these.
_SCRIPT_DATE_STEMS = ("fbrq", "pub", "release", "article", "news", "date")
_SCRIPT_DATE_AT = re.compile(_SCRIPT_DATE.pattern.removeprefix(r"\b"), _SCRIPT_DATE.flags)


def _script_date(raw: str) -> re.Match[str] | None:
    """_SCRIPT_DATE.search(raw), found from where its names occur: the regex tried at every position
    of a 20 KB page cost more than half a millisecond."""
    lowered = raw.lower()
    if len(lowered) != len(raw):  # a character whose lower case is longer: positions would not match
        return _SCRIPT_DATE.search(raw)
    starts: set[int] = set()
    for stem in _SCRIPT_DATE_STEMS:
        at = lowered.find(stem)
        while at != -1:
            starts.add(at)
            at = lowered.find(stem, at + 1)
    for start in sorted(starts):
        before = raw[start - 1] if start else ""
        if before and (before.isalnum() or before == "_"):
            continue  # \b: not inside a word
        match = _SCRIPT_DATE_AT.match(raw, start)
        if match:
            return match
    return None


_CMS_STAMP = re.compile(r"publishdate\s*[:=]\s*((?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})", re.IGNORECASE)

# Title suffixes: "_国务院文件_中国政府网", "-新华网", "--人工智能--人民网", " | Reuters", " - Caixin Global",
# " > Air University (AU) > ...". A trailing segment is dropped when it reads as a site or column name.
_TITLE_SEPARATOR = re.compile(r"\s*(?:_+|\||｜|--|\s[-–—]\s|\s>\s|»|-)\s*")
_SITE_WORDS = re.compile(
    r"网|政府|频道|专栏|文件|栏目|公报|办公室|委员会|中国|新闻|日报|时报|人民|新华|澎湃|财新|"
    r"(?i:news|post|times|daily|reuters|xinhua|scmp|caixin|global|insights?|institute|university|"
    r"\.com|\.cn|partners|llp|morning|chinadaily)"
)

# Titles of official documents (the page is the document itself, not news about it).
OFFICIAL_TITLE = re.compile(
    r"(?:通知|意见|决定|办法|规定|条例|规划|方案|指引|指南|细则|规则|公告|通告|批复|纲要|计划|措施|令|决议|通报|函)$"
)
_ORG_SUFFIX = re.compile(
    r"(?:国务院|部|委|局|署|院|办公室|办公厅|委员会|总局|中心|政府|网信办|人大常委会|常务委员会|银行|法院|检察院|联合会|协会|中央|秘书处)$"
)
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    published: datetime.date | None
    issuer: str | None
    doc_number: str | None
    language: str | None
    html_lang: str | None = None
    table: dict[str, str] = field(default_factory=dict)
    title_issuer: str | None = None  # the issuing body named at the start of an official title (X关于…)


def read_head(root: Element | None, raw: str, url: str | None) -> dict[str, object]:
    """What the pristine tree says before the main text is cut out of it: meta tags, <title>, the h1,
    the metadata table and the date line under the headline."""
    metas: dict[str, str] = {}
    info: dict[str, object] = {"metas": metas, "raw": raw, "url": url}
    if root is None:
        return info
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and key not in metas:
            metas[key] = squash(content)
    title_el = root.find(".//title")
    info["title"] = squash(text_of(title_el)) if title_el is not None else None
    info["html_lang"] = (root.get("lang") or root.get("xml:lang") or "").lower() or None
    h1s = []
    for h1 in root.iter("h1"):
        text = squash(text_of(h1))
        if len(text) >= 4:
            h1s.append((text, h1))
    if not h1s and info["title"]:
        # Some CMSs set the headline in an <h2> or <h3> (tc260.org.cn): one whose text the <title>
        # repeats is the headline, and the date line follows it.
        page_title = str(info["title"])
        for tag in ("h2", "h3"):
            for heading in root.iter(tag):
                text = squash(text_of(heading))
                if len(text) >= 6 and text in page_title:
                    h1s.append((text, heading))
            if h1s:
                break
        if not h1s:
            # Others in a plain element (<div class="art_title"> on provincial congress sites): the
            # first element whose own text the <title> repeats.
            h1s = _title_element(root, page_title)
    info["h1"] = h1s
    info["table"] = _metadata_table(root) if _ANY_LABEL_IN_RAW.search(raw) else {}
    time_elements = [t for t in root.iter("time") if t.get("datetime")]
    info["times"] = [t.get("datetime") for t in time_elements]
    # What each <time> shows the reader, by its machine-readable value: the page's local date.
    info["time_texts"] = {t.get("datetime"): squash(text_of(t)) for t in time_elements}
    info["date_zone"] = _date_zone(h1s[0][1]) if h1s else ""
    info["date_element"] = _date_element(root)
    return info


def _title_element(root: Element, page_title: str) -> list[tuple[str, Element]]:
    """The element holding the most of the <title> as its own text: the headline, not the issuer's
    name in a metadata cell before it (国家卫生健康委办公厅 | 国家卫生健康委办公厅关于…的通知); a table
    cell gives way to a headline of the same text."""
    body = root.find(".//body")
    best: tuple[tuple[int, bool], str, Element] | None = None
    for element in body.iter() if body is not None else ():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title", "a", "option"):
            continue
        own = squash(element.text or "")
        if len(own) >= 6 and own in page_title and squash(text_of(element)) == own:
            rank = (len(own), element.tag != "td")
            if best is None or rank > best[0]:
                best = (rank, own, element)
    return [(best[1], best[2])] if best else []


_DATE_CLASS = re.compile(
    r"(?:^|[\s_\-])(?:h-time|time|date|datetime|timestamps?|published|pubtime|pub-time|pubdate|publish-?time|"
    r"publish-?date|dateline|info)(?:$|[\s_\-])"
)


def _in_comments(element: Element) -> bool:
    """Whether the element sits inside readers' comments, which carry times of their own."""
    return any("comment" in (a.get("class") or "").lower() for a in element.iterancestors())


def _date_element(root: Element) -> str:
    """Text of the first element whose class or id says it holds the date (span.h-time on xinhuanet)."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        classes, ident = element.get("class"), element.get("id")
        if not classes and not ident:
            continue
        attrs = f"{classes or ''} {ident or ''}".lower()
        # Every word of _DATE_CLASS holds one of these: most elements are ruled out without the regex.
        if not ("time" in attrs or "date" in attrs or "publish" in attrs or "info" in attrs):
            continue
        if _DATE_CLASS.search(attrs):
            if _in_comments(element):
                continue  # a reader's comment has a time too
            text = squash(text_of(element))
            if text and (parse_date(text) or _epoch_date(text)):
                return text[:100]
    return ""


# Milliseconds or seconds since 1970 (huanqiu.com's <textarea class="article-time">1766895660000</textarea>),
# read as the date in Beijing, where the pages are published.
_EPOCH = re.compile(r"^(1[5-9]\d{8}|1[5-9]\d{11})$")
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def _epoch_date(text: str) -> datetime.date | None:
    match = _EPOCH.match(text)
    if match is None:
        return None
    seconds = int(match.group(1))
    seconds = seconds // 1000 if seconds > 10**11 else seconds
    return datetime.datetime.fromtimestamp(seconds, _BEIJING).date()


def _metadata_table(root: Element) -> dict[str, str]:
    table: dict[str, str] = {}
    for element in root.iter():
        text = element.text
        if not text or len(text) > 90 or not isinstance(element.tag, str):
            continue
        match = _LABEL.match("".join(text.split())) if len(text) <= 16 else None
        if not match:
            # A label and its value in one cell: <td>发布机构：湖北省经济和信息化厅</td>
            inline = _INLINE_LABEL.match(squash(text)) if len(element) == 0 else None
            if inline and _TABLE_LABELS[inline.group(1)] not in table:
                value = _NEXT_LABEL.split(inline.group(2), maxsplit=1)[0].strip()
                if value:
                    table[_TABLE_LABELS[inline.group(1)]] = value
            continue
        key = _TABLE_LABELS[match.group(1)]
        if key in table:
            continue
        value = _value_after(element)
        if value:
            table[key] = value
    # One "标题" label on a page is a widget caption; a metadata table has several labels.
    return table if len(table) >= 2 else {}


def _value_after(label: Element) -> str | None:
    """The value cell of a label: the label's next sibling, or its parent's (<td><b>发文机关：</b></td>)."""
    element = label
    for _ in range(3):
        own_tail = squash(element.tail or "")
        if own_tail:
            return own_tail
        sibling = element.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is not None:
            value = squash(text_of(sibling))
            return value or None
        parent = element.getparent()
        if parent is None or squash(text_of(parent)) != squash(text_of(element)):
            return None
        element = parent
    return None


_DATE_LINE_MAX = 80


_TEXTS_AFTER = etree.XPath("following::text()[normalize-space()][position() <= 30]")  # compiled once


def _date_zone(h1: Element) -> str:
    """The text right after the headline, where news and government pages print their date line."""
    try:
        texts = _TEXTS_AFTER(h1)
    except Exception:  # pragma: no cover - lxml XPath errors on odd trees
        return ""
    # The date line is short and comes before the article: a date inside the first paragraph of the
    # text ("…自2025年9月1日起施行") is what the article is about, not when it was published.
    short = []
    for node in texts:
        parent = node.getparent() if hasattr(node, "getparent") else None
        if parent is not None and (_in_comments(parent) or "comment" in (parent.get("class") or "").lower()):
            break  # readers' comments come after the article, with their own times
        text = squash(str(node))
        if len(text) > _DATE_LINE_MAX:
            break
        short.append(text)
    return " ".join(short)[:300]


def build_metadata(info: dict[str, object], body_text: str, language: str | None) -> PageMetadata:
    metas: dict[str, str] = info.get("metas", {})  # type: ignore[assignment]
    table: dict[str, str] = info.get("table", {}) or {}  # type: ignore[assignment]
    title = _choose_title(info, metas, table)
    published = _published(info, metas, table)
    doc_number = normalize_doc_number(table.get("doc_number"))
    title_issuer = _title_issuer(title)
    issuer = _join_bodies(table.get("issuer")) if table.get("issuer") else None
    if issuer is None and table.get("publisher"):
        # 政策解读 and news pages of a department name it as 发布机构 (the document they explain has
        # its own issuer, which the regulation mention carries).
        issuer = table["publisher"]
    official = bool(title and OFFICIAL_TITLE.search(title.rstrip("》）)")))
    if issuer is None and official:
        signed = _signature_issuer(body_text)
        # 国家发展改革委等部门关于…: the title sums the issuers up, the signature lines name them all.
        summary = title_issuer is not None and title_issuer.endswith("部门")
        issuer = (signed or title_issuer) if summary else (title_issuer or signed)
    if doc_number is None and official:
        doc_number = _doc_number_line(body_text)
    if doc_number is None and title:
        doc_number = _number_heading_title(title)
    return PageMetadata(
        title=title,
        published=published,
        issuer=issuer,
        doc_number=doc_number,
        language=language,
        html_lang=info.get("html_lang"),  # type: ignore[arg-type]
        table=table,
        title_issuer=title_issuer,
    )


def strip_site_suffix(title: str) -> str:
    """The title without trailing site and column names (_国务院文件_中国政府网, -新华网, | Reuters)."""
    title = squash(title)
    while True:
        parts = list(_TITLE_SEPARATOR.finditer(title))
        if not parts:
            return title
        last = parts[-1]
        tail = title[last.end() :]
        head = title[: last.start()]
        separator = last.group(0).strip()
        bare_hyphen = last.group(0) == "-"
        if bare_hyphen and not re.search(r"[\u4e00-\u9fff]", head):
            return title  # a bare hyphen joins English words (self-reliance); it separates Chinese titles
        # Digits in a tail after a dash are part of the title (（2018-2020年）); after _ or | they are
        # an issue of a column (__2007年第23号国务院公报_中国政府网).
        if not head or not tail or len(tail) > 40 or (re.search(r"\d", tail) and separator[:1] not in "_|｜"):
            return title
        if _SITE_WORDS.search(tail) or (
            # A short tail after the site's own separator is a site or column name: 热点_中国政府网,
            # 阿里发布最强AI芯片-EDN 电子技术设计, … | Reuters
            len(tail) <= 20
            and len(head) >= 2 * len(tail)
            and separator[:1] in ("_", "|", "｜", "-", ">", "»")
        ):
            title = head
            continue
        return title


def _choose_title(info: dict[str, object], metas: dict[str, str], table: dict[str, str]) -> str | None:
    raw_title = info.get("title") or ""
    og = next((metas[k] for k in _TITLE_METAS if metas.get(k)), "")
    cleaned = strip_site_suffix(str(raw_title)) if raw_title else ""
    h1s = [text for text, _ in info.get("h1", [])]  # type: ignore[attr-defined]
    references = [r for r in (str(raw_title), og, table.get("title", "")) if r]
    confirmed = [
        h1
        for h1 in h1s
        if any(h1 in ref or (len(ref) >= 6 and strip_site_suffix(ref) in h1) for ref in references)
    ]
    if confirmed:  # the longest: a logo's <h1>Site name</h1> is in the <title> too, but shorter
        headline = max(confirmed, key=len)
        # 主标题——副标题: the <title> carries the subtitle that the page sets under the <h1>.
        if cleaned.startswith(headline) and cleaned[len(headline) :].startswith(("——", "—", "--")):
            return cleaned
        return headline
    if table.get("title"):
        return table["title"]
    if og:
        return strip_site_suffix(og)
    if cleaned:
        return cleaned
    return h1s[0] if h1s else None


# A timestamp in UTC with its time of day: 2026-03-05T17:05:00.000Z, 2026-03-16T23:00:00+00:00.
_UTC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$")


def _local_date(stamp: str, value: datetime.date, info: dict[str, object]) -> datetime.date:
    """The date a reader of the page sees for a UTC timestamp: an outlet east or west of Greenwich
    (Sydney, Tokyo, New York) prints its own day, which the <time> element carrying the same stamp
    shows as text ("Fri 6 Mar 2026 at 4:05am" for 2026-03-05T17:05Z)."""
    if not _UTC_STAMP.match(stamp.strip()):
        return value
    texts: dict[str, str] = info.get("time_texts", {}) or {}  # type: ignore[assignment]
    shown = parse_date(
        texts.get(stamp) or next((t for k, t in texts.items() if parse_date(k) == value), None)
    )
    # Without a <time> element, the date the page prints: in an element whose class says date, or in
    # the line under the headline (<span class="posted-on">24 Mar 2026</span>).
    shown = (
        shown
        or date_line_date(str(info.get("date_element") or ""))
        or date_line_date(str(info.get("date_zone") or ""))
    )
    if shown is not None and abs((shown - value).days) == 1:
        return shown
    return value


def _published(info: dict[str, object], metas: dict[str, str], table: dict[str, str]) -> datetime.date | None:
    value = parse_date(table.get("published"))
    if value:
        return value
    for key in _DATE_METAS:
        stamp = metas.get(key)
        value = parse_date(stamp)
        if value and stamp:
            return _local_date(stamp, value, info)
    raw = str(info.get("raw") or "")
    match = _script_date(raw)
    if match:
        value = parse_date(match.group(1))
        if value:
            return value
    for stamp in info.get("times", []) or []:  # type: ignore[attr-defined]
        value = parse_date(stamp)
        if value:
            return _local_date(stamp, value, info)
    value = date_line_date(str(info.get("date_zone") or ""))
    if value:
        return value
    value = date_from_url(info.get("url"))  # type: ignore[arg-type]
    if value:
        return value
    element = str(info.get("date_element") or "")
    value = date_line_date(element) or _epoch_date(element)
    if value:
        return value
    match = _CMS_STAMP.search(raw)
    if match:
        return parse_date(match.group(1))
    return None


def _join_bodies(value: str | None) -> str | None:
    """Issuing bodies as one 、-separated list: tables separate them with spaces or U+3000."""
    if not value:
        return None
    parts = [p for p in re.split(r"[\s、，,；;]+", value) if p]
    return "、".join(parts) if parts else None


def _title_issuer(title: str | None) -> str | None:
    """The body named before 关于 in an official title: 国家互联网信息办公室关于《…》公开征求意见的通知."""
    if not title or "关于" not in title:
        return None
    head = title.split("关于", 1)[0].strip()
    if not head or len(head) > 80:
        return None
    bodies = [b for b in re.split(r"[\s、，,]+", head) if b]
    if bodies and all(
        _ORG_SUFFIX.search(b) or b.endswith(("等八部门", "等部门")) or "部门" in b for b in bodies
    ):
        return "、".join(bodies)
    return None


def _signature_issuer(text: str) -> str | None:
    """The signing bodies of an official document: short lines of body names right before a line that
    is only a date (国家互联网信息办公室 / 工业和信息化部 / … / 2025年3月7日)."""
    lines = [line.strip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        if not _DATE_LINE.match(line):
            continue
        bodies: list[str] = []
        j = i - 1
        while j >= 0 and 2 <= len(lines[j]) <= 30 and _ORG_SUFFIX.search(lines[j].replace(" ", "")):
            bodies.insert(0, lines[j].replace(" ", ""))
            j -= 1
        if bodies:
            return "、".join(bodies)
    return None


def _number_heading_title(title: str) -> str | None:
    """The number an announcement is titled by: 海关总署公告2026年第118号（关于…的公告）."""
    found = find_doc_numbers(title[:40])
    return found[0][2] if found and found[0][0] == 0 else None


def _doc_number_line(text: str) -> str | None:
    """A 文号 standing alone on one of the first lines of an official document's text."""
    for line in text.split("\n")[:6]:
        line = line.strip()
        if len(line) <= 30:
            number = normalize_doc_number(line)
            if number and len(line) <= len(number) + 4:
                return number
    return None
