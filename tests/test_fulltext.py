"""The full-text index: two-character Chinese queries, phrases, English words, kept in step with
current versions, and the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import unicodedata

import pytest

from storage import record_page
from storage.fulltext import search_documents, terms

from helpers import page

WORDS = ["安全", "数据", "算力", "模型", "农业", "教育", "标准", "治理", "开放", "共享", "产业", "应用"]


def test_terms_are_words_and_cjk_bigrams():
    assert terms("人工智能+行动 Generative AI") == ["人工", "工智", "智能", "行动", "generative", "ai"]
    assert terms("法") == ["法"]  # a lone character is its own term
    assert terms("数据，安全") == ["数据", "安全"]  # punctuation splits runs
    # Words are lower-cased one by one: the İ of İstanbul lower-cases to two characters, and lower-casing
    # the whole text first would cut the word there (stored index entries would no longer match).
    assert terms("İstanbul ＡＩ＋行动 5G应用") == ["i̇stanbul", "ai", "行动", "5g", "应用"]


def _terms_as_first_released(value: str) -> list[str]:
    """terms() as the first archives were indexed with, frozen here: a contentless FTS5 entry is
    removed by giving its terms again, so any text whose terms changed would corrupt the index."""
    import operator
    import re
    import unicodedata

    from storage.normalize import CJK

    run = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)", re.UNICODE)
    punct = re.compile(r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
    out: list[str] = []
    for cjk, word in run.findall(unicodedata.normalize("NFKC", value)):
        if word:
            out.append(word.lower())
            continue
        for piece in punct.split(cjk):
            if len(piece) == 1:
                out.append(piece)
            else:
                out.extend(map(operator.add, piece[:-1], piece[1:]))
    return out


def _texts_for_term_checks() -> list[str]:
    """Real page texts, and random strings drawn from every block the rules treat differently."""
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(fixtures.rglob("*.json"))]
    rng = random.Random(5)
    blocks = [
        (0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x2E80, 0x2FDF), (0x3000, 0x303F),
        (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
        (0x2000, 0x206F), (0x1F300, 0x1F64F),
    ]  # fmt: skip
    for _ in range(400):
        low, high = blocks[rng.randrange(len(blocks))], blocks[rng.randrange(len(blocks))]
        texts.append("".join(chr(rng.randint(*rng.choice((low, high)))) for _ in range(rng.randint(1, 60))))
    return texts


def test_terms_never_change_for_any_text():
    for text in _texts_for_term_checks():
        expected = _terms_as_first_released(text)
        assert terms(text) == expected, text
        # The recorder passes text it has NFKC-normalised already.
        assert terms(unicodedata.normalize("NFKC", text), folded=True) == expected, text


@pytest.fixture
def corpus(database):
    """300 short Chinese pages built from a small vocabulary (fixed seed), recorded into the archive."""
    rng = random.Random(20240305)
    texts = {}
    with database.transaction() as session:
        for number in range(300):
            words = rng.sample(WORDS, 4)
            text = f"关于{words[0]}和{words[1]}的通知。推进{words[2]}工作，加强{words[3]}。"
            url = f"https://www.gov.cn/zhengce/{number}.htm"
            record_page(session, page(url, text, title=f"文件{number}"))
            texts[url] = text
    return texts


def ids_to_urls(database, hits):
    from storage.models import Document

    with database.session() as session:
        return {session.get(Document, hit.document_id).url for hit in hits}


@pytest.mark.parametrize("query", ["安全", "数据", "算力", "治理"])
def test_two_character_queries_find_exactly_the_pages_containing_them(database, corpus, query):
    with database.session() as session:
        hits = search_documents(session, [query], limit=1000)
    expected = {url for url, text in corpus.items() if query in text}
    assert 0 < len(expected) < len(corpus)
    assert ids_to_urls(database, hits) == expected


def test_phrases_and_conjunctions(database, corpus):
    with database.session() as session:
        phrase_hits = search_documents(session, ["加强安全"], limit=1000)
        both_hits = search_documents(session, ["安全", "数据"], limit=1000)
        none = search_documents(session, ["区块链"], limit=1000)
    assert ids_to_urls(database, phrase_hits) == {u for u, t in corpus.items() if "加强安全" in t}
    assert ids_to_urls(database, both_hits) == {u for u, t in corpus.items() if "安全" in t and "数据" in t}
    assert none == []


def test_index_follows_the_current_version(database):
    url = "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm"
    with database.transaction() as session:
        record_page(session, page(url, "人工智能生成合成内容标识办法（征求意见稿）", at=0, title="标识办法"))
    with database.transaction() as session:
        record_page(session, page(url, "Measures for Labeling AI-Generated Synthetic Content", at=1))
    with database.session() as session:
        assert search_documents(session, ["征求意见"]) == []
        assert len(search_documents(session, ["labeling measures"])) == 0  # a phrase, in order
        assert len(search_documents(session, ["measures for labeling"])) == 1
        assert len(search_documents(session, ["LABELING"])) == 1


def test_rebuild_gives_the_same_answers(database, corpus):
    from storage.fulltext import rebuild_index

    with database.session() as session:
        before = {hit.document_id for hit in search_documents(session, ["安全"], limit=1000)}
    with database.transaction() as session:
        assert rebuild_index(session) == len(corpus)
    with database.session() as session:
        after = {hit.document_id for hit in search_documents(session, ["安全"], limit=1000)}
    assert before == after and before
