"""Categories and relevance."""

from __future__ import annotations

from pathlib import Path

from crawler.extract import extract_page
from crawler.extract.relevance import ai_score, is_relevant
from crawler.extract.taxonomy import SLUGS, Taxonomy, load_taxonomy


def test_bundled_taxonomy_covers_the_six_slugs() -> None:
    assert set(load_taxonomy().slugs) == set(SLUGS)


def test_every_occurrence_of_a_term_counts() -> None:
    taxonomy = Taxonomy.from_terms({"infrastructure": ["算力", "computing power"]})
    counts = taxonomy.scores("算力算力算力。没有。More computing power, more Computing Power.")
    assert counts == {"infrastructure": 5}


def test_page_categories_need_a_fair_share_of_the_terms() -> None:
    text = "\n".join(
        [
            "加强智能算力统筹，建设数据中心。",
            "推动东数西算，发展芯片产业。",
            "完善算力调度机制。",
            "加强人才培养。",
        ]
    )
    taxonomy = Taxonomy.from_terms(
        {"infrastructure": ["算力", "数据中心", "东数西算", "芯片"], "skills_development": ["人才"]}
    )
    # talent named once against five compute terms: not enough for a second category
    assert taxonomy.page_categories(text) == ["infrastructure"]


def test_a_subject_named_again_and_again_outweighs_subjects_touched_in_passing() -> None:
    taxonomy = Taxonomy.from_terms(
        {
            "infrastructure": ["算力", "智算中心", "数据中心"],
            "skills_development": ["人才"],
            "data_sharing": ["数据共享"],
        }
    )
    text = "\n".join(
        [
            "建设智算中心，统筹算力调度，提升算力供给，降低算力成本，算力券支持中小企业使用算力。",
            "新建数据中心要配套建设算力网络，智算中心要开放算力，数据中心要提高算力利用率。",
            "智算中心和数据中心的算力要纳入全国算力调度。",
            "同时关注人才培养和数据共享。",
            "人才、数据共享等问题也要统筹考虑。",
        ]
    )
    # Two sentences each name talent and data sharing in passing; the page is about compute (counted
    # by sentences, all three would pass the bar of two).
    assert taxonomy.page_categories(text) == ["infrastructure"]


def test_best_category_of_a_short_text() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.best("将人工智能纳入教育培养体系，普及人工智能素养教育") == "skills_development"
    assert (
        taxonomy.best("Build a national platform to monitor AI's effect on employment")
        == "skills_development"
    )
    assert taxonomy.best("nothing relevant", "industry_application") == "industry_application"


def test_user_terms_extend_the_bundled_ones(tmp_path: Path) -> None:
    extra = tmp_path / "terms.toml"
    extra.write_text('[infrastructure]\nzh = ["液冷"]\nen = ["liquid cooling"]\n', encoding="utf-8")
    taxonomy = load_taxonomy(extra)
    assert taxonomy.best("液冷技术") == "infrastructure"
    assert taxonomy.best("chips") == "infrastructure"  # the bundled terms are kept


def test_relevance_counts_ai_terms_of_the_main_text_only() -> None:
    assert ai_score("人工智能大模型") == 2
    assert ai_score("Ai Weiwei said") == 0  # "AI" only in capitals
    assert ai_score("OpenAI and xAI hired staff") == 0  # inside a word it is not the acronym
    assert ai_score("OpenAI's AI chips") == 1
    assert is_relevant("The AI Plus initiative and large language models.")
    assert not is_relevant("小麦返青，农户追肥浇水。")
    assert is_relevant("发布人工智能治理新规。", title="人工智能新规")


def test_ai_score_stops_counting_only_once_it_has_enough() -> None:
    """is_relevant asks ai_score to stop at the threshold: the answer must be the full count's."""
    import random

    words = ["人工智能", "算法", "AI", "OpenAI", "算力", "小麦", "generative", "algorithms", " ", "。"]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        full = ai_score(text)
        for enough in (0.5, 1.0, 1.5, 2.0, 3.0):
            assert (ai_score(text, enough) >= enough) == (full >= enough), (text, enough)
            assert ai_score(text, enough) <= full


def test_ai_only_in_the_navigation_is_not_relevant() -> None:
    page = """<html><body><div class="nav"><a href="/ai">人工智能+</a><a href="/llm">大模型</a></div>
      <div class="arc-content" id="zoom"><p>9月14日，徐汇区召开防御台风工作部署会，部署防汛防台各项工作。</p>
      <p>会议要求，各部门要立即进入临战状态，严格落实值班值守制度。</p></div>
      <div class="side-box"><h3>相关政策</h3><ul><li>
        <a href="/p">上海市促进人工智能产业发展条例</a></li></ul></div>
      </body></html>"""
    result = extract_page(page)
    assert not result.relevant
    assert result.categories == [] and result.mentions == []
