"""Text normalisation: the form in which versions are stored and compared.

Pages are compared as normalised main text, never as HTML. A normaliser is a chain of small filters,
each registered by a kind name (urlwatch-style); the default chain folds whitespace and removes page
noise (view counters, clocks, print and share widgets) and the source's own ignore patterns. The text
keeps its paragraphs for reading and diffing; the comparison key is NFKC-folded and folds paragraph
breaks too, so a page that only re-flows its lines or swaps full-width for half-width forms is
unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

# CJK ideographs and the CJK punctuation and full-width forms around them. A space between two such
# characters, or between one and a punctuation mark, is layout (gov.cn writes 发 文 机 关, 标  题), never
# meaning.
CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}]|[^\w\s])|(?<=[^\w\s])[ \t]+(?=[{CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


class TextFilter:
    """One normalisation step over the text's lines. Subclasses register themselves by `kind`."""

    kind: ClassVar[str]
    registry: ClassVar[dict[str, type[TextFilter]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            TextFilter.registry[cls.kind] = cls

    def apply(self, lines: list[str]) -> list[str]:
        raise NotImplementedError


class UnicodeFilter(TextFilter):
    """NFKC: full-width Latin letters and digits become ASCII, compatibility forms fold."""

    kind = "nfkc"

    def apply(self, lines: list[str]) -> list[str]:
        return [unicodedata.normalize("NFKC", line) for line in lines]


class WhitespaceFilter(TextFilter):
    """Whitespace folded: runs of spaces become one, none between CJK characters, blank lines go."""

    kind = "whitespace"

    def apply(self, lines: list[str]) -> list[str]:
        folded = []
        for line in lines:
            line = _SPACES.sub(" ", line).strip()
            line = _SPACE_BETWEEN_CJK.sub("", line)
            if line:
                folded.append(line)
        return folded


# Page furniture that changes between fetches without the document changing. Each pattern is removed
# where it matches; a line left empty disappears.
_NOISE_PATTERNS = [
    # View, read and click counters: 浏览次数：1234, 阅读量 5.6万, 点击数:12, 1,234 views, Views: 88
    r"[【\[]?(?:浏览|阅读|点击|访问|查看|围观)(?:次数|量|数|人数)?\s*[:：]\s*[\d,.]+\s*[万千]?\s*次?[】\]]?",
    r"(?:浏览|阅读|点击|访问)(?:次数|量|数)\s*[\d,.]+\s*[万千]?\s*次?",
    r"[\d,.]+\s*[万千]?\s*(?:次浏览|次阅读|人阅读|人浏览|人看过|次播放|条评论|人参与|人收藏)",
    r"(?i)\b(?:views?|page ?views|reads|hits|visits)\s*[:：]\s*[\d,.]+[km]?\b",
    r"(?i)\b[\d,.]+[km]?\s+(?:views|reads|comments|shares|likes)\b",
    r"(?i)\bcomments?\s*\(\s*\d+\s*\)",
    r"(?:评论|跟帖|参与)\s*[(（]\s*\d+\s*[)）]",
    # Clocks: 今天是2026年11月26日 星期四, 当前时间：2026-11-26 21:30:05, 页面生成时间 ...
    r"(?:今天是|今日|当前时间|现在时间|北京时间)\s*[:：]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?",
    r"(?:页面生成时间|生成时间)\s*[:：]?\s*[\d\-/: 年月日]+",
    r"(?i)(?:current time|last refreshed|page generated)\s*[:：]?\s*[\w\-/:, ]+?\d{1,2}:\d{2}(?::\d{2})?",
    # Print, close, font-size and correction widgets, in their bracketed forms.
    r"[【\[]\s*(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|纠错|收藏|保存|下载|返回顶部|我要纠错|字体\s*[:：]?"
    r"\s*[大中小](?:\s*[大中小]){0,2})\s*[】\]]",
    r"(?i)\[\s*(?:print|close(?: window)?|e-?mail|share|font ?size\s*[+\-]?)\s*\]",
    r"(?i)^(?:print(?: this page)?|close window|back to top|share this(?: article| page)?|share)\s*$",
    r"^(?:打印本页|关闭窗口|返回顶部|打印|关闭)\s*$",
    r"^字体\s*[:：]?\s*[大中小](?:\s*[大中小]){0,2}\s*$",
    # Share bars: 分享到：微信 微博 QQ空间, Share on: Facebook Twitter ...
    r"(?:分享到|分享至|一键分享)\s*[:：]?(?:\s*(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|QQ|朋友圈|豆瓣|人人网?|抖音|"
    r"今日头条|复制链接|更多))*",
    r"(?i)\bshare\s+(?:on|to|this)\s*[:：]?(?:\s*(?:facebook|twitter|x|linkedin|weibo|wechat|whatsapp|reddit|"
    r"e-?mail|copy link))+",
]


class NoiseFilter(TextFilter):
    """Page noise: view counters, clocks, print/close/font widgets and share bars."""

    kind = "noise"
    patterns: ClassVar[list[re.Pattern[str]]] = [re.compile(p, re.MULTILINE) for p in _NOISE_PATTERNS]

    def apply(self, lines: list[str]) -> list[str]:
        cleaned = []
        for line in lines:
            for pattern in self.patterns:
                line = pattern.sub(" ", line)
            cleaned.append(line)
        return cleaned


class IgnoreFilter(TextFilter):
    """The source's own `ignore` patterns (regular expressions), removed where they match."""

    kind = "ignore"

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self.patterns = [re.compile(p) for p in patterns]

    def apply(self, lines: list[str]) -> list[str]:
        if not self.patterns:
            return lines
        cleaned = []
        for line in lines:
            for pattern in self.patterns:
                line = pattern.sub(" ", line)
            cleaned.append(line)
        return cleaned


@dataclass(frozen=True)
class NormalizedText:
    text: str  # paragraphs separated by "\n", for storing, reading and diffing
    key: str  # the comparison form: paragraph breaks folded too
    sha256: str  # of the key: equal hashes mean an unchanged document


class TextNormalizer:
    """The filter chain for one source.

    The stored text keeps the page's own characters (Chinese punctuation stays full-width, so it
    reads as written); the comparison key is additionally NFKC-folded, so width variants of the same
    text never make a new version.

    >>> TextNormalizer().normalize("浏览次数：12\\n  人工智能 ＋ 行动  ").text
    '人工智能＋行动'
    """

    def __init__(self, ignore: Sequence[str] = (), filters: Sequence[TextFilter] | None = None) -> None:
        if filters is None:
            # Whitespace first so that noise patterns see folded text, and again at the end to fold
            # what the removals leave behind.
            filters = [WhitespaceFilter(), NoiseFilter(), IgnoreFilter(ignore), WhitespaceFilter()]
        self.filters = list(filters)

    def normalize(self, text: str) -> NormalizedText:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for text_filter in self.filters:
            lines = text_filter.apply(lines)
        key_lines = WhitespaceFilter().apply(UnicodeFilter().apply([" ".join(lines)]))
        key = key_lines[0] if key_lines else ""
        return NormalizedText("\n".join(lines), key, hashlib.sha256(key.encode("utf-8")).hexdigest())


DEFAULT_NORMALIZER = TextNormalizer()
