"""Diffs readable in a terminal: sentence-aligned, character-level inside Chinese sentences,
word-level inside English ones."""

from __future__ import annotations

from storage.diffing import diff_texts, split_segments, strip_markers


def test_sentences_split_on_chinese_and_english_ends():
    segments = split_segments("第一句。第二句！“第三句？”\nFirst one. Second one.")
    assert [s.text for s in segments] == ["第一句。", "第二句！", "“第三句？”", "First one.", "Second one."]
    assert [s.paragraph for s in segments] == [1, 1, 1, 2, 2]


def test_chinese_edit_is_marked_by_character():
    diff = diff_texts(
        "一、总体要求。鼓励企业开展试点。三、保障措施。", "一、总体要求。鼓励企业全面推进试点。三、保障措施。"
    )
    assert diff.removed == ["鼓励企业[-开展-]试点。"]
    assert diff.added == ["鼓励企业{+全面推进+}试点。"]
    assert diff.render() == (
        "@@ paragraph 1 @@\n"
        "  一、总体要求。\n"
        "- 鼓励企业[-开展-]试点。\n"
        "+ 鼓励企业{+全面推进+}试点。\n"
        "  三、保障措施。"
    )


def test_added_and_removed_paragraphs():
    old = "甲。\n乙。\n丙。"
    new = "甲。\n丙。\n丁。"
    diff = diff_texts(old, new)
    assert diff.removed == ["乙。"] and diff.added == ["丁。"]


def test_context_is_limited():
    sentences = [f"第{i}句。" for i in range(100)]
    edited = list(sentences)
    edited[50] = "改过的第50句。"
    rendered = diff_texts("".join(sentences), "".join(edited), context=1).render()
    assert rendered.count("\n  ") == 2  # one sentence of context each side
    assert "第48句" not in rendered and "第49句" in rendered and "第51句" in rendered


def test_identical_texts_have_no_diff():
    assert not diff_texts("同样的文字。", "同样的文字。")
    assert diff_texts("同样的文字。", "同样的文字。").render() == ""


def test_markers_strip_back_to_the_sentences():
    diff = diff_texts("Providers must label content.", "Providers must clearly label synthetic content.")
    assert [strip_markers(s) for s in diff.removed] == ["Providers must label content."]
    assert [strip_markers(s) for s in diff.added] == ["Providers must clearly label synthetic content."]


def test_edits_separated_by_one_separator_read_as_one():
    diff = diff_texts("Updated: 2025-08-27 09:14", "Updated: 2026-02-03 15:40")
    assert diff.removed == ["Updated: [-2025-08-27 09:14-]"]
    assert diff.added == ["Updated: {+2026-02-03 15:40+}"]
