"""Traditional Chinese pages (Hong Kong, Macao and Taiwan outlets, 大公文匯網, 澳門日報): read through a
simplified copy, so that the rules, written in simplified characters (全国人大代表, 建议, 《数据安全法》),
and the gazetteer find on them what they find on a mainland page.

The copy has one character for each of the original's (OpenCC's t2s conversion keeps the length of
Chinese text; a paragraph whose length would change is left as written), so a name or a title found in
the copy is read back from the original at the same place: the mentions say 陳志強 and 《個人資訊保護法》
as the page writes them."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

from storage.mentions import MentionRecord

# Frequent characters that only traditional text writes (their simplified forms differ): a simplified
# page holds none of them, a traditional one a handful in every sentence.
_TRADITIONAL_ONLY = re.compile(
    "[們這個為與於會說時國發對經業來學實現產數據條規關體從還動過點開後種將區網電話當應進務資長見門問題]"
)
# Share of the sample's Chinese characters that must be traditional-only (a simplified page that quotes
# a Taiwanese name or a traditional title stays far below).
_TRADITIONAL_SHARE = 0.03
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@functools.cache
def _converter() -> Callable[[str], str]:
    import opencc  # imported on the first traditional page only: most pages never need it

    return opencc.OpenCC("t2s").convert


def is_traditional(text: str, sample: int = 3000) -> bool:
    """Whether the text is written in traditional characters."""
    head = text[:sample]
    marks = len(_TRADITIONAL_ONLY.findall(head))
    if marks < 5:
        return False
    return marks >= _TRADITIONAL_SHARE * len(_HAN.findall(head))


def to_simplified(text: str) -> str:
    """The text in simplified characters, one for one; the text itself where the conversion would
    change its length (offsets into the copy must hold in the original)."""
    converted: str = _converter()(text)
    return converted if len(converted) == len(text) else text


class Restorer:
    """Reads back, from the original text, what was found in its simplified copy."""

    def __init__(self, original: str, simplified: str) -> None:
        self._original = original
        self._simplified = simplified

    def restore(self, value: str | None) -> str | None:
        """The value as the original writes it: found whole in the copy, else piece by piece (a summary
        joins clauses with 「；」); what the copy does not hold (a role's normal form, a canonical title)
        stays as it is."""
        if not value:
            return value
        whole = self._find(value)
        if whole is not None:
            return whole
        pieces = re.split(r"([；;：:]\s*)", value)
        return "".join(self._find(piece) or piece for piece in pieces)

    def _find(self, value: str) -> str | None:
        at = self._simplified.find(value)
        return self._original[at : at + len(value)] if at >= 0 and value else None

    def mention(self, mention: MentionRecord) -> MentionRecord:
        """A copy of the mention with its page-written fields read back from the original."""
        return dataclasses.replace(
            mention,
            title=self.restore(mention.title),
            actor=self.restore(mention.actor),
            organization=self.restore(mention.organization),
            summary=self.restore(mention.summary),
            snippet=self.restore(mention.snippet),
        )
