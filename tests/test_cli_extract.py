"""`aiplus extract`: the public JSON contract, on a saved file (offline) and on a URL fetched once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from faultserver import FaultServer, page

from aiplus.cli import cli

REPO = Path(__file__).resolve().parents[1]
PAGE = """<html><head><meta charset="gb2312"><title>国务院关于深入实施“人工智能+”行动的意见_国务院文件_中国政府网</title></head>
<body><div class="nav">首页 | 政策 | 人工智能</div>
<div id="UCAP-CONTENT"><p>国发〔2025〕11号</p>
<p>为深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合，现提出如下意见。</p>
<p>落实《生成式人工智能服务管理暂行办法》，加强人工智能安全治理。朱镕基同志的讲话精神……</p></div>
<div class="footer">版权所有 中国政府网</div></body></html>"""
CONTRACT_KEYS = {"url", "title", "published", "language", "relevant", "text", "categories", "mentions"}


def test_extract_saved_gbk_file_as_json(tmp_path):
    saved = tmp_path / "content_7037861.htm"
    saved.write_bytes(PAGE.encode("gbk"))
    url = "https://www.gov.cn/zhengce/content/202508/content_7037861.htm"
    result = CliRunner().invoke(cli, ["extract", str(saved), "--url", url, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= CONTRACT_KEYS
    assert data["url"] == url and data["language"] == "zh" and data["relevant"] is True
    assert data["title"] == "国务院关于深入实施“人工智能+”行动的意见"
    assert "朱镕基" in data["text"] and "首页" not in data["text"] and "\ufffd" not in data["text"]
    titles = {m.get("title") for m in data["mentions"] if m["kind"] == "regulation"}
    assert "生成式人工智能服务管理暂行办法" in titles


def test_extract_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.htm"), "--json"])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_extract_url_fetches_once_through_scrapy(tmp_path):
    with FaultServer() as site:
        site.route("/robots.txt", page("User-agent: *\nDisallow: /private/\n", "text/plain"))
        site.route("/a.htm", page(PAGE.encode("gbk"), "text/html; charset=gb2312"))
        site.route("/private/b.htm", page(PAGE))
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        ok = subprocess.run(
            [sys.executable, "-m", "aiplus", "extract", site.url("/a.htm"), "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        forbidden = subprocess.run(
            [sys.executable, "-m", "aiplus", "extract", site.url("/private/b.htm"), "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["url"] == site.url("/a.htm") and "人工智能" in data["text"]
    assert forbidden.returncode == 1 and "cannot fetch" in forbidden.stderr
    assert "/private/b.htm" not in site.hits
