"""Regulation mentions: titles in 《》 and in English, the gazetteer's one id per document, status
from the words around each occurrence, and what is not a mention."""

from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.extract.gazetteer import load_regulations


def regulations(body: str, title: str = "新闻", url: str | None = None) -> dict[str, object]:
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><div id='content'>{body}</div>"
    result = extract_page(page, url)
    return {m.title: m for m in result.mentions if m.kind == "regulation"}


def test_chinese_and_english_names_of_one_document_are_one_mention() -> None:
    body = (
        "<p>The following is a translation of the Interim "
        "Measures for the Management of Generative Artificial "
        "Intelligence Services (生成式人工智能服务管理暂行办法), promulgated as Order No. 15.</p>"
        "<p>Providers must comply with the “Internet Information "
        "Service Deep Synthesis Management Provisions”.</p>"
    )
    found = regulations(body, "Interim Measures")
    ids = sorted(m.canonical_id for m in found.values())
    assert ids == ["cn-deep-synthesis-provisions-2022", "cn-genai-interim-measures-2023"]
    measures = next(m for m in found.values() if m.canonical_id == "cn-genai-interim-measures-2023")
    assert measures.title.startswith("Interim Measures")
    assert measures.doc_number == "令第15号"


def test_short_names_without_marks_map_to_the_full_title() -> None:
    found = regulations(
        "<p>修改后的网络安全法自2026年1月1日起施行，并完善了与数据安全法、个人信息保护法的衔接。</p>"
    )
    ids = {m.canonical_id: m.status for m in found.values()}
    assert ids == {
        "cn-cybersecurity-law": "final",
        "cn-data-security-law": None,
        "cn-personal-information-protection-law": None,
    }


def test_a_word_that_merely_starts_like_a_law_is_not_one() -> None:
    assert regulations("<p>完善网络安全法律法规，推动数据安全法治建设，开展人工智能法律研究。</p>") == {}


def test_status_from_the_words_around_each_occurrence() -> None:
    body = (
        "<p>国家网信办起草了《人工智能生成合成内容标识办法（征求意见稿）》，现向社会公开征求意见。"
        "根据《中华人民共和国网络安全法》《互联网信息服务深度合成管理规定》等法律法规制定。</p>"
        "<p>《生成式人工智能服务管理暂行办法》自2023年8月15日起施行。</p>"
    )
    statuses = {m.canonical_id: m.status for m in regulations(body).values()}
    assert statuses == {
        "cn-ai-content-labeling-measures-2025": "draft",
        "cn-cybersecurity-law": None,  # cited as the legal basis: the page does not say
        "cn-deep-synthesis-provisions-2022": None,
        "cn-genai-interim-measures-2023": "final",
    }


def test_one_final_occurrence_outweighs_the_draft_it_came_from() -> None:
    body = (
        "<p>3月14日，四部门联合发布《人工智能生成合成内容标识办法》，自2025年9月1日起施行。</p>"
        "<p>国家网信办曾于2024年9月就《人工智能生成合成内容标识办法（征求意见稿）》公开征求意见。</p>"
    )
    (mention,) = regulations(body).values()
    assert mention.status == "final"


def test_english_status_cues() -> None:
    body = (
        "<p>The CAC on Saturday released the draft Measures for Labeling AI-Generated Synthetic Content for "
        "public comment.</p><p>The Provisions on the "
        "Administration of Deep Synthesis of Internet Information "
        "Services took effect in January 2023.</p><p>Processing "
        "falls within the Personal Information Protection "
        "Law.</p>"
    )
    statuses = {m.canonical_id: m.status for m in regulations(body, "AI labels").values()}
    assert statuses == {
        "cn-ai-content-labeling-measures-2025": "draft",
        "cn-deep-synthesis-provisions-2022": "final",
        "cn-personal-information-protection-law": None,
    }


def test_a_law_that_does_not_exist_is_a_mention_only_as_a_draft() -> None:
    assert regulations("<p>代表建议加快推进人工智能法的立法。</p>") == {}
    (mention,) = regulations("<p>据了解，人工智能法草案已被列为预备提请审议的立法项目。</p>").values()
    assert mention.canonical_id == "cn-ai-law" and mention.status == "draft"


def test_proposal_titles_proposed_plans_and_back_references_are_not_regulations() -> None:
    body = (
        "<p>全国人大代表、科大讯飞董事长刘庆峰建议制定国家《通用人工智能发展规划》。</p>"
        "<p>雷军提交了《关于加强培养人工智能人才满足科技变革需求的建议》。</p>"
        "<p>国务院印发《关于深入实施“人工智能＋”行动的意见》（国发（2025）11号，以下简称《意见》）。《意见》提出…</p>"
    )
    found = regulations(body)
    assert [m.canonical_id for m in found.values()] == ["cn-ai-plus-opinions-2025"]
    (mention,) = found.values()
    assert mention.doc_number == "国发〔2025〕11号" and mention.status == "final"


def test_unknown_documents_are_found_by_their_title_ending() -> None:
    found = regulations("<p>省政府印发《某省促进人工智能产业发展若干措施（试行）》，自即日起施行。</p>")
    (mention,) = found.values()
    assert mention.title == "某省促进人工智能产业发展若干措施（试行）"
    assert mention.canonical_id is None and mention.status == "final"


def test_amendment_decision_without_marks() -> None:
    # One mention: the decision is folded into the law it amends (see
    # test_the_decision_amending_a_law_is_a_mention_of_the_law).
    found = regulations("<p>常委会会议表决通过关于修改网络安全法的决定。修改后的网络安全法自明年起施行。</p>")
    assert [(m.canonical_id, m.status) for m in found.values()] == [("cn-cybersecurity-law", "final")]


def test_the_pages_own_document_and_related_links_outside_the_text() -> None:
    page = """<html><head>
      <title>工业和信息化部关于印发《促进产业发展三年行动计划（2018-2020年）》的通知</title></head>
      <body><div class="xxgk-box"><span>发文机关：</span><span>工业和信息化部</span>
      <span>发文字号：</span><span>工信部科〔2017〕315号</span></div>
      <h1>工业和信息化部关于印发《促进产业发展三年行动计划（2018-2020年）》的通知</h1>
      <div id="con_con">
        <p>现将《促进产业发展三年行动计划（2018－2020年）》印发给你们，请认真贯彻实施。</p></div>
      <div class="right-box"><div class="right-box-tit">相关文件</div>
      <ul><li><a href="/x">《生成式人工智能服务管理暂行办法》答记者问</a></li></ul></div></body></html>"""
    result = extract_page(page)
    (mention,) = [m for m in result.mentions if m.kind == "regulation"]
    assert mention.title == "促进产业发展三年行动计划（2018-2020年）"
    assert mention.doc_number == "工信部科〔2017〕315号"
    assert mention.issuer == "工业和信息化部" and mention.status == "final"


def test_gazetteer_lookup_ignores_marks_width_and_draft_markers() -> None:
    gazetteer = load_regulations()
    assert gazetteer.lookup("国务院关于深入实施“人工智能＋”行动的意见").id == "cn-ai-plus-opinions-2025"
    assert (
        gazetteer.lookup("人工智能生成合成内容标识办法（征求意见稿）").id
        == "cn-ai-content-labeling-measures-2025"
    )
    assert gazetteer.lookup("Measures for Labelling AI-Generated Synthetic Content").id == (
        "cn-ai-content-labeling-measures-2025"
    )
    # The 2023 draft had another name than the final Interim Measures: two documents.
    assert gazetteer.lookup("生成式人工智能服务管理办法").id == "cn-genai-measures-draft-2023"
    assert gazetteer.lookup("生成式人工智能服务管理暂行办法").id == "cn-genai-interim-measures-2023"


def test_every_gazetteer_entry_is_well_formed() -> None:
    slugs = {"model_development", "data_sharing", "skills_development", "safety_governance", "infrastructure",
             "industry_application"}  # fmt: skip
    ids = [entry.id for entry in load_regulations().regulations]
    assert len(ids) == len(set(ids))
    for entry in load_regulations().regulations:
        assert entry.category in slugs, entry.id
        assert entry.status in ("final", "draft", "proposed"), entry.id
        assert "《" not in entry.zh and "》" not in entry.zh


def test_taking_effect_the_same_day_is_final() -> None:
    body = (
        "<p>《人工智能生成合成内容标识办法》今日起正式施行。与之配套的强制性国家标准"
        "《网络安全技术 人工智能生成合成内容标识方法》（GB 45438-2025）同日实施。</p>"
    )
    found = regulations(body)
    standard = found["网络安全技术 人工智能生成合成内容标识方法"]
    assert standard.status == "final" and standard.doc_number == "GB 45438-2025"


def test_laws_named_only_in_english_without_the_prc() -> None:
    body = (
        "<p>The Anti-Telecom and Online Fraud Law, which took effect in December 2022, requires banks to "
        "monitor suspicious accounts. In July, China released a Global AI Governance Action Plan.</p>"
    )
    ids = {m.canonical_id: m.status for m in regulations(body, "Fraud").values()}
    assert ids == {
        "cn-anti-telecom-online-fraud-law": "final",
        "cn-global-ai-governance-action-plan-2025": "final",
    }


def test_clause_starts_without_brackets_are_the_marks_as_with_them() -> None:
    """_clause_starts visits only the marks and brackets (or, when nothing can nest, the marks alone):
    it must find what a walk over every character finds."""
    import random

    from crawler.extract.regulations import _clause_starts

    def walked(text: str, start: int, end: int) -> list[int]:
        starts, depth = [], 0
        for i in range(start, end):
            if text[i] in "《(（":
                depth += 1
            elif text[i] in "》)）":
                depth = max(0, depth - 1)
            elif depth == 0 and text[i] in "，；：":
                starts.append(i + 1)
        return starts

    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice("人工智能，；：》）)（《,. ") for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert _clause_starts(text, start, end) == walked(text, start, end), (text, start, end)


def test_long_english_names_match_in_lower_case_short_ones_only_as_written() -> None:
    body = (
        "<p>China's top internet regulator released interim measures for the management of generative "
        "artificial intelligence services, which will take effect on Aug 15. Firms must respect copyright law "
        "and the Personal Information Protection Law and the Data Security Law, both in force since 2021.</p>"
    )
    found = {m.canonical_id: m.status for m in regulations(body, "Rules").values()}
    assert found == {
        "cn-genai-interim-measures-2023": "final",
        "cn-personal-information-protection-law": "final",  # "X and the Y, both in force": one group
        "cn-data-security-law": "final",
    }  # "copyright law" in lower case is the field, not the statute


def test_a_document_proposed_at_the_end_of_a_long_sentence_is_not_a_mention() -> None:
    body = (
        "<p>欧阳振华还建议，尽快建立人形机器人安全标准和检测认证体系，对进入家庭、养老机构等与人密切接触场景的产品"
        "开展强制性安全检测，待条件成熟时研究制定《人形机器人安全管理办法》。</p>"
    )
    assert regulations(body) == {}


def test_an_amendment_draft_is_the_laws_draft_and_adopted_is_final() -> None:
    body = (
        "<p>《中华人民共和国网络安全法（修正草案）》已提请审议。</p>"
        "<p>Shenzhen and Shanghai adopted dedicated AI industry laws in 2022: the Regulations of the Shenzhen "
        "Special Economic Zone on Promoting the Artificial Intelligence Industry.</p>"
    )
    found = {m.canonical_id: m.status for m in regulations(body).values()}
    assert found == {
        "cn-cybersecurity-law": "draft",  # one mention, not a second document called …（修正草案）
        "cn-shenzhen-ai-industry-regulations-2022": "final",
    }


def test_one_verb_before_a_list_of_titles_with_their_numbers_speaks_for_all() -> None:
    body = (
        "<p>近日，国家标准委批准发布《网络安全技术 生成式人工智能服务安全基本要求》（GB/T 45654-2025）、"
        "《网络安全技术 生成式人工智能数据标注安全规范》（GB/T 45674-2025）两项推荐性国家标准。</p>"
        "<p>The Provisions on the Administration of Algorithmic Recommendation in Internet Information "
        "Services (the Algorithm Provisions) and the Provisions on the Administration of Deep Synthesis of "
        "Internet Information Services (the Deep Synthesis Provisions) were issued in 2021 and 2022.</p>"
    )
    statuses = {m.title: m.status for m in regulations(body).values()}
    assert len(statuses) == 4 and set(statuses.values()) == {"final"}, statuses


def test_made_by_the_state_council_and_approved_by_the_cabinet_are_final() -> None:
    body = (
        "<p>此后，国务院先后制定了《关键信息基础设施安全保护条例》《网络数据安全管理条例》。</p>"
        "<p>有关部门正在制定《人工智能生成合成内容标识办法》。</p>"
    )
    statuses = {m.title: m.status for m in regulations(body).values()}
    assert statuses == {
        "关键信息基础设施安全保护条例": "final",
        "网络数据安全管理条例": "final",
        "人工智能生成合成内容标识办法": "draft",
    }
    english = regulations(
        '<p>Under the Opinions on Deepening the Implementation of the "AI Plus" Action, approved by the '
        "State Council at an executive meeting on July 31, the adoption rate should pass 70 percent.</p>",
        "AI Plus",
    )
    assert [m.status for m in english.values()] == ["final"]


def test_a_law_under_revision_is_a_draft_until_the_revised_text_is_in_force() -> None:
    under_revision = (
        "<p>会议听取了关于《某省数据条例（修订草案）》的说明，修订草案首次提请审议。</p>"
        "<p>《某省数据条例》于2021年7月审议通过，同年9月1日起施行。</p>"
        "<p>修订草案增设人工智能专章，提出统筹布局智能算力基础设施。</p>"
    )
    (mention,) = regulations(under_revision).values()
    assert mention.status == "draft"
    revised = (
        "<p>网络安全法修正草案于10月28日表决通过。</p>"
        "<p>修改后的网络安全法自2026年1月1日起施行，新增人工智能相关条款。</p>"
    )
    statuses = {m.canonical_id: m.status for m in regulations(revised).values()}
    assert statuses == {"cn-cybersecurity-law": "final"}


def test_a_document_cited_as_the_basis_takes_no_status_from_the_sentence() -> None:
    body = (
        "<p>根据《中华人民共和国立法法》和有关规定，草案经初次审议后，将公布并广泛征求社会各界意见。</p>"
        "<p>The Draft Measures build on, rather than replace, the Interim Measures for the Management of "
        "Generative Artificial Intelligence Services.</p>"
    )
    statuses = {m.title: m.status for m in regulations(body, "新闻").values()}
    assert statuses == {
        "中华人民共和国立法法": None,
        "Interim Measures for the Management of Generative Artificial Intelligence Services": None,
    }


def test_national_laws_cited_beside_the_ai_rules_are_known_by_their_short_names() -> None:
    body = "<p>新修订的职业教育法已于2022年5月1日起施行，民法典和电子商务法对平台责任也有规定。</p>"
    ids = {m.canonical_id: m.status for m in regulations(body).values()}
    assert ids == {
        "cn-vocational-education-law": "final",
        "cn-civil-code": None,
        "cn-e-commerce-law": None,
    }


def test_a_document_a_department_plans_to_make_is_not_a_mention() -> None:
    body = (
        "<p>下一步还将研究出台《某省工业大模型应用场景清单管理办法》，规范场景遴选。"
        "省经信厅正在起草《某省人工智能产业专项行动方案》。</p>"
    )
    statuses = {m.title: m.status for m in regulations(body).values()}
    assert statuses == {"某省人工智能产业专项行动方案": "draft"}


def test_local_regulations_named_with_their_city_as_a_possessive() -> None:
    body = (
        "<p>Shenzhen's Regulations on Promoting the Artificial Intelligence Industry came into force in "
        "November 2022; Shanghai's Regulation on Promoting the Development of the AI Industry took effect "
        "a month earlier. Hangzhou's Regulations on Promoting the Embodied Intelligence Industry are not "
        "in the gazetteer.</p>"
    )
    ids = {m.canonical_id: m.status for m in regulations(body, "Local rules").values()}
    assert ids == {
        "cn-shenzhen-ai-industry-regulations-2022": "final",
        "cn-shanghai-ai-industry-regulation-2022": "final",
        None: None,  # the unknown Hangzhou regulation is a mention without an id
    }


def test_what_a_document_requires_is_not_its_status_and_have_governed_is_final() -> None:
    body = (
        "<p>数据安全法和网络数据安全管理条例已经对重要数据识别作出规定，企业要依法做好分类分级保护。</p>"
        "<p>The draft would sit alongside the Interim Measures for the Management of Generative Artificial "
        "Intelligence Services, which have governed public-facing generative AI since 2023.</p>"
    )
    ids = {m.canonical_id: m.status for m in regulations(body).values()}
    assert ids == {
        "cn-data-security-law": None,
        "cn-network-data-security-regulations-2024": None,
        "cn-genai-interim-measures-2023": "final",
    }


def test_a_shortened_english_title_is_the_document_whose_name_holds_its_words() -> None:
    body = (
        "<p>China Releases Draft Measures on Anthropomorphic AI Interaction Services: Key Points.</p>"
        "<p>The CAC released the Interim Measures for the Administration of Anthropomorphic AI Interaction "
        "Services (Draft for Comment) for public comment.</p>"
        "<p>Separately, the Measures on Data Services was mentioned.</p>"  # too vague to name a document
    )
    ids = sorted(str(m.canonical_id) for m in regulations(body, "Commentary").values())
    assert ids == ["None", "cn-anthropomorphic-ai-measures-draft-2025"]  # two titles, one document


def test_standards_by_number_documents_wished_for_and_english_cues_of_being_in_force() -> None:
    body = (
        "<p>Since 1 September 2025, the Measures for Labeling AI-Generated Synthetic Content have required "
        "explicit labels. Beijing promotes its Global AI Governance Initiative, launched in October 2023.</p>"
        "<p>平台须执行强制性国家标准GB 45438-2025。妇女权益保障法明确规定了人格权益。"
        "应晚晴认为，有必要研究出台专门的《深度伪造内容治理办法》。</p>"
    )
    ids = {m.canonical_id: m.status for m in regulations(body).values()}
    assert ids == {
        "cn-ai-content-labeling-measures-2025": "final",
        "cn-global-ai-governance-initiative-2023": "final",
        "cn-ai-content-labeling-standard-gb45438": None,
        "cn-women-rights-protection-law": None,
    }


def test_documents_english_reporting_names_by_description_with_or_without_quotes() -> None:
    body = (
        "<p>The State Council's \u201cAI Plus\u201d opinions, issued in August 2025, set adoption targets. "
        "Labeling rules for AI-generated content have been in force since September 2025.</p>"
        '<p>The State Council issued a guideline on deepening the implementation of the "AI Plus" '
        "initiative in August 2025. Firms also follow the algorithm recommendation rules.</p>"
        "<p>The AI Plus campaign reaches every ministry.</p>"
    )
    found = {m.canonical_id: m for m in regulations(body, "AI rules").values()}
    assert set(found) == {
        "cn-ai-plus-opinions-2025",
        "cn-ai-content-labeling-measures-2025",
        "cn-algorithm-recommendation-provisions-2021",
    }
    assert found["cn-ai-plus-opinions-2025"].status == "final"
    assert found["cn-ai-content-labeling-measures-2025"].status == "final"


def test_documents_a_speaker_hopes_for_are_not_mentions_and_a_back_reference_carries_status() -> None:
    body = (
        "<p>我希望有关部门研究制定一份《开源大模型安全责任指引》，把责任边界讲清楚。"
        "她希望主管部门尽快配套出台一份《拟人化互动服务安全评估指南》。</p>"
        "<p>公司的产品已按照《生成式人工智能服务管理暂行办法》完成备案，“这套办法2023年8月15日起施行以来，"
        "大家对备案已经很熟悉了”。企业还依据《互联网信息服务深度合成管理规定》开展自查，该规定的要求很细。</p>"
    )
    found = {m.canonical_id or m.title: m.status for m in regulations(body).values()}
    assert found == {
        "cn-genai-interim-measures-2023": "final",  # 这套办法…施行以来
        "cn-deep-synthesis-provisions-2022": None,  # 该规定 is referred to, nothing said of its issuance
    }


def test_a_call_for_comments_is_the_draft_it_asks_about() -> None:
    title = "国家卫生健康委办公厅关于公开征求《医疗机构人工智能辅助诊疗应用管理规范（征求意见稿）》意见的通知"
    page = (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<table><tr><td>发文字号：</td><td>国卫办医政函〔2025〕512号</td></tr>"
        "<tr><td>发文机关：</td><td>国家卫生健康委办公厅</td></tr></table>"
        "<div><p>我委组织起草了《医疗机构人工智能辅助诊疗应用管理规范（征求意见稿）》，现向社会公开征求意见。</p>"
        "</div></body></html>"
    )
    (mention,) = [m for m in extract_page(page).mentions if m.kind == "regulation"]
    assert mention.title.startswith("医疗机构人工智能辅助诊疗应用管理规范")
    assert mention.status == "draft"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "The Measures for Labeling AI-Generated Synthetic Content went into effect on 1 September.",
            "final",
        ),
        ("The CAC finalized the Measures for Labeling AI-Generated Synthetic Content in March.", "final"),
        ("The CAC rolled out the Measures for Labeling AI-Generated Synthetic Content in March.", "final"),
        ("The Measures for Labeling AI-Generated Synthetic Content are effective from 1 September.", "final"),
        (
            "The CAC is seeking public comment on the Measures for Labeling AI-Generated Synthetic Content.",
            "draft",
        ),
        ("The CAC solicited comments on the Measures for Labeling AI-Generated Synthetic Content.", "draft"),
        (
            "The Measures for Labeling AI-Generated Synthetic Content were released for comment in September.",
            "draft",
        ),
        (
            "The comment period on the Measures for Labeling AI-Generated Synthetic Content ends in October.",
            "draft",
        ),
        ("The Measures for Labeling AI-Generated Synthetic Content have yet to be finalized.", "draft"),
        ("Regulators are drafting the Measures for Labeling AI-Generated Synthetic Content.", "draft"),
        (
            "Regulators published the Measures for Labeling AI-Generated Synthetic Content for consultation.",
            "draft",
        ),
        ("The NPC Standing Committee passed the Cybersecurity Law in 2016.", "final"),
        ("The Cybersecurity Law was passed in 2016.", "final"),
        ("Lawmakers approved the amendment to the Cybersecurity Law in October.", "final"),
        (
            "The Measures for Labeling AI-Generated Synthetic Content, effective September 1, require labels.",
            "final",
        ),
    ],
)
def test_english_ways_of_saying_final_and_draft(sentence: str, status: str) -> None:
    (mention,) = regulations(f"<p>{sentence}</p><p>More on artificial intelligence rules.</p>").values()
    assert mention.status == status


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("《人工智能生成合成内容标识办法》已落地实施半年。", "final"),
        ("为支撑《人工智能生成合成内容标识办法》等部门规章落地实施，标委会组织编写了三项国家标准。", None),
        ("《人工智能生成合成内容标识办法》（审议稿）正在内部讨论。", "draft"),
        ("国家网信办向社会公开征求对《人工智能生成合成内容标识办法》的意见。", "draft"),
        ("有关部门草拟了《人工智能生成合成内容标识办法》。", "draft"),
    ],
)
def test_more_chinese_ways_of_saying_final_and_draft(sentence: str, status: str | None) -> None:
    (mention,) = regulations(f"<p>{sentence}</p><p>人工智能治理相关新闻。</p>").values()
    assert mention.status == status


def test_a_i_with_dots_cited_documents_described_after_and_a_draft_then_final_text() -> None:
    body = (
        "<p>The proposed rules, titled the Interim Measures for the Administration of Anthropomorphic A.I. "
        "Interaction Services, would require reminders. Rules requiring labels, the Measures for Labeling "
        "A.I.-Generated Synthetic Content, came into force in September. In October, the legislature "
        "amended the Cybersecurity Law.</p>"
        "<p>Services must be registered under the country's 2023 Interim Measures for the Management of "
        "Generative AI Services. Providers already had to label content under the Provisions on the "
        "Administration of Deep Synthesis of Internet Information Services (in force since January 2023).</p>"
    )
    found = {m.canonical_id: m.status for m in regulations(body, "AI rules").values()}
    assert found == {
        "cn-anthropomorphic-ai-measures-draft-2025": "draft",
        "cn-ai-content-labeling-measures-2025": "final",
        "cn-cybersecurity-law": "final",
        "cn-genai-interim-measures-2023": None,  # cited, and its year says nothing more
        "cn-deep-synthesis-provisions-2022": "final",  # (in force since …)
    }
    chinese = (
        "<p>2021年8月，国家网信办就《互联网信息服务算法推荐管理规定》公开征求意见；同年12月31日，四部门联合发布"
        "这部规定，自2022年3月1日起施行。将来可以考虑研究制定《人工智能生成合成内容标识管理条例》。</p>"
    )
    assert {m.canonical_id: m.status for m in regulations(chinese).values()} == {
        "cn-algorithm-recommendation-provisions-2021": "final"
    }


def test_a_bare_kind_in_marks_refers_back_and_the_regulations_take_their_own_cues() -> None:
    body = (
        "<p>《实施意见》是落实《国务院关于深入实施“人工智能+”行动的意见》在制造领域的具体举措。</p>"
        "<p>研究员认为，从去年8月国务院印发《意见》作出总体部署，到此次出台专项实施意见，行动进入新阶段。</p>"
        "<p>“‘数据二十条’确立了产权运行机制，方向已经很清楚。”</p>"
    )
    found = {m.canonical_id: m.status for m in regulations(body).values()}
    assert found == {"cn-ai-plus-opinions-2025": "final", "cn-data-twenty-measures-2022": None}
    english = (
        "<p>On 24 September 2024, the State Council promulgated the Network Data Security Management "
        'Regulations (the "Regulations"). First released in draft form in November 2021, the Regulations '
        "implement China's data statutes: the Cybersecurity Law and the Data Security Law.</p>"
        "<p>Nationally, the Ministry of Education in May released the Guidelines for AI General Education "
        "in Primary and Secondary Schools (2025 Edition), which lay out what students learn.</p>"
    )
    statuses = {m.title: m.status for m in regulations(english, "Data rules").values()}
    assert statuses["Cybersecurity Law"] is None and statuses["Data Security Law"] is None
    assert (
        statuses["Guidelines for AI General Education in Primary and Secondary Schools (2025 Edition)"]
        == "final"
    )


@pytest.mark.parametrize(
    ("sentence", "canonical_id"),
    [
        (
            "Since September, the Measures for Labeling AI-Generated Synthetic Content have required "
            "platforms to attach visible labels.",
            "cn-ai-content-labeling-measures-2025",
        ),
        (
            "Since September 1 this year, the Measures for Labelling AI-Generated Synthetic Content have "
            "required platforms to tag AI-made text.",
            "cn-ai-content-labeling-measures-2025",
        ),
        (
            "In January, MIIT and seven other agencies followed up with the Implementation Opinions on the "
            '"AI + Manufacturing" Special Action.',
            None,
        ),
        (
            'The Opinions on Deepening the Implementation of the "AI Plus" Action, made public Tuesday, call '
            "for AI agents to exceed 70 percent by 2027.",
            "cn-ai-plus-opinions-2025",
        ),
        (
            "The plan builds on the New Generation Artificial Intelligence Development Plan that Beijing laid "
            "out in 2017.",
            None,
        ),
        (
            "Six months later, the final text landed alongside a mandatory national standard, GB 45438-2025.",
            None,
        ),
    ],
)
def test_more_english_ways_of_saying_a_document_was_issued(sentence: str, canonical_id: str | None) -> None:
    (mention,) = regulations(f"<p>{sentence}</p>", "AI rules").values()
    assert mention.status == "final"
    if canonical_id:
        assert mention.canonical_id == canonical_id


def test_these_guidelines_refer_back_to_a_document_named_in_chinese() -> None:
    body = (
        "<p>政务领域人工智能大模型部署应用指引</p>"
        "<p>Translator's introduction: These Guidelines, issued on October 10, 2025, are the first "
        "national-level document on how government bodies should deploy large AI models.</p>"
    )
    (mention,) = regulations(body, "Government LLM guidelines").values()
    assert mention.status == "final"


@pytest.mark.parametrize(
    "sentence",
    [
        "行业更希望主管部门配套出一份《拟人化互动服务分级指引》，把什么算高风险讲清楚。",
        "有行业人士表示，希望监管部门后续能出台配套的《拟人化互动服务安全评估指南》。",
        "Several commentators have suggested that a formal set of Administrative Measures on Government Use "
        "of AI will eventually follow, but there is no sign of one.",
    ],
)
def test_documents_someone_hopes_for_are_not_mentions(sentence: str) -> None:
    assert regulations(f"<p>{sentence}</p>") == {}


def test_a_month_after_an_english_title_is_not_part_of_it() -> None:
    found = regulations(
        "<p>The ministry released the Measures for the Administration of Drone Flights in March.</p>"
    )
    assert list(found) == ["Measures for the Administration of Drone Flights"]


def test_a_draft_ai_law_written_in_lower_case() -> None:
    body = (
        "<p>China's legislative planning had included a draft AI law in 2023 and 2024.</p>"
        "<p>“The question is whether China will eventually have an AI law,” she said.</p>"
    )
    (mention,) = regulations(body, "AI rules").values()
    assert mention.canonical_id == "cn-ai-law" and mention.status == "draft"


def test_a_cue_said_of_one_cited_document_is_that_documents_alone() -> None:
    body = (
        "<p>Transfers of personal information are governed by the Personal Information Protection Law, and "
        "the Regulations on Network Data Security Management, which took effect on January 1, have added "
        "duties.</p><p>Under the Provisions on the Administration of Deep Synthesis of Internet Information "
        "Services (in force since January 2023) and the Interim Measures for the Management of Generative "
        "Artificial Intelligence Services (in force since August 2023), providers label content.</p>"
    )
    statuses = {m.canonical_id: m.status for m in regulations(body, "AI rules").values()}
    assert statuses == {
        "cn-personal-information-protection-law": None,
        "cn-network-data-security-regulations-2024": "final",
        "cn-deep-synthesis-provisions-2022": "final",
        "cn-genai-interim-measures-2023": "final",
    }


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "It follows China's New Generation Artificial Intelligence Development Plan of 2017, which set a "
            "goal for 2030.",
            "New Generation Artificial Intelligence Development Plan",
        ),
        (
            "The Guidelines for Building a Comprehensive Standardization System for the National AI Industry "
            "(2024) include standards for computing facilities.",
            "Guidelines for Building a Comprehensive Standardization System for the National AI Industry",
        ),
        (
            "Content will have to carry labels, under the Measures for Labelling AI-Generated Synthetic "
            "Content published in March.",
            "Measures for Labelling AI-Generated Synthetic Content",
        ),
        (
            "And the Cybersecurity Law, amended in October, gained new provisions on AI.",
            "Cybersecurity Law",
        ),
    ],
)
def test_a_past_year_or_a_participle_after_the_title_says_it_is_out(sentence: str, title: str) -> None:
    found = regulations(f"<p>{sentence}</p>", "AI rules", "https://news.example.com/2026-03/06/c_1.htm")
    assert found[title].status == "final"


def test_singular_regulation_titles_standards_named_by_number_and_a_uniform_guide_hoped_for() -> None:
    found = regulations(
        "<p>The Regulation of Shanghai Municipality on Promoting the Development of the AI Industry, adopted "
        "in 2022, gave the city legal cover for subsidies.</p>"
        "<p>业内人士普遍希望，监管部门能出台一份统一的《生成式人工智能服务备案操作指引》。</p>",
        "AI rules",
    )
    assert [(m.canonical_id, m.status) for m in found.values()] == [
        ("cn-shanghai-ai-industry-regulation-2022", "final")
    ]
    for sentence in (
        "It replaces the technical document TC260-003, which served as a checklist.",
        "A draft national standard, Basic Security Requirements for Generative AI Services, was released.",
    ):
        (mention,) = regulations(f"<p>{sentence}</p>", "AI rules").values()
        assert mention.canonical_id == "cn-genai-basic-security-requirements"


def test_the_decision_amending_a_law_is_a_mention_of_the_law() -> None:
    for body in (
        "<p>十四届全国人大常委会第十八次会议表决通过了《全国人民代表大会常务委员会关于修改〈中华人民共和国网络安全法〉的决定》。"
        "修改后的网络安全法将自2026年1月1日起施行。</p>",
        "<p>全国人大常委会关于修改网络安全法的决定已经通过。</p>",
    ):
        found = regulations(body)
        assert [(m.canonical_id, m.status) for m in found.values()] == [("cn-cybersecurity-law", "final")], (
            body
        )


@pytest.mark.parametrize(
    "sentence",
    [
        "Since August 2023, companies offering generative AI tools have had to comply with the Interim "
        "Measures for the Management of Generative Artificial Intelligence Services.",
        "Services have been covered since August 2023 by the Interim Measures for the Management of "
        "Generative Artificial Intelligence Services, which require assessments.",
        "Since 2023, providers have been subject to the Interim Measures for the Management of Generative "
        "Artificial Intelligence Services.",
        "Labelling has been mandatory since September under the Measures for Labeling AI-Generated Synthetic "
        "Content.",
        "Rules requiring labels on AI-generated text came into force in September under the Measures for "
        "Labelling AI-Generated Synthetic Content.",
    ],
)
def test_in_force_since_a_date(sentence: str) -> None:
    (mention,) = regulations(f"<p>{sentence}</p>", "AI rules").values()
    assert mention.status == "final"


def test_standards_by_number_and_an_editions_year() -> None:
    (mention,) = regulations(
        "<p>The requirements became a recommended national standard, GB/T 45654-2025, last year.</p>"
    ).values()
    assert mention.canonical_id == "cn-genai-security-standard-gb-t-45654"
    found = regulations(
        "<p>The opinions build on the Guidelines for Building a Comprehensive Standardization System for the "
        "National AI Industry (2024 Edition) and call for standards.</p>",
        "AI rules",
        "https://news.example.com/2026-02/10/c_1.htm",
    )
    assert [m.status for m in found.values()] == [None]  # an edition's year says nothing of issuance


@pytest.mark.parametrize(
    "sentence",
    [
        "When China unveiled its Global AI Governance Initiative in October 2023, many read it as a slogan.",
        "In addition, the Cybersecurity Law, as amended with effect from January 1, 2026, addresses AI.",
        "A researcher referred to the Global AI Governance Initiative that China put forward in 2023.",
        "It was followed in 2021 by the Data Security Law, which set rules on important data.",
        'The Implementation Opinions on the "AI + Manufacturing" Special Action (document number '
        "工信部联科〔2025〕279号) is dated December 25.",
    ],
)
def test_still_more_english_ways_of_saying_a_document_is_out(sentence: str) -> None:
    (mention,) = regulations(f"<p>{sentence}</p>", "AI rules").values()
    assert mention.status == "final"


def test_a_bracket_after_an_english_title_is_not_part_of_it() -> None:
    found = regulations(
        "<p>The Interim Measures for the Administration of Anthropomorphic AI Interaction Services (the Draft "
        "Measures) were released for comment.</p>",
        "AI rules",
    )
    assert list(found) == [
        "Interim Measures for the Administration of Anthropomorphic AI Interaction Services"
    ]


def test_the_ai_law_listed_in_a_legislative_plan_is_a_draft_mention() -> None:
    (mention,) = regulations(
        "<p>The State Council listed an AI law in its 2023 and 2024 legislative work plans.</p>", "AI rules"
    ).values()
    assert mention.canonical_id == "cn-ai-law" and mention.status == "draft"
    for sentence in (
        "Whether the national AI law, which dropped off the State Council's 2025 legislative plan, returns.",
        "Delegates called for an AI law, an idea that has appeared in legislative planning documents.",
    ):
        assert regulations(f"<p>{sentence}</p>", "AI rules") == {}, sentence


def test_since_announcing_a_relative_clause_after_a_bracket_and_the_gb_t_standards_english_title() -> None:
    (mention,) = regulations(
        "<p>Since announcing the Global AI Governance Initiative in October 2023, Beijing has presented "
        "itself as a champion of access to AI.</p>",
        "AI rules",
    ).values()
    assert mention.status == "final"
    (mention,) = regulations(
        "<p>The CAC reviews filings under the Interim Measures for the Management of Generative Artificial "
        "Intelligence Services (CAC Order No. 15), which have been in force since August 15, 2023.</p>",
        "AI rules",
    ).values()
    assert mention.status == "final"
    (mention,) = regulations(
        "<p>A recommended national standard, Cybersecurity Technology — Basic Security Requirements for "
        "Generative Artificial Intelligence Services (GB/T 45654-2025), took effect.</p>",
        "AI rules",
    ).values()
    assert mention.canonical_id == "cn-genai-security-standard-gb-t-45654"


@pytest.mark.parametrize(
    "sentence",
    [
        "The proposals build on the State Council's Opinions on Deepening the Implementation of the AI Plus "
        "Action from last August, which set a target for AI agents.",
        "The Opinions on Deepening the Implementation of the AI Plus Action, dated Aug. 21, say remarkably "
        "little about frontier models.",
        "Then the Shenzhen Special Economic Zone's Regulations on Promoting the AI Industry followed a month "
        "later.",
    ],
)
def test_out_since_a_time_gone_by_or_after_another(sentence: str) -> None:
    found = regulations(f"<p>{sentence}</p>", "AI rules")
    assert [m.status for m in found.values()] == ["final"]


def test_a_standard_listed_with_the_measures_shares_their_cue() -> None:
    found = regulations(
        '<p>Since 1 September 2025, the Measures for Labeling AI-Generated Synthetic Content (the "Labeling '
        'Measures") and the mandatory national standard GB 45438-2025 have required explicit and implicit '
        "labels on AI-generated content.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final", "final"]


def test_a_back_reference_after_a_preposition_does_not_take_the_cue() -> None:
    found = regulations(
        "<p>The Measures for Labeling AI-Generated Synthetic Content take effect on Sept. 1. Alongside the "
        "measures, Chinese authorities released a mandatory national standard, GB 45438-2025, which spells "
        "out the details.</p>",
        "AI rules",
    )
    assert found["GB 45438-2025"].status == "final"
    found = regulations(
        "<p>The Measures for Labeling AI-Generated Synthetic Content take effect on Sept. 1. A mandatory "
        "national standard published alongside the measures, GB 45438-2025, spells out where the labels "
        "go.</p>",
        "AI rules",
    )
    assert found["GB 45438-2025"].status == "final"


def test_a_cited_document_that_is_the_subject_of_its_own_clause_takes_its_cue() -> None:
    found = regulations(
        "<p>Providers must go through a filing under the Interim Measures for the Management of Generative "
        "Artificial Intelligence Services, and the Provisions on the Administration of Deep Synthesis of "
        "Internet Information Services have required providers to mark synthetic content since 2023.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == [None, "final"]


@pytest.mark.parametrize(
    "sentence",
    [
        "贺知遥认为，征求意见稿中关于防沉迷的要求，与《未成年人网络保护条例》等现有规定形成了衔接。",
        "征求意见稿与现行《生成式人工智能服务管理暂行办法》衔接。",
        "The draft builds on the existing Provisions on the Administration of Deep Synthesis of Internet "
        "Information Services.",
    ],
)
def test_a_document_said_to_be_in_force_already_is_no_draft(sentence: str) -> None:
    (mention,) = regulations(f"<p>{sentence}</p>", "AI rules").values()
    assert mention.status != "draft"


def test_a_defined_short_name_refers_back_to_the_document_it_was_defined_for() -> None:
    """《办法》 after 以下简称《办法》 is that document, not the last 办法 the page named: the draft
    history of the labelling measures is not the generative AI measures' status."""
    found = regulations(
        "<p>2025年3月，国家互联网信息办公室等四部门联合发布《人工智能生成合成内容标识办法》（以下简称《办法》）。"
        "</p><p>《生成式人工智能服务管理暂行办法》也要求提供者对生成内容进行标识。《办法》起草过程中，征求意见稿"
        "曾于2024年9月向社会公开征求意见。</p>",
        "AI rules",
    )
    assert found["人工智能生成合成内容标识办法"].status == "final"
    assert found["生成式人工智能服务管理暂行办法"].status is None


def test_passed_with_le_before_a_title_is_final() -> None:
    found = regulations("<p>不到一个月，上海也通过了《上海市促进人工智能产业发展条例》。</p>", "AI rules")
    assert [m.status for m in found.values()] == ["final"]


def test_a_document_someone_announced_is_out() -> None:
    found = regulations(
        "<p>Its language echoes the Global AI Governance Initiative that China announced in October 2023.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final"]


def test_from_draft_to_final_is_not_a_draft_cue() -> None:
    found = regulations(
        "<p>Its Measures for Labeling AI-Generated Synthetic Content went from draft to final in six months "
        "and took effect in September.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final"]


def test_an_initiative_put_forward_is_out() -> None:
    found = regulations(
        "<p>2023年10月，我国提出《全球人工智能治理倡议》，倡导以人为本、智能向善。</p>", "AI rules"
    )
    assert [m.status for m in found.values()] == ["final"]


def test_the_safety_governance_framework_2_0_is_the_frameworks_entry() -> None:
    gazetteer = load_regulations()
    first = gazetteer.lookup("人工智能安全治理框架")
    assert first is not None
    for name in ("AI Safety Governance Framework 2.0", "人工智能安全治理框架2.0版"):
        assert gazetteer.lookup(name) is first
    (mention,) = regulations(
        "<p>TC260 released the AI Safety Governance Framework 2.0 in September.</p>"
    ).values()
    assert mention.title == "AI Safety Governance Framework 2.0" and mention.canonical_id == first.id


def test_a_standard_named_by_its_gb_number_is_published_unless_only_cited() -> None:
    found = regulations(
        "<p>They come with a mandatory national standard, GB 45438-2025, which sets out the technical "
        "details.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final"]
    found = regulations(
        "<p>各平台要按照强制性国家标准《网络安全技术 人工智能生成合成内容标识方法》（GB 45438-2025）要求，"
        "对平台上传播的内容添加显式标识。</p>",
        "通知",
    )
    assert [m.status for m in found.values()] == [None]


def test_together_with_lists_documents_that_share_a_cue() -> None:
    found = regulations(
        "<p>The Measures for Labeling AI-Generated Synthetic Content (Guo Xin Ban Tong Zi [2025] No. 2), "
        "together with the mandatory national standard GB 45438-2025 on labeling methods, took effect on "
        "September 1, 2025.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final", "final"]


def test_a_city_passed_its_own_regulations() -> None:
    found = regulations(
        "<p>Shanghai passed its own Regulations on Promoting the Development of the Artificial Intelligence "
        "Industry the same year.</p>",
        "AI rules",
    )
    assert [m.status for m in found.values()] == ["final"]


def test_when_it_is_issued_is_no_final_cue() -> None:
    found = regulations(
        "<p>莫若谦建议，在办法正式出台时进一步细化未成年人模式的技术要求，并与《未成年人网络保护条例》做好衔接。</p>",
        "两会",
    )
    assert [m.status for m in found.values()] == [None]


def test_a_weekday_after_an_english_title_ends_it() -> None:
    found = regulations(
        "<p>China released draft Interim Measures for the Administration of Anthropomorphic AI Interaction "
        "Services on Saturday, seeking public comment.</p>",
        "AI rules",
    )
    assert list(found) == [
        "Interim Measures for the Administration of Anthropomorphic AI Interaction Services"
    ]
