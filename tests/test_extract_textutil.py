"""The extractor's text helpers that stand in for slower regex forms: they must give exactly what the
slow forms give."""

from __future__ import annotations

import random
import re

import pytest

from crawler.extract import proposals
from crawler.extract.textutil import (
    _MATCH_TABLE,
    LATIN_LETTERS,
    cjk_ratio,
    finditer_words,
    match_form,
    search_word,
    squash,
)

PIECES = [
    "proposed", "unproposed", "Lei Jun", "XLei Jun", "'Lei Jun", "called for", "recalled for", "Wang Lei",
    "O'Wang Lei", "Zhou Hongyi", " ", ", ", ".", "建议", "雷军", "人工智能", "urged", "surged", "Mr", "Li Qiang",
    "another proposal", "nother proposal", "second suggestion", "Chen", "Liu Qingfeng,", "an NPC deputy,",
]  # fmt: skip


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10))) for _ in range(count)]


@pytest.mark.parametrize(
    ("pattern", "not_after"),
    [
        (proposals._VERB_EN, LATIN_LETTERS),
        (proposals._NEW_DOCUMENT_EN, LATIN_LETTERS),
        (proposals._NAME_EN, proposals._NAME_START),
        (proposals._APPOSITION_START, proposals._NAME_START),
    ],
    ids=["verb", "new-document", "name", "apposition"],
)
def test_word_matches_are_those_of_a_leading_look_behind(pattern: re.Pattern[str], not_after: frozenset[str]):
    excluded = "".join(sorted(not_after)).replace("'", "\\'")
    slow = re.compile(rf"(?<![{excluded}])(?:{pattern.pattern})")
    for text in random_texts(2000, 7):
        fast = [(m.start(), m.end(), m.groups()) for m in finditer_words(pattern, text, not_after)]
        assert fast == [(m.start(), m.end(), m.groups()) for m in slow.finditer(text)], text
        first = search_word(pattern, text, 0, None, not_after)
        expected = slow.search(text)
        assert (first and first.span()) == (expected and expected.span()), text


def test_match_form_folds_one_character_to_one():
    text = "人工智能＋行动“意见”——（征求意见稿）\u3000第１条 ‘AI’ −"
    folded = match_form(text)
    assert folded == text.translate(_MATCH_TABLE)
    assert folded == "人工智能+行动\"意见\"--(征求意见稿) 第1条 'AI' -"
    assert len(folded) == len(text)


def test_squash_drops_invisible_characters_and_folds_spaces():
    assert squash("国发\u200b〔2025〕\u00ad11号 \u3000 人工\n智能") == "国发〔2025〕11号 人工 智能"
    assert squash("") == ""


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("人工智能", 1.0),
        ("AI policy", 0.0),
        ("", 0.0),
        ("人工智能 AI plus policy", (4 / 1.7) / (4 / 1.7 + 3)),
    ],
)
def test_chinese_share(text: str, share: float):
    assert cjk_ratio(text) == pytest.approx(share)
