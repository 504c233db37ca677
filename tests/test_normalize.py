"""Normalisation: what is noise and what is content."""

from __future__ import annotations

import pytest

from storage import TextNormalizer
from storage.normalize import NoiseFilter

normalize = TextNormalizer().normalize


@pytest.mark.parametrize(
    "noise",
    [
        "浏览次数：1234",
        "【浏览次数：88次】",
        "阅读量 5.6万",
        "1,024人阅读",
        "Views: 3,210",
        "12k views",
        "Comments (14)",
        "今天是2026年11月26日 星期四",
        "当前时间：2026-11-26 21:30:05",
        "【打印】【关闭窗口】",
        "【字体：大 中 小】",
        "分享到：微信 微博 QQ空间",
        "Share on: Facebook Twitter LinkedIn",
        "Print this page",
        "[Print] [Close window]",
    ],
)
def test_noise_is_removed(noise):
    assert normalize(f"正文第一句。\n{noise}\n正文第二句。").text == "正文第一句。\n正文第二句。"


@pytest.mark.parametrize(
    "content",
    [
        "推动3D打印技术在制造业中的应用。",  # 打印 inside a sentence is content
        "共有1234家企业参与试点。",
        "The report was viewed as a turning point.",
        "2025年8月21日",  # dates are content
        "分享经验，共享数据。",
    ],
)
def test_content_is_kept(content):
    assert normalize(content).text == content


def test_whitespace_and_width_variants_compare_equal():
    a = normalize("发 文 机 关：国务院\n\n  成文日期：2025年8月21日 ")
    b = normalize("发文机关: 国务院 成文日期:2025年8月21日")
    assert a.text == "发文机关：国务院\n成文日期：2025年8月21日"  # stored as written, spacing folded
    assert a.sha256 == b.sha256


def test_english_spacing_is_kept():
    assert normalize("Interim  Measures\tfor the Management").text == "Interim Measures for the Management"


def test_a_real_change_changes_the_hash():
    assert normalize("第一条 鼓励发展。").sha256 != normalize("第一条 支持发展。").sha256


def test_ignore_patterns_and_registry():
    normalizer = TextNormalizer(ignore=[r"来源[:：]\S+"])
    assert normalizer.normalize("正文。来源：新华社").text == "正文。"
    assert NoiseFilter.registry["noise"] is NoiseFilter
    assert {"nfkc", "whitespace", "noise", "ignore"} <= set(NoiseFilter.registry)


@pytest.mark.parametrize(
    "text",
    [
        "第一段。\n第二段。",
        "The measures apply.\nProviders must label content.",
        "人工智能\nAI governance",
        "Article 1\n第一条",
        "数据安全法\n(2021)",
    ],
)
def test_reflowed_paragraphs_compare_equal(text):
    assert normalize(text).sha256 == normalize(text.replace("\n", " ")).sha256
    assert normalize(text).sha256 != normalize(text.replace("\n", " X ")).sha256


def _noise_removed_from_the_whole_text(text: str) -> str:
    """The rules applied to the whole text at once: what NoiseFilter did before it worked line by line.
    Stored comparison keys depend on it, so both must give the same text."""
    lowered = text.lower()
    for triggers, pattern in NoiseFilter.rules:
        if any(trigger in lowered for trigger in triggers):
            text = pattern.sub(" ", text)
    return text


def test_noise_filter_line_by_line_removes_what_the_whole_text_rules_remove():
    import random

    pieces = [
        "浏览次数：1234", "【浏览次数：88次】", "阅读量 5.6万", "1,024人阅读", "Views: 3,210", "12k views",
        "Comments (14)", "今天是2026年11月26日 星期四", "当前时间：2026-11-26 21:30:05", "【打印】【关闭窗口】",
        "【字体：大 中 小】", "分享到：微信 微博 QQ空间", "Share on: Facebook Twitter", "Print this page",
        "[Print] [Close window]", "打印", "关闭", "阅读全文", "点击查看", "人工智能与实体经济深度融合。",
        "The State Council issued the guidelines.", "read more", "评论(3)", "页面生成时间：2026-11-26",
        " ", "\n", "\n", "：", "12", "Back to top", "e-mail", "share",
        "İstanbul",  # lower-cases to one character more: trigger offsets no longer match the text's
    ]  # fmt: skip
    rng = random.Random(11)
    noise = NoiseFilter()
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert noise.apply(text) == _noise_removed_from_the_whole_text(text), repr(text)
