"""Reading aiplus.toml: validate it and build each package's settings objects.

Configuration flows down: storage, crawler and digest each define the settings type they need, and
this module is the only place that reads the file. Every mistake is reported with the file, line and
key, when the file is loaded, never halfway through a run:

    aiplus.toml:14: [[source]] #2 'gov-cn' key 'follow': '([' is not a valid regular expression: ...
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.settings import SOURCE_KINDS, CrawlSettings, SourceSettings
from digest.channels import ChannelConfigError, channels_for
from digest.settings import DigestSettings, SmtpSettings
from storage.settings import DatabaseSettings

DEFAULT_CONFIG_PATH = Path("aiplus.toml")
CONFIG_ENV = "AIPLUS_CONFIG"
CATEGORIES = (
    "model_development",
    "data_sharing",
    "skills_development",
    "safety_governance",
    "infrastructure",
    "industry_application",
)
CHANGE_KINDS = ("new", "changed", "removed")
_TABLES = ("storage", "crawl", "smtp", "source", "digest")


class ConfigError(Exception):
    """A configuration mistake, with where it is."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self.path, self.line, self.message = path, line, message
        where = str(path) if path else "configuration"
        if line:
            where += f":{line}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class AppConfig:
    path: Path | None
    storage: DatabaseSettings = field(default_factory=DatabaseSettings)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    sources: list[SourceSettings] = field(default_factory=list)
    digests: list[DigestSettings] = field(default_factory=list)

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ConfigError(f"no source named {name!r} (known: {known})", self.path)

    def digest(self, name: str) -> DigestSettings:
        for digest in self.digests:
            if digest.name == name:
                return digest
        known = ", ".join(d.name for d in self.digests) or "none configured"
        raise ConfigError(f"no digest named {name!r} (known: {known})", self.path)


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The configuration file to read: the one given, else $AIPLUS_CONFIG, else ./aiplus.toml when it
    exists; None means built-in defaults."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return DEFAULT_CONFIG_PATH if DEFAULT_CONFIG_PATH.exists() else None


def load_config(explicit: str | os.PathLike[str] | None = None) -> AppConfig:
    path = config_path(explicit)
    if path is None:
        return AppConfig(path=None, sources=default_sources())
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file: {exc}", path) from None
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path, line) from None
    return parse_config(data, path, raw_text)


def default_sources() -> list[SourceSettings]:
    """The bundled list of real sources (crawler/default_sources.toml)."""
    resource = resources.files("crawler") / "default_sources.toml"
    raw_text = resource.read_text(encoding="utf-8")
    config = parse_config(tomllib.loads(raw_text), Path(str(resource)), raw_text, _allow_empty_sources=True)
    return config.sources


def parse_config(
    data: Mapping[str, Any],
    path: Path | None = None,
    raw_text: str = "",
    *,
    _allow_empty_sources: bool = False,
) -> AppConfig:
    """Validate a parsed configuration. Without any [[source]], the bundled real sources are used."""
    locator = _Locator(raw_text, path)
    for key in data:
        if key not in _TABLES:
            raise locator.error(
                f"unknown table or key {key!r} (known: {', '.join(_TABLES)})", key, None, None
            )

    storage_table = _table(data, "storage", locator)
    storage = _build(DatabaseSettings, storage_table, locator, "storage")
    if isinstance(storage.archive_dir, str):
        storage = dataclasses.replace(storage, archive_dir=Path(storage.archive_dir))
    crawl = _build(CrawlSettings, _table(data, "crawl", locator), locator, "crawl")
    smtp = _build(SmtpSettings, _table(data, "smtp", locator), locator, "smtp")

    sources = [
        _build(SourceSettings, table, locator, "source", index)
        for index, table in enumerate(_array(data, "source", locator))
    ]
    if not sources and not _allow_empty_sources:
        sources = default_sources()
    digests = [
        _build(DigestSettings, table, locator, "digest", index)
        for index, table in enumerate(_array(data, "digest", locator))
    ]
    for index, source in enumerate(sources):
        _check_source(source, index, locator)
    for index, digest in enumerate(digests):
        _check_digest(digest, index, smtp, locator)
    _check_unique([s.name for s in sources], "source", locator)
    _check_unique([d.name for d in digests], "digest", locator)
    return AppConfig(path, storage, crawl, smtp, sources, digests)


# -- validation -----------------------------------------------------------------------------------


def _check_source(source: SourceSettings, index: int, locator: _Locator) -> None:
    where = ("source", index, source.name)
    if source.kind not in SOURCE_KINDS:
        raise locator.error(
            f"unknown kind {source.kind!r} (known: {', '.join(SOURCE_KINDS)})", "kind", *where
        )
    if not source.start_urls:
        raise locator.error("needs at least one start URL", "start_urls", *where)
    for url in source.start_urls:
        if not re.match(r"^https?://[^/\s]+", url):
            raise locator.error(f"{url!r} is not an http(s) URL", "start_urls", *where)
    for key in ("follow", "ignore"):
        for pattern in getattr(source, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise locator.error(
                    f"{pattern!r} is not a valid regular expression: {exc}", key, *where
                ) from None
    if source.schedule:
        _check_cron(source.schedule, locator, "schedule", *where)
    if source.max_pages < 1:
        raise locator.error("must be at least 1", "max_pages", *where)


def _check_digest(digest: DigestSettings, index: int, smtp: SmtpSettings, locator: _Locator) -> None:
    where = ("digest", index, digest.name)
    for category in digest.categories:
        if category not in CATEGORIES:
            raise locator.error(
                f"unknown category {category!r} (known: {', '.join(CATEGORIES)})", "categories", *where
            )
    for kind in digest.kinds:
        if kind not in CHANGE_KINDS:
            raise locator.error(
                f"unknown change kind {kind!r} (known: {', '.join(CHANGE_KINDS)})", "kinds", *where
            )
    if digest.schedule:
        _check_cron(digest.schedule, locator, "schedule", *where)
    # The digest package knows its channels, formats and subject placeholders: building the channels
    # is the check (addresses, webhook URLs, apprise URLs), and its error names the key at fault.
    try:
        channels_for(digest, smtp)
    except ChannelConfigError as exc:
        if exc.table != "digest":
            raise locator.error(exc.reason, exc.key or exc.table, exc.table, None) from None
        raise locator.error(exc.reason, exc.key or "name", *where) from None


def _check_cron(
    expression: str, locator: _Locator, key: str, table: str, index: int, name: str | None = None
) -> None:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expression)
    except ValueError as exc:
        raise locator.error(
            f"{expression!r} is not a cron expression (minute hour day month weekday): {exc}",
            key,
            table,
            index,
            name,
        ) from None


def _check_unique(names: list[str], table: str, locator: _Locator) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise locator.error(f"the name {name!r} is used twice", "name", table, index, name)
        seen.add(name)


# -- building dataclasses from tables -------------------------------------------------------------


def _table(data: Mapping[str, Any], name: str, locator: _Locator) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise locator.error(f"[{name}] must be a table", name, None, None)
    return value


def _array(data: Mapping[str, Any], name: str, locator: _Locator) -> list[dict[str, Any]]:
    value = data.get(name, [])
    if isinstance(value, dict) or not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise locator.error(f"write each {name} as a [[{name}]] table", name, None, None)
    return value


def _build(
    cls: type[Any], table: Mapping[str, Any], locator: _Locator, name: str, index: int | None = None
) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    label = table.get("name") if index is not None and isinstance(table.get("name"), str) else None
    for key, value in table.items():
        if key == "password":
            raise locator.error(
                "passwords are never read from the file (set AIPLUS_SMTP_PASSWORD)", key, name, index, label
            )
        if key not in fields:
            raise locator.error(f"unknown key (known: {', '.join(fields)})", key, name, index, label)
        values[key] = _coerce(value, hints[key], lambda msg, k=key: locator.error(msg, k, name, index, label))
    for key, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and key not in values:
            raise locator.error("this key is required", key, name, index, label)
    return cls(**values)


def _coerce(value: Any, hint: Any, error: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _coerce(value, options[0], error)
    if origin is list:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise error("must be a list of strings")
        return list(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise error(f"must be true or false, not {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise error(f"must be a whole number, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise error(f"must be a number, not {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise error(f"must be a string, not {value!r}")
        return value
    if hint is Path:
        if not isinstance(value, str):
            raise error(f"must be a path string, not {value!r}")
        return Path(value)
    return value


# -- finding lines --------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")


class _Locator:
    """Finds the line of a key in the TOML text, so errors can name it."""

    def __init__(self, raw_text: str, path: Path | None) -> None:
        self.lines = raw_text.splitlines()
        self.path = path

    def error(
        self, message: str, key: str, table: str | None, index: int | None, name: str | None = None
    ) -> ConfigError:
        """The error at `key` of a table ([table], or entry `index` of [[table]], called `name`)."""
        line = self.find(key, table, index)
        if table is None:
            label = f"key {key!r}"
        elif index is None:
            label = f"[{table}] key {key!r}"
        else:
            named = f" {name!r}" if name else ""
            label = f"[[{table}]] #{index + 1}{named} key {key!r}"
        return ConfigError(f"{label}: {message}", self.path, line)

    def find(self, key: str, table: str | None, index: int | None) -> int | None:
        current: str | None = None
        occurrence = -1
        header_line: int | None = None
        key_pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            header = _HEADER.match(line)
            if header:
                current = header.group(2)
                if current == table:
                    occurrence += 1
                    if index is None or occurrence == index:
                        header_line = number
                elif table is None and current == key:
                    return number
                continue
            in_place = current == table and (index is None or occurrence == index)
            if (in_place or (table is None and current is None)) and key_pattern.match(line):
                return number
        return header_line


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
