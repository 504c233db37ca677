"""Is the page about AI or AI policy? Decided from the main text only: navigation, sidebars and related
links never count, so a farming story on a site whose menu says 人工智能 is not relevant."""

from __future__ import annotations

import math
import re

from crawler.extract.textutil import finditer_words

# AI terms, weighted: the name of the field counts fully, words that also live outside AI (算法 in a
# maths article, "algorithm" in finance) count half. Matched on the lower-cased text: a case-insensitive
# pattern costs four times more on Chinese text.
_STRONG = re.compile(
    r"人工智能|大模型|生成式|智能体|深度合成|机器学习|深度学习|神经网络|智能算力|通用人工智能|"
    r"artificial intelligence|large language models?|generative|machine learning|deep learning|"
    r"neural networks?|chatbots?|deepfakes?|foundation models?"
)
# Acronyms in capitals only: "ai" is also a pinyin syllable. A letter before the acronym (XAI, OpenAI)
# makes it part of another word: finditer_words skips such matches.
_ACRONYMS = re.compile(r"(?:AI|AGI|AIGC|LLMs?|ChatGPT|GPT)(?![a-z])")
_WEAK = re.compile(r"算法|算力|智算|algorithms?|computing power")

# A relevant page speaks of AI at least this much (weighted count), or once when its title does too.
MIN_SCORE = 2.0


def ai_score(text: str, enough: float = math.inf) -> float:
    """Weighted count of AI terms in the text, counted until it reaches `enough` (a relevance test
    needs to know only that a page reaches its threshold, which most pages do in their first lines)."""
    lower = text.lower()
    score = 0.0
    for _ in _STRONG.finditer(lower):
        score += 1
        if score >= enough:
            return score
    for _ in finditer_words(_ACRONYMS, text):
        score += 1
        if score >= enough:
            return score
    for _ in _WEAK.finditer(lower):
        score += 0.5
        if score >= enough:
            return score
    return score


def is_relevant(text: str, title: str | None = None) -> bool:
    score = ai_score(text, MIN_SCORE)
    if score >= MIN_SCORE:
        return True
    return score >= 1.0 and title is not None and ai_score(title, 1.0) >= 1.0
