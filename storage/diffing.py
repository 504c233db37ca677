"""Diffs between two normalised texts, readable in a terminal.

Texts are first aligned sentence by sentence (a 10,000-character page changes one sentence, the diff
shows that sentence and a sentence of context either side), then each replaced sentence is compared
token by token: one character per token for Chinese, one word per token for English, so the changed
span is marked precisely in both languages:

    @@ paragraph 12 @@
      上一句不变。
    - 鼓励企业[-开展-]试点。
    + 鼓励企业{+全面推进+}试点。
      下一句不变。
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from storage.normalize import CJK

# Sentences end after Chinese or Western end punctuation (keeping closing quotes and brackets with
# their sentence), or at a paragraph break.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])[”’」』）)]*|(?<=[.])[”’\"')]*(?=\s)")
# A token: one CJK character, one word or number, a run of spaces, or any other single character.
_TOKEN = re.compile(rf"[{CJK}]|[^\W_]+(?:['’.-][^\W_]+)*|\s+|.", re.UNICODE)

DELETE_OPEN, DELETE_CLOSE = "[-", "-]"
INSERT_OPEN, INSERT_CLOSE = "{+", "+}"


@dataclass(frozen=True)
class Segment:
    paragraph: int  # 1-based paragraph (line) number
    text: str


def split_segments(text: str) -> list[Segment]:
    """The text's sentences, with the paragraph each belongs to."""
    segments = []
    for number, paragraph in enumerate(text.split("\n"), start=1):
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            end = match.end()
            if end > start:
                piece = paragraph[start:end].strip()
                if piece:
                    segments.append(Segment(number, piece))
                start = end
        rest = paragraph[start:].strip()
        if rest:
            segments.append(Segment(number, rest))
    return segments


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass
class Hunk:
    old_paragraph: int
    new_paragraph: int
    lines: list[tuple[str, str]] = field(default_factory=list)  # (" " | "-" | "+", text)


@dataclass
class TextDiff:
    hunks: list[Hunk]

    def __bool__(self) -> bool:
        return bool(self.hunks)

    @property
    def removed(self) -> list[str]:
        """Removed sentences, with the changed spans marked."""
        return [text for hunk in self.hunks for tag, text in hunk.lines if tag == "-"]

    @property
    def added(self) -> list[str]:
        return [text for hunk in self.hunks for tag, text in hunk.lines if tag == "+"]

    def render(self) -> str:
        out = []
        for hunk in self.hunks:
            if hunk.old_paragraph == hunk.new_paragraph:
                out.append(f"@@ paragraph {hunk.new_paragraph} @@")
            else:
                out.append(f"@@ paragraph {hunk.old_paragraph} -> {hunk.new_paragraph} @@")
            out.extend(f"{tag} {text}" for tag, text in hunk.lines)
        return "\n".join(out)


def strip_markers(marked: str) -> str:
    """A marked sentence as plain text."""
    for marker in (DELETE_OPEN, DELETE_CLOSE, INSERT_OPEN, INSERT_CLOSE):
        marked = marked.replace(marker, "")
    return marked


def _inline(old: str, new: str) -> tuple[str, str]:
    """Mark the changed tokens of a replaced sentence: [-removed-] in the old, {+added+} in the new."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    # Merge changed spans separated only by spaces or one separator, so "15 August 2023" -> "1 September
    # 2025" and "09:14" -> "15:40" read as one replaced phrase rather than several replaced words.
    spans: list[list[Any]] = []  # [is_equal, old text, new text]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        is_equal = tag == "equal"
        gap_between_changes = (
            not is_equal and len(spans) >= 2 and spans[-1][0] and _is_joint(spans[-1][1]) and not spans[-2][0]
        )
        if gap_between_changes:
            gap = spans.pop()
            spans[-1][1] += gap[1] + before
            spans[-1][2] += gap[2] + after
        else:
            spans.append([is_equal, before, after])
    old_out: list[str] = []
    new_out: list[str] = []
    for is_equal, before, after in spans:
        if is_equal:
            old_out.append(before)
            new_out.append(after)
            continue
        if before:
            old_out.append(f"{DELETE_OPEN}{before}{DELETE_CLOSE}")
        if after:
            new_out.append(f"{INSERT_OPEN}{after}{INSERT_CLOSE}")
    return "".join(old_out), "".join(new_out)


def _is_joint(gap: str) -> bool:
    """A gap too small to stand between two edits on its own: spaces, or one separator like : - / ."""
    return gap.isspace() or (len(gap) == 1 and gap in ":-/.,")


def _similar(old: str, new: str) -> bool:
    return SequenceMatcher(None, tokenize(old), tokenize(new), autojunk=False).quick_ratio() >= 0.5


def diff_texts(old: str, new: str, context: int = 1) -> TextDiff:
    """The sentence-aligned diff of two normalised texts, with `context` sentences around changes."""
    old_segments, new_segments = split_segments(old), split_segments(new)
    matcher = SequenceMatcher(
        None, [s.text for s in old_segments], [s.text for s in new_segments], autojunk=False
    )
    hunks: list[Hunk] = []
    for group in matcher.get_grouped_opcodes(context):
        first = group[0]
        hunk = Hunk(
            old_paragraph=_paragraph_at(old_segments, first[1]),
            new_paragraph=_paragraph_at(new_segments, first[3]),
        )
        for tag, i1, i2, j1, j2 in group:
            olds = [s.text for s in old_segments[i1:i2]]
            news = [s.text for s in new_segments[j1:j2]]
            if tag == "equal":
                hunk.lines.extend((" ", text) for text in olds)
            elif tag == "delete":
                hunk.lines.extend(("-", text) for text in olds)
            elif tag == "insert":
                hunk.lines.extend(("+", text) for text in news)
            else:
                hunk.lines.extend(_replace_lines(olds, news))
        hunks.append(hunk)
    return TextDiff(hunks)


def _paragraph_at(segments: list[Segment], index: int) -> int:
    """The paragraph of segment `index`; past the end (an insertion after the last sentence), the
    last paragraph."""
    if index < len(segments):
        return segments[index].paragraph
    return segments[-1].paragraph if segments else 1


def _replace_lines(olds: list[str], news: list[str]) -> list[tuple[str, str]]:
    """Lines for a block of replaced sentences. Sentences that resemble each other are paired and
    get inline marks; the rest are plainly removed or added (a greedy walk, looking one ahead)."""
    lines: list[tuple[str, str]] = []
    i = j = 0
    while i < len(olds) and j < len(news):
        if _similar(olds[i], news[j]):
            marked_old, marked_new = _inline(olds[i], news[j])
            lines += [("-", marked_old), ("+", marked_new)]
            i, j = i + 1, j + 1
        elif j + 1 < len(news) and _similar(olds[i], news[j + 1]):
            lines.append(("+", news[j]))
            j += 1
        elif i + 1 < len(olds) and _similar(olds[i + 1], news[j]):
            lines.append(("-", olds[i]))
            i += 1
        else:
            lines += [("-", olds[i]), ("+", news[j])]
            i, j = i + 1, j + 1
    lines.extend(("-", text) for text in olds[i:])
    lines.extend(("+", text) for text in news[j:])
    return lines
