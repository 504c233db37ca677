"""Proposal mentions: people found from the page's wording (in no gazetteer too), pronoun follow-ups,
earlier years, and the traps of place and company names next to people."""

from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.extract.proposals import _name_and_org
from crawler.extract.segment import person_names


def proposals(body: str, date: str = "2024-03-07") -> list[object]:
    page = (
        f"<html><head><title>两会</title><meta name='publishdate' content='{date}'></head>"
        f"<body><h1>两会</h1><div id='content'>{body}</div></body></html>"
    )
    return [m for m in extract_page(page).mentions if m.kind == "proposal"]


def test_role_organisation_name_of_people_in_no_gazetteer() -> None:
    assert _name_and_org("江苏远航智能装备集团董事长王海涛在调研中发现") == ("王海涛", "江苏远航智能装备集团")
    assert _name_and_org("小米集团创始人、董事长兼CEO雷军今年准备了四份建议") == ("雷军", "小米集团")
    assert _name_and_org("河南移动党委书记、董事长、总经理楼向平认为") == ("楼向平", "河南移动")
    assert _name_and_org("中国电信湖北公司张敏建议") == ("张敏", "中国电信湖北公司")
    assert _name_and_org("宁夏中卫云谷数据集团董事长马兴国则从") == ("马兴国", "宁夏中卫云谷数据集团")
    assert _name_and_org("黑龙江省大庆市公安局网络警察分局副局长贾晓亮提交了") == (
        "贾晓亮",
        "黑龙江省大庆市公安局网络警察分局",
    )


def test_pronoun_follow_ups_and_new_sections() -> None:
    body = (
        "<p>全国政协委员、黄淮农业发展研究院院长陈立群关注农村地区的人工智能素养。她建议，将人工智能通识培训纳入高素质农民培育计划。</p>"
        "<p><strong>智能制造</strong></p>"
        "<p>全国人大代表，江苏远航智能装备集团董事长王海涛建议，建设工业大模型公共服务平台。</p>"
        "<p>他还建议，加快人工智能在质检、排产等环节落地。</p>"
    )
    found = proposals(body)
    assert [(p.actor, p.role, p.organization) for p in found] == [
        ("陈立群", "全国政协委员", "黄淮农业发展研究院"),
        ("王海涛", "全国人大代表", "江苏远航智能装备集团"),
        ("王海涛", "全国人大代表", "江苏远航智能装备集团"),
    ]
    assert found[0].summary.startswith("将人工智能通识培训") and found[0].category == "skills_development"


def test_place_and_company_names_next_to_people_are_not_proposers() -> None:
    body = (
        "<p>全国政协委员、360集团创始人周鸿祎建议，支持大模型向垂直化、产业化方向发展。</p>"
        "<p>周鸿祎曾到河南周口调研。周口当地一家企业负责人告诉记者，希望多用安全云服务。</p>"
        "<p>全国人大代表、贵州黔云数据集团董事长华永明建议，完善跨区域算力调度机制。华为方面表示，将继续加大算力布局。</p>"
    )
    assert [p.actor for p in proposals(body)] == ["周鸿祎", "华永明"]


def test_proposals_of_earlier_years_keep_their_year() -> None:
    body = (
        "<p>全国政协委员、360集团创始人周鸿祎今年带来了三件提案。在《关于全面建设安全云的提案》中，周鸿祎建议，建设城市级安全云。</p>"
        "<p>2023年全国两会前夕，周鸿祎当时在提案中建议，设立国家级大模型开源项目。</p>"
    )
    found = proposals(body)
    assert [p.extra["year"] for p in found] == [2024, 2023]
    assert found[0].summary.startswith("《关于全面建设安全云的提案》：")
    assert found[1].summary.startswith("2023年提案：")


def test_statements_and_counts_are_not_proposals() -> None:
    body = (
        "<p>全国人大代表，小米集团创始人、董事长雷军今年准备了四份建议。</p>"
        "<p>雷军表示，将继续加大研发投入。一位业内人士表示，应加快建设算力网络。</p>"
    )
    assert proposals(body) == []


def test_english_apposition_surnames_and_pronouns() -> None:
    body = (
        "<p>Lei Jun, founder of Xiaomi and an NPC deputy, proposed "
        "that AI be written into the education system.</p>"
        "<p>Huawei, which supplies driver-assistance systems, has lobbied for common standards.</p>"
        "<h3>Assisted driving</h3><p>Lei also called for a "
        "safety supervision mechanism for assisted driving.</p>"
        "<p>Zhang Min, another NPC deputy, who heads China "
        "Telecom's Hubei branch, urged faster AI legislation.</p>"
        "<p>Qi An Xin was spun off from Zhou Hongyi's 360 Group "
        "in 2019. Zhou, also a CPPCC member, has submitted "
        "a proposal of his own this year, calling for security "
        "firms to fix large-model risks. He also urged the "
        "construction of security clouds.</p>"
    )
    found = proposals(body)
    assert [(p.actor, p.role, p.organization) for p in found] == [
        ("Lei Jun", "NPC deputy", "Xiaomi"),
        ("Lei Jun", "NPC deputy", "Xiaomi"),
        ("Zhang Min", "NPC deputy", "China Telecom's Hubei branch"),
        ("Zhou Hongyi", "CPPCC member", "360 Group"),
        ("Zhou Hongyi", "CPPCC member", "360 Group"),
    ]


def test_last_year_in_english() -> None:
    body = (
        "<p>Zhou Hongyi, founder of 360 Security Technology and a member of the Chinese People's Political "
        "Consultative Conference, called on the government to support vertical models.</p>"
        "<p>Last year, he proposed national open-source projects for large models. He also urged that city "
        "security centres be planned.</p>"
    )
    assert [p.extra["year"] for p in proposals(body, "2024-03-03")] == [2024, 2023, 2023]


def test_pages_without_deputies_or_advisers_have_no_proposals() -> None:
    assert proposals("<p>专家建议，加快建设全国一体化算力网。Analysts urged caution.</p>") == []


def test_jieba_loads_quietly_once(capfd: pytest.CaptureFixture[str]) -> None:
    assert "张敏" in person_names("全国人大代表、中国电信湖北公司张敏建议")
    assert "楼向平" in person_names("河南移动党委书记、董事长、总经理楼向平认为")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def english_proposals(body: str, date: str = "2025-03-06") -> list[object]:
    page = (
        f"<html lang='en'><head><title>Two sessions</title><meta name='publishdate' content='{date}'></head>"
        f"<body><h1>Two sessions</h1><div id='content'>{body}</div></body></html>"
    )
    return [m for m in extract_page(page).mentions if m.kind == "proposal"]


def test_a_name_in_characters_between_the_name_and_its_apposition() -> None:
    body = (
        "<p>Lei Jun, a deputy to the National People's Congress and founder of Xiaomi, called for dedicated "
        "legislation against AI face-swapping.</p>"
        "<p>Hu Mingyue (胡明月), an NPC deputy and vice president of Chongqing Yunfan Robotics, is focusing on "
        "embodied AI. She suggested setting up national pilot zones for humanoid robots.</p>"
        "<p>Guo Shuhua (郭淑华), a member of the CPPCC National Committee's Standing Committee, proposed "
        "deploying AI-assisted diagnosis in village clinics.</p>"
    )
    found = english_proposals(body)
    assert [(p.actor, p.role) for p in found] == [
        ("Lei Jun", "NPC deputy"),
        ("Hu Mingyue", "NPC deputy"),  # "She suggested" is Hu's, not the previous deputy's
        ("Guo Shuhua", "CPPCC Standing Committee member"),
    ]


def test_english_pages_name_roles_in_english_even_for_known_people() -> None:
    body = (
        "<p>At the 2025 session, deputies such as iFlytek chairman Liu Qingfeng pressed for more public "
        "funding to bring AI into classrooms.</p>"
        "<p>Zhou Yuan, founder of Zhihu and a member of the National Committee of the Chinese People’s "
        "Political Consultative Conference, called for improving the rules on AI-generated content.</p>"
    )
    roles = {p.actor: p.role for p in english_proposals(body)}
    assert roles == {"Liu Qingfeng": "NPC deputy", "Zhou Yuan": "CPPCC member"}


def test_a_particle_after_a_two_character_name_is_not_part_of_it() -> None:
    body = (
        "<p>同为全国人大代表的小米集团创始人雷军则提交了《关于加强“AI换脸拟声”违法侵权重灾区治理的建议》，"
        "他建议加快推进相关单行立法。</p>"
    )
    found = proposals(body, "2025-03-08")
    assert [(p.actor, p.organization) for p in found] == [("雷军", "小米集团")]


def test_turning_to_another_subject_in_a_new_paragraph_is_another_proposal() -> None:
    body = (
        "<p>全国人大代表、星衍智能科技有限公司董事长范文涛提交了建议。他建议，由国家层面统筹建设智能算力调度平台。</p>"
        "<p>范文涛还关注人工智能技能人才的培养。他建议在职业院校增设人工智能训练师等实用型课程。</p>"
    )
    found = proposals(body)
    assert [(p.actor, p.category) for p in found] == [
        ("范文涛", "infrastructure"),
        ("范文涛", "skills_development"),
    ]


def test_he_after_a_quoted_analyst_is_the_analyst_not_the_last_deputy() -> None:
    body = (
        "<p>全国人大代表、科大讯飞董事长刘庆峰建议建立“AI就业动态监测平台”。</p>"
        "<p>某券商首席经济学家程远对记者表示，政策信号很明确。他认为，下一步应加大对应用场景的财政支持。</p>"
    )
    found = proposals(body, "2025-03-08")
    assert [p.actor for p in found] == ["刘庆峰"]
    assert "财政支持" not in found[0].summary  # the analyst's view is not added to the deputy's proposal


def test_roundup_bullets_and_submitter_lines_name_their_proposers() -> None:
    body = (
        "<p>● 全国人大常委会委员吕正和：建议加快建设全国一体化算力网，完善东西部算力调度和结算机制。</p>"
        "<p>吕正和同时是西岭大学信息学院教授。</p>"
        "<p>● 全国政协委员高峰：建议在智算中心集中的地区建立绿电直供机制，降低算力用电成本。</p>"
        "<p>● 国家数据局：据国家数据局有关负责人介绍，今年将推动建设一批行业高质量数据集。</p>"
        "<p>《关于加快构建人工智能高质量数据集的提案》</p>"
        "<p>提案人：尹正阳（全国政协委员、西京大学计算机学院教授）</p>"
        "<p>建议：一是由国家层面统筹建设基础语料库和重点行业数据集；二是制定数据标注行业标准。</p>"
    )
    found = proposals(body, "2025-03-09")
    assert [(p.actor, p.role, p.organization) for p in found] == [
        (
            "吕正和",
            "全国人大常委会委员",
            "西岭大学",
        ),  # the organisation from the next sentence, its university
        ("高峰", "全国政协委员", None),
        ("尹正阳", "全国政协委员", "西京大学"),
    ]


def test_compound_surnames_and_the_surname_with_a_title() -> None:
    body = (
        "<p>全国政协委员、成都锦云软件公司董事长上官明睿今年带来了一份关于算力的提案。他建议，支持西部地区建设国家级大模型训练基地。</p>"
        "<p>来自广东的全国人大代表欧阳振华是穗驰机器人公司董事长。在接受记者采访时，他表示，应当加快开放人形机器人应用场景。</p>"
        "<p>上官委员表示，大模型训练对时延要求不高，应当放在西部。</p>"
    )
    found = proposals(body)
    assert [(p.actor, p.organization) for p in found] == [
        ("上官明睿", "成都锦云软件公司"),
        ("欧阳振华", "穗驰机器人公司"),
    ]
    # 上官委员 is 上官明睿 (not a person named 上官), back on the subject of his proposal.
    assert "放在西部" in found[0].summary


def test_an_interviews_answers_are_the_interviewees() -> None:
    body = (
        "<p>全国政协委员，东湖大学法学院院长司马静带来了两份提案。她接受了记者专访。</p>"
        "<p>记者：今年您带来了哪些提案？</p>"
        "<p>司马静：我的看法是分类推进。我建议按照风险高低对人工智能应用实行分类分级管理。</p>"
        "<p>记者：第二份提案关于训练数据，具体建议是什么？</p>"
        "<p>司马静：我建议在著作权法框架下明确训练数据的合理使用规则，搭建训练数据版权许可平台。我国的情况不同。</p>"
    )
    found = proposals(body, "2026-03-04")
    assert [p.actor for p in found] == ["司马静", "司马静"]  # 我 in her answers; the second 提案 is another
    assert "分类分级" in found[0].summary and "著作权法" in found[1].summary


def test_a_document_that_proposes_and_people_who_merely_look_like_names() -> None:
    body = (
        "<p>全国政协常委、中原信息产业研究院名誉院长周堃建议，在省级层面统筹建设政务大模型。</p>"
        "<p>周堃说，国务院印发的《关于深入实施“人工智能+”行动的意见》（国发〔2025〕11号）也提出要提升治理能力智能化水平。</p>"
        "<p>有全国人大代表曾在今年两会上建议加快出台标识规则。多位代表委员认为，人工智能治理需要多方共同参与。</p>"
    )
    found = proposals(body, "2026-03-06")
    assert [(p.actor, p.organization) for p in found] == [("周堃", "中原信息产业研究院")]


def test_english_roles_before_names_and_appositions_that_end_the_sentence() -> None:
    body = (
        '<p>"Computing power is the new electricity," said Meng Xiaoyan, a national political adviser and vice '
        "president of Hanshan Semiconductor. Meng proposed a national computing-power scheduling platform.</p>"
        "<p>Lawmaker Bai Yunfei suggested setting up AI Plus elderly care pilot zones.</p>"
        "<p>NPC deputy Gu Minhui, vice president of Huating University, proposed a fast track for overseas AI "
        "researchers.</p>"
        "<p>Zhang Liwen (张立文), president of the Pujiang Data Economy Research Institute, has studied training "
        "data. Zhang, a CPPCC member, urged a national trading board for AI training datasets.</p>"
        "<p>Shen Haoran, a deputy to the Shanghai Municipal People's Congress, suggested a municipal platform for "
        "AI data trading.</p>"
    )
    found = english_proposals(body)
    assert [(p.actor, p.role, p.organization) for p in found] == [
        ("Meng Xiaoyan", "CPPCC member", "Hanshan Semiconductor"),
        ("Bai Yunfei", "NPC deputy", None),
        ("Gu Minhui", "NPC deputy", "Huating University"),
        ("Zhang Liwen", "CPPCC member", "Pujiang Data Economy Research Institute"),
    ]  # a deputy to a city's congress is not a national proposer


def test_a_roundup_table_one_cell_a_paragraph_and_the_paragraph_about_each_row() -> None:
    body = (
        "<p>继“人工智能+”行动连续写入政府工作报告后，今年全国两会上，围绕人工智能的建议和提案更加聚焦落地。"
        "以下为记者梳理的部分代表委员建议提案要点。</p>"
        "<table><tr><td>姓名</td><td>身份</td><td>建议/提案要点</td></tr>"
        "<tr><td>王喆</td><td>全国政协委员、华衡证券首席经济学家</td>"
        "<td>提案设立国家级人工智能产业投资引导基金，引导长期资本投向人工智能初创企业</td></tr>"
        "<tr><td>吴建章</td><td>全国人大常委会委员、全国人大教育科学文化卫生委员会委员</td>"
        "<td>建议加快人工智能立法研究，对高风险人工智能应用实行分级分类管理</td></tr></table>"
        "<p>王喆在接受采访时表示，人工智能企业研发投入大。他建议，设立国家级人工智能产业投资引导基金，通过母基金方式撬动社会资本。</p>"
    )
    found = proposals(body, "2026-03-08")
    assert [(p.actor, p.role, p.organization) for p in found] == [
        ("王喆", "全国政协委员", "华衡证券"),  # the row and the paragraph about it: one proposal
        ("吴建章", "全国人大常委会委员", None),  # not a person called 常委会
    ]


def test_brought_a_proposal_on_and_an_interviewees_own_words() -> None:
    body = (
        "<p>全国政协委员、东岭师范学院副校长姚素琴今年带来了关于加强乡村学校人工智能课程建设的提案。"
        "她提出，将人工智能课程纳入乡村教师培训内容。</p>"
        "<p>本报记者专访了全国人大代表、青川智能装备公司董事长冯启航。</p>"
        "<p>记者：今年您带来了哪些与人工智能有关的建议？</p>"
        "<p>冯启航：今年我重点提交了一份关于建设工业数据空间的建议，希望打通产业链上下游的数据。</p>"
    )
    found = {m.actor: m for m in proposals(body, "2026-03-06")}
    assert set(found) == {"姚素琴", "冯启航"}
    assert found["姚素琴"].role == "全国政协委员" and "人工智能课程" in found["姚素琴"].summary
    assert found["冯启航"].role == "全国人大代表" and "工业数据空间" in found["冯启航"].summary
    # A question that asks what was brought proposes nothing: one proposal each.
    assert len(proposals(body, "2026-03-06")) == 2


def test_a_firm_described_with_an_article_is_no_organisation() -> None:
    body = (
        "<p>Wen Jiali, a CPPCC National Committee member and founder of a Suzhou robotics company, "
        "proposed a national platform to coordinate ethics reviews of AI research.</p>"
        "<p>Gao Ruoshui, an NPC deputy and chairman of Linhai Semiconductor, urged faster approval of "
        "computing centres.</p>"
    )
    found = {m.actor: m.organization for m in proposals(body, "2026-03-06")}
    assert found == {"Wen Jiali": None, "Gao Ruoshui": "Linhai Semiconductor"}


def test_a_heading_introduces_the_person_and_later_sentences_propose() -> None:
    body = (
        "<p>两会期间，代表委员围绕青年就业与人工智能技能提升建言献策。</p>"
        "<h3>【全国人大代表 闻雨桐：把AI技能培训纳入青年就业见习】</h3>"
        "<p>闻雨桐是蓉江数智科技有限公司总经理。今年，她带来的建议是：将人工智能技能培训纳入青年就业见习计划。</p>"
        "<p>全国政协委员、北苑师范大学心理学院院长郗振宇则从心理健康角度提出了两份提案。</p>"
        "<p>第一份提案建议，建立AI陪伴产品心理健康风险评估制度。</p>"
        "<p>第二份提案聚焦素养教育，建议将人工智能素养纳入中小学心理健康课。</p>"
    )
    found = proposals(body, "2026-03-06")
    by_actor: dict[str, list[object]] = {}
    for mention in found:
        by_actor.setdefault(mention.actor, []).append(mention)
    assert set(by_actor) == {"闻雨桐", "郗振宇"}  # 闻 and 郗 are surnames too
    assert by_actor["闻雨桐"][0].role == "全国人大代表"
    assert len(by_actor["郗振宇"]) == 2 and by_actor["郗振宇"][0].organization == "北苑师范大学"


def test_english_names_given_name_first_local_lawmakers_and_firms_named_later() -> None:
    body = (
        "<p>Meiling Qu, a deputy to the National People's Congress and chief executive of the Hefei-based "
        "Yuanshan Robotics, wants subsidies for humanoid robots. Qu also asked for a national testing "
        "center for embodied AI.</p>"
        '<p>"Platforms need binding obligations," said Gao, chairman of Qingyun Smart Terminal, a maker '
        "of phones. NPC deputy Gao Wenbin urged regulators to finalize the labeling rules.</p>"
        "<p>Ren Haobo, a member of the CPPCC National Committee, spoke on power. His proposal calls for "
        "long-term contracts between data centers and wind farms.</p>"
        "<p>Wang Haoyu, an NPC deputy and chairman of Beichen Cloud, submitted two suggestions. The first "
        "asks the central government to build a public compute platform.</p>"
        "<p>At the city's session in January, municipal lawmaker Wu Tianyu suggested opening more "
        "public data sets.</p>"
    )
    found = {m.actor: m for m in proposals(body, "2026-03-06")}
    assert set(found) == {"Meiling Qu", "Gao Wenbin", "Ren Haobo", "Wang Haoyu"}
    assert found["Meiling Qu"].organization == "Yuanshan Robotics"
    assert found["Wang Haoyu"].organization == "Beichen Cloud"
    assert "wind farms" in found["Ren Haobo"].summary


def test_a_post_in_a_branch_is_known_by_its_company() -> None:
    body = (
        "<p>【全国人大代表 覃晓峰：让算法多一点“温度”】</p>"
        "<p>覃晓峰是桂岭速运公司南宁分拨中心的站点主管。他建议，督促平台企业公开派单和计酬规则。</p>"
    )
    (mention,) = proposals(body, "2026-03-06")
    assert mention.actor == "覃晓峰" and mention.organization == "桂岭速运公司"


def test_names_ending_in_he_described_people_and_a_group_named_before() -> None:
    body = (
        "<p>全国政协常委、澜川科技集团董事长俞景和在调研中发现，中小企业算力成本高。他在提案中建议，扩大算力券发放范围。</p>"
        "<p>在晋阳重型机械集团的装配车间，全国人大代表、集团首席技师郝铁军带领班组用上了工艺问答系统。"
        "今年，郝铁军提交了关于加强产业工人人工智能技能培训的建议。</p>"
        "<p>“系统派单越来越聪明。”全国人大代表、在鹭通快递公司从事快递员工作已有9年的温小满说。"
        "温小满建议，推动平台向劳动者公示派单规则。</p>"
    )
    found = {m.actor: m.organization for m in proposals(body, "2026-03-06")}
    assert found == {"俞景和": "澜川科技集团", "郝铁军": "晋阳重型机械集团", "温小满": "鹭通快递公司"}


def test_a_member_of_its_national_committee_when_the_sentence_names_the_cppcc() -> None:
    body = (
        "<p>At the March 2025 session of the Chinese People's Political Consultative Conference, Hu Lanting, "
        "a member of its National Committee and an economist at Dongfang University, proposed creating "
        "AI application pilot zones.</p>"
        "<p>At the trade association, Li Mingyuan, a member of its National Committee, proposed a fund.</p>"
    )
    found = {m.actor: (m.role, m.organization) for m in proposals(body, "2026-03-06")}
    assert found == {"Hu Lanting": ("CPPCC member", "Dongfang University")}


def test_hong_kong_and_taiwan_names_with_hyphenated_given_names() -> None:
    body = (
        "<p>Kelvin Leung Chi-hang, a Hong Kong member of the CPPCC National Committee and founder of "
        "Harbourlight Fintech, wants the Greater Bay Area to test new AI rules first. In his proposal, "
        "Leung suggested a regulatory sandbox for AI applications in finance.</p>"
        "<p>Chan Wai-man, an NPC deputy from Hong Kong, called for shared computing power for "
        "universities.</p>"
        "<p>Ho Chi Minh City officials said they were watching. Wong Siu-ling, a professor at a local "
        "university, said the plan was sensible.</p>"
    )
    found = {m.actor: m for m in proposals(body, "2026-03-06")}
    assert set(found) == {"Kelvin Leung Chi-hang", "Chan Wai-man"}
    assert found["Kelvin Leung Chi-hang"].organization == "Harbourlight Fintech"
    assert "regulatory sandbox" in found["Kelvin Leung Chi-hang"].summary
    assert found["Chan Wai-man"].role == "NPC deputy"


def test_announced_proposals_pronouns_within_a_sentence_and_more_points_of_one_suggestion() -> None:
    body = (
        "<p>今年，全国政协委员、澜芯智算科技有限公司创始人邵明澈带来了一份关于支持开源大模型生态建设的提案。</p>"
        "<h2>开源要“接得住”</h2>"
        "<p>所以我在提案里建议，设立国家级开源大模型社区发展基金。邵明澈说，这是他今年唯一的提案。</p>"
        "<p>全国人大代表、中原智农科技股份有限公司董事长李喆介绍了公司的无人农场。他建议，支持建设农业大模型。"
        "他还建议把智能灌溉纳入高标准农田建设的配套内容。</p>"
        "<p>全国人大代表、穗擎机器人股份有限公司董事长简振邦建议，开放一批人形机器人示范应用场景。</p>"
    )
    found = proposals(body, "2026-03-06")
    by_actor: dict[str, list[object]] = {}
    for mention in found:
        by_actor.setdefault(mention.actor, []).append(mention)
    assert {name: len(items) for name, items in by_actor.items()} == {"邵明澈": 1, "李喆": 1, "简振邦": 1}
    assert "开源大模型社区发展基金" in by_actor["邵明澈"][0].summary
    assert "智能灌溉" in by_actor["李喆"][0].summary

    english = (
        "<p>Haoran Lu, an NPC deputy and CEO of Kuanyu Dynamics, urged compute vouchers for small firms.</p>"
        "<p>Jiayi Shen, a member of the CPPCC National Committee who runs the Eastlake Institute for Data "
        "Science in Wuhan, suggested a national exchange for licensed AI training data.</p>"
        "<p>Flashback: Lu made a similar push at last year's session, when he called for standards for "
        "humanoid robots.</p>"
        "<p>Wei Guoliang, a deputy to the Guangdong provincial people\u2019s congress, proposed notices of "
        "AI layoffs.</p>"
    )
    found = proposals(english, "2026-03-06")
    assert [(m.actor, m.organization) for m in found] == [
        ("Haoran Lu", "Kuanyu Dynamics"),
        ("Jiayi Shen", "Eastlake Institute for Data Science"),
        ("Haoran Lu", "Kuanyu Dynamics"),
    ]
    assert "humanoid robots" in found[2].summary and found[2].summary.startswith("2025")


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("“数据是大模型的粮食。”全国政协委员赵丽娜说。她建议，建设国家级语料库。", "赵丽娜"),
        ("今年两会，全国人大代表、仁济医院院长钱卫东带来了《关于推动医疗人工智能应用的建议》。", "钱卫东"),
        ("全国人大代表、快递员冯小军说，建议平台公开派单算法规则。", "冯小军"),
        (
            "Wu Zhiqiang, chairman of Hanshan Group and a national lawmaker, said China should build more "
            "data centers.",
            "Wu Zhiqiang",
        ),
        (
            "Mei Xiaoling, a CPPCC National Committee member, put forward a proposal on AI and elderly care.",
            "Mei Xiaoling",
        ),
    ],
)
def test_more_ways_of_introducing_a_proposer(text: str, actor: str) -> None:
    assert [m.actor for m in proposals(f"<p>{text}</p>", "2026-03-06")] == [actor]


def test_what_an_unnamed_he_said_should_be_done_is_no_proposal() -> None:
    body = (
        "<p>Guo Shuhua, a member of the CPPCC National Committee, proposed AI-assisted diagnosis in village "
        "clinics.</p><p>Wu Jiaxing, a research fellow at a think tank, welcomed the proposals. He said "
        "regulators should publish clearer guidelines for start-ups.</p>"
    )
    (mention,) = proposals(body, "2026-03-06")
    assert mention.actor == "Guo Shuhua" and "guidelines" not in mention.summary


def test_roles_said_after_a_description_and_names_in_predicates() -> None:
    body = (
        "<p>潘亦凡是青禾机器人有限公司的一名高级技师，也是十四届全国人大代表。今年，他建议加快制定人工智能训练师"
        "国家职业技能标准。</p>"
        "<p>全国人大代表、琼州南繁种业研究院研究员符晓岚把这个问题带到了北京。她建议建设国家南繁育种数据共享平台。</p>"
    )
    found = {m.actor: m for m in proposals(body, "2026-03-06")}
    assert set(found) == {"潘亦凡", "符晓岚"}
    assert found["潘亦凡"].organization == "青禾机器人有限公司"
    english = (
        '<p>"The hardware exists," says Kaiwen Shao, a computer scientist at Northgate University of '
        "Technology in Harbin, who is a deputy to the National People's Congress (NPC), China's "
        "legislature. Shao has submitted a suggestion calling for a national research computing network.</p>"
        "<p>Lin Qiaoyu, a structural biologist at the Huaiyin Institute of Life Sciences in Nanjing, is one "
        "of more than 2,000 members of the National Committee of the Chinese People's Political Consultative "
        "Conference (CPPCC). Her proposal asks the government to build a platform for scientific data.</p>"
        "<p>Zhu Hanbo, a professor in Chengdu, is a member of the Chengdu municipal people's congress. He "
        "suggested subsidies for care robots.</p>"
    )
    found = {m.actor: m for m in proposals(english, "2026-03-06")}
    assert set(found) == {"Kaiwen Shao", "Lin Qiaoyu"}
    assert found["Kaiwen Shao"].role == "NPC deputy"
    assert found["Lin Qiaoyu"].role == "CPPCC member"
    assert found["Lin Qiaoyu"].organization == "Huaiyin Institute of Life Sciences"


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        (
            "In a motion to the NPC, deputy Zhang Qiming proposed a national compute scheduling platform.",
            "Zhang Qiming",
        ),
        (
            "Sun Haitao, an NPC deputy, told reporters that China should give tax breaks to AI startups.",
            "Sun Haitao",
        ),
        (
            "Zhou Wenhua, a national lawmaker, said in an interview that the government should fund AI "
            "literacy courses.",
            "Zhou Wenhua",
        ),
        (
            "Wu Zhiqiang is an NPC deputy and chairman of Hanshan Group. The deputy suggested building more "
            "data centers.",
            "Wu Zhiqiang",
        ),
        ("全国人大代表张启明在今年两会上提交建议，建议加快建设国家级算力调度平台。", "张启明"),
        ("全国政协委员王建国在接受本报记者采访时建议，推动人工智能在农业领域的应用。", "王建国"),
        ("全国政协委员赵丽娜的提案建议，建设国家级语料库。", "赵丽娜"),
        ("“要守住安全底线。”全国人大代表孙海涛在小组讨论时说，应当尽快出台人工智能安全评估标准。", "孙海涛"),
    ],
)
def test_proposers_named_right_after_their_role_or_stated_in_a_predicate(text: str, actor: str) -> None:
    assert [m.actor for m in proposals(f"<p>{text}</p>", "2026-03-06")] == [actor]


@pytest.mark.parametrize(
    ("body", "actors"),
    [
        ("<p>● 李慧芬（全国政协委员、东岭大学教授）：应完善人工智能训练数据的版权规则。</p>", ["李慧芬"]),
        (
            "<p>【代表委员说】</p><p>王建国 全国人大代表、江西农业大学校长</p><p>建议推动人工智能在农业领域的应用。</p>",
            ["王建国"],
        ),
        ("<p>全国人大代表王晓东、孙海涛联名提交建议，呼吁设立人工智能产业基金。</p>", ["孙海涛", "王晓东"]),
        ("<p>全国政协委员赵丽娜、周文华建议，建设国家级语料库。</p>", ["周文华", "赵丽娜"]),
    ],
)
def test_roundup_lines_and_joint_proposals(body: str, actors: list[str]) -> None:
    found = proposals(body, "2026-03-06")
    assert sorted(m.actor for m in found) == sorted(actors)
    assert len({m.summary for m in found}) == 1  # a joint proposal says the same for each


def test_filed_proposals_what_her_proposal_would_do_and_a_description_put_first() -> None:
    body = (
        "<p>Lu Wanting, a member of the CPPCC National Committee and vice president of Fuzhou-based Minjiang "
        "Software, filed a proposal arguing that AI answers on citizen hotlines should be reviewed.</p>"
        "<p>Fang Yiling, a member of the CPPCC National Committee and a law professor at Northlake "
        "University, is focused on consumers. Her proposal would require businesses to disclose AI agents.</p>"
        "<p>Gao Ruiming, an NPC deputy and chairman of Xiangyun Logistics, wants China to pilot AI transition "
        "insurance.</p>"
        "<p>Lan Qiuyue has spent years on it. The principal of Jinsha Primary School and a member of the "
        "National Committee of the Chinese People's Political Consultative Conference, Lan submitted a "
        "proposal calling for AI training for teachers.</p>"
        "<p>Zhou Heng, a member of the Beijing municipal committee of the Chinese People's Political "
        "Consultative Conference, has urged the city to list approved classroom AI tools.</p>"
        "<p>全国人大代表、云岭智标科技有限公司数据标注组组长石晓芸就是其中之一。她今年带来的建议是：完善数据标注员国家职业标准。</p>"
    )
    found = {m.actor for m in proposals(body, "2026-03-06")}
    assert found == {"Lu Wanting", "Fang Yiling", "Gao Ruiming", "Lan Qiuyue", "石晓芸"}


def test_a_deputy_introduced_without_a_verb_proposes_in_a_later_sentence() -> None:
    # jieba does not find 任晓彤 as a name: the word after it (希望, 更关心) shows where it ends.
    body = (
        "<p>全国人大代表、禾嘉连锁超市股份有限公司总经理任晓彤更关心的是小商户能不能用上人工智能。</p>"
        "<p>为此，任晓彤建议，面向中小商户发放“AI应用券”。</p>"
        "<p>全国政协委员宁海川希望加快建设算力网络。宁海川建议，统筹布局智算中心。</p>"
    )
    found = proposals(body, "2026-03-06")
    assert [(m.actor, m.organization) for m in found] == [
        ("任晓彤", "禾嘉连锁超市股份有限公司"),
        ("宁海川", None),
    ]


def test_names_written_with_a_middle_dot() -> None:
    body = (
        "<p>“合作社一半的棉田用上了智能识别。”全国人大代表、沙雅县塔河绿洲棉花种植专业合作社理事长"
        "艾尼瓦尔·买买提说。</p><p>今年，艾尼瓦尔·买买提建议，支持建设棉花全产业链人工智能应用示范区。</p>"
        "<p>全国人大代表、天山理工大学副校长古丽娜尔·吐尔逊在建议中提出，支持建设绿电算力基地。</p>"
    )
    found = proposals(body, "2026-03-06")
    assert [(m.actor, m.organization) for m in found] == [
        ("艾尼瓦尔·买买提", "沙雅县塔河绿洲棉花种植专业合作社"),
        ("古丽娜尔·吐尔逊", "天山理工大学"),
    ]


def test_a_workplace_described_rather_than_named_is_no_organisation() -> None:
    body = "<p>全国人大代表、信阳市平桥区一所乡村小学校长张堃建议，将人工智能素养纳入乡村教师培训。</p>"
    assert [(m.actor, m.organization) for m in proposals(body, "2026-03-06")] == [("张堃", None)]


def test_lawmakers_of_other_legislatures_are_not_deputies() -> None:
    body = (
        "<p>Kuomintang (KMT) Legislator Chang Yu-ting said businesspeople should not be frightened away, but "
        "agreed that the government should provide clearer compliance guidance on AI.</p>"
        "<p>Democratic Progressive Party (DPP) Legislator Wu Po-wen called on the Cabinet to speed up rules "
        "on AI risk management.</p>"
        "<p>Lawmaker Bai Yunfei suggested that China build more computing centres for AI.</p>"
    )
    assert [m.actor for m in english_proposals(body)] == ["Bai Yunfei"]


def test_where_a_company_is_listed_is_not_part_of_its_name() -> None:
    body = (
        "<p>Guo Weiyi, chairwoman of Shanghai-listed Tianrui Biopharmaceutical and a member of the National "
        "Committee of the CPPCC, proposed that China open more public health data to AI developers.</p>"
    )
    assert [m.organization for m in english_proposals(body)] == ["Tianrui Biopharmaceutical"]


def test_more_ways_english_pages_give_a_role() -> None:
    body = (
        "<p>Tan Wenhui spent 20 years as a welder before becoming chair of the trade union at a Chongqing "
        "parts maker. As an NPC deputy, she has submitted a proposal calling for a fund to retrain workers "
        "displaced by AI.</p>"
        "<p>Ouyang Lin, a labour economist at Jinghua University, has gone further.</p>"
        "<p>As a member of the National Committee of the Chinese People's Political Consultative Conference "
        "(CPPCC), the top advisory body, she has proposed that firms report jobs cut by AI.</p>"
        "<p>Shi Wenkai, Qianyun's chairman, has taken the case to Beijing. At the National People's Congress "
        "in March, where he sits as a deputy, Shi proposed national standards for data labeling.</p>"
    )
    found = {m.actor: m.role for m in english_proposals(body, "2026-03-06")}
    assert found == {"Tan Wenhui": "NPC deputy", "Ouyang Lin": "CPPCC member", "Shi Wenkai": "NPC deputy"}


def test_macau_names_and_organisations_with_an_apostrophe_or_an_editor() -> None:
    body = (
        "<p>Leong Kin Fai, a deputy to the National People's Congress (NPC) from Macau and vice-chairman of "
        "Nam Van Technology Holdings, said he had submitted a proposal for a data channel for AI training.</p>"
        "<p>Ho Sut Ieng, a Macau member of the National Committee of the CPPCC and dean of engineering at "
        "Praia Grande University, proposed an AI talent programme.</p>"
        "<p>Hu Jiaping, a deputy to the National People's Congress and chairman of Xiang'an Cybersecurity "
        "Co., called for a minor mode on AI companion apps.</p>"
        "<p>Ge Shuwen, a member of the National Committee of the CPPCC and a former deputy editor-in-chief "
        "of the Jiangbei Daily Media Group, said in a proposal that chatbots should pass an evaluation.</p>"
        "<p>Mr Qiu Wenbo, a member of the CPPCC National Committee and vice-president of Xiling Normal "
        "University, focused on schools. His proposal calls for AI literacy classes.</p>"
    )
    found = {m.actor: m.organization for m in english_proposals(body, "2026-03-06")}
    assert found == {
        "Leong Kin Fai": "Nam Van Technology Holdings",
        "Ho Sut Ieng": "Praia Grande University",
        "Hu Jiaping": "Xiang'an Cybersecurity Co.",
        "Ge Shuwen": "Jiangbei Daily Media Group",
        "Qiu Wenbo": "Xiling Normal University",
    }


def test_an_adverb_after_a_name_shows_where_it_ends() -> None:
    body = (
        "<p>这句话让全国人大代表、青海昆仑绿算数据科技有限公司董事长韩喆格外振奋。</p>"
        "<p>“大模型训练成本高。”韩喆说。他建议，在“东数西算”工程布局中加大对青海的支持。</p>"
    )
    assert [m.actor for m in proposals(body, "2026-03-06")] == ["韩喆"]


def test_when_and_what_a_deputy_cares_about_end_the_name_and_whose_company_names_the_firm() -> None:
    body = (
        "<p>全国政协委员、江汉师范大学教授骆岚更关注“疏”。她在今年的提案中建议，将人工智能素养教育纳入中小学课程。</p>"
        "<p>全国人大代表、粤海传媒集团总编辑柯明远当时提交建议，呼吁对未按规定标识AI生成内容的平台加大处罚力度。</p>"
    )
    assert [m.actor for m in proposals(body, "2026-03-06")] == ["骆岚", "柯明远"]
    english = (
        "<p>Pan Yiling, an NPC deputy from Zhejiang whose company, Yuesheng Trade, runs e-commerce platforms, "
        "proposed simplified rules for moving commercial data abroad to train AI models.</p>"
    )
    assert [(m.actor, m.organization) for m in english_proposals(english)] == [
        ("Pan Yiling", "Yuesheng Trade")
    ]


def test_what_qualifies_a_job_title_is_not_part_of_the_organisation() -> None:
    body = (
        "<p>全国人大代表、上海申联汽车制造有限公司高级技师顾振华建议，加强一线工人的人工智能技能培训。</p>"
        "<p>全国政协委员、中融信保险集团原副总裁陈立钧建议，完善人工智能备案。</p>"
    )
    assert [(m.actor, m.organization) for m in proposals(body, "2026-03-06")] == [
        ("顾振华", "上海申联汽车制造有限公司"),
        ("陈立钧", "中融信保险集团"),
    ]


def test_wants_a_local_npc_deputy_three_syllables_and_a_place_before_the_university() -> None:
    body = (
        "<p>Mr Ma Chenxi, an NPC deputy from Guizhou province who heads Qianling Data Group, wants government "
        "agencies to open up more public data for AI training.</p>"
        "<p>On Saturday, local NPC deputy Ho Ka Lon, who also chairs Lotus Bay Digital, said he had submitted "
        "a proposal calling for a green channel for AI research data.</p>"
        "<p>Gu Lanting, a CPPCC member and professor at Shanghai's Pujiang University, proposed AI courses for "
        "teachers.</p>"
        "<p>Legislator Chen Pei-yu of the Democratic Progressive Party, who sits on the Legislative Yuan's "
        "Education Committee, said Taiwan should speed up its own AI legislation.</p>"
    )
    found = {m.actor: m.organization for m in english_proposals(body, "2026-03-08")}
    assert found == {
        "Ma Chenxi": "Qianling Data Group",
        "Ho Ka Lon": None,
        "Gu Lanting": "Pujiang University",
    }


def test_a_written_suggestion_and_a_zhuang_surname() -> None:
    body = (
        "<p>Nong Jiahui, an NPC deputy and chairman of the state-linked Beibu Gulf Digital Port Group, said in "
        "a written suggestion to the session that Beijing should build a China-Asean AI cooperation centre in "
        "Nanning.</p>"
    )
    found = {m.actor: (m.role, m.organization) for m in english_proposals(body, "2026-03-06")}
    assert found == {"Nong Jiahui": ("NPC deputy", "Beibu Gulf Digital Port Group")}


def test_this_adviser_is_the_person_named_with_a_job_sentences_before() -> None:
    body = (
        "<p>在华滨大学计算机学院教授钟启岚看来，AI治理的另一面是让中小企业“用得起”。许多地方政府近年发放"
        "“算力券”，但各地标准不一。这位全国政协委员今年提交提案，建议建立全国统一的算力券制度。</p>"
    )
    found = {m.actor: (m.role, m.organization) for m in proposals(body, "2026-03-06")}
    assert found == {"钟启岚": ("全国政协委员", "华滨大学")}


def test_an_honorific_and_a_surname_are_the_person_named_before() -> None:
    body = (
        "<p>Wen Qiao, a child psychiatrist at Chengdu's Xiyuan Children's Hospital, used the annual session "
        "in March to call for limits on AI companions aimed at teenagers.</p>"
        "<p>Dr Wen, who sits on the National Committee of the Chinese People's Political Consultative "
        "Conference, proposed age verification and daily time limits for under-18s.</p>"
    )
    assert {m.actor for m in english_proposals(body, "2026-03-10")} == {"Wen Qiao"}


@pytest.mark.parametrize(
    ("body", "actor"),
    [
        (
            "<p>Take Pan Yiheng. An NPC deputy, he runs Qiantang Robotics, a Hangzhou company that makes "
            "robots. His suggestion this year is that Beijing create pilot zones for humanoid robots.</p>",
            "Pan Yiheng",
        ),
        (
            "<p>Zhou Qinglan has taught at Qingxi Primary School for 21 years. As a deputy to the 14th NPC, "
            "she brought a suggestion on AI education in rural areas this year.</p>",
            "Zhou Qinglan",
        ),
    ],
)
def test_a_role_fronted_before_the_pronoun_and_a_suggestion_brought(body: str, actor: str) -> None:
    found = english_proposals(body, "2026-03-06")
    assert [(m.actor, m.role) for m in found] == [(actor, "NPC deputy")]


def test_a_surname_that_is_also_a_city_name_starts_a_name_after_a_job() -> None:
    body = "<p>全国人大代表、康岭药业集团总裁杭欣然建议，建设国家级医学影像高质量数据集。</p>"
    found = {m.actor: m.organization for m in proposals(body, "2026-03-06")}
    assert found == {"杭欣然": "康岭药业集团"}
