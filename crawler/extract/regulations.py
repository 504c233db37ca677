"""Regulation mentions: laws, rules, plans and standards that the main text names.

Found as Chinese titles in 《》 with a document-type ending (法, 条例, 办法, 意见, 规划 …), as names of
known documents written without marks (网络安全法, Interim Measures for the Management of Generative
Artificial Intelligence Services, PIPL), as English titles (Measures for …, Provisions on …, … Law of the
People's Republic of China), and as the page's own document. The gazetteer (data/regulations.toml)
makes every name of one document one mention with one canonical id.

Status comes from the words around each occurrence: a draft marker in or next to the title (征求意见稿,
草案, draft, for public comment, is being prepared) makes it a draft; the page saying it was issued or
took effect (印发, 发布, 施行, issued, took effect, in force) makes it final; else the page does not say
(None). Citing a document as the legal basis (根据《…》, 贯彻落实《…》, in accordance with, under) says
nothing about its status and is not a cue. One final occurrence outweighs drafts: a page reporting the
final text may recall the draft it came from."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.extract.docnumbers import find_doc_numbers, normalize_doc_number
from crawler.extract.gazetteer import DRAFT_SUFFIX, Regulation, load_regulations, title_key
from crawler.extract.metadata import OFFICIAL_TITLE
from crawler.extract.taxonomy import load_taxonomy
from crawler.extract.text import Paragraph
from crawler.extract.textutil import match_form, split_sentences
from storage.mentions import MentionRecord, fold

log = logging.getLogger(__name__)

_BOOK_TITLE = re.compile(r"《([^《》\n]{1,120})》")
# Endings of document titles, after an optional parenthetical (（试行） （2024版） （2018－2020年）).
_DOC_ENDING = re.compile(
    r"(?:法|法典|条例|规定|办法|意见|通知|规划|方案|指引|标准|框架|决定|规则|细则|纲要|指南|措施|计划|要求|决议|"
    r"公告|通告|倡议|原则|规范|令)$"
)
_TRAILING_PARENS = re.compile(r"(?:\s*[（(][^（）()]{1,20}[)）])+$")
# Titles in 《》 that are not regulations: proposals and suggestions, reports, and 法 words that are not
# laws.
_NOT_REGULATION = re.compile(r"(?:提案|建议|议案|报告|方法|做法|看法|想法|说法|算法|立法)$")
# A title that is only a document type with a short qualifier is a back-reference to a document named
# before (《意见》, 《实施意见》, 《标识办法》, 《行动计划》), never a new one.
_GENERIC_DOC_TYPES = re.compile(
    r"^.{0,2}(?:办法|意见|规定|条例|规划|方案|指引|指南|细则|规则|通知|决定|措施|计划|纲要|框架|标准|要求|规范)$"
)
_ABBREVIATION = re.compile(r"(?:以下简称|下称|简称)\s*[《“\"]([^》”\"]{1,20})[》”\"]")
# A document the speaker asks to be made (建议制定国家《通用人工智能发展规划》): part of a proposal, not
# an existing regulation.
_PROPOSED_BEFORE = re.compile(
    r"(?:制定|出台|编制|起草|研究制定|推出|配套出?)(?:配套的?)?(?:一部|一个|一份|一套|国家|全国|专门的?)?"
    r"(?:统一|专门|配套|全国性|国家级|具体|细化)?的?[“\"]?$|"
    r"(?<![提列推])出(?:一部|一个|一份|一套)[“\"]?$"
)
# The English of it: "commentators have suggested that a formal set of Administrative Measures on … will
# follow". An unknown title after an indefinite article, in a sentence that wishes or speculates.
_INDEFINITE_BEFORE_EN = re.compile(r"(?<![A-Za-z])(?:a|an)\s+(?:[a-z]+\s+){0,2}(?:set of\s+)?$")
_WISH_EN = re.compile(
    r"(?<![A-Za-z])(?:suggest|urg|call(?:ed|s|ing)? for|hop|want|should|would|will eventually|could|"
    r"propos|wish|push(?:ed|es|ing)? for)",
    re.IGNORECASE,
)
# Who asks or hopes for it: 建议, 呼吁; 我希望有关部门研究制定一份《…》.
_PROPOSAL_VERB = re.compile(r"建议|呼吁|提议|提案|提出|有必要|亟需|亟待|希望|期待|期盼|盼望|考虑")
# A department's own plan to make a document: 将研究出台《…》, and 研究起草《…》 in a plan's list of tasks
# (正在起草 is a draft in the making, and stays a mention).
_PLANNED_BEFORE = re.compile(
    r"(?:将|拟|计划|准备|适时)(?:研究|抓紧|加快)?(?:制定|出台|编制|推出)$|研究(?:制定|起草|出台|编制)$"
)
# 关于修改网络安全法的决定, written without marks around the whole title.
_AMENDMENT_DECISION = re.compile(r"关于修改《?[\u4e00-\u9fff]{2,30}?》?的决定")
_AMENDED_LAW = re.compile(r"关于修改[《〈<]?([\u4e00-\u9fff]{2,30}?)[》〉>]?的决定$")

# English titles that start with their document type: Measures for …, Provisions on …, Opinions on …
_EN_TYPE_FIRST = re.compile(
    r"(?<![A-Za-z])(?:(?:Interim|Provisional|Trial|Administrative|Implementing|Implementation|Several|"
    r"Guiding)\s+)*(?:Measures|Provisions|Regulations?|Rules|Opinions|Guidelines|Decision|Notice)\s+"
    r"(?:on|for|of|regarding|concerning)\s+"
)
# … Law of the People's Republic of China
_EN_PRC_LAW = re.compile(
    r"(?<![A-Za-z])(?:[A-Z][A-Za-z\-]*\s+(?:and\s+|of\s+|on\s+)?){1,7}Law\s+of\s+the\s+People's\s+Republic"
    r"\s+of\s+China"
)
# Whether a paragraph can hold an English title at all (skips the title scanners on the rest).
_EN_HINT = re.compile(
    r"Measures|Provisions|Regulation|Rules|Opinions|Guidelines|Decision|Notice|Republic of China"
)
_EN_FUNCTION_WORDS = frozenset(
    ["the", "a", "an", "of", "for", "on", "and", "in", "to", "with", "by", "as", "regarding", "concerning"]
)
_EN_TOKEN = re.compile(r"\S+")

# Status cues. Chinese: the nearest cue to an occurrence in its sentence decides.
_DRAFT_CUES_ZH = (
    r"征求意见稿|公开征求意见|征求意见|公开征求|征求对|(?<![修正订])草案|送审稿|审议稿|讨论稿|起草|草拟|"
    r"正在制定|正在起草"
)
_DRAFT_CUES = re.compile(
    _DRAFT_CUES_ZH + "|"
    r"(?<![A-Za-z])(?:draft|drafts|drafted|for (?:public )?comments?|is (?:being )?prepar\w+|"
    r"being (?:prepared|drafted)|consultation|comment period|"
    r"proposed (?:rules|measures|regulations|provisions|guidelines|amendments?)|drafting|"
    r"(?:yet to be|not yet(?: been)?) finali[sz]ed|"
    r"(?:seek|seeks|seeking|sought|solicit|solicits|soliciting|solicited) (?:public )?(?:comments?|feedback))"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_FINAL_CUES_ZH = (
    r"印发|发布|公布|颁布|施行|(?:起|正式|开始|已经?|已经?落地|同日|同步|当日|即日|日)实施|实施以来|生效|出台|"
    r"(?:表决|审议|会议)通过|通过了(?=《)|签署|"
    # 2023年10月，我国提出《全球人工智能治理倡议》: an initiative is issued by being put forward.
    r"提出(?=《[^》]{1,30}倡议》)|"
    # Not 已(经)对…作出规定 / 提出了要求: that says what a document contains, not that it is in force.
    # 已经 when what follows is its passage or issuance (已经国务院常务会议审议通过), not 方向已经很清楚.
    r"已(?=于|经(?!对)[\u4e00-\u9fff]{0,16}?(?:通过|批准|同意|施行|实施|发布|印发|公布|生效|出台)|先后|正式|出台|"
    r"发布|印发|施行|实施|生效|制定)|制定了|先后制定"
)
_FINAL_CUES = re.compile(
    _FINAL_CUES_ZH + "|"
    # "released for public comment" is a draft's cue, not this one.
    r"(?<![A-Za-z])(?:(?:issued|released|published)(?! for (?:public )?comment)|promulgated|enacted|adopted|"
    r"unveiled|announced|launched|became|finali[sz]ed|rolled out|took effect|"
    r"(?:went|goes|go) into (?:effect|force)|"
    # "the legislature amended the Cybersecurity Law", "was amended": not "the amended CSL", which
    # names the document (_AMENDED_BEFORE).
    r"(?:was|were|been) (?:amended|passed|approved)|"
    r"(?:amended|passed|approved)(?= (?:the|its own|their own) )|"
    # "the Cybersecurity Law, amended in October, …"
    r"(?<=, )amended (?:in|on|last|this|earlier)(?= )|"
    r"effective(?= (?:[A-Z][a-z]+\.? \d|\d))|"
    r"effective (?:from|as of|on)|"
    # "Since 1 September 2025, the Labeling Measures have required …": in force since a date.
    r"[Ss]ince (?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+\.? \d{1,2},?) \d{4}|"
    # "Since September, the Measures … have required", "Since September 1 this year, …".
    r"[Ss]ince (?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?: \d{1,2})?"
    r"(?:(?:,? \d{4}| this year| last year)(?!\d)|(?=,| under | by | with ))|"
    # "Since 2023, providers have been subject to the Interim Measures …"
    r"[Ss]ince (?:early |late |mid-)?(?:19|20)\d{2}(?![\d-])|"
    # "MIIT followed up with the Implementation Opinions", "made public Tuesday", "the final text
    # landed", "the plan that Beijing laid out in 2017".
    r"followed (?:up )?with|made public|landed|laid out|final (?:text|version)|"
    # "the Cybersecurity Law, as amended with effect from January 1", "is dated December 25", "the
    # Initiative that China put forward in 2023", "It was followed in 2021 by the Data Security Law".
    r"with effect from|(?:is|was|are|were) dated|put forward (?:in|on|last|this)|"
    r"(?:was|were) followed (?:in \d{4} |later )?by|"
    # "Shenzhen's Regulations … followed a month later", "… followed in November 2022": came out next.
    r"followed (?:(?:a|one|two|three|four|six|several|a few) (?:days?|weeks?|months?|years?) later|"
    r"(?:shortly|soon)(?= |,|\.)|in (?:(?:19|20)\d{2}|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?: \d{4})?)(?!\d))|"
    # "the guideline from last August", "the Opinions, dated Aug. 21,": out since a time gone by.
    r"from last (?:week|month|year|spring|summer|autumn|fall|winter|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)|"
    r"(?<=, )dated(?= (?:[A-Z][a-z]+\.? \d|\d))|"
    # "Since announcing the Global AI Governance Initiative in October 2023, Beijing has …"
    r"[Ss]ince (?:announcing|issuing|releasing|publishing|unveiling|adopting|launching|enacting)|"
    r"takes effect|"
    r"take effect|came into (?:effect|force)|come into (?:effect|force)|comes into (?:effect|force)|"
    r"entered into force|enters into force|in force|in effect|(?:has|have) (?:applied|governed)|"
    r"approved by the (?i:cabinet|state council))(?![A-Za-z])"
)
# The cues of a sentence without Latin letters (the English ones need them; ſ and K are letters that
# match s and k case-insensitively): the look-behind of the English part keeps the regex engine from
# skipping ahead, and most sentences are Chinese.
_LATIN_LETTER = re.compile(r"[A-Za-z\u017f\u212a]")
_CHINESE_CUES = ((re.compile(_DRAFT_CUES_ZH), "draft"), (re.compile(_FINAL_CUES_ZH), "final"))
_ALL_CUES = ((_DRAFT_CUES, "draft"), (_FINAL_CUES, "final"))
# A final cue about the future or a wish is no cue: 建议尽快出台, will be issued, until it is issued.
_FUTURE_BEFORE = re.compile(
    r"(?:建议|呼吁|尽快|加快|推动|推进|将|拟|即将|预计|有望|争取|研究|待|未)\S{0,2}$|"
    r"(?<![A-Za-z])(?:will|would|shall|could|(?-i:may)|might|until|when|once|to be|expected to|yet to|"
    r"not yet|not been|before it is|after it is)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
# Listed in a legislative plan (not a plan it dropped off, nor one that mentions only research).
_LEGISLATIVE_PLAN = re.compile(
    r"(?:listed|included)\b[^.]{0,80}?legislative (?:work )?plans?\b|"
    r"legislative (?:work )?plans?\b[^.]{0,40}?(?:listed|included)\b|"
    r"(?:列入|纳入)[^。]{0,20}?立法(?:工作)?计划|立法(?:工作)?计划[^。]{0,20}?(?:列入|纳入)",
    re.IGNORECASE,
)
# "When China unveiled the Initiative in 2023", "once the rules were finalized": when and once before a
# subject and a verb in the past tense tell what happened, not what will.
_PAST_AFTER_WHEN = re.compile(
    r"^(?:when|once)\s+(?!(?:it|they|the \w+|this|these) (?:is|are|be|gets?)\b)(?:\w+\s+){1,3}"
    r"(?:\w+ed|put forward|laid out)$",
    re.IGNORECASE,
)
# What may stand between documents listed together: 《A》《B》和《C》, the X Law and the Y Law, and a
# bracket after a title (its document or standard number, its short name): 《A》（GB/T 45652-2025）、
# 《B》, "A (the Algorithm Provisions), B and C".
_GROUP_GAP = re.compile(
    r"^(?:[\s、，,和及与以&\"'“”《》]|\([^()]{0,40}\)|[()（）]|and|the|as well as|together with|along with|"
    # "the Measures … and the mandatory national standard GB 45438-2025": what the next member is.
    r"mandatory|compulsory|recommended|national|industry|companion|accompanying|standards?|"
    r"强制性|推荐性|配套的?|国家标准|行业标准)*$"
)
# "the Development Plan of 2017", "the Guidelines … (2024)": the year a document came out, written after it.
# (Not "(2024 Edition)", 2024版: an edition's year is part of its title.)
_PAST_YEAR_AFTER = re.compile(r"\s*(?:of ((?:19|20)\d{2})(?![\d-])|[(（]((?:19|20)\d{2})[)）])")
_PAST_YEAR_BEFORE = re.compile(r"(?:^|\D)((?:19|20)\d{2})\s*(?:年)?\s*$")


@dataclass
class _Occurrence:
    paragraph: int  # -1 for the page's own document (its title)
    start: int
    end: int
    title: str  # as written, without 《》
    entry: Regulation | None
    draft_marked: bool
    status: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    sentence: str = ""
    # Written as the draft of a revision of a document already in force: 《X（修订草案）》, X修正草案.
    revision: bool = False
    # Written as the document after its revision: 修改后的X, the amended X.
    amended: bool = False
    # Cited as the basis of something (根据《X》, under the X): what its sentence says is not of it.
    cited: bool = False
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = self.entry.id if self.entry else title_key(self.title)


def find_regulations(paragraphs: Sequence[Paragraph], meta: Any) -> list[MentionRecord]:
    """Regulation mentions of the main text (and of the page's own document), one per document."""
    gazetteer = load_regulations()
    page_year = meta.published.year if getattr(meta, "published", None) else None
    occurrences: list[_Occurrence] = []
    own = _own_document(meta, gazetteer)
    if own is not None:
        occurrences.append(own)
    # Short names the page defines (以下简称《办法》) -> the document each stands for, when it is known.
    abbreviations: dict[str, _Occurrence | None] = {}
    names_by_paragraph = gazetteer.names_by_paragraph([p.text for p in paragraphs])
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        found = _occurrences_in(index, text, gazetteer, names_by_paragraph.get(index, []), abbreviations)
        if found:
            _assign_status(text, found, page_year, occurrences, abbreviations)
            _attach_doc_numbers(text, found)
            occurrences.extend(found)
        elif occurrences:
            # 从去年8月国务院印发《意见》作出总体部署…: a paragraph naming no document may still say,
            # by a back-reference, that one named before was issued.
            folded = match_form(text)
            references = list(_BACK_REFERENCE.finditer(folded))
            if references:
                _status_through_back_references(text, folded, references, [], occurrences, abbreviations)
    return _merge(occurrences, paragraphs)


def _own_document(meta: Any, gazetteer: Any) -> _Occurrence | None:
    """The document the page itself is (an official title such as 国务院关于…的意见, or the document a
    notice issues: 关于印发《X》的通知 is X), with the page's 文号 and issuer."""
    title = getattr(meta, "title", None)
    if not title or not OFFICIAL_TITLE.search(title):
        return None
    issuer = getattr(meta, "title_issuer", None) or getattr(meta, "issuer", None)
    status = "final"
    name = title
    match = re.search(r"关于印发《?(.+?)》?的通知$", title)
    if match:
        name = match.group(1)
    else:
        # 关于《X》公开征求意见的通知, 关于公开征求《X》意见的通知: the page is the call for comments on X.
        match = re.search(r"关于(?:公开)?(?:征求)?《(.+?)》(?:公开)?(?:征求)?意见的通知$", title)
        if match:
            name, status = match.group(1), "draft"
        elif not (getattr(meta, "doc_number", None) or getattr(meta, "table", None)):
            return None  # an official-sounding title on a page that is not the document itself
    occurrence = _Occurrence(
        paragraph=-1,
        start=0,
        end=0,
        title=name,
        entry=gazetteer.lookup(name),
        draft_marked=status == "draft" or bool(DRAFT_SUFFIX.search(name)),
        status=status,
        doc_number=getattr(meta, "doc_number", None) if status == "final" else None,
        issuer=issuer,
        sentence=title,
    )
    return occurrence


def _occurrences_in(
    index: int, text: str, gazetteer: Any, names: list[Any], abbreviations: dict[str, _Occurrence | None]
) -> list[_Occurrence]:
    folded = match_form(text)
    defined: list[tuple[str, int]] = []
    if "简称" in folded:  # 以下简称“X”: recorded wherever written, it keeps later 《X》 from being a title
        for match in _ABBREVIATION.finditer(folded):
            defined.append((fold(match.group(1)), match.start()))
            abbreviations[defined[-1][0]] = None
    english = _EN_HINT.search(folded) is not None  # every English title has one of these words
    if "《" not in folded and not names and "关于修改" not in folded and not english:
        return []
    found: list[_Occurrence] = []
    taken: list[tuple[int, int]] = []

    for match in _BOOK_TITLE.finditer(folded):
        inner = text[match.start(1) : match.end(1)].strip()
        occurrence = _book_title(index, match, inner, folded, gazetteer, abbreviations)
        taken.append((match.start(), match.end()))
        if occurrence is not None:
            found.append(occurrence)

    for start, end, entry in gazetteer.scan(text, names) if names else ():
        if _overlaps(start, end, taken):
            continue
        name = text[start:end]
        draft = _draft_next_to(folded, start, end)
        if entry.proposed and not draft:
            # "The State Council listed an AI law in its 2023 and 2024 legislative work plans": the
            # planned law is named, and labellers count it as a draft.
            draft = _LEGISLATIVE_PLAN.search(folded, max(0, start - 120), end + 120) is not None
        if entry.proposed and not draft:
            continue  # a law that does not exist is only ever mentioned as a draft
        found.append(_Occurrence(index, start, end, name, entry, draft))
        taken.append((start, end))

    for match in _AMENDMENT_DECISION.finditer(folded):
        if not _overlaps(match.start(), match.end(), [t for t in taken if t[1] - t[0] > 12]):
            name = text[match.start() : match.end()].replace("《", "").replace("》", "")
            found.append(_Occurrence(index, match.start(), match.end(), name, None, False))

    if english:
        for start, end, name in _english_titles(text):
            if _overlaps(start, end, taken):
                continue
            entry = gazetteer.lookup(name)
            if entry is None:
                place = _POSSESSIVE_PLACE.search(text, max(0, start - 30), start)
                entry = gazetteer.lookup_loose(name, place.group(1) if place else None)
            if entry is None and len(text) < 150 and not re.search(r"[.;:!?,]", text):
                continue  # a heading such as "Section 3 Special Provisions on the Processing of …"
            if (
                entry is None
                and _INDEFINITE_BEFORE_EN.search(text, max(0, start - 30), start)
                and _WISH_EN.search(text, max(0, start - 150), min(len(text), end + 60))
            ):
                continue  # a document someone expects or asks for, which does not exist

            draft = bool(DRAFT_SUFFIX.search(name)) or _draft_next_to(folded, start, end)
            found.append(_Occurrence(index, start, end, name, entry, draft))
            taken.append((start, end))
    for occurrence in found:
        # 《全国人民代表大会常务委员会关于修改〈中华人民共和国网络安全法〉的决定》 is the law it amends:
        # labellers fold the decision into the law's one mention (five of the six that met one).
        amended_law = _AMENDED_LAW.search(occurrence.title) if occurrence.entry is None else None
        law = gazetteer.lookup(amended_law.group(1)) if amended_law else None
        if law is not None:
            occurrence.entry, occurrence.title = law, law.zh
            occurrence.key = law.id
        occurrence.revision = _revision_next_to(folded, occurrence.start, occurrence.end)
        occurrence.amended = (
            _AMENDED_BEFORE.search(folded, max(0, occurrence.start - 12), occurrence.start) is not None
        )
    found.sort(key=lambda o: o.start)
    for name, at in defined:  # the short name stands for the document named right before it
        abbreviations[name] = next((o for o in reversed(found) if o.end <= at), None)
    return found


# "Shenzhen's Regulations on …": a local document, the place written as a possessive before its title.
_POSSESSIVE_PLACE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s $")
_CITED_BEFORE = re.compile(
    r"(?:根据|依据|按照|遵照|依照|执行|遵守|遵循|落实)(?:强制性|推荐性)?(?:国家标准|行业标准)?$|"
    r"(?<![A-Za-z])(?:under|in accordance with|pursuant to|in line with|"
    r"(?:are|is) governed by|(?:are|is) regulated by) "
    r"(?:the )?(?:(?:country|China|Beijing|its)'s |its )?(?:\d{4} )?$",
    re.IGNORECASE,
)
# "the Draft Measures", "the Draft Provisions": a defined short name, unless a title follows (Draft
# Measures for …, which _draft_next_to marks at its title).
_DEFINED_DRAFT = re.compile(
    r"draft (?:measures|provisions|regulations|rules|law|guidelines|opinions|standard)"
    r"(?! (?:for|on|of|to|regarding|concerning)\b)|"
    # "went from draft to final in six months": the draft is behind it.
    r"drafts? (?:form |stage |version )?to (?:a |the )?final",
    re.IGNORECASE,
)
_REVISION_INSIDE = re.compile(r"[(]\s*(?:修订|修正)草案[^()]{0,8}[)]\s*》?$")
_REVISION_AFTER = re.compile(r"》?\s*[(]?\s*(?:修订草案|修正草案|修正案\s*[(]?\s*草案)")
_REVISION_BEFORE = re.compile(r"(?<![A-Za-z])draft (?:amendments?|revisions?) to (?:the )?$", re.IGNORECASE)
_AMENDED_BEFORE = re.compile(
    r"(?:修改后的|修订后的|修正后的|新修订的|新修改的|新修正的|(?<![A-Za-z])(?:amended|revised) (?:the )?)$",
    re.IGNORECASE,
)


def _revision_next_to(folded: str, start: int, end: int) -> bool:
    return (
        _REVISION_INSIDE.search(folded, start, end) is not None
        or _REVISION_AFTER.match(folded, end) is not None
        or _REVISION_BEFORE.search(folded, max(0, start - 24), start) is not None
    )


def _book_title(
    index: int,
    match: re.Match[str],
    inner: str,
    folded: str,
    gazetteer: Any,
    abbreviations: Mapping[str, _Occurrence | None],
) -> _Occurrence | None:
    entry = gazetteer.lookup(inner)
    draft = bool(DRAFT_SUFFIX.search(inner)) or _draft_next_to(folded, match.start(), match.end())
    if entry is not None:
        if entry.proposed and not draft:
            return None
        return _Occurrence(index, match.start(), match.end(), inner, entry, draft)
    base = DRAFT_SUFFIX.sub("", inner)
    core = _TRAILING_PARENS.sub("", base).strip()
    if not _DOC_ENDING.search(core) or _NOT_REGULATION.search(core) or _GENERIC_DOC_TYPES.match(core):
        return None
    if len(core) < 3 and not core.endswith("法"):
        return None
    if fold(inner) in abbreviations or fold(core) in abbreviations:
        return None
    before = folded[max(0, match.start() - 12) : match.start()]
    # 欧阳振华还建议，尽快建立…体系，对…开展强制性安全检测，待条件成熟时研究制定《…》: the proposing
    # verb may be a long clause chain earlier in the sentence.
    sentence_start = max(folded.rfind("。", 0, match.start()), folded.rfind("\n", 0, match.start())) + 1
    if _PROPOSED_BEFORE.search(before) and _PROPOSAL_VERB.search(
        folded[max(sentence_start, match.start() - 120) : match.start()]
    ):
        return None
    if _PLANNED_BEFORE.search(before):
        return None  # 下一步还将研究出台《…》: a plan to make a document, which does not exist yet
    return _Occurrence(index, match.start(), match.end(), inner, None, draft)


def _english_titles(text: str) -> list[tuple[int, int, str]]:
    """English document titles: a type word and a preposition followed by title-case words, or a law
    of the People's Republic of China."""
    found = []
    for match in _EN_TYPE_FIRST.finditer(text):
        end = _title_case_run(text, match.end())
        if end is None:
            continue
        month = _TRAILING_MONTH.search(text, match.start(), end)
        if month is not None:
            end = month.start()  # "… Drone Flights in March", "… on Saturday": when, not the title
        end = _draft_parenthetical(text, end)
        found.append((match.start(), end, text[match.start() : end]))
    for match in _EN_PRC_LAW.finditer(text):
        start = match.start()
        words = text[start : match.end()].split()
        while words and words[0] in ("The", "A", "An", "Its", "China's", "Under", "Both"):
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        found.append((start, match.end(), text[start : match.end()]))
    return found


_TRAILING_MONTH = re.compile(
    r"\s+(?:in|on|since|by|from|until) (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?: \d{1,2})?(?:,? \d{4})?$"
)


def _title_case_run(text: str, position: int) -> int | None:
    """End of the title-case words starting at position (function words allowed between capitalised
    words), or None when fewer than two capitalised words follow."""
    end = None
    capitalised = 0
    pending_function = False
    for token in _EN_TOKEN.finditer(text, position):
        word = token.group(0)
        if word.startswith("(") and end is not None:
            break  # "(the Draft Measures)", "(PIPL)": a bracket after the title is not part of it
        core = word.strip("\"“”'’,;:.()")
        bare = word.rstrip(",;:.)")
        if core.lower() in _EN_FUNCTION_WORDS and word == bare:
            if pending_function and core.lower() not in ("the", "a", "an"):
                break
            pending_function = True
            continue
        if (
            core
            and (core[0].isupper() or core[0].isdigit() or core[0] in "\"“'")
            and re.match(r"^[\"“']?[A-Z0-9][\w'’\-+\"”]*$", word.rstrip(",;:.)"))
        ):
            capitalised += 1
            end = token.start() + len(bare)
            pending_function = False
            if bare != word:  # a comma or full stop ends the title
                break
            continue
        break
    if capitalised < 2 or end is None:
        return None
    return end


def _draft_parenthetical(text: str, end: int) -> int:
    match = re.match(
        r"\s*\((?:Draft(?: for (?:Public )?Comments?)?|Trial|Provisional|\d{4} Edition)\)", text[end:]
    )
    return end + match.end() if match else end


def _draft_next_to(folded: str, start: int, end: int) -> bool:
    """A draft marker written right at the title: 人工智能法草案, （征求意见稿）, a draft Artificial
    Intelligence Law, … (Draft for Comment)."""
    after = folded[end : end + 8]
    if re.match(r"\s*[(]?\s*(?:草案|征求意见稿|修订草案|送审稿|审议稿|讨论稿)", after):
        return True
    if re.match(r"\s*\(\s*draft", after, re.IGNORECASE):
        return True
    before = folded[max(0, start - 12) : start]
    return re.search(r"(?<![A-Za-z])draft\s+(?:the\s+)?$", before, re.IGNORECASE) is not None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _assign_status(
    text: str,
    occurrences: list[_Occurrence],
    page_year: int | None,
    earlier: Sequence[_Occurrence] = (),
    abbreviations: Mapping[str, _Occurrence | None] | None = None,
) -> None:
    """Each cue goes to the nearest occurrence in its clause (in its sentence when its clause names no
    document) and to the occurrences listed with it (已先后出台《A》《B》《C》: one 出台 speaks for all)."""
    folded = match_form(text)
    # Back-references in the paragraph (most have none): found once, for its sentences and for
    # _status_through_back_references.
    back_references = list(_BACK_REFERENCE.finditer(folded))
    for span in split_sentences(text):
        inside = [o for o in occurrences if span.start <= o.start < span.end]
        if not inside:
            continue
        for occurrence in inside:
            occurrence.sentence = span.text
        groups = _groups(folded, inside)
        # 根据《A》《B》…, "under the X": documents cited as a basis; the sentence's cues are about
        # something else (dev3 and dev4 label them null, as a careful reader would).
        cited = [
            _CITED_BEFORE.search(folded, max(0, group[0].start - 40), group[0].start) is not None
            for group in groups
        ]
        for listed, is_cited in zip(groups, cited, strict=True):
            for occurrence in listed:
                occurrence.cited = is_cited
        clauses = _clause_starts(text, span.start, span.end)
        # A document referred back to by its kind ("First released in draft form, the Regulations …")
        # takes the cues nearest to it: they are not the other documents' of the sentence.
        # (Not one after a preposition: "a standard published alongside the measures" says the cue of
        # the standard; the measures are only what it came with.)
        references = [
            (start, end)
            for start, end in (m.span() for m in back_references)
            if span.start <= start < span.end
            and not any(start < o.end and o.start < end for o in inside)
            and not _PREPOSITION_BEFORE.search(folded, max(0, start - 12), start)
        ]
        # (group index, the one member a cue is said of when the group is cited, else -1) ->
        # (distance, status)
        cues: dict[tuple[int, int], tuple[int, str]] = {}
        for cue, status in _cues(folded, span.start, span.end, inside):
            clause = bisect.bisect_right(clauses, cue.start())
            nearest_reference = min(
                (
                    _span_distance(cue.start(), cue.end(), start, end)
                    for start, end in references
                    if bisect.bisect_right(clauses, start) == clause
                ),
                default=None,
            )
            # A document cited as a basis takes no cue, but for one said of it in a relative clause:
            # "under the Provisions on …, which have applied since March 1, 2022".
            # In a cited group the cue is said of one member ("governed by the PIPL, and the
            # Regulations …, which took effect"): it is that member's alone.
            candidates = [
                (_distance(cue.start(), cue.end(), o), g, i if cited[g] else -1)
                for g, members in enumerate(groups)
                for i, o in enumerate(members)
                if bisect.bisect_right(clauses, o.start) == clause
                and _cue_reaches(folded, cue, status, o, cited[g])
            ] or [
                (_distance(cue.start(), cue.end(), o), g, i if cited[g] else -1)
                for g, members in enumerate(groups)
                for i, o in enumerate(members)
                if _cue_reaches(folded, cue, status, o, cited[g])
            ]
            if not candidates:
                continue
            distance, group, member = min(candidates)
            if nearest_reference is not None and nearest_reference < distance:
                continue
            if (group, member) not in cues or distance < cues[group, member][0]:
                cues[group, member] = (distance, status)
        for g, members in enumerate(groups):
            for i, occurrence in enumerate(members):
                said = [cues[key] for key in ((g, -1), (g, i)) if key in cues]
                if occurrence.draft_marked:
                    occurrence.status = "draft"
                elif said:
                    occurrence.status = min(said)[1]
                elif (
                    page_year
                    and not cited[g]
                    and (
                        _past_year_before(folded, occurrence.start, page_year)
                        or _past_year_after(folded, occurrence.end, page_year)
                    )
                ):
                    occurrence.status = "final"
    if back_references:
        _status_through_back_references(text, folded, back_references, occurrences, earlier, abbreviations)


_PREPOSITION_BEFORE = re.compile(
    r"(?<![A-Za-z])(?i:alongside|with|under|by|to|from|than|of|in|on|per|after|before|besides?|like|unlike|"
    r"into|over)\s+$"
)

# What is said of a document right after it: "X, which took effect …", "X (in force since …)", "X,
# dated Aug. 21 and approved by the cabinet", "…, and the Provisions … have required … since 2023"
# (the document is the subject of its own clause).
_RELATIVE_AFTER = re.compile(
    # (a bracket then a relative clause first: "X (CAC Order No. 15), which have been in force since …")
    r"\s*(?:(?:\([^()]{0,60}\))?\s*,\s*(?:which|that|dated|approved|issued|adopted|released|published|"
    r"promulgated|effective|in force)\b|\(|"
    r"(?:\([^()]{0,60}\))?\s*(?:have|has|had) (?:also |long |already )?(?:been|required|applied|governed|"
    r"covered|mandated|obliged)\b|"
    # "under the Measures … published in March": a participle right after the title.
    r"\s(?:published|issued|adopted|released|promulgated|unveiled) (?:in|on|last|by)\b)"
)


def _cue_reaches(folded: str, cue: re.Match[str], status: str, occurrence: _Occurrence, cited: bool) -> bool:
    """Whether the cue can be said of the occurrence: not of a document cited as a basis unless said of
    it after all, and no draft cue of a document the page says is in force already."""
    if status == "draft" and _existing(folded, occurrence):
        return False
    return (
        not cited
        or _described_after(folded, occurrence, cue.start())
        or _since_before(cue, occurrence, folded)
    )


# 与《未成年人网络保护条例》等现有规定形成衔接, "the existing Provisions on …": a document the page says
# is in force already, which a draft cue of its sentence (the draft it is compared with) is not about.
_EXISTING_AFTER = re.compile(r"等?(?:现有|现行|已有)")
_EXISTING_BEFORE = re.compile(r"(?:现有的?|现行的?|(?<![A-Za-z])(?:the |its )?existing )$", re.IGNORECASE)


def _existing(folded: str, occurrence: _Occurrence) -> bool:
    return (
        _EXISTING_AFTER.match(folded, occurrence.end) is not None
        or _EXISTING_BEFORE.search(folded, max(0, occurrence.start - 14), occurrence.start) is not None
    )


# "came into force in September under the Measures": what a cue says came into force, by the document
# cited right after it, is that document's coming into force.
_IN_FORCE_CUE = re.compile(
    r"(?i:since|came into|come into|comes into|took effect|went into|in force|in effect)"
)
_UNDER_AFTER_CUE = re.compile(r"[^,;.]{0,24}?(?<![A-Za-z])(?:under|by|through)\s+(?:the\s+)?$")


def _since_before(cue: re.Match[str], occurrence: _Occurrence, folded: str) -> bool:
    """ "mandatory since September under the Measures", "came into force in September under the
    Measures": in force since a date, by the cited document."""
    gap = occurrence.start - cue.end()
    if cue.group(0)[:5].lower() == "since" and 0 <= gap <= 16:
        return True
    return (
        0 <= gap <= 40
        and _IN_FORCE_CUE.match(cue.group(0)) is not None
        and _UNDER_AFTER_CUE.fullmatch(folded, cue.end(), occurrence.start) is not None
    )


def _described_after(folded: str, occurrence: _Occurrence, cue_start: int) -> bool:
    """Whether the cue is in what is said of the document right after it (see _RELATIVE_AFTER)."""
    if cue_start <= occurrence.end:
        return False
    said = _RELATIVE_AFTER.match(folded, occurrence.end)
    if said is None:
        return False
    if said.group(0).endswith("("):  # in brackets: the cue must be inside them
        close = folded.find(")", said.end())
        return close == -1 or cue_start < close
    return True


_FOR_COMMENT_AFTER = re.compile(
    r"[^.;]{0,150}?(?<![A-Za-z])for (?:public )?(?:comments?|consultation|feedback)", re.IGNORECASE
)


def _cues(
    folded: str, start: int, end: int, inside: list[_Occurrence]
) -> Iterator[tuple[re.Match[str], str]]:
    """The status cues between start and end, with what each says, less those that are no cue: words
    of a title, a defined name ("the Draft Measures"), a final cue about the future (将于…施行)."""
    latin = _LATIN_LETTER.search(folded, start, end) is not None
    for pattern, status in _ALL_CUES if latin else _CHINESE_CUES:
        for cue in pattern.finditer(folded, start, end):
            if any(o.start <= cue.start() < o.end for o in inside):
                continue  # words of a title are not cues (实施意见, 征求意见稿 inside 《》)
            if status == "draft" and _DEFINED_DRAFT.match(folded, cue.start()):
                continue  # "the Draft Measures build on the Interim Measures": a name, not a cue
            future = (
                _FUTURE_BEFORE.search(folded[max(start, cue.start() - 30) : cue.start()])
                if status == "final"
                else None
            )
            if future and not _PAST_AFTER_WHEN.search(future.group(0) + cue.group(0)):
                continue
            if (
                status == "final"
                and folded.startswith("时", cue.end())
                and "在" in folded[max(start, cue.start() - 12) : cue.start()]
            ):
                continue  # 在办法正式出台时进一步细化…: when it is issued, which it is not yet
            if status == "final" and _FOR_COMMENT_AFTER.match(folded, cue.end(), end):
                continue  # "published the Measures … for public consultation": a draft's cue follows
            yield cue, status


# 这套办法, 该法, 上述条例, "The measures": a document named before, referred to by its kind.
_BACK_REFERENCE = re.compile(
    r"(?:这套|这部|这项|这份|这一|该|此|上述|前述)(办法|规定|条例|法律|法|意见|规划|方案|标准|指引|指南|措施|细则|规范)|"
    # (No look-behind for a letter before "the": one at the start of a pattern makes the regex engine
    # try every position of the page; "bathe rules" is not written.)
    r"(?:[Tt]he|[Tt]hese|[Tt]hose) "
    r"((?i:measures|provisions|rules|regulations|opinions|guidelines|law))(?![A-Za-z])"
    r"(?! (?:on|for|of|regarding|concerning)\b)|"
    # 《意见》, 《办法》: a document named before, by its bare kind in book-title marks (not 《实施意见》,
    # a short name of one document that the page defined, which another of the same kind may precede).
    r"《(办法|规定|条例|意见|规划|方案|标准|指引|指南|措施|细则|规范)》"
)


def _status_through_back_references(
    text: str,
    folded: str,
    references: Sequence[re.Match[str]],
    occurrences: list[_Occurrence],
    earlier: Sequence[_Occurrence] = (),
    abbreviations: Mapping[str, _Occurrence | None] | None = None,
) -> None:
    """A document cited without a word on its issuance, then referred back to by its kind in a clause
    that says it: 已按照《生成式人工智能服务管理暂行办法》完成备案，“这套办法2023年8月15日起施行以来…”.
    The clause's cue is the document's status."""
    if not any(o.status != "final" and not o.draft_marked for o in (*earlier, *occurrences)):
        return
    spans = split_sentences(text)
    for reference in references:
        if any(reference.start() < o.end and o.start < reference.end() for o in occurrences):
            continue
        before = [*earlier, *(o for o in occurrences if o.end <= reference.start())]
        if reference.group(3) and abbreviations and reference.group(3) in abbreviations:
            # 《办法》 after 以下简称《办法》: the document it was defined for, not the last 办法 named.
            target = abbreviations[reference.group(3)]
            named = [target] if target is not None else []
        elif reference.group(1) or reference.group(3):
            kind = reference.group(1) or reference.group(3)
            kind = "法" if kind == "法律" else kind
            named = [o for o in before if any(t.rstrip("》").endswith(kind) for t in _names_of(o))]
        else:
            word = reference.group(2).lower()
            named = [o for o in before if any(word in t.lower() for t in _names_of(o))]
        # A page that tells the draft and then the final text (就《X》公开征求意见；…发布这部规定) is
        # about one document, now final: a final cue through a back-reference overrides a draft one.
        if not named or named[-1].status == "final" or named[-1].draft_marked:
            continue
        span = next((sp for sp in spans if sp.start <= reference.start() < sp.end), None)
        if span is None:
            continue
        clauses = [span.start, *_clause_starts(text, span.start, span.end), span.end]
        index = bisect.bisect_right(clauses, reference.start()) - 1
        clause_start, clause_end = clauses[index], clauses[index + 1]
        inside = [o for o in occurrences if clause_start <= o.start < clause_end]
        if inside:
            continue  # the clause names a document of its own: its cues are that one's
        found = sorted(
            (abs(cue.start() - reference.end()), status)
            for cue, status in _cues(folded, clause_start, clause_end, inside)
        )
        if found and (named[-1].status is None or found[0][1] == "final"):
            named[-1].status = found[0][1]


def _names_of(occurrence: _Occurrence) -> tuple[str, ...]:
    """The title as written and, for a known document, its names in both languages: "These Guidelines"
    refers back to a document that the page (a translation) named in Chinese."""
    entry = occurrence.entry
    if entry is None:
        return (occurrence.title,)
    return (occurrence.title, entry.zh, *((entry.en,) if entry.en else ()))


_CLAUSE_OPENERS = re.compile(r"[《(（]")
_CLAUSE_MARK = re.compile(r"[，；：]")
_NESTING_OR_MARK = re.compile(r"[《(（》)），；：]")


def _clause_starts(text: str, start: int, end: int) -> list[int]:
    """Where the Chinese clauses of a sentence start: after ，；： outside 《》 and brackets. English
    commas do not separate clauses here ("X, issued by …, took effect")."""
    if not _CLAUSE_OPENERS.search(text, start, end):  # nothing nests: every mark starts a clause
        return [mark.end() for mark in _CLAUSE_MARK.finditer(text, start, end)]
    # Only the marks and brackets matter: visiting them alone is several times faster than every
    # character of the sentence.
    starts = []
    depth = 0
    for mark in _NESTING_OR_MARK.finditer(text, start, end):
        char = mark.group()
        if char in "《(（":
            depth += 1
        elif char in "》)）":
            depth = max(0, depth - 1)
        elif depth == 0:
            starts.append(mark.end())
    return starts


def _groups(folded: str, occurrences: list[_Occurrence]) -> list[list[_Occurrence]]:
    groups: list[list[_Occurrence]] = []
    for occurrence in occurrences:
        if groups:
            previous = groups[-1][-1]
            gap = folded[previous.end : occurrence.start]
            if previous.end <= occurrence.start and _GROUP_GAP.match(gap):
                groups[-1].append(occurrence)
                continue
        groups.append([occurrence])
    return groups


def _span_distance(start: int, end: int, other_start: int, other_end: int) -> int:
    if end <= other_start:
        return other_start - end
    if start >= other_end:
        return start - other_end
    return 0


def _distance(start: int, end: int, occurrence: _Occurrence) -> int:
    return _span_distance(start, end, occurrence.start, occurrence.end)


def _past_year_after(folded: str, end: int, page_year: int | None) -> bool:
    """A year before the page's, written right after the title: the document is out."""
    match = _PAST_YEAR_AFTER.match(folded, end)
    return bool(match and page_year and int(match.group(1) or match.group(2)) < page_year)


def _past_year_before(folded: str, start: int, page_year: int) -> bool:
    match = _PAST_YEAR_BEFORE.search(folded[max(0, start - 12) : start])
    return match is not None and int(match.group(1)) < page_year


def _attach_doc_numbers(text: str, occurrences: list[_Occurrence]) -> None:
    """A 文号 written right after the title, in brackets or after a comma: 《X》（国发〔2025〕11号）,
    X (Guo Fa [2025] No. 11), … (CAC Order No. 12)."""
    folded = match_form(text)
    for occurrence in occurrences:
        window = folded[occurrence.end : occurrence.end + 40]
        if not re.match(r"\s*[(,，]", window):
            continue
        numbers = find_doc_numbers(window)
        if numbers and numbers[0][0] <= 6:
            occurrence.doc_number = _canonical_doc_number(numbers[0][2], occurrence.entry)


def _canonical_doc_number(number: str, entry: Regulation | None) -> str:
    """The gazetteer's form of a number a page wrote in English or pinyin (Guo Fa [2025] No. 11)."""
    if entry is not None and entry.doc_number:
        known = {normalize_doc_number(a) for a in (entry.doc_number, *entry.doc_number_aliases)}
        if number in known:
            return entry.doc_number
    return number


_PUBLISHED_STANDARD = re.compile(r"GB(?:/[TZ])?\s?\d{3,6}(?:\.\d+)?\s?-\s?(?:19|20)\d{2}")


def _merge(occurrences: list[_Occurrence], paragraphs: Sequence[Paragraph]) -> list[MentionRecord]:
    """One mention per document: a final occurrence outweighs drafts, the first title as written and
    the first document number stand."""
    by_key: dict[str, list[_Occurrence]] = {}
    for occurrence in occurrences:
        by_key.setdefault(occurrence.key, []).append(occurrence)
    page_text = "\n".join(p.text for p in paragraphs)
    page_numbers: set[str] | None = None  # every 文号 on the page, read when a known document needs it
    taxonomy = load_taxonomy()
    mentions = []
    for group in by_key.values():
        first = group[0]
        statuses = {o.status for o in group}
        status = "final" if "final" in statuses else "draft" if "draft" in statuses else None
        if any(o.revision for o in group) and not any(o.amended for o in group):
            # A page about the revision draft of a law in force speaks of the law being revised: what it
            # says of the law as it stands (于2021年…起施行) is history, unless the revised text itself is
            # in force (修改后的X自…起施行).
            status = "draft"
        entry = first.entry
        if entry is not None and entry.proposed:
            status = "draft"
        doc_number = next((o.doc_number for o in group if o.doc_number), None)
        if doc_number is None and entry is not None and entry.doc_number:
            if page_numbers is None:
                page_numbers = {number for _, _, number in find_doc_numbers(page_text)}
            known = {normalize_doc_number(a) for a in (entry.doc_number, *entry.doc_number_aliases)}
            if known & page_numbers:
                doc_number = entry.doc_number
        if (
            status is None
            and not all(o.cited for o in group)
            and (
                _PUBLISHED_STANDARD.search(first.title)
                or (doc_number and _PUBLISHED_STANDARD.match(doc_number))
            )
        ):
            # A national standard named by its GB number is published: the number and its year are
            # given on publication (a draft standard has a plan number). Labellers read it so (55 of the
            # 57 labels of such standards on the studied sets are final), unless it is only cited as the
            # basis of something (按照强制性国家标准《…》要求).
            status = "final"
        issuer = next((o.issuer for o in group if o.issuer), None) or (entry.issuer if entry else None)
        category = (entry.category if entry else None) or taxonomy.best(first.title, "industry_application")
        snippet = next((o.sentence for o in group if o.paragraph >= 0 and o.sentence), first.sentence)
        mentions.append(
            MentionRecord(
                kind="regulation",
                title=first.title,
                canonical_id=entry.id if entry else None,
                doc_number=doc_number,
                issuer=issuer,
                status=status,
                category=category,
                snippet=snippet[:240] if snippet else None,
            )
        )
    return mentions
