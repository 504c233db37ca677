"""Proposal mentions: who (a deputy or political adviser) proposed what, in which year.

People are found from the page's own wording, so that people in no gazetteer are found too:
Chinese role-organisation-name phrases (全国人大代表、小米集团创始人、董事长雷军) split with a
surname list, the words that follow names, and jieba on that short phrase only; English appositions
(Lei Jun, founder of Xiaomi and an NPC deputy, proposed …). A proposal is a sentence with a proposing
verb (建议, 呼吁, 提出要…, 认为应…, proposed, urged, called for …) whose subject is such a person, a
pronoun (他/她, he/she: the last person named) or nothing (the proposal still being described).

One proposal runs on over the following sentences of the same person in the same section; a new one
starts with another person, a new section, another year, a proposal title, "another"/"second"/
另一份, or "also"/还 in a new paragraph (in the same paragraph, "also" only starts a new proposal when
the current one has no title that the added point could belong to)."""

from __future__ import annotations

import datetime
import functools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.extract.gazetteer import Person, load_names, load_persons
from crawler.extract.segment import person_names
from crawler.extract.taxonomy import load_taxonomy
from crawler.extract.text import Paragraph
from crawler.extract.textutil import (
    LATIN_LETTERS,
    cjk_ratio,
    finditer_words,
    match_form,
    search_word,
    split_sentences,
)
from storage.mentions import MentionRecord

log = logging.getLogger(__name__)

_NAMES = load_names()
_SURNAMES_ZH = frozenset(_NAMES["surnames"])
_COMPOUND_SURNAMES_ZH = tuple(_NAMES["compound_surnames"])
_SURNAMES_EN = frozenset(_NAMES["pinyin_surnames"].split())
_HYPHENATED_NAME_SURNAMES_EN = frozenset(_NAMES["hyphenated_given_name_surnames"].split())

# Roles of proposers, as Chinese pages write them, and their normal form.
_ROLE_ZH = re.compile(
    r"(?:十[一二三四五六七八九]?届)?(?:全国人大代表|全国政协常委|全国政协常务委员|全国政协委员|全国人大常委会委员|"
    r"全国人民代表大会代表|全国政协委员会委员)"
)
_ROLE_SUFFIX_ZH = re.compile(r"([\u4e00-\u9fff]{2,3})(委员|代表)(?=[：:，,、说表建认提呼])")
# Whether _ROLE_SUFFIX_ZH matches anywhere, found from the role word (which the regex engine can skip to).
_ROLE_SUFFIX_AT_END = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:委员|代表)(?=[：:，,、说表建认提呼])")
# Job titles between an organisation and a name: 小米集团创始人、董事长兼CEO雷军.
_TITLES_ZH = (
    r"(?:名誉|荣誉|常务|执行)?副?(?:首席[\u4e00-\u9fff]{1,4}?(?:官|师|家)|联合创始人|创始人|副董事长|董事长|董事|副总经理|总经理|高级副总裁|执行副总裁|副总裁|总裁|首席执行官|首席科学家|"
    r"首席技术官|CEO|CTO|COO|党委书记|党组书记|党支部书记|党总支书记|书记|副院长|院长|副所长|所长|研究员|副教授|教授|副主任|主任|副主席|"
    r"主席|高级合伙人|创始合伙人|管理合伙人|执行合伙人|合伙人|理事长|副会长|会长|副校长|校长|局长|厅长|市长|行长|总工程师|负责人|社长|总编辑|部长|"
    r"秘书长|总监|经理|厂长|总师|医生|律师|支队长|大队长|队长|处长|科长|司长|县长|镇长|主编|总编|工程师|"
    r"设计师|架构师|分析师|教师|专家|馆长|台长|站长|团长|主管|"
    # Deputies from the front line: 全国人大代表、快递员冯小军.
    r"快递员|外卖员|快递小哥|骑手|技术员|农技员|技工|技师|护士长|护士|驾驶员|农民工|班组长|组长|村医)"
)
_TITLE_CHAIN_ZH = re.compile(rf"{_TITLES_ZH}(?:兼{_TITLES_ZH})*")
# The role after the name: 360集团创始人周鸿祎再次连任全国政协委员.
_ROLE_AFTER_NAME = re.compile(r"(?:再次|继续|今年|已经?)?(?:连任|当选为?|作为|担任|是|身为)$")
# Words that follow a name in running text: where the name ends.
_FOLLOW_MULTI = re.compile(
    r"(?:今年|在|接受|表示|认为|建议|提出|提交|带来|关注|呼吁|指出|介绍|坦言|直言|告诉|围绕|聚焦|提到|谈到|透露|强调|"
    r"来自|同样|注意到|观察到|准备|发现|长期|一直|多年|连续|近年来|此前|现任|同时|带领|领衔|牵头|从事|"
    r"关心|更关心|最关心|关切|重视|注重|希望|期待|期望|主张|提议|解释|补充|举例|分享|回忆|感到|觉得|深知|"
    r"看来|看到|多次|每年|近日|日前|格外|十分|非常|特别|尤其|深感|颇为|当时|当天|更关注|最关注|更看重|更在意|"
    r"曾|就|则|也|还|对|将|把|向|已|说|称|是|的|等|和|与)"
)
# Someone is quoted: 表示, 认为, 说 … (checked before looking for a job title and a name).
_SPEECH_ZH = re.compile(r"表示|认为|说|指出|称|介绍|告诉|坦言|直言|透露|强调|分析|提醒")
# The person turns to another subject: 范文涛还关注人工智能技能人才的培养。他建议… starts a new proposal.
_TURNS_TO_ZH = re.compile(r"(?:还|也|同时还?|另外还?|此外还?)(?:关注|聚焦|关心|着眼)")
# A sentence that goes on describing the last person's proposals without naming anyone: 其中分量最重的一份，
# 是建议…; One calls for …; The other … asks …
_CONTINUATION_START = re.compile(
    r"^(?:其中|另一|在另一|同时|此外|是|(?:第[一二三四五六七八九十]|这|该|此)[份件项条篇](?:提案|建议|议案)|"
    r"(?:One|The other|Another|It|(?:The|His|Her) (?:first|second|third|fourth|other))(?![A-Za-z]))"
)
_SUBJECT_WORDS = re.compile(
    r"代表们|委员们|人士|负责人|专家|记者|企业|公司|部门|研究|机构|有关方面|方面|网友|政府|报告"
)

# Proposing verbs. 建议 as a noun (四份建议, 提出建议, 的建议, 《…建议》) is not a verb.
_VERB_ZH = re.compile(
    r"(?<![份件条项个的出])建议(?![》书稿])|呼吁|提议|^提案(?=[\u4e00-\u9fff])(?![中人])|"
    # 《意见》（国发〔2025〕11号）也提出要…: a document that says what should be done proposes nothing.
    r"(?<![》）)])(?<![》）)][也还都亦])提出(?=[，:：]?\s*(?:要|应|应当|将|加快|推动|推进|建立|完善|加强|尽快|建议[，:：]))|"
    r"(?:认为|表示|指出|强调|(?<=[时中])说)(?=[，,]?[^。；]{0,14}?(?:应当|应该|应|要|需要|必须|亟需|亟待))|"
    r"(?:提交|带来)了?(?=[^。，]{0,10}《[^》]+(?:建议|提案|议案)》)|"
    # 今年带来了关于加强…的提案, 提交了一份关于…的建议: the usual way of saying what someone brought.
    # Not 带来了两份…提案: that announces the proposals that the next sentences tell one by one.
    r"(?:带来|提交)了?(?=(?:一[份件项条篇])?(?:关于|与|围绕|聚焦)[^。，；？?哪]{1,40}?的(?:提案|建议|议案))|"
    # 今年，她带来的建议是：…
    r"(?:带来|提交|提出)的(?:建议|提案|议案)(?:是|为|包括|有)|"
    r"在《[^》]+》(?:提案|建议|议案)中|在《[^》]+(?:提案|建议|议案)》中|在提案中|"
    # ● 李慧芬（全国政协委员、东岭大学教授）：应完善…: a roundup's line, what should be done after the colon.
    r"(?<=[)）])[:：](?=\s*(?:应当|应该|应|要|需要|必须|亟需))"
)
# Used through search_word, which stands for a leading (?<![A-Za-z]).
# What every match of _VERB_ZH contains (checked first: _VERB_ZH's look-behinds make it slow to search).
_VERB_HINT_ZH = re.compile(
    r"建议|呼吁|提议|提出|认为|表示|指出|强调|提交|提案|议案|带来|时说|中说|[)）][:：]"
)
_VERB_EN = re.compile(
    r"(?:proposed|proposes|propose|suggested|suggests|urged|urges|urging|called (?:for|on)|"
    r"calls (?:for|on)|calling (?:for|on)|advocated|advocates|recommended|recommends|asked (?:for|that)|"
    r"asks (?:for|that|the)|asked (?:the|authorities|regulators|lawmakers)|pressed for|pushed for|"
    r"said in (?:a|his|her|their) (?:written |formal |joint )?(?:proposal|suggestion|motion)|"
    r"put(?:s|ting)? forward)(?![A-Za-z])"
)
# Rarer ways of proposing, searched only in sentences holding one of _VERB_EN_MORE_HINTS: one long
# alternation tried at every letter of every English sentence costs twice the short one.
_VERB_EN_MORE = re.compile(
    r"(?:(?:filed|submitted|tabled|brought|brings|raised|raises) (?:a |an |two |three |several )?"
    r"(?:written |formal |joint )?(?:proposals?|motions?|suggestions?)|"
    r"(?:his|her|His|Her) (?:proposal|motion|suggestion)(?: this year)? (?:would|seeks|aims|is that|is to)|"
    r"[Uu]nder (?:his|her) proposal|"
    r"wants(?= (?:China|the|Beijing|local|regulators|authorities|schools|companies|platforms|government|"
    r"tax|more|an?|state|national|public|small|stronger|clearer|new)\b)|"
    # "said China should build more data centers": what should be done, as 表示应 in Chinese.
    r"(?:said|says|argued|argues|stressed|told(?: \w+){1,2}?(?= that))"
    r"(?= (?:that )?(?:[\w'-]+ ){1,6}(?:should|must|needs? to|ought to) ))"
    r"(?![A-Za-z])"
)
_VERB_EN_MORE_HINTS = ("proposal", "motion", "suggestion", "wants", "should", "must", "need", "ought")
_SAYING_EN = frozenset(["said", "says", "argued", "argues", "stressed", "told", "wants"])
# He, she, and I in an interview's answers (司马静：…我建议…) or a quote; 我国, 我们, 我省 … are not a person.
_PRONOUN_ZH = re.compile(r"(?<![其他])[他她](?![们人])|我(?![们国省市区县院校司部委局厅会方])")
_ATTRIBUTION_ZH = re.compile(
    r"[”」』]\s*[\u4e00-\u9fff]{2,4}(?:代表|委员)?(?:说|表示|介绍|称|坦言|直言|强调)"
)
_PRONOUN_EN = re.compile(
    r"(?<![A-Za-z])(?:he|she|He|She|(?:his|her|His|Her)(?= (?:proposal|suggestion|motion)s?\b)|"
    # "The deputy suggested …": the person just introduced, by their role.
    r"[Tt]he (?:deputy|lawmaker|legislator|delegate|adviser|advisor))(?![A-Za-z])"
)
_ALSO_ZH = re.compile(r"(?:[他她]|[\u4e00-\u9fff]{2,3})?(?:还|也|另外还|同时还)(?:建议|提出|呼吁|提交)")
_ALSO_EN = re.compile(
    r"(?<![A-Za-z])also (?:urged|called|proposed|suggested|asked|recommended|pressed|pushed)"
)
# Another proposal is announced: 另一份建议, 第三件提案, his fourth suggestion, two other proposals, One …
_NEW_DOCUMENT_ZH = re.compile(
    r"另一份|另一项|另一件|又一份|第[二三四五六七八九十]件|第[二三四五六七八九十]份|第[二三四五六七八九十]条建议|"
    r"提交了?一项(?:议案|提案|建议)"
)
_NEW_DOCUMENT_EN = re.compile(  # through search_word
    r"(?:second|third|fourth|fifth|another|other) (?:suggestion|proposal|motion)"
)
_NEW_DOCUMENT_EN_START = re.compile(r"(?:One|The other|Another)\b")
_PROPOSAL_TITLE = re.compile(r"《([^《》]{4,80}?(?:提案|建议|议案))》|《([^《》]{4,80})》(?=提案|建议)")
_YEAR_ZH = re.compile(r"((?:19|20)\d{2})\s*年|去年|今年|同年|明年")
_YEAR_EN = re.compile(
    r"(?<![A-Za-z])(?:(?:in|at|since|during|by|until|of)\s+(?:\w+\s+){0,2})?((?:19|20)\d{2})(?![\d-])|"
    r"[Ll]ast year|[Tt]his year",
)
# What every match of _YEAR_EN contains.
_YEAR_HINT_EN = re.compile(r"(?:19|20)\d{2}|ast year|his year")
_NOT_A_PROPOSAL_YEAR = re.compile(r"(?:截至|截止|到|至|自|从|since|by|until|through)\s*$", re.IGNORECASE)

# English: a name and its apposition, up to the verb: "Lei Jun, founder of Xiaomi and an NPC deputy,
# proposed". Names are two capitalised words whose first is a Chinese surname in pinyin.
_NAME_EN = re.compile(  # through finditer_words(..., _NAME_START): not after a letter or '
    r"([A-Z][a-z]{0,7}) ([A-Z][a-z]{1,10})(?:-[a-z]+)?(?![A-Za-z])(?! [A-Z][a-z])"
)
_NAME_START = LATIN_LETTERS | {"'"}
# A Hong Kong or Taiwan name: surname and hyphenated given name, after an English given name or not
# (Kelvin Leung Chi-hang, Leung Chi-hang).
_HYPHENATED_NAME_EN = r"(?:[A-Z][a-z]{1,10} )?[A-Z][a-z]{0,6} [A-Z][a-z]{1,6}-[a-z]{1,6}(?![A-Za-z])"
_APPOSITION_END = re.compile(
    r",\s+(?=(?:who\s+|also\s+|has\s+|had\s+|have\s+|then\s+)?(?:said|says|proposed|proposes|suggested|suggests|"
    r"urged|urges|called|calls|asked|asks|wants|submitted|filed|told|argued|added|pressed|pushed|advocated|"
    r"recommended|noted|put|is|was|has|had)\b)"
)
_ROLE_EN = (
    (
        re.compile(
            r"standing committee of the (?:National Committee of the )?"
            r"(?:CPPCC|Chinese People's Political Consultative Conference)|"
            r"CPPCC (?:National Committee(?:'s)? )?Standing Committee|standing committee member of the CPPCC",
            re.IGNORECASE,
        ),
        "CPPCC Standing Committee member",
    ),
    (
        re.compile(
            r"CPPCC|Chinese People's Political Consultative Conference|political advis[eo]r|"
            r"top political advisory body",
            re.IGNORECASE,
        ),
        "CPPCC member",
    ),
    (
        re.compile(r"NPC|National People's Congress|lawmaker|legislator|\bdeputy\b", re.IGNORECASE),
        "NPC deputy",
    ),
)
# The roles as English pages name them, for a known proposer whose data file gives the Chinese role.
_ROLE_IN_ENGLISH = {
    "全国人大代表": "NPC deputy",
    "全国政协委员": "CPPCC member",
    "全国政协常委": "CPPCC Standing Committee member",
}
# A Macau or Hong Kong name written without the hyphen: Leong Kin Fai, Ho Sut Ieng.
# Only after one of those surnames: "Mr Qiu Wenbo" is Qiu Wenbo.
_SPACED_SYLLABLES_NAME_EN = (
    "(?:"
    + "|".join(sorted((s.capitalize() for s in _HYPHENATED_NAME_SURNAMES_EN), key=len, reverse=True))
    + ")"
    r" [A-Z][a-z]{1,4} [A-Z][a-z]{1,4}(?![A-Za-z])"
)
# A role written before the name: "NPC deputy Gu Minhui", "Lawmaker Bai Yunfei" (through finditer_words).
_ROLE_BEFORE_NAME_EN = re.compile(
    r"(?P<role>(?i:NPC deputy|CPPCC member|CPPCC National Committee member|national lawmaker|lawmaker|"
    r"legislator|national political advis[eo]r|political advis[eo]r)|deputy) "
    r"(?P<name>" + _SPACED_SYLLABLES_NAME_EN + r"|[A-Z][a-z]{0,7} [A-Z][a-z]{1,10}(?![A-Za-z]))"
)
# A deputy or adviser of a province's or a city's congress or CPPCC committee: not a national one, and
# not a proposer here (a deputy to the Shanghai Municipal People's Congress).
_LOCAL_BODY_EN = re.compile(
    r"(?:Provincial|Municipal|City|County|District|provincial|municipal|city|county|district) "
    r"(?:(?i:people['’]s congress|committee of the "
    r"(?:CPPCC|Chinese People's Political Consultative Conference))|CPPCC|political advis|lawmaker|legislat)"
)
_FRONTED_DESCRIPTION_EN = re.compile(
    r"(?:The|A|An|As) [^.;]{10,200}?, (?P<surname>[A-Z][a-z]{1,8}) (?=(?:submitted|filed|proposed|suggested|"
    r"urged|called|calls|wants|said|says|has|is|was)\b)"
)
_NAME_IS_ROLE_EN = re.compile(
    r"(?P<name>[A-Z][a-z]{0,7} [A-Z][a-z]{1,10}) (?:is|was) (?:also )?(?:an? |one of the )?"
    r"(?P<role>NPC deput(?:y|ies)|CPPCC (?:National Committee )?members?|national lawmakers?|"
    r"national political advis[eo]rs?|deputy to the (?:\d+\w* )?National People's Congress|"
    r"member of the (?:\d+\w* )?National Committee of the (?:CPPCC|Chinese People's Political Consultative "
    r"Conference))(?![A-Za-z])"
)
# Membership said in a predicate: "is a deputy to the National People's Congress", "is one of more
# than 2,000 members of the National Committee of the CPPCC", "one of nearly 3,000 delegates to the NPC".
_MEMBER_OF_EN = re.compile(
    r"(?:who )?(?:is|was)\s+(?:also\s+)?(?:an? |one of (?:the )?(?:more than |nearly |almost |about |some )?"
    r"[\d,]+ )?(?:deput(?:y|ies)|delegates?|members?) (?:to|of|in) (?:the |China's )?(?:\d+\w* )?"
    r"(?:(?P<body>National People's Congress|NPC)|"
    r"(?:National Committee of the )?(?:CPPCC|Chinese People's Political Consultative Conference))",
    re.IGNORECASE,
)
# "At the National People's Congress in March, where he sits as a deputy, Shi proposed …": the role in a
# clause about the body, before the surname of a person named earlier.
_WHOSE_COMPANY_EN = re.compile(
    r"whose (?:company|firm|group|business|employer|start-up|startup), ([A-Z][\w'’&.\- ]{1,60}?),"
)
_SITS_AS_EN = re.compile(
    r"(?P<body>National People's Congress|NPC|CPPCC|Chinese People's Political Consultative Conference)"
    r"[^.]{0,60}?, where (?:he|she) (?:sits|serves) as an? (?:deputy|delegate|member|political advis[eo]r)"
    r"[^.]{0,40}?, (?P<surname>[A-Z][a-z]{1,8}) (?=(?:proposed|submitted|filed|suggested|urged|called|"
    r"calls|wants|said|says|has|put)\b)"
)
_AS_ROLE_EN = re.compile(
    r"(?:As an?|An?) (?P<role>NPC deputy|CPPCC member|CPPCC National Committee member|national lawmaker|"
    r"national political advis[eo]r|deputy to the (?:\d+\w* )?(?:National People's Congress|NPC)|"
    r"member of the (?:\d+\w* )?National Committee of the "
    r"(?:CPPCC|Chinese People's Political Consultative Conference))"
    r"[^.]{0,100}?, (?P<pronoun>he|she) "
)
_NATIONAL_COMMITTEE_MEMBER = re.compile(r"member of (?:its|the) National Committee", re.IGNORECASE)
# A city's or a province's lawmaker written before the name: "municipal lawmaker Wu Tianyu".
_LOCAL_BEFORE_ROLE_EN = re.compile(r"(?i:provincial|municipal|city|county|district|local)\s+$")
# A lawmaker of another legislature written before the role: "Kuomintang (KMT) Legislator Chang Yu-ting",
# "Hong Kong lawmaker …", "Republican lawmaker …" (not a deputy to the NPC).
_OTHER_LEGISLATURE_BEFORE_EN = re.compile(
    r"(?:KMT|DPP|TPP|Kuomintang|Progressive Party|People's Party|Taiwan(?:ese)?|Legislative Yuan|LegCo|"
    r"Legislative Council|Hong Kong|U\.S\.|US|American|Japanese|Korean|European|Thai|Philippine|British|"
    r"Democratic|Republican|opposition|ruling[- ]party)\)?\s+$"
)
# A legislature that is not the NPC, named anywhere in the sentence of a "lawmaker" or "legislator".
_OTHER_LEGISLATURE_EN = re.compile(
    r"Legislative Yuan|Legislative Council|LegCo|Democratic Progressive Party|Kuomintang|\bKMT\b|\bDPP\b|"
    r"Congress(?!\w)(?<!People's Congress)|Parliament|Diet\b|National Assembly"
)
# Where an apposition opens after a name: an optional name in characters, then a comma.
_APPOSITION_OPEN = re.compile(r"(?: ?[(（][\u4e00-\u9fff·]{2,6}[)）])?,\s+")
# Words that every role of _ROLE_EN contains, in lower case.
_ROLE_WORDS_EN = ("cppcc", "people's", "advis", "npc", "lawmaker", "legislator", "deputy")
# "Hu Mingyue (胡明月), an NPC deputy …": the name as written in Chinese may stand between.
_APPOSITION_START = re.compile(  # not after _NAME_START
    rf"({_HYPHENATED_NAME_EN}|{_SPACED_SYLLABLES_NAME_EN}|[A-Z][a-z]{{0,7}}(?: [A-Z][a-z]{{1,10}})?)"
    r"(?: ?[(（][\u4e00-\u9fff·]{2,6}[)）])?,\s+"
)
_TITLE_EN = re.compile(
    r"(?<![A-Za-z])(?:co-founder|founder|chairman|chairwoman|chair|chief executive(?: officer)?|CEO|"
    r"president|vice president|director|head|senior partner|partner|general manager|professor|researcher|"
    r"dean|executive|economist|scientist|engineer|scholar|lawyer|expert|editor-in-chief|editor|publisher|"
    r"principal|secretary-general)"
    r"(?:\s+and\s+(?:CEO|chairman|founder|chief executive|president))?\s+(?:of|at)\s+",
)
# (Xiang'an, Xiang’an: an apostrophe inside a romanised name, not a possessive.)
_ORG_TOKEN = re.compile(r"^(?:[A-Z0-9][\w&.\-]*(?:['’][a-z]+)?|[a-z]+[A-Z][\w.\-]*|&)(?:'s)?$")
_ORG_INNER = frozenset(("of", "for", "and", "&"))
_UNIT_WORDS = frozenset(["unit", "branch", "subsidiary", "arm", "division", "office"])


# A proposer's role used as a title after the surname: 陈委员, 罗代表.
_TITLES = ("委员", "代表", "常委")


@dataclass
class Actor:
    name: str
    role: str | None
    organization: str | None
    english: bool
    # Where the actor is named again in a sentence; compiled once per actor (every sentence of the
    # page is searched for every actor named so far).
    _references: list[re.Pattern[str]] = field(default_factory=list, repr=False, compare=False)

    @property
    def surname(self) -> str:
        if self.english:
            return _english_surname(self.name) or self.name.split()[0]
        return self.name[:1]

    @functools.cached_property
    def surname_zh(self) -> str:
        """The Chinese surname, compound ones included (上官明睿 -> 上官)."""
        return next((s for s in _COMPOUND_SURNAMES_ZH if self.name.startswith(s)), self.name[:1])

    @functools.cached_property
    def _probes(self) -> tuple[str, ...]:
        """Strings one of which a sentence must contain to name the actor (the surname is part of an
        English name: one test rules out both)."""
        if self.english:
            return (self.surname,)
        return (self.name, *(self.surname_zh + title for title in _TITLES))

    def references(self, sentence: str) -> Iterator[int]:
        """Where the sentence names this actor: the full name, or for English the surname alone
        (not inside another word, and not followed by a further capitalised name)."""
        if not any(probe in sentence for probe in self._probes):
            return
        if not self._references:
            if self.english:
                self._references = [
                    re.compile(rf"(?<![A-Za-z]){re.escape(text)}(?![a-z])(?! [A-Z][a-z])")
                    for text in (self.name, self.surname)
                ]
            else:
                # The name, or the surname with the role as a title: 上官委员表示, 罗代表说.
                self._references = [
                    re.compile(re.escape(self.name)),
                    re.compile(rf"{re.escape(self.surname_zh)}(?={'|'.join(_TITLES)})"),
                ]
        for pattern in self._references:
            for match in pattern.finditer(sentence):
                yield match.start()


@dataclass
class _Proposal:
    actor: Actor
    paragraph: int
    section: int
    year: int
    title: str | None
    parts: list[str] = field(default_factory=list)
    snippet: str = ""
    # Only announced so far (邵明澈带来了一份关于…的提案): what it proposes is said later, maybe in
    # another section of the page, and that is this proposal, not another.
    announced_only: bool = False
    topic: str = ""  # what the announcement said it is about, for its category


@dataclass
class _YearContext:
    """What a paragraph has said about time so far: the session it speaks of ("At the 2025 sessions",
    2023年全国两会前夕) and the last year it named (for 同年)."""

    session: int
    last: int | None


@dataclass
class _State:
    page_year: int
    persons: dict[str, Person]
    actors: list[Actor] = field(default_factory=list)
    last_actor: Actor | None = None
    current: _Proposal | None = None
    force_new: bool = False
    pending_titles: dict[str, str] = field(default_factory=dict)
    name_candidates: dict[str, str] = field(default_factory=dict)  # English surname -> full name
    possessive_orgs: dict[str, str] = field(default_factory=dict)  # English full name -> organisation
    last_name_en: str | None = None  # the English name written last ("As an NPC deputy, she …" is them)
    proposals: list[_Proposal] = field(default_factory=list)
    turned_to: int | None = None  # the paragraph in which the last person turned to another subject
    # Names listed before a person under one role in this sentence (全国人大代表王晓东、孙海涛联名提交建议):
    # whatever the last of them proposes, they propose together.
    joint: dict[str, list[Actor]] = field(default_factory=dict)
    # The sentences read before this one (the last three): 这位全国政协委员 refers to a person they named.
    previous_zh: list[str] = field(default_factory=list)


def find_proposals(paragraphs: Sequence[Paragraph], meta: Any) -> list[MentionRecord]:
    """Proposal mentions of the main text, in page order."""
    persons = load_persons()
    if not _may_name_a_proposer("\n".join(p.text for p in paragraphs), persons):
        return []
    published = getattr(meta, "published", None)
    page_year = published.year if isinstance(published, datetime.date) else datetime.date.today().year
    state = _State(page_year=page_year, persons=persons)
    section = 0
    for index, paragraph in enumerate(paragraphs):
        if paragraph.heading:
            section += 1
            state.force_new = False
            # 【全国人大代表 蒋雨桐：把AI技能培训纳入青年就业见习】: a heading may introduce the person
            # the section is about; it proposes nothing itself.
            if not _mostly_english(paragraph.text):
                introduced = _discover_zh(state, paragraph.text)
                if introduced:
                    state.last_actor = introduced[-1][1]
            continue
        if index + 1 < len(paragraphs) and _table_row_person(
            state, paragraph.text, paragraphs[index + 1].text
        ):
            continue
        context = _YearContext(session=page_year, last=None)
        # A paragraph is read as Chinese or English once: an English paragraph quoting a Chinese title
        # stays English, a Chinese one naming "OpenAI" stays Chinese.
        read = _sentence_en if _mostly_english(paragraph.text) else _sentence_zh
        for span in split_sentences(paragraph.text):
            read(state, span.text, index, section, context)
    return [_record(state, p) for p in state.proposals]


def _table_row_person(state: _State, cell: str, next_cell: str) -> bool:
    """A roundup table's row, one cell a paragraph: 王喆 | 全国政协委员、华衡证券首席经济学家 | 提案设立…
    The name alone in its cell, the role starting the next: the person the row is about."""
    if len(cell) > 4 or not _plausible_name(cell):
        return False
    role = _ROLE_ZH.match(next_cell)
    if role is None:
        return False
    rest = next_cell[role.end() :].lstrip("、，, ")
    chain = _TITLE_CHAIN_ZH.search(rest)
    organization = (rest[: chain.start()] or None) if chain else None
    state.last_actor = _register(state, cell, _normal_role_zh(role.group(0)), organization, english=False)
    return True


def _may_name_a_proposer(text: str, persons: dict[str, Person]) -> bool:
    """Whether anyone on the page can be a proposer: a proposal needs a person introduced with a
    deputy's or an adviser's role (the only ways _discover_zh and _discover_en find one) or a known
    proposer named. Most pages, government documents above all, have none, and skip the sentence work;
    代表 and 委员 alone do not count (委员会, 代表性 are everywhere)."""
    # The literal checks first: both patterns start with a run of any Chinese characters, which the
    # regex engine tries at every position of the page.
    if ("全国" in text and _ROLE_ZH.search(text)) or (
        ("委员" in text or "代表" in text) and _ROLE_SUFFIX_AT_END.search(text)
    ):
        return True
    lower = match_form(text).lower()
    if any(word in lower for word in _ROLE_WORDS_EN):
        return True
    return any(name in text for name in persons)


def _new_document(sentence: str) -> bool:
    """Another proposal is announced: 另一份建议, 第三件提案, his fourth suggestion, One …"""
    english = "suggestion" in sentence or "proposal" in sentence or "motion" in sentence
    return (
        _NEW_DOCUMENT_ZH.search(sentence) is not None
        or (english and search_word(_NEW_DOCUMENT_EN, sentence) is not None)
        or _NEW_DOCUMENT_EN_START.match(sentence) is not None
    )


def _mostly_english(text: str) -> bool:
    return cjk_ratio(text) < 0.5


# ---------------------------------------------------------------------------------------------- Chinese


def _sentence_zh(state: _State, sentence: str, paragraph: int, section: int, context: _YearContext) -> None:
    state.joint = {}
    mentions: list[tuple[int, Actor]] = []
    for start, actor in _discover_zh(state, sentence):
        mentions.append((start, actor))
    this_role = _THIS_ROLE_ZH.search(sentence) if "这位" in sentence or "该" in sentence else None
    if this_role is not None and not mentions:
        person = next(filter(None, map(_last_titled_person_zh, reversed(state.previous_zh))), None)
        if person is not None and not any(a.name == person[0] for a in state.actors):
            role = _normal_role_zh(this_role.group(1))
            mentions.append((this_role.start(), _register(state, person[0], role, person[1], english=False)))
    state.previous_zh = [*state.previous_zh[-2:], sentence]
    for actor in state.actors:
        if not actor.english:
            mentions.extend((start, actor) for start in actor.references(sentence))
    mentions.sort(key=lambda item: item[0])
    for start, actor in mentions:
        if actor.organization is None:
            actor.organization = _organization_after(sentence, start + len(actor.name))
    if _new_document(sentence):
        state.force_new = True
    title = _proposal_title(sentence)
    verb = _VERB_ZH.search(sentence) if _VERB_HINT_ZH.search(sentence) else None
    if title and mentions and verb is None:  # 雷军提交了五份建议，其中《…的建议》引发关注: for what follows
        state.pending_titles[mentions[-1][1].name] = title

    explicit = _explicit_year_zh(state, sentence, verb.start() if verb else len(sentence), context)
    if verb is not None:
        proposer = _subject(state, sentence, verb.start(), mentions, _PRONOUN_ZH)
        if proposer is not None:
            actor = proposer
            year = _proposal_year(state, actor, paragraph, explicit, context)
            content = _content_zh(sentence)
            also = bool(_ALSO_ZH.search(sentence[: verb.end() + 2])) or state.turned_to == paragraph
            named = _named(sentence, verb.start(), actor)
            _add(state, actor, paragraph, section, year, title, content, sentence, also, named)
            for companion in state.joint.get(actor.name, ()):
                _add(state, companion, paragraph, section, year, title, content, sentence, also, named)
                state.current = next(p for p in reversed(state.proposals) if p.actor is actor)
            state.last_actor = actor
            state.turned_to = None
    if _TURNS_TO_ZH.search(sentence):  # 范文涛还关注…: the next proposal in this paragraph is another one
        state.turned_to = paragraph
    if mentions:
        state.last_actor = mentions[-1][1]
    others = _other_people_zh(state, sentence)
    if others and (not mentions or others[-1] > mentions[-1][0]):
        state.last_actor = None  # 首席经济学家程远表示…。他认为…: 他 is not the deputy named before
    _update_context_zh(state, sentence, context)


# A body named by its kind alone, standing for one the sentence named before (集团, 公司 …).
_GENERIC_BODIES = frozenset(["集团", "公司", "企业", "学校", "大学", "医院", "学院", "银行"])
_WORKPLACE = re.compile(r"在([\u4e00-\u9fff]{2,20}?(?:公司|集团|大学|医院|研究院|学校|银行|工厂))")


def _name_after_description(tail: str) -> tuple[str, str | None] | None:
    """全国人大代表、在鹭通快递公司从事快递员工作已有9年的温小满说: the person after a description that
    ends in 的, and the workplace it names."""
    cut = tail.rfind("的")
    name = _name_at(tail[cut + 1 :]) if cut >= 0 else None
    if name is None:
        return None
    workplace = _WORKPLACE.search(tail, 0, cut)
    return name, workplace.group(1) if workplace else None


def _organization_after(sentence: str, end: int) -> str | None:
    """What a named person is, said right after the name: 田野是长河出版集团董事长, 宁远代表，是…董事长,
    吕正和同时是西岭大学信息学院教授 (the organisation, without the job title)."""
    copula = _IS_AFTER_NAME.match(sentence, end)
    if copula is None:
        return None
    clause = re.split(r"[，,。；;：:（(]", sentence[copula.end() :], maxsplit=1)[0]
    chain = _TITLE_CHAIN_ZH.search(clause)
    if chain is None or chain.start() < 2:
        return None
    return _main_organization(clause[: chain.start()])


def _other_people_zh(state: _State, sentence: str) -> list[int]:
    """Where the sentence names someone who speaks but is no deputy or adviser (某券商首席经济学家程远
    表示, 副教授王堃对记者说), so that a 他 or 她 after it is not taken for the last proposer."""
    if not _SPEECH_ZH.search(sentence):
        return []
    found = []
    for title in _TITLE_CHAIN_ZH.finditer(sentence):
        name = _name_by_follower(sentence[title.end() :])
        if name and not any(actor.name == name for actor in state.actors):
            found.append(title.end())
    return found


def _discover_zh(state: _State, sentence: str) -> list[tuple[int, Actor]]:
    """People introduced with their role in this sentence."""
    found: list[tuple[int, Actor]] = []
    if "代表" not in sentence and "委员" not in sentence and "常委" not in sentence:
        return found  # every role of _ROLE_ZH and _ROLE_SUFFIX_ZH has one of them
    for match in _ROLE_ZH.finditer(sentence):
        role = _normal_role_zh(match.group(0))
        named = (
            _NAME_BEFORE_BRACKET.search(sentence, max(0, match.start() - 6), match.start())
            if match.start() and sentence[match.start() - 1] in "（("
            else None
        )
        if named and _plausible_name(named.group(1)):
            # 提案人：谭秀兰（全国政协委员，楚天养老服务集团董事长）
            inside = re.split(r"[）)]", sentence[match.end() :], maxsplit=1)[0].lstrip("，、, ")
            chain = _TITLE_CHAIN_ZH.search(inside)
            organization = (inside[: chain.start()] or None) if chain else None
            found.append(
                (named.start(1), _register(state, named.group(1), role, organization, english=False))
            )
            continue
        tail = re.split(r"[，,。；;：:“”\"（(]", sentence[match.end() :].lstrip("，、, "), maxsplit=1)[0]
        parsed = _name_and_org(tail) or _name_after_description(tail)
        if parsed is None:
            continue
        name, organization = parsed
        if organization in _GENERIC_BODIES:
            # 在晋阳重型机械集团的装配车间，全国人大代表、集团首席技师郝铁军: the group named before
            named = re.search(rf"([\u4e00-\u9fff]{{2,12}}{organization})", sentence[: match.start()])
            organization = named.group(1).lstrip("在于从到") if named else None
        actor = _register(state, name, role, organization, english=False)
        found.append((match.end() + sentence[match.end() :].find(name), actor))
        listed = tail.split("、")[:-1]
        if listed and all(_plausible_name(item) and len(item) <= 3 for item in listed):
            companions = [_register(state, item, role, None, english=False) for item in listed]
            state.joint[actor.name] = companions
            found.extend((match.end() + sentence[match.end() :].find(c.name), c) for c in companions)
    for match in _ROLE_ZH.finditer(sentence):
        written_before = _name_before_role(sentence[: match.start()]) or _subject_also_role(
            sentence, match.start()
        )
        if written_before is None:
            continue
        name, organization, start = written_before
        if any(a.name == name for a in state.actors):
            continue
        actor = _register(state, name, _normal_role_zh(match.group(0)), organization, english=False)
        found.append((start, actor))
    for match in _ROLE_SUFFIX_ZH.finditer(sentence):
        name = match.group(1)
        if any(a.name == name or (not a.english and a.surname_zh == name) for a in state.actors):
            continue  # 宁远代表 again, or 上官委员 for 上官明睿 (Actor.references finds them)
        if _plausible_name(name):
            role = "全国政协委员" if match.group(2) == "委员" else "全国人大代表"
            found.append((match.start(), _register(state, name, role, None, english=False)))
    return found


def _name_before_role(before: str) -> tuple[str, str | None, int] | None:
    """The name (and organisation) written before a role: 360集团创始人周鸿祎再次连任 -> 周鸿祎, 360集团;
    or a line that starts with the name, a space and the role (王建国 全国人大代表、江西农业大学校长)."""
    alone = re.fullmatch(r"\s*([\u4e00-\u9fff]{2,4})\s+", before)
    if alone and _plausible_name(alone.group(1)):
        return alone.group(1), None, alone.start(1)
    connector = _ROLE_AFTER_NAME.search(before)
    if connector is None:
        return None
    head = before[: connector.start()]
    clause = re.split(r"[\s，。；：、,“”]", head)[-1]
    titles = list(_TITLE_CHAIN_ZH.finditer(clause))
    organization = None
    if titles and titles[-1].end() < len(clause):
        name = clause[titles[-1].end() :]
        organization = clause[: titles[-1].start()] or None
    else:
        name = clause[-3:] if _surname_ok(clause[-3:]) else clause[-2:]
    if not 2 <= len(name) <= 3 or not _surname_ok(name) or not _is_han(name):
        return None
    return name, organization, connector.start() - len(name)


# …，也是十四届全国人大代表: the role is the sentence's subject's, described first.
_ALSO_IS_BEFORE_ROLE = re.compile(r"[，,]\s*(?:也|同时|还|并且?)是$")


def _subject_also_role(sentence: str, role_start: int) -> tuple[str, str | None, int] | None:
    """潘亦凡是青禾机器人有限公司的一名高级技师，也是十四届全国人大代表: the person the sentence
    starts with, when a later clause says they also hold the role."""
    if not _ALSO_IS_BEFORE_ROLE.search(sentence, 0, role_start):
        return None
    subject = _NAME_IS.match(sentence)
    if subject is None or not _plausible_name(subject.group(1)):
        return None
    description = sentence[subject.end() : role_start]
    chain = _TITLE_CHAIN_ZH.search(description)
    organization = re.sub(r"的?(?:一名|一位)?$", "", description[: chain.start()]) if chain else ""
    return subject.group(1), organization or None, 0


# 在华滨大学计算机学院教授钟启岚看来，…。这位全国政协委员今年提交提案: the role of a person the
# sentence before named with their job only.
_THIS_ROLE_ZH = re.compile(r"(?:这位|该)(全国人大代表|全国政协委员|全国政协常委)")


def _last_titled_person_zh(text: str) -> tuple[str, str | None] | None:
    """The last person a text names after an organisation and a job title (华滨大学计算机学院教授钟启岚)."""
    for clause in reversed(re.split(r"[，,。；;：:！？]", text)):
        parsed = _name_and_org(clause.lstrip("在据"))
        if parsed is not None:
            return parsed
    return None


def _normal_role_zh(role: str) -> str:
    role = re.sub(r"^十[一二三四五六七八九]?届", "", role)
    if role in ("全国政协常务委员",):
        return "全国政协常委"
    if role in ("全国人民代表大会代表",):
        return "全国人大代表"
    if role == "全国政协委员会委员":
        return "全国政协委员"
    return role


def _name_and_org(tail: str) -> tuple[str, str | None] | None:
    """Split 小米集团创始人、董事长兼CEO雷军今年… into the name (雷军) and the organisation (小米集团)."""
    items = [item for item in tail.split("、") if item]
    if not items:
        return None
    last = items[-1]
    copula = _NAME_IS.match(last)
    if copula and _plausible_name(copula.group(1)):
        # 来自广东的全国人大代表欧阳振华是穗驰机器人公司董事长: the name, then what the person is.
        rest = last[copula.end() :]
        chain = _TITLE_CHAIN_ZH.search(rest)
        return copula.group(1), (rest[: chain.start()] or None) if chain else None
    titles = list(_TITLE_CHAIN_ZH.finditer(last))
    organization = None
    name = None
    if titles:
        title = titles[-1]
        # 同为全国人大代表的小米集团创始人雷军: the 的 links the role to the organisation.
        organization = last[: title.start()].removeprefix("的") or None
        name = _name_at(last[title.end() :])
    else:
        name, organization = _name_after_org(last)
        if name is None and len(last) > 4:
            # The role right before the name, a one-character word after it: 全国人大代表张启明在今年…,
            # 全国政协委员赵丽娜的提案建议.
            name = _name_at(last)
        if name is None and _plausible_name(last):
            # The name is all there is (● 全国政协委员高峰：建议…), or a verb of saying follows it
            # (…全国政协委员赵丽娜说。): a name may end in 和 or 平, but not in 说.
            said = _SPEECH_ZH.search(last, 2)
            name = last[: said.start()] if said and said.end() == len(last) else last
    if not name:
        return None
    if organization is None:
        for item in reversed(items[:-1]):
            chain = _TITLE_CHAIN_ZH.search(item)
            candidate = item[: chain.start()] if chain else None
            if candidate:
                organization = candidate
                break
    return name, organization


# After a name: its role as a title, and the verb that says what the person is.
_IS_AFTER_NAME = re.compile(r"(?:代表|委员|常委)?[，,]?(?:同时|现|目前|也)?(?:是|系|现任|担任|任)")
# A university's school, institute or centre: the organisation is the university.
_UNIVERSITY_UNIT = re.compile(
    r"^(.{2,20}?大学)[\u4e00-\u9fff]{1,14}?(?:学院|系|研究院|研究所|研究中心|中心|实验室)$"
)


_COMPANY_UNIT = re.compile(
    r"^(.{2,20}?(?:公司|集团))[\u4e00-\u9fff]{1,14}?(?:分公司|分拨中心|中心|分部|事业部|分行|支行|工厂|车间)$"
)


def _main_organization(organization: str) -> str | None:
    """东湖大学法学院 -> 东湖大学, 桂岭速运公司南宁分拨中心的站点 -> 桂岭速运公司: proposers are known by
    their institution, not its school, branch or post. None for a workplace described, not named
    (信阳市平桥区一所乡村小学, 某科技公司)."""
    if _UNNAMED_WORKPLACE.search(organization):
        return None
    # 上海申联汽车制造有限公司高级技师, 中融信保险集团原副总裁: what qualifies the job title is not the
    # organisation's.
    organization = _TITLE_QUALIFIER_AT_END.sub("", organization) or organization
    if "的" in organization[2:]:
        organization = organization[: organization.index("的", 2)]
    unit = _UNIVERSITY_UNIT.match(organization) or _COMPANY_UNIT.match(organization)
    return unit.group(1) if unit else organization


_UNNAMED_WORKPLACE = re.compile(r"一(?:所|家|座|个|间)|某")
_TITLE_QUALIFIER_AT_END = re.compile(r"(?:高级|资深|首席|常务|执行|原|前|副)+$")


# A name right before the bracket that holds the role: 谭秀兰（全国政协委员，…董事长）.
_NAME_BEFORE_BRACKET = re.compile(r"([\u4e00-\u9fff]{2,4})[（(]$")
# A name and what the person is: 欧阳振华是…董事长, 吕正和同时是…教授, 高峰现任…院长.
_NAME_IS = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:同时|现|目前|也)?(?:是|系|现任|担任|任)")


def _surname_ok(name: str) -> bool:
    return name[:1] in _SURNAMES_ZH or name.startswith(_COMPOUND_SURNAMES_ZH)


def _name_by_follower(rest: str) -> str | None:
    """A name at the start of rest that a word which follows names shows the end of (雷军今年准备了 ->
    雷军), without asking jieba."""
    compound = rest.startswith(_COMPOUND_SURNAMES_ZH)  # 欧阳振华, 上官明睿: a name is 3 or 4 long
    lengths = (3, 4) if compound else (2, 3)
    for multi in (True, False):  # a two-character follower (今年, 建议) is stronger evidence than 说
        for length in lengths:
            candidate = rest[:length]
            after = rest[length:]
            if (
                length == lengths[1]
                and _FOLLOW_MULTI.match(rest, lengths[0])
                and not _name_ends_in_and(rest, length)
            ):
                continue  # 雷军则提交: 则 follows a two-character name, it is not its third character
            if len(candidate) == length and after and _plausible_name(candidate):
                follower = _FOLLOW_MULTI.match(after)
                if follower and (len(follower.group(0)) > 1 or not multi):
                    if length == lengths[0] and _name_ends_in_and(rest, lengths[1]):
                        continue
                    return candidate
    return None


def _name_ends_in_and(rest: str, length: int) -> bool:
    """俞景和在调研中发现: a 和 or 与 that a follower comes right after is the last character of the name,
    not "and" (雷军和周鸿祎)."""
    return (
        len(rest) > length
        and rest[length - 1] in "和与"
        and _FOLLOW_MULTI.match(rest, length) is not None
        and _plausible_name(rest[:length])
    )


# Last characters of bodies, never of given names: 常委会, 党委, 办公厅.
_INSTITUTION_ENDINGS = frozenset("会委部局厅院司处室办")
# Characters that end a "name" which is really a surname-like character and a particle: 曾在 (once, at),
# 位代表 (… deputies).
_PARTICLES = frozenset("在是对将就也还曾的等和与则已说称")


def _plausible_name(name: str) -> bool:
    """Two to four Chinese characters starting with a surname, and not a word that merely starts like
    one (曾在今年两会上, 多位代表, 全国政协)."""
    if "·" in name or "•" in name:
        return _DOTTED_NAME.fullmatch(name) is not None
    if not 2 <= len(name) <= 4 or not _is_han(name) or not _surname_ok(name):
        return False
    if "代表" in name or "委员" in name or name.startswith(("位", "名", "全国")):
        return False
    if name in _COMPOUND_SURNAMES_ZH:
        return False  # 上官 alone is a surname
    if name[-1] in _INSTITUTION_ENDINGS:
        return False  # 常委会 (常 is a surname too)
    return not (len(name) == 2 and name[1] in _PARTICLES)


# A Uyghur, Kazakh or Tibetan name transliterated with a middle dot: 艾尼瓦尔·买买提, 古丽娜尔·吐尔逊.
_DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[·•][\u4e00-\u9fff]{2,6}){1,2}")


def _dotted_name_at(rest: str) -> str | None:
    """A dotted name at the start of rest, its last part ending where a follower word, a mark or the end
    of the text does (艾尼瓦尔·买买提说 -> 艾尼瓦尔·买买提)."""
    match = _DOTTED_NAME.match(rest)
    if match is None:
        return None
    last_dot = max(match.group(0).rfind("·"), match.group(0).rfind("•"))
    for end in range(last_dot + 3, match.end() + 1):
        after = rest[end:]
        if not after or not _is_han(after[0]) or _FOLLOW_MULTI.match(after):
            return rest[:end]
    return None


def _name_at(rest: str) -> str | None:
    """The person's name at the start of rest (雷军今年准备了 -> 雷军): two or three characters, the
    length at which a word that follows names begins; jieba decides when no such word does."""
    if len(rest) < 2:
        return None
    if "·" in rest[:8] or "•" in rest[:8]:
        return _dotted_name_at(rest)
    name = _name_by_follower(rest)
    if name:
        return name
    names = [n for n in person_names(rest[:8]) if 2 <= len(n) <= 4]
    if names and rest.startswith(names[0]) and _plausible_name(names[0]):
        return names[0]
    if len(rest) <= 4 and _plausible_name(rest):
        return rest  # the name is all that is left: 全国政协委员高峰：建议…
    return None


def _name_after_org(item: str) -> tuple[str | None, str | None]:
    """A name right after an organisation with no job title between: 中国电信湖北公司张敏建议."""
    for match in _FOLLOW_MULTI.finditer(item):
        end = match.start()
        if end < 2 or len(match.group(0)) < 2:
            continue
        for length in (2, 3):
            start = end - length
            if start < 0:
                continue
            candidate = item[start:end]
            # An organisation ends in 司, 团, 院 …: a name cannot start with that character.
            if _plausible_name(candidate) and (start == 0 or item[start - 1] in _ORG_END_CHARS):
                return candidate, item[:start] or None
        # jieba decides, but only for a name that ends where the following word begins.
        for name in person_names(item[: end + 2]):
            if item[end - len(name) : end] == name and _plausible_name(name):
                return name, item[: end - len(name)] or None
        for length in (3, 2):  # a name whose organisation ends in a job title we do not know
            candidate = item[end - length : end]
            if len(candidate) == length and _plausible_name(candidate):
                return candidate, item[: end - length] or None
        break
    return None, None


_ORG_END_CHARS = frozenset("司团院所局部委厅会社校馆台站心学厂行业中网组队处室办")


def _is_han(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


_SESSION_YEAR_ZH = re.compile(
    r"((?:19|20)\d{2})\s*年(?:的)?(?:全国)?两会|((?:19|20)\d{2})\s*年[^，。]{0,8}?(?:会议|两会)(?:期间|上|前夕)"
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_SESSION_YEAR_EN = re.compile(
    r"(?<![A-Za-z])(?:at|during|in|to) the ((?:19|20)\d{2}) (?:sessions|[Tt]wo [Ss]essions|session)|"
    r"^In (?:early |mid-|late )?(?:March )?((?:19|20)\d{2})\b"
)


def _explicit_year_zh(state: _State, sentence: str, limit: int, context: _YearContext) -> int | None:
    """The year a Chinese sentence places its proposal in, when it says so before the verb."""
    year = None
    if "年" not in sentence:  # every form of _YEAR_ZH has it; most sentences do not
        return None
    for match in _YEAR_ZH.finditer(sentence, 0, limit):
        if _NOT_A_PROPOSAL_YEAR.search(sentence[max(0, match.start() - 3) : match.start()]):
            continue
        if sentence[match.end() : match.end() + 1] in ("底", "末"):
            continue
        word = match.group(0)
        if word.startswith("去年"):
            year = state.page_year - 1
        elif word.startswith("今年"):
            year = state.page_year
        elif word.startswith("同年"):
            year = context.last or year
        elif match.group(1):
            value = int(match.group(1))
            if state.page_year - 5 <= value <= state.page_year:
                year = value
    return year


def _update_context_zh(state: _State, sentence: str, context: _YearContext) -> None:
    if "年" not in sentence:
        return
    for match in _YEAR_ZH.finditer(sentence):
        if match.group(1):
            context.last = int(match.group(1))
    for match in _SESSION_YEAR_ZH.finditer(sentence):
        value = int(match.group(1) or match.group(2))
        if state.page_year - 5 <= value <= state.page_year:
            context.session = value


def _proposal_year(
    state: _State, actor: Actor, paragraph: int, explicit: int | None, context: _YearContext
) -> int:
    """The sentence's own year; else the year of the same person's proposal just before in the same
    paragraph ("Last year … he proposed …. He also urged …"); else the session the paragraph speaks of."""
    if explicit is not None:
        return explicit
    current = state.current
    if current is not None and current.actor is actor and current.paragraph == paragraph:
        return current.year
    return context.session


_PLAIN_VERB_ZH = re.compile(r"(?<![份件条项个的出])建议(?![》书稿])|呼吁|提议|提出|(?:认为|表示|指出|强调)")


def _content_zh(sentence: str) -> str:
    """What is proposed: the sentence after its last proposing verb (在《…提案》中，周鸿祎建议，建设… ->
    建设…), or after the proposal title when no plain verb follows it."""
    last = None
    for match in _PLAIN_VERB_ZH.finditer(sentence):
        if match.group(0) in ("认为", "表示", "指出", "强调", "提出") and not _VERB_ZH.match(
            sentence, match.start()
        ):
            continue
        last = match
    if last is not None:
        content = sentence[last.end() :]
    else:
        title = re.search(r"》(?:提案|建议|议案)?中?", sentence)
        content = sentence[title.end() :] if title else sentence
    return content.lstrip("，,：: ").rstrip("。")


def _proposal_title(sentence: str) -> str | None:
    match = _PROPOSAL_TITLE.search(sentence)
    if not match:
        return None
    return match.group(1) or match.group(2)


# ---------------------------------------------------------------------------------------------- English


def _sentence_en(state: _State, sentence: str, paragraph: int, section: int, context: _YearContext) -> None:
    for match in finditer_words(_NAME_EN, sentence, _NAME_START):
        if match.group(1) in _HONORIFICS_EN:
            continue  # "Dr Wen": the person named before, not a new name
        full = f"{match.group(1)} {match.group(2)}"
        surname = _english_surname(full)
        if surname is not None:
            state.name_candidates[surname] = full
            state.last_name_en = full
            possessive = re.match(r"'s\s+((?:[A-Z0-9][\w&.\-]*\s*){1,4})", sentence[match.end() :])
            if possessive:
                state.possessive_orgs[full] = possessive.group(1).strip()
            elif full not in state.possessive_orgs:
                # Zhang Liwen (张立文), president of the Pujiang Data Economy Research Institute, has …:
                # the organisation, for when a later sentence gives the role.
                apposition = _apposition_after(sentence, match.end())
                organization = _organization_en(apposition) if apposition else None
                if organization:
                    state.possessive_orgs[full] = organization
    mentions = _discover_en(state, sentence)
    for actor in state.actors:
        if actor.english:
            starts = list(actor.references(sentence))
            mentions.extend((start, actor) for start in starts)
            if actor.organization is None and starts:
                # "…," said Gao, chairman of Qingyun Smart Terminal: the firm, given after the surname.
                for start in starts:
                    end = sentence.find(",", start)
                    if end == -1 or sentence[start:end] not in (actor.name, actor.surname):
                        continue
                    apposition = _apposition_after(sentence, end)
                    actor.organization = _organization_en(apposition) if apposition else None
                    if actor.organization:
                        break
    mentions.sort(key=lambda item: item[0])
    if _new_document(sentence):
        state.force_new = True

    verb = search_word(_VERB_EN, sentence)
    if any(hint in sentence for hint in _VERB_EN_MORE_HINTS):
        more = search_word(_VERB_EN_MORE, sentence, 0, verb.start() if verb else None)
        verb = more if more is not None else verb
    saying = verb is not None and verb.group(0).split()[0] in _SAYING_EN
    if verb is not None and saying and not any(p < verb.start() for p, _ in mentions):
        # "He said regulators should …" after a deputy's paragraph is as often an expert quoted next:
        # what someone said should be done is a proposal only from a deputy this sentence names.
        verb = None
    # "submitted a motion at last year's session …": the session is said after this verb.
    filed = verb is not None and verb.group(0).split()[0] in _FILING_VERBS_EN
    explicit = _explicit_year_en(state, sentence, verb.start() if verb and not filed else len(sentence))
    if verb is not None:
        proposer = _subject(state, sentence, verb.start(), mentions, _PRONOUN_EN)
        if proposer is not None:
            actor = proposer
            year = _proposal_year(state, actor, paragraph, explicit, context)
            content = sentence[verb.start() :].rstrip(".")
            also = bool(_ALSO_EN.search(sentence))
            named = _named(sentence, verb.start(), actor)
            _add(state, actor, paragraph, section, year, None, content, sentence, also, named)
            state.last_actor = actor
    if mentions:
        state.last_actor = mentions[-1][1]
    # Both forms of _SESSION_YEAR_EN need a year and either "session" or a leading "In ".
    maybe_session = ("ession" in sentence or sentence.startswith("In ")) and _FOUR_DIGITS.search(sentence)
    for match in _SESSION_YEAR_EN.finditer(sentence) if maybe_session else ():
        value = int(match.group(1) or match.group(2))
        if state.page_year - 5 <= value <= state.page_year:
            context.session = value


def _discover_en(state: _State, sentence: str) -> list[tuple[int, Actor]]:
    """People introduced by apposition: "<Name>, <role and organisation>, <verb>"."""
    found: list[tuple[int, Actor]] = []
    folded = match_form(sentence)  # People’s and People's are one (offsets are kept)
    lower = folded.lower()
    if not any(word in lower for word in _ROLE_WORDS_EN):
        return found  # an apposition must name a role of _ROLE_EN
    for match in finditer_words(_ROLE_BEFORE_NAME_EN, folded, _NAME_START):
        # NPC deputy Gu Minhui, vice president of …, proposed; Lawmaker Bai Yunfei suggested
        name = match.group("name")
        national = match.group("role").lower().startswith(("npc", "cppcc", "national"))
        if _english_surname(name) is None or (
            not national and _LOCAL_BEFORE_ROLE_EN.search(folded, max(0, match.start() - 12), match.start())
        ):
            continue  # municipal lawmaker Wu Tianyu: a city's deputy ("local NPC deputy" is national)
        if match.group("role").lower() in ("lawmaker", "legislator") and (
            _OTHER_LEGISLATURE_BEFORE_EN.search(folded, max(0, match.start() - 40), match.start())
            or _OTHER_LEGISLATURE_EN.search(folded)
        ):
            continue  # "Legislator Chen Pei-yu of the Democratic Progressive Party, who sits on the …"
        written = next(normal for pattern, normal in _ROLE_EN if pattern.search(match.group("role")))
        described = _apposition_after(sentence, match.end())
        if described and _LOCAL_BODY_EN.search(described):
            continue
        organization = _organization_en(described) if described else None
        organization = organization or state.possessive_orgs.get(name)
        found.append((match.start("name"), _register(state, name, written, organization, english=True)))
    # "The principal of Jinsha Primary School and a member of the National Committee of the CPPCC, Lan
    # submitted a proposal …": a description put before the surname of a person named earlier.
    fronted = _FRONTED_DESCRIPTION_EN.match(sentence)
    if fronted is not None and fronted.group("surname") in state.name_candidates:
        described = folded[: fronted.start("surname")]
        role = next((normal for pattern, normal in _ROLE_EN if pattern.search(described)), None)
        if role is not None and not _LOCAL_BODY_EN.search(described):
            name = state.name_candidates[fronted.group("surname")]
            organization = _organization_en(described) or state.possessive_orgs.get(name)
            found.append((fronted.start("surname"), _register(state, name, role, organization, english=True)))
    # "Tan Wenhui spent 20 years as a welder …. As an NPC deputy, she has submitted a proposal …"
    as_role = _AS_ROLE_EN.match(folded) if folded.startswith(("As ", "A ", "An ")) else None
    if as_role is not None and state.last_name_en is not None:
        name = state.last_name_en
        role = next(normal for pattern, normal in _ROLE_EN if pattern.search(as_role.group("role")))
        organization = state.possessive_orgs.get(name)
        found.append((as_role.start("pronoun"), _register(state, name, role, organization, english=True)))
    sits = _SITS_AS_EN.search(folded) if "where " in folded else None
    if sits is not None and sits.group("surname") in state.name_candidates:
        name = state.name_candidates[sits.group("surname")]
        role = (
            "NPC deputy"
            if "People's Congress" in sits.group("body") or sits.group("body") == "NPC"
            else "CPPCC member"
        )
        organization = state.possessive_orgs.get(name)
        found.append((sits.start("surname"), _register(state, name, role, organization, english=True)))
    # "Wu Zhiqiang is an NPC deputy and chairman of Hanshan Group.": the role as the predicate.
    stated = _NAME_IS_ROLE_EN.match(folded)
    if stated is not None and _english_surname(stated.group("name")) is not None:
        name = stated.group("name")
        rest = sentence[stated.end() :]
        written = next(normal for pattern, normal in _ROLE_EN if pattern.search(stated.group("role")))
        organization = _organization_en(rest.rstrip(".")) or state.possessive_orgs.get(name)
        found.append((0, _register(state, name, written, organization, english=True)))
    for match in finditer_words(_APPOSITION_START, sentence, _NAME_START):
        name = _without_honorific(state, match.group(1))
        if name is None or _english_surname(name) is None:
            continue
        end = _APPOSITION_END.search(sentence, match.end())
        # "…," said Meng Xiaoyan, a national political adviser and vice president of Hanshan
        # Semiconductor.: an apposition may also run to the end of the sentence.
        stop = end.start() if end is not None else len(sentence.rstrip(".\"'”’ "))
        apposition = sentence[match.end() : stop]
        role = next(
            (normal for pattern, normal in _ROLE_EN if pattern.search(folded, match.end(), stop)), None
        )
        # "At the session of the CPPCC, Hu Lanting, a member of its National Committee, proposed"
        if (
            role is None
            and _NATIONAL_COMMITTEE_MEMBER.search(folded, match.end(), stop)
            and re.search(r"CPPCC|Political Consultative", folded)
        ):
            role = "CPPCC member"
        if role is None and end is not None:
            # "Kaiwen Shao, a computer scientist at …, who is a deputy to the National People's
            # Congress"; "Lin Qiaoyu, a structural biologist …, is one of more than 2,000 members of
            # the National Committee of the CPPCC": the role is said after the description.
            clause_end = sentence.find(", ", end.end())
            clause_end = clause_end if clause_end != -1 else len(sentence)
            member = _MEMBER_OF_EN.match(folded, end.end(), clause_end)
            if member is not None and not _LOCAL_BODY_EN.search(folded, end.end(), clause_end):
                role = "NPC deputy" if member.group("body") else "CPPCC member"
        if role is None or _LOCAL_BODY_EN.search(folded, match.end(), stop):
            continue
        if " " not in name:  # a surname alone: the full name was written before
            name = state.name_candidates.get(name, name)
            if " " not in name:
                continue
        organization = _organization_en(apposition) or state.possessive_orgs.get(name)
        found.append((match.start(), _register(state, name, role, organization, english=True)))
    return found


# Verbs that hand a proposal in ("filed a proposal last year" dates the filing, not the proposal's aim).
_FILING_VERBS_EN = frozenset(["filed", "submitted", "tabled", "brought", "brings", "raised", "raises"])
_HONORIFICS_EN = frozenset(["Dr", "Mr", "Ms", "Mrs", "Madam", "Prof", "Professor"])


def _without_honorific(state: _State, name: str) -> str | None:
    """ "Dr Wen" is the Wen Qiao the page named before; "Mr Qiu Wenbo" is Qiu Wenbo; a title and a
    surname nobody was named with is no one to register."""
    first, _, rest = name.partition(" ")
    if first not in _HONORIFICS_EN:
        return name
    if " " in rest:
        return rest
    return state.name_candidates.get(rest)


def _english_surname(name: str) -> str | None:
    """The surname of a Chinese name written in pinyin: first (Lei Jun), or last when the page writes
    the given name first (Meiling Qu, Yiming Fang), or before a hyphenated given name (Kelvin Leung
    Chi-hang); None when none is a surname."""
    words = name.split()
    if len(words) >= 2 and "-" in words[-1] and words[-2].lower() in _HYPHENATED_NAME_SURNAMES_EN:
        return words[-2]
    if len(words) == 3 and words[0].lower() in _HYPHENATED_NAME_SURNAMES_EN and max(map(len, words[1:])) <= 5:
        return words[0]  # Leong Kin Fai
    if words[0].lower() in _SURNAMES_EN:
        return words[0]
    if len(words) == 2 and words[1].lower() in _SURNAMES_EN:
        return words[1]
    return None


def _apposition_after(sentence: str, position: int) -> str | None:
    """The apposition right after a name at position: ", president of X," up to the verb (or up to
    the next comma when the verb is not one of _APPOSITION_END's: ", founder of X, focused on …")."""
    start = _APPOSITION_OPEN.match(sentence, position)
    if start is None:
        return None
    end = _APPOSITION_END.search(sentence, start.end())
    if end is not None:
        return sentence[start.end() : end.start()]
    comma = sentence.find(", ", start.end())
    return sentence[start.end() : comma] if comma > start.end() else None


_WHO_RUNS_EN = re.compile(r"who (?:heads|chairs|leads|runs|founded) (?:the )?([^,]+)")
_AT_EMPLOYER_EN = re.compile(r"at (?:the )?(?=[A-Z])")
_POSSESSIVE_ROLE_EN = re.compile(r"'s\s+(?:chairman|founder|chief|president|head|CEO)")
_POSSESSIVE_HEAD_EN = re.compile(
    r"((?:[A-Za-z0-9][\w&.\-]*\s)*?[A-Za-z0-9][\w&.\-]*)'s\s+(?:chairman|founder|chief|president|head|CEO)"
)


def _organization_en(apposition: str) -> str | None:
    match = _WHO_RUNS_EN.search(apposition) if "who " in apposition else None
    if match:
        # "who runs the Eastlake Institute for Data Science in Wuhan": where it is is not its name.
        organization = re.split(r" in (?=[A-Z])", match.group(1), maxsplit=1)[0].strip()
        # "who heads a county-level hospital" describes a place of work, it does not name one; "who
        # runs the Suzhou chip designer Xinrui Semiconductor" names it at the end.
        if organization.startswith(("a ", "an ")):
            return None
        return _capitalised_run(organization.split()) or organization

    # "an NPC deputy from Zhejiang whose company, Yuesheng Trade, runs …"
    whose = _WHOSE_COMPANY_EN.search(apposition) if "whose " in apposition else None
    if whose:
        return whose.group(1)
    # The possessive pattern is tried at every position, each try running on to the next "'s": look
    # for "'s" and the title first.
    match = _POSSESSIVE_HEAD_EN.search(apposition) if _POSSESSIVE_ROLE_EN.search(apposition) else None
    if match:
        return _capitalised_run(match.group(1).split())
    for title in _TITLE_EN.finditer(apposition):
        phrase = re.split(
            r",| and (?=an? |the |member)| in (?=[A-Z])", apposition[title.end() :], maxsplit=1
        )[0]
        if phrase.startswith(("a ", "an ")):
            continue  # "founder of a Hangzhou robotics company" describes the firm, it does not name it
        organization = _capitalised_run(phrase.split())
        if organization:
            return organization
    # "a structural biologist at the Huaiyin Institute of Life Sciences in Nanjing": whatever the
    # profession, the place of work named after "at".
    at = search_word(_AT_EMPLOYER_EN, apposition) if "at " in apposition else None
    if at:
        phrase = re.split(r",| in (?=[A-Z])| and ", apposition[at.end() :], maxsplit=1)[0]
        return _capitalised_run(phrase.split())
    return None


def _capitalised_run(tokens: list[str]) -> str | None:
    """The last run of capitalised words (with of/for/& inside and a "'s Henan unit" tail): the name
    in "cybersecurity company Qi An Xin Technology Group Inc." or "state-owned China Mobile"."""
    best: list[str] = []
    run: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        core = token.rstrip(",.;")
        if (core in _ORG_INNER and run) or (core not in _ORG_INNER and _ORG_TOKEN.match(core)):
            run.append(token)
            tail = tokens[i + 1 : i + 3]
            if core.endswith("'s") and len(tail) == 2 and tail[1].rstrip(",.;") in _UNIT_WORDS:
                run.extend(tail)  # China Mobile's Henan unit
                i += 2
        else:
            if run:
                best = run
            run = []
        i += 1
    if run:
        best = run
    while best and best[-1].rstrip(",.;") in _ORG_INNER:
        best.pop()
    # "Hefei-based Yuanshan Robotics", "Shanghai-listed Tianrui Biopharmaceutical": where the firm is
    # based or listed is not part of its name.
    while len(best) > 1 and best[0].endswith(("-based", "-listed", "-headquartered", "-owned")):
        best.pop(0)
    # "Shanghai's Pujiang University": the place the institution is in, as a possessive.
    if len(best) > 2 and best[0].endswith(("'s", "’s")):
        best.pop(0)
    if not best:
        return None
    return " ".join(best).rstrip(",;")


def _explicit_year_en(state: _State, sentence: str, limit: int) -> int | None:
    year = None
    if not _YEAR_HINT_EN.search(sentence, 0, limit):  # _YEAR_EN tried at every word costs ten times more
        return None
    for match in _YEAR_EN.finditer(sentence, 0, limit):
        word = match.group(0).lower()
        if word.startswith("last year"):
            year = state.page_year - 1
        elif word.startswith("this year"):
            year = state.page_year
        elif match.group(1):
            value = int(match.group(1))
            lead = word.split()[0] if " " in word else ""
            if lead in ("since", "by", "until") or not state.page_year - 5 <= value <= state.page_year:
                continue
            year = value
    return year


# ---------------------------------------------------------------------------------------------- shared


def _register(state: _State, name: str, role: str | None, organization: str | None, english: bool) -> Actor:
    if organization and not english:
        organization = _main_organization(organization)
    person = state.persons.get(name)
    for actor in state.actors:
        if actor.name == name:
            actor.role = actor.role or role
            actor.organization = actor.organization or organization
            return actor
    if person is not None:
        role = role or (_ROLE_IN_ENGLISH.get(person.role or "", person.role) if english else person.role)
        organization = organization or (person.organization_en if english else person.organization)
    actor = Actor(name, role, organization, english)
    state.actors.append(actor)
    return actor


def _subject(
    state: _State, sentence: str, verb: int, mentions: list[tuple[int, Actor]], pronoun: re.Pattern[str]
) -> Actor | None:
    """Who proposes: the person named last before the verb, a pronoun standing for the last person
    named (in this sentence if it names one), or - in a sentence with no subject of its own - the
    person being described."""
    before = [(position, actor) for position, actor in mentions if position < verb]
    pronouns = [m.start() for m in pronoun.finditer(sentence, 0, verb)]
    if before and (not pronouns or before[-1][0] > pronouns[-1]):
        return before[-1][1]
    if pronouns:
        if sentence[pronouns[-1]] == "我":
            # “我建议…”雷军说: a first person inside a quote is whoever the quote is attributed to.
            after = [actor for position, actor in mentions if position > verb]
            if after and _ATTRIBUTION_ZH.search(sentence, verb):
                return after[0]
        elif before:
            # "Lu made a similar push last year, when he called for …": a third-person pronoun stands
            # for the person this sentence named before it, not for the last one of the sentences before.
            return before[-1][1]
        return state.last_actor
    head = sentence[:verb].strip()
    subjectless = not head or _CONTINUATION_START.match(head)
    if state.last_actor is not None and subjectless and not _SUBJECT_WORDS.search(head):
        return state.last_actor
    # A known proposer named without a role on this page (周鸿祎在提案中建议): the gazetteer's role.
    for name, person in state.persons.items():
        if name in head and person.role:
            english = name == person.en
            return _register(state, name, None, None, english=english)
    return None


def _named(sentence: str, verb: int, actor: Actor) -> bool:
    """Whether the proposing sentence names its proposer (雷军建议, Lei asked for) rather than referring
    back to them (他还建议, He urged)."""
    head = sentence[:verb]
    return actor.name in head or (
        actor.english and re.search(rf"\b{re.escape(actor.surname)}\b", head) is not None
    )


def _add(
    state: _State,
    actor: Actor,
    paragraph: int,
    section: int,
    year: int,
    title: str | None,
    content: str,
    sentence: str,
    also: bool,
    named: bool = False,
) -> None:
    current = state.current
    new = (
        current is None
        or current.actor is not actor
        or current.section != section
        or current.year != year
        or state.force_new
        or (title is not None and title != current.title)
        # 他还建议 in the same paragraph adds a point to the same proposal (a deputy's 建议 lists its
        # measures); "He also urged" in English reporting is another one, unless the first has a title.
        or (also and (current.paragraph != paragraph or (actor.english and current.title is None)))
        or (named and current.paragraph != paragraph and _topic_changes(current, content))
    )
    explicit = state.force_new or title is not None or also
    state.force_new = False
    if new and not explicit:
        announced = next(
            (
                p
                for p in reversed(state.proposals)
                if p.actor is actor and p.year == year and p.announced_only
            ),
            None,
        )
        if announced is not None:
            announced.topic = " ".join(announced.parts)
            announced.parts.clear()
            announced.announced_only = False
            announced.section = section
            current, new = announced, False
            state.current = current
    if new and not explicit and current is not None and current.actor is not actor:
        # The same person back on the same subject after someone else (a roundup table's row, then the
        # paragraph about it): the proposal goes on rather than counting twice.
        earlier = _earlier_on_topic(state, actor, year, content)
        if earlier is not None:
            current, new = earlier, False
            state.current = current
    if new or current is None:
        pending = state.pending_titles.pop(actor.name, None)
        title = title or pending
        current = _Proposal(actor, paragraph, section, year, title)
        current.snippet = sentence
        current.announced_only = title is None and _ANNOUNCEMENT_ZH.search(content) is not None
        state.proposals.append(current)
        state.current = current
    _add_part(current, content)
    current.paragraph = paragraph


# A sentence that only says a proposal was made: 带来了一份关于支持开源大模型生态建设的提案.
_ANNOUNCEMENT_ZH = re.compile(
    r"(?:带来|提交|准备|递交)了?(?:一份|一件|一个)?(?:关于[^，。；]{2,40}?的)?(?:提案|建议|议案)$"
)


def _earlier_on_topic(state: _State, actor: Actor, year: int, content: str) -> _Proposal | None:
    """The person's last proposal of the same year, when the new point is of its category, of none,
    or repeats much of its wording."""
    earlier = next((p for p in reversed(state.proposals) if p.actor is actor and p.year == year), None)
    if earlier is None or earlier.title is not None:
        return None
    said = " ".join(earlier.parts)
    taxonomy = load_taxonomy()
    before, now = taxonomy.best(said), taxonomy.best(content)
    # A point that speaks of no category at all gives no sign of a new subject: it goes on.
    if now is None or before == now:
        return earlier
    return earlier if _shared_bigrams(said, content) >= 0.3 else None


def _shared_bigrams(first: str, second: str) -> float:
    """How much of the shorter text's character pairs the other has (0 to 1)."""
    a = {first[i : i + 2] for i in range(len(first) - 1)}
    b = {second[i : i + 2] for i in range(len(second) - 1)}
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _add_part(proposal: _Proposal, content: str) -> None:
    """Add a point to the summary, unless it repeats one (a lead paragraph often states the first
    sentence of the article again, shorter)."""
    if not content:
        return
    for i, part in enumerate(proposal.parts):
        if part.startswith(content):
            return
        if content.startswith(part):
            proposal.parts[i] = content
            return
    if sum(len(p) for p in proposal.parts) < 160:
        proposal.parts.append(content)


def _topic_changes(current: _Proposal, content: str) -> bool:
    """A new paragraph in which the person, named again, proposes something of another category
    (articles without subheadings: 雷军建议…辅助驾驶 / 雷军提出…智能制造 / 雷军建议…人才)."""
    taxonomy = load_taxonomy()
    before = taxonomy.best(" ".join(current.parts))
    scores = taxonomy.scores(content)
    after = max(scores, key=lambda slug: scores[slug], default=None)
    # Clear evidence only: the new point speaks twice of its own category and not at all of the old one.
    return before is not None and after is not None and scores[after] >= 2 and scores.get(before, 0) == 0


def _record(state: _State, proposal: _Proposal) -> MentionRecord:
    english = proposal.actor.english
    separator = "; " if english else "；"
    summary = separator.join(p for p in proposal.parts if p)
    if english:
        summary = summary[:1].upper() + summary[1:]
    if proposal.title:
        summary = f"《{proposal.title}》：{summary}"
    if proposal.year != state.page_year:
        summary = f"{proposal.year} proposal: {summary}" if english else f"{proposal.year}年提案：{summary}"
    summary = summary[:300]
    taxonomy = load_taxonomy()
    category = taxonomy.best(
        " ".join([proposal.title or "", proposal.topic, *proposal.parts]), "industry_application"
    )
    return MentionRecord(
        kind="proposal",
        actor=proposal.actor.name,
        organization=proposal.actor.organization,
        role=proposal.actor.role,
        summary=summary,
        category=category,
        snippet=proposal.snippet[:240],
        extra={"year": proposal.year},
    )
