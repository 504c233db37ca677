"""The main text of a page: the source's content selector when it has one, else the container the real
sites are known to use, else the block with the most running text and the fewest links. Navigation,
headers, footers, sidebars, related-links boxes, comments, share bars, breadcrumbs and copyright lines
never reach the text, so nothing downstream (mentions, relevance, change detection) sees them."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from crawler.extract.dom import Element, class_id, drop, select
from crawler.extract.textutil import squash

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: bool = False  # a section title (h2..h6, or a short all-bold line as gov.cn and news sites write)


@dataclass(frozen=True)
class MainText:
    paragraphs: list[Paragraph]
    method: str  # how the container was found: selector | hint | density | body | none

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


_JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "button",
    "input", "select", "textarea", "option", "map", "audio", "video", "source", "link", "meta",
)  # fmt: skip
_BOILERPLATE_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
# Class or id words of page furniture, matched as whole words of the attribute (split on space, _ and
# -), so "detailLeft" or "TRS_Editor" never match by accident. Pinyin abbreviations are those of Chinese
# CMSs: xglj 相关链接, xgwz 相关文章, tjyd 推荐阅读, rdtj 热点推荐, liuyan 留言, ewm 二维码.
_BOILERPLATE_WORDS = (
    r"nav|navbar|navigation|menu|menus|breadcrumbs?|crumbs?|bread|location|position|share|shares|sharing"
    r"|social|bdsharebuttonbox|comments?|commentbox|comment_que|related|relate|relates|recommend\w*|hot\w*"
    r"|popular|rank\w*|tags?|topics|keywords?|copyright|copyrighttip|disclaimer|cookie\w*|advert\w*|ads?|adv"
    r"|sponsor\w*|print\w*|tools?|toolbar|pagination|pager|subscribe|newsletter|signup|login|search|footer"
    r"|foot|header|masthead|sidebar|side|widget|qr\w*|ewm|gotop|backtop|read|next|more|further|bio"
    r"|contacts|paywall|xglj|xgwz|xgxw|xgwj|tjyd|rdtj|liuyan|pinglun|fenxiang|byline|kicker|dateline"
    r"|summary|subhead|function|fontsize|font|trust|credits|cbtn|banner"
)
_BOILERPLATE_WORD = re.compile(rf"(?:^|[\s_\-])({_BOILERPLATE_WORDS})(?=$|[\s_\-])")
_POSITIVE = re.compile(
    r"article|content|detail|text|body|main|zoom|editor|txt|con\b|entry|post|story|news|zw|rich"
)
_NEGATIVE = re.compile(
    r"comment|related|share|sidebar|side|footer|nav|menu|recommend|hot|rank|list|link|ad\b|banner|popular"
)

# The real sites' own containers of the main text, most specific first (PAGE_STRUCTURE.md): a matching
# element with some text is taken as it is.
_HINT_IDS = (
    "ucap-content", "zoom", "p-detail", "rwb_zw", "detailcontent", "maintext",
    "artibody",  # sina.com.cn
    "mp-editor",  # sohu.com
    "content_area",  # cctv.com
)  # fmt: skip
_HINT_CLASSES = (
    "trs_editor", "trs_ueditor", "pages_content",
    "left_zw",  # chinanews.com.cn
    "post_body",  # 163.com
    "article-content", "article-body",
)  # fmt: skip
_MIN_HINT_TEXT = 30

# fmt: off
_BLOCK_TAGS = frozenset([
    "p", "div", "section", "article", "main", "td", "th", "tr", "table", "li", "ul", "ol", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "header", "footer", "nav", "aside", "figure",
    "figcaption", "address", "center", "hr", "form", "fieldset", "details", "summary", "caption", "tbody",
    "thead", "tfoot",
])
# fmt: on
_SENTENCE_PUNCTUATION = re.compile(r"[，,。；;！？!?]")
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BOLD_TAGS = frozenset(("strong", "b"))
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "li", "dd", "td", "h2", "h3", "h4", "h5", "h6"))
_CONTAINER_TAGS = frozenset(("div", "section", "article", "main", "span", "td", "font", "center"))

# Whole lines that are page furniture even inside the main container: editors, print/close widgets,
# share prompts, QR prompts, copyright notes.
_FURNITURE_LINE = re.compile(
    r"^(?:[（(【\[]?\s*(?:责任编辑|责编|编辑|编\s*辑|责\s*编|校对|审核|来源|稿源|监制|制作)\s*[:：].{0,40}?[)）】\]]?"
    r"|[【\[]?(?:纠错|打印|打印本页|关闭|关闭窗口|返回顶部|收藏|我要纠错)[】\]]?(?:\s*[【\[]?(?:纠错|打印|打印本页|关闭"
    r"|关闭窗口|返回顶部|收藏)[】\]]?)*"
    r"|分享到?[:：].*|扫一扫.*|.*版权所有.*|.*未经(?:书面)?授权.{0,20}(?:转载|使用|复制).*"
    r"|\(?Editor:.*\)?|Reporting by .*|Editing by .*|Share:.*|Copyright .*|©.*|All rights reserved.*)$",
    re.IGNORECASE,
)


# Furniture lines are short: a long paragraph that mentions 版权所有 is text about copyright.
_FURNITURE_MAX = 80
# A teaser for another article set in the text ("Also: China's rules on labeling AI-generated content:
# What developers need to know", "READ MORE: …", 相关阅读：…): a headline, so up to two lines long.
_TEASER_LINE = re.compile(
    r"^(?:Also|Read more|Read also|See also|Related|Recommended|相关阅读|延伸阅读|推荐阅读)\s*[:：]",
    re.IGNORECASE,
)
_TEASER_MAX = 160
_LIST_BULLET = re.compile(r"[▶►▸▷•·●◆◇■□→»]")


def extract_main_text(
    root: Element | None, content_selector: str | None = None, exclude: Sequence[str] = ()
) -> MainText:
    """The main text of a parsed page (the tree is modified: excluded and junk elements are removed)."""
    if root is None:
        return MainText([], "none")
    for selector in exclude:
        for element in select(root, selector):
            drop(element)
    etree.strip_elements(root, *_JUNK_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root

    containers: list[Element] = []
    method = "none"
    if content_selector:
        matches = [el for el in select(root, content_selector) if _text_length(el) > 0]
        containers = _outermost(matches)
        method = "selector"
        if not containers:
            log.debug("content selector %r matched no text; falling back", content_selector)
    if not containers:
        hint = _hinted_container(body)
        if hint is not None:
            containers, method = [hint], "hint"
    if containers:
        for container in containers:
            _remove_boilerplate(container, protect=None)
    else:
        _remove_boilerplate(body, protect=body)
        best = _densest_block(body)
        # A list of long items (Semafor's "Know More" bullets) is a part of the article, not all of it:
        # the article is what holds the list, with its running-text siblings.
        while best is not None and best.tag in ("ul", "ol", "dl") and best.getparent() not in (None, body):
            best = best.getparent()
        if best is not None:
            containers, method = _with_text_siblings(best), "density"
        else:
            containers, method = [body], "body"

    paragraphs: list[Paragraph] = []
    for container in containers:
        paragraphs.extend(_paragraphs(container))
    if not paragraphs and method != "body" and containers[0] is not body:
        paragraphs, method = _paragraphs(body), "body"
    return MainText(paragraphs, method)


def _outermost(elements: list[Element]) -> list[Element]:
    """Matches that are not inside another match, so nested matches do not repeat text."""
    chosen = set(elements)
    result = []
    for element in elements:
        if not any(ancestor in chosen for ancestor in element.iterancestors()):
            result.append(element)
    return result


def _text_length(element: Element) -> int:
    return len("".join(element.itertext()).strip())


# Compiled once: lxml compiles an expression given to .xpath() on every call.
_WITH_ID_OR_CLASS = etree.XPath("descendant-or-self::*[@id or @class]")


def _hinted_container(body: Element) -> Element | None:
    best: tuple[int, int] | None = None
    best_element = None
    # Only elements with an id or a class can carry a hint; XPath finds them without a Python step
    # per element of the page.
    for element in _WITH_ID_OR_CLASS(body):
        ident = (element.get("id") or "").lower()
        cls = element.get("class")
        rank = None
        if ident in _HINT_IDS:
            rank = _HINT_IDS.index(ident)
        elif cls:
            words = cls.lower().split()
            for i, name in enumerate(_HINT_CLASSES):
                if name in words:
                    rank = len(_HINT_IDS) + i
                    break
        if rank is None or (best is not None and rank >= best[0]):
            continue
        length = _text_length(element)
        if length >= _MIN_HINT_TEXT:
            best = (rank, length)
            best_element = element
    return best_element


# Class words that mark furniture on most sites but name a part of the article on some (Semafor's
# "Know More" and "Step Back" sections, a "summary" lead): an element they mark is kept when it holds
# running text, not links.
_WEAK_WORDS = frozenset(("more", "further", "read", "next", "summary", "subhead", "kicker"))
_RUNNING_PARAGRAPH = 80  # characters of a paragraph's own text (links left out)


def _is_boilerplate(element: Element) -> bool:
    if element.tag in _BOILERPLATE_TAGS:
        return True
    attrs = class_id(element)
    words = _boilerplate_words(attrs) if attrs else _NO_WORDS
    if not words:
        return False
    return not (words <= _WEAK_WORDS and _holds_running_text(element))


_NO_WORDS: frozenset[str] = frozenset()


# A page repeats a few class names hundreds of times (every <li class="item">), and so do the pages of
# one site: the words of each class string are found once.
@functools.lru_cache(maxsize=4096)
def _boilerplate_words(attrs: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _BOILERPLATE_WORD.finditer(attrs))


def _holds_running_text(element: Element) -> bool:
    """Two or more paragraphs of prose that are not links (a list of headlines is not running text)."""
    prose = 0
    for paragraph in element.iter("p", "li", "dd", "blockquote"):
        linked = sum(len("".join(a.itertext())) for a in paragraph.iter("a"))
        if len("".join(paragraph.itertext())) - linked >= _RUNNING_PARAGRAPH:
            prose += 1
            if prose >= 2:
                return True
    return False


def _remove_boilerplate(container: Element, protect: Element | None) -> None:
    """Drop furniture inside the container. When the whole body is searched, an element holding most of
    the page's text is kept whatever its class says (a site that wraps its article in "header-wrap")."""
    doomed = [el for el in container.iterdescendants() if isinstance(el.tag, str) and _is_boilerplate(el)]
    if not doomed:
        return
    total = _text_length(protect) if protect is not None else 0
    removed: set[Element] = set()
    for element in doomed:
        if any(ancestor in removed for ancestor in element.iterancestors()):
            continue
        if protect is not None and total and _text_length(element) > 0.5 * total:
            continue
        removed.add(element)
        drop(element)


def _densest_block(body: Element) -> Element | None:
    """The element whose paragraphs carry the most running text (Readability's scoring, adapted to
    Chinese, where a paragraph has few commas but many characters per comma)."""
    scores: dict[Element, float] = {}
    for element in body.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _PARAGRAPH_TAGS:
            text, owner = "".join(element.itertext()), element.getparent()
        elif tag in _CONTAINER_TAGS:
            if any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element):
                # Text written straight into a container between <br>s and empty <div>s (thepaper.cn):
                # the container is its own paragraphs' parent.
                text, owner = _own_text(element), element
            else:
                text, owner = "".join(element.itertext()), element.getparent()
        else:
            continue
        text = text.strip()
        if len(text) < 20 or owner is None:
            continue
        links = sum(len("".join(a.itertext())) for a in element.iter("a"))
        if links > 0.5 * len(text):
            continue
        punctuation = len(_SENTENCE_PUNCTUATION.findall(text))
        # Running text has sentence punctuation; "label：value" metadata rows and link lists do not.
        score = 1.0 + punctuation + min(len(text) / 60.0, 5.0) if punctuation else 0.25
        scores[owner] = scores.get(owner, 0.0) + score
        grandparent = owner.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + score / 2.0
    best = None
    best_score = 0.0
    for element, score in scores.items():
        attrs = class_id(element)
        if attrs:
            if _POSITIVE.search(attrs):
                score *= 1.25
            if _NEGATIVE.search(attrs):
                score *= 0.5
        text_len = _text_length(element) or 1
        links = sum(len("".join(a.itertext())) for a in element.iter("a"))
        score *= 1.0 - min(links / text_len, 1.0)
        if score > best_score:
            best, best_score = element, score
    return best


# A sibling of the densest block is part of the article when it is running text of its own: an
# editor's note above a translation, a lead paragraph set apart from the body (Readability does the same).
_SIBLING_MIN_TEXT = 80
_SIBLING_MAX_LINK_SHARE = 0.25
_SIBLING_MIN_RUN = 50  # characters of one uninterrupted piece of text: a sentence, not a headline


def _with_text_siblings(best: Element) -> list[Element]:
    parent = best.getparent()
    if parent is None:
        return [best]
    chosen = []
    for sibling in parent:
        if sibling is best:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling.tag not in _SIBLING_TAGS:
            continue
        pieces = [piece.strip() for piece in sibling.itertext()]
        text = "".join(pieces)
        marks = len(_SENTENCE_PUNCTUATION.findall(text)) + len(_ENGLISH_SENTENCE_END.findall(text))
        if len(text) < _SIBLING_MIN_TEXT or marks < 2:
            continue
        if max(map(len, pieces)) < _SIBLING_MIN_RUN:
            continue  # headlines and dates one after another: a list, not prose
        links = sum(len("".join(a.itertext())) for a in sibling.iter("a"))
        if links <= _SIBLING_MAX_LINK_SHARE * len(text):
            chosen.append(sibling)
    return chosen


_SIBLING_TAGS = frozenset(("p", "div", "section", "blockquote"))
# The end of an English sentence: two of them make prose as two commas do.
_ENGLISH_SENTENCE_END = re.compile(r"[a-z]\.(?=\s|$)")


def _own_text(element: Element) -> str:
    """The element's text outside its block-level children."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraphs(container: Element) -> list[Paragraph]:
    """The container's text as paragraphs: one per block element and per <br> run."""
    out: list[Paragraph] = []
    pieces: list[str] = []
    bold_pieces: list[bool] = []
    bold_depth = 0
    # After a header standing alone (推荐阅读：), the lines of its list are teasers too: the rest of the
    # header's block, and the bulleted lines after it (▶ 《…》全文解读).
    teaser_list = False
    teaser_block = False

    def flush(heading: bool = False) -> None:
        nonlocal teaser_list, teaser_block
        if not pieces:
            return
        text = squash("".join(pieces))
        # A short line set in bold throughout is a heading (any() first: most lines have no bold).
        bold_line = (
            not heading
            and len(text) <= 40
            and any(bold_pieces)
            and all(b for piece, b in zip(pieces, bold_pieces, strict=True) if piece.strip())
            and not text.endswith(("。", ".", "；", "："))
        )
        pieces.clear()
        bold_pieces.clear()
        if not text:
            return
        if teaser_list:
            if len(text) <= _TEASER_MAX and (teaser_block or _LIST_BULLET.match(text)):
                return
            teaser_list = teaser_block = False
        if len(text) <= _FURNITURE_MAX and _FURNITURE_LINE.match(text):
            return
        teaser = _TEASER_LINE.match(text) if len(text) <= _TEASER_MAX else None
        if teaser is not None:
            if not text[teaser.end() :].strip():
                teaser_list = teaser_block = True
            return
        out.append(Paragraph(text, heading or bold_line))

    for event, element in etree.iterwalk(container, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            if event == "end" and element.tail:
                pieces.append(element.tail)
                bold_pieces.append(bold_depth > 0)
            continue
        if event == "start":
            if pieces and (tag in _BLOCK_TAGS or tag == "br"):
                flush()
            if tag in _BOLD_TAGS:
                bold_depth += 1
            if element.text:
                pieces.append(element.text)
                bold_pieces.append(bold_depth > 0)
        else:
            if tag in _BOLD_TAGS:
                bold_depth -= 1
            if tag in _BLOCK_TAGS:
                if pieces:
                    flush(heading=tag in _HEADING_TAGS)
                teaser_block = False
            if element is not container and element.tail:
                pieces.append(element.tail)
                bold_pieces.append(bold_depth > 0)
    flush()
    return out
