"""Wiring the scheduler and the digests from the configuration.

Configuration flows down: the scheduler and digest packages never read aiplus.toml. This module turns
an AppConfig into what they take (channels, job plans, a job context) and turns their configuration
errors into ConfigError, so a bad channel stops a command before it starts anything.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from aiplus.config import AppConfig, ConfigError
from digest.channels import Channel, ChannelConfigError, channels_for
from scheduler.jobs import JobContext
from scheduler.plan import JobSpec, plan_jobs
from scheduler.settings import SchedulerSettings
from storage import Database


def crawl_command(config_path: Path | None, source: str) -> list[str]:
    """The child process of a scheduled crawl: this Python, `aiplus crawl --json SOURCE`, with the
    same configuration file (absolute: the child must not depend on a working directory)."""
    argv = [sys.executable, "-m", "aiplus"]
    if config_path is not None:
        argv += ["--config", str(config_path.resolve())]
    return [*argv, "crawl", "--json", source]


def digest_channels(config: AppConfig) -> dict[str, list[Channel]]:
    """Every configured digest's channels, validated (ConfigError for the first bad one)."""
    try:
        return {digest.name: channels_for(digest, config.smtp) for digest in config.digests}
    except ChannelConfigError as exc:
        raise ConfigError(str(exc), config.path) from None


def check_channel_environment(config: AppConfig, channels: list[Channel]) -> None:
    """ConfigError when a channel's environment is missing (AIPLUS_SMTP_PASSWORD with a username)."""
    for channel in channels:
        try:
            channel.check()
        except ChannelConfigError as exc:
            raise ConfigError(f"{channel.label}: {exc}", config.path) from None


def enabled_sources(config: AppConfig) -> list[str]:
    return [source.name for source in config.sources if source.enabled]


def scheduled_jobs(config: AppConfig) -> list[JobSpec]:
    """One crawl job per enabled source with a schedule, one digest job per digest with one."""
    return plan_jobs(
        [(s.name, s.schedule) for s in config.sources if s.enabled],
        [(d.name, d.schedule) for d in config.digests],
    )


def job_context(
    config: AppConfig,
    database: Database,
    settings: SchedulerSettings,
    channels: dict[str, list[Channel]],
) -> JobContext:
    from scheduler.children import CrawlChildren

    return JobContext(
        database=database,
        digests={digest.name: digest for digest in config.digests},
        channels=channels,
        crawl_command=partial(crawl_command, config.path),
        settings=settings,
        source_names=enabled_sources(config),
        children=CrawlChildren(stop_grace=settings.stop_grace),
    )
