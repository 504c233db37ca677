"""The `run`, `schedule` and `digest` commands: thin commands over the scheduler and digest packages,
registered on the `aiplus` group when aiplus.cli is imported."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from aiplus.cli import State, cli, console, friendly_errors, pass_state, print_json
from aiplus.service import (
    check_channel_environment,
    digest_channels,
    enabled_sources,
    job_context,
    scheduled_jobs,
)
from aiplus.timeparse import parse_when
from digest.delivery import deliver_digest, digest_of_changes, preview_digest
from digest.formats import get_format
from digest.message import subject_line
from scheduler.settings import SchedulerSettings

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

PRINT_FORMATS = ("text", "html", "md", "json")
DEFAULT_WINDOW = timedelta(hours=24)
_DEFAULTS = SchedulerSettings()


def _service_logging() -> None:
    """`aiplus run` is a service: its own progress (crawl exits and summaries, deliveries) is logged
    at INFO even without -v; -v also shows APScheduler's own lines."""
    root = logging.getLogger()
    if root.getEffectiveLevel() > logging.INFO:
        for name in ("scheduler", "digest"):
            logging.getLogger(name).setLevel(logging.INFO)
        # The CLI sets its level on the root handlers too (against Scrapy's own DEBUG loggers), which
        # would drop these INFO lines; every other logger still stops at the root logger's level.
        for handler in root.handlers:
            handler.setLevel(min(handler.level, logging.INFO))


# -- run -----------------------------------------------------------------------------------------


@cli.command()
@click.option("--run-now", is_flag=True, help="Run every job once right away, then on its schedule.")
@click.option(
    "--crawl-time-limit",
    type=click.FloatRange(min=1),
    default=_DEFAULTS.crawl_time_limit,
    show_default=True,
    envvar="AIPLUS_CRAWL_TIME_LIMIT",
    metavar="SECONDS",
    help="Stop a crawl still running after this long ($AIPLUS_CRAWL_TIME_LIMIT).",
)
@click.option(
    "--stop-grace",
    type=click.FloatRange(min=0),
    default=_DEFAULTS.stop_grace,
    show_default=True,
    metavar="SECONDS",
    help="How long a crawl may take to stop cleanly before it is killed.",
)
@click.option(
    "--misfire-grace",
    type=click.IntRange(min=1),
    default=_DEFAULTS.misfire_grace_time,
    show_default=True,
    metavar="SECONDS",
    help="A run missed while the scheduler was down still happens if this late at most.",
)
@click.option(
    "--timezone",
    envvar="AIPLUS_TIMEZONE",
    metavar="ZONE",
    help="Read schedules in this zone (default: local).",
)
@pass_state
@friendly_errors
def run(
    state: State,
    run_now: bool,
    crawl_time_limit: float,
    stop_grace: float,
    misfire_grace: int,
    timezone: str | None,
) -> None:
    """Run the scheduler in the foreground: crawl each source and deliver each digest on its
    `schedule` (cron). Jobs are kept in the archive database; configuration changes are picked up
    on restart. SIGINT or SIGTERM stops it cleanly (running crawls are stopped, exit status 0).

    \b
    Examples:
      aiplus run
      aiplus run --run-now --crawl-time-limit 1800
    """
    from scheduler.service import SchedulerService

    _service_logging()
    config = state.config
    channels = digest_channels(config)
    check_channel_environment(config, [c for group in channels.values() for c in group])
    jobs = scheduled_jobs(config)
    if not jobs:
        raise click.ClickException(
            'nothing to schedule: give a [[source]] or [[digest]] a schedule (cron, e.g. "0 8 * * *")'
        )
    settings = SchedulerSettings(
        timezone=timezone,
        crawl_time_limit=crawl_time_limit,
        stop_grace=stop_grace,
        misfire_grace_time=misfire_grace,
    )
    service = SchedulerService(job_context(config, state.database, settings, channels), jobs)
    code = service.run(run_now=run_now)
    if code:
        raise click.exceptions.Exit(code)


# -- schedule ------------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts).")
@click.option("--timezone", envvar="AIPLUS_TIMEZONE", metavar="ZONE", help="As given to `aiplus run`.")
@pass_state
@friendly_errors
def schedule(state: State, as_json: bool, timezone: str | None) -> None:
    """The scheduler's jobs and their next run times: those `aiplus run` keeps in the database, and
    those the configuration adds or removes at its next start.

    \b
    Example:
      aiplus schedule
    """
    from scheduler.service import job_statuses

    config = state.config
    digest_channels(config)  # a bad channel fails here too, as it would at `aiplus run`
    statuses = job_statuses(state.database, scheduled_jobs(config), SchedulerSettings(timezone=timezone))
    rows: list[dict[str, str | None]] = [
        {
            "id": s.id,
            "kind": s.kind,
            "target": s.target,
            "schedule": s.schedule,
            "next_run_time": s.next_run_time.isoformat() if s.next_run_time else None,
            "state": _job_state(s.stored, s.configured),
        }
        for s in statuses
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No scheduled jobs: give a [[source]] or [[digest]] a schedule.")
        return
    table = Table(title=f"{len(rows)} job(s)")
    for column in ("job", "schedule", "next run", "state"):
        table.add_column(column, overflow="fold")
    styles = {"scheduled": "green", "added at next start": "yellow", "removed at next start": "red"}
    for row in rows:
        next_run = (row["next_run_time"] or "paused")[:19].replace("T", " ")
        job_state = row["state"] or ""
        table.add_row(
            row["id"] or "", row["schedule"] or "", next_run, Text(job_state, style=styles.get(job_state, ""))
        )
    console.print(table)


def _job_state(stored: bool, configured: bool) -> str:
    if not configured:
        return "removed at next start"
    return "scheduled" if stored else "added at next start"


# -- digest --------------------------------------------------------------------------------------


@cli.command()
@click.argument("name", required=False)
@click.option("--since", "since_text", metavar="WHEN", help="ISO date or date-time, or 7d / 24h.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(PRINT_FORMATS),
    default="text",
    show_default=True,
    help="Format of the printed digest (with --dry-run, or without NAME).",
)
@pass_state
@friendly_errors
def digest(state: State, name: str | None, since_text: str | None, dry_run: bool, output_format: str) -> None:
    """Deliver a configured digest now, or print one.

    With NAME: each of the digest's channels gets the changes it has not received yet (since its
    last successful delivery, or since --since), and what arrived is recorded, so nothing is sent
    twice; exit status 1 if any channel failed (the others are still tried). --dry-run prints the
    digest instead and sends and records nothing.

    Without NAME: one digest of every change since --since (default: the last 24 hours), printed.

    \b
    Examples:
      aiplus digest daily
      aiplus digest daily --dry-run --format md
      aiplus digest --since 7d --format html > week.html
    """
    from scheduler.service import stored_digest_start

    since = parse_when(since_text) if since_text else None
    config = state.config
    if name is None:
        since = since or datetime.now(UTC) - DEFAULT_WINDOW
        adhoc = digest_of_changes(state.database, since=since, configured_sources=enabled_sources(config))
        click.echo(get_format(output_format).render(adhoc), nl=False)
        return

    settings = config.digest(name)
    channels = digest_channels(config)[name]
    if not channels and not dry_run:
        raise click.ClickException(
            f"digest {name!r} has no channels (email, webhook, apprise or directory): try --dry-run"
        )
    start = stored_digest_start(state.database, name)
    sources = enabled_sources(config)
    if dry_run:
        preview, plans = preview_digest(
            state.database, settings, channels, since=since, start=start, configured_sources=sources
        )
        title = subject_line(settings.subject, preview)
        click.echo(get_format(output_format).render(preview, title=title), nl=False)
        for plan in plans:
            err_console.print(f"dry run: {plan.channel.label} would get {len(plan.changes)} change(s)")
        return

    check_channel_environment(config, channels)
    report = deliver_digest(
        state.database, settings, channels, since=since, start=start, configured_sources=sources
    )
    styles = {"sent": "green", "nothing": "dim", "failed": "red"}
    for result in report.results:
        detail = {
            "sent": f"sent {result.changes} change(s)",
            "nothing": "nothing new",
            "failed": f"failed: {result.error} ({result.changes} change(s) kept for the next run)",
        }[result.status]
        console.print(Text(f"{result.label}: {detail}", style=styles[result.status]))
    if report.failed:
        raise click.ClickException(f"{len(report.failed)} of {len(report.results)} channel(s) failed")
