"""The full-text index: two-character Chinese queries, phrases, English words, kept in step with
current versions, and the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import random

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
