"""Reading aiplus.toml: defaults, the settings objects it builds, and errors naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiplus.config import ConfigError, load_config

GOOD = """
[storage]
url = "sqlite:///data/aiplus.db"
archive_dir = "data/archive"

[crawl]
user_agent = "aiplus-monitor (+https://example.org/contact)"
obey_robots = true
concurrency = 4
download_delay = 1
autothrottle = false

[smtp]
host = "mail.example.org"
port = 587
sender = "aiplus@example.org"
starttls = true

[[source]]
name = "gov-cn-latest"
kind = "html"
start_urls = ["https://www.gov.cn/zhengce/zuixin/"]
follow = ['/zhengce/content/\\d{6}/content_\\d+\\.htm']
content = "#UCAP-CONTENT"
exclude = [".share", ".print"]
ignore = ['浏览次数[:：]\\s*\\d+']
schedule = "0 */6 * * *"
language = "zh"
max_pages = 500

[[digest]]
name = "daily"
schedule = "0 8 * * *"
email = ["analyst@example.org"]
categories = ["safety_governance"]
kinds = ["new", "changed"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aiplus.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_design_example_loads(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.storage.url == "sqlite:///data/aiplus.db"
    assert config.storage.archive_dir == Path("data/archive")
    assert (
        config.crawl.concurrency == 4 and config.crawl.download_delay == 1.0 and not config.crawl.autothrottle
    )
    assert config.smtp.port == 587 and config.smtp.starttls
    (source,) = config.sources
    assert source.follow == [r"/zhengce/content/\d{6}/content_\d+\.htm"] and source.max_pages == 500
    assert config.digest("daily").kinds == ["new", "changed"]


def test_no_file_means_built_in_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIPLUS_CONFIG", raising=False)
    config = load_config(None)
    assert config.path is None
    assert config.storage.url == "sqlite:///aiplus-data/aiplus.db"


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AIPLUS_CONFIG", str(write(tmp_path, GOOD)))
    assert load_config(None).sources[0].name == "gov-cn-latest"


@pytest.mark.parametrize(
    ("replace", "by", "line", "fragment"),
    [
        ("concurrency = 4", 'concurrency = "four"', 9, "[crawl] key 'concurrency': must be a whole number"),
        ('kind = "html"', 'kind = "ftp"', 21, "[[source]] #1 'gov-cn-latest' key 'kind': unknown kind 'ftp'"),
        ('schedule = "0 8 * * *"', 'schedule = "at eight"', 33, "[[digest]] #1 'daily' key 'schedule'"),
        ('categories = ["safety_governance"]', 'categories = ["safety"]', 35, "unknown category 'safety'"),
        (
            "max_pages = 500",
            "max_page = 500",
            29,
            "[[source]] #1 'gov-cn-latest' key 'max_page': unknown key",
        ),
        ("port = 587", 'port = 587\npassword = "secret"', 16, "passwords are never read from the file"),
        (
            'start_urls = ["https://www.gov.cn/zhengce/zuixin/"]',
            'start_urls = ["www.gov.cn"]',
            22,
            "not an http(s) URL",
        ),
    ],
)
def test_mistakes_name_file_line_and_key(tmp_path, replace, by, line, fragment):
    assert replace in GOOD
    path = write(tmp_path, GOOD.replace(replace, by))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert fragment in str(error.value)


# Channel mistakes: the digest package judges them (its channel kinds, formats and subject
# placeholders), and loading the file reports them at their line, before any command starts.
BAD_CHANNELS = [
    (
        'apprise = ["nosuchservice://token"]',
        "key 'apprise': apprise cannot use the URL with scheme 'nosuchservice'",
    ),
    ('subject = "AI+ {title}"', "key 'subject': subject 'AI+ {title}' names unknown placeholder(s) title"),
    ('email = ["analyst.example.org"]', "key 'email': 'analyst.example.org' is not an email address"),
    ('email = ["Analyst <a@example.org>"]', "key 'email': 'Analyst <a@example.org>' is not an email address"),
    (
        'webhook = ["ftp://hooks.example.org/x"]',
        "key 'webhook': 'ftp://hooks.example.org/x' is not an http(s)",
    ),
    ('webhook = ["https://"]', "key 'webhook': 'https://' is not an http(s) URL"),
    ('format = "pdf"', "key 'format': unknown digest format 'pdf' (known: text, html, md, json, atom)"),
    ("timeout = 0", "key 'timeout': must be positive"),
    (
        'webhook = ["https://a.example/x", "https://a.example/x"]',
        "key 'webhook': 'https://a.example/x' is listed twice",
    ),
]


@pytest.mark.parametrize(
    ("setting", "fragment"),
    BAD_CHANNELS,
    ids=[
        "apprise",
        "subject",
        "email",
        "email-display-name",
        "webhook-ftp",
        "webhook-no-host",
        "format",
        "timeout",
        "twice",
    ],
)
def test_digest_channel_mistakes_name_file_line_and_key(tmp_path, setting, fragment):
    text = GOOD + f'\n[[digest]]\nname = "alerts"\n{setting}\nkinds = ["new"]\n'
    line = text.splitlines().index(setting) + 1  # the second digest's third line
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}:{line}: [[digest]] #2 'alerts' {fragment}")


def test_smtp_mistakes_found_by_an_email_channel_name_the_smtp_key(tmp_path):
    path = write(tmp_path, GOOD.replace("starttls = true", "starttls = true\nssl = true"))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}:18: [smtp] key 'ssl': ssl and starttls exclude each other: choose one"
    )


def test_digest_channel_mistake_is_one_line_and_exit_1_for_every_command(tmp_path):
    from click.testing import CliRunner

    from aiplus.cli import cli

    text = GOOD.replace("[storage]", f"[storage]\n# {tmp_path}").replace(
        'url = "sqlite:///data/aiplus.db"', f'url = "sqlite:///{tmp_path / "a.db"}"'
    )
    text += '\n[[digest]]\nname = "alerts"\napprise = ["nosuchservice://token"]\n'
    line = len(text.splitlines())
    path = write(tmp_path, text)
    for command in (["changes"], ["search", "安全"], ["digest", "--since", "7d"], ["schedule"]):
        result = CliRunner().invoke(cli, ["--config", str(path), *command])
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines() == [
            f"Error: {path}:{line}: [[digest]] #2 'alerts' key 'apprise': apprise cannot use the URL with "
            "scheme 'nosuchservice': unknown service or malformed URL (see https://github.com/caronc/apprise/wiki)"
        ], command


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("obey_robots = true", "obey_robots = yes"))
    with pytest.raises(ConfigError, match=rf"^{path}:8: not valid TOML"):
        load_config(path)


def test_duplicate_source_names(tmp_path):
    text = GOOD + '\n[[source]]\nname = "gov-cn-latest"\nstart_urls = ["https://www.gov.cn/"]\n'
    with pytest.raises(
        ConfigError,
        match=r":39: \[\[source\]\] #2 'gov-cn-latest' key 'name': the name 'gov-cn-latest' is used twice",
    ):
        load_config(write(tmp_path, text))


def test_missing_required_key(tmp_path):
    with pytest.raises(
        ConfigError, match=r":1: \[\[source\]\] #1 'x' key 'start_urls': this key is required"
    ):
        load_config(write(tmp_path, '[[source]]\nname = "x"\n'))


def test_the_shipped_example_configuration_loads():
    config = load_config(Path(__file__).resolve().parents[1] / "aiplus.example.toml")
    assert [s.name for s in config.sources] == ["gov-cn-latest", "cac-wxfb"]
    assert config.digests[0].email == ["analyst@example.org"]


def test_the_built_in_sources_are_valid():
    from aiplus.config import default_sources

    sources = default_sources()
    assert len(sources) >= 10 and len({s.name for s in sources}) == len(sources)
    assert {s.kind for s in sources} >= {"html", "feed", "json"}
