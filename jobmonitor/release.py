"""The release gate: nothing goes public before the embargo, and only definitive figures from
exactly the data files the config names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jobmonitor.config import Config, now_utc
from jobmonitor.errors import ReleaseRefused
from jobmonitor.compute.load import file_sha256


def effective_now(requested: dt.datetime | None, clock: dt.datetime | None = None) -> dt.datetime:
    """`--now` can only move time back (to test a refusal), never past the real clock, so no
    option or CI input can make a release happen before the embargo."""
    clock = clock or now_utc()
    if requested is None:
        return clock
    if requested.tzinfo is None:
        raise ReleaseRefused("--now must include a timezone, e.g. 2026-05-27T14:00:00+02:00")
    return min(requested, clock)


# The institution reports' own inputs (analysis labels per student) never reach the public
# site, not even as a hash in its manifest: a site built with or without them is the same.
PRIVATE_INPUTS = frozenset({"labels.csv", "labels.yml"})


def data_files(config: Config) -> dict[str, Path]:
    """Input files of every edition the build reads (all of `previous_editions`, each a trend
    line's point), keyed as `<year>/<file name>`."""
    years = [config.edition, *reversed(config.previous_editions)]
    files = {}
    for year in years:
        folder = config.edition_dir(year)
        if folder.is_dir():
            files.update({f"{year}/{p.name}": p for p in sorted(folder.iterdir())
                          if p.is_file() and p.name not in PRIVATE_INPUTS})
    return files


def current_hashes(config: Config) -> dict[str, str]:
    return {key: file_sha256(path) for key, path in data_files(config).items()}


def check_release(config: Config, now: dt.datetime, actual: dict[str, str] | None = None) -> None:
    """Raise ReleaseRefused with a human reason for the first rule that says no. `actual`: the
    input hashes a bundle was computed from (default: the data files here)."""
    if now < config.embargo:
        raise ReleaseRefused(
            f"Embargo: the figures may be published from {config.embargo.isoformat()} on; it is now "
            f"{now.isoformat(timespec='seconds')}. Wait for the embargo, or build a preview without --release."
        )
    if config.data_status != "definitief":
        raise ReleaseRefused(
            f"Data status is `{config.data_status}`: only `definitief` figures may be released. "
            "Set data_status: definitief in the config once JOB has approved the data."
        )
    if not config.thresholds.protect_linked:
        raise ReleaseRefused(
            "thresholds.protect_linked is off: a release must be protected against an attacker who links a unit's "
            "questions. Remove `protect_linked: false` from the config."
        )
    if not config.data_hashes:
        raise ReleaseRefused(
            "The config names no data_hashes: a release must say which data files it publishes. "
            "Run `python build.py hashes` and paste its output into the config."
        )
    check_data_hashes(config, actual)


def check_data_hashes(config: Config, actual: dict[str, str] | None = None) -> None:
    """The data files (or a bundle's input hashes) are exactly the ones the config names."""
    actual = current_hashes(config) if actual is None else actual
    wrong = [key for key, digest in config.data_hashes.items() if actual.get(key) != digest]
    unnamed = [key for key in actual if key not in config.data_hashes]
    if wrong or unnamed:
        parts = []
        if wrong:
            parts.append("changed or missing: " + ", ".join(sorted(wrong)))
        if unnamed:
            parts.append("not named in the config: " + ", ".join(sorted(unnamed)))
        raise ReleaseRefused(
            "The data files are not the ones the config names (" + "; ".join(parts) + "). "
            "Check that the right edition was fetched; if the data really changed, run "
            "`python build.py hashes` and review the new hashes."
        )


def check_continuity(config: Config, absent: tuple[str, ...]) -> None:
    """Institutions or domains that vanished since the previous edition stop a release until
    JOB confirms them in the config (a missing delivery looks exactly like this)."""
    unconfirmed = [unit for unit in absent if unit not in config.acknowledged_absent]
    if unconfirmed:
        raise ReleaseRefused(
            f"No respondents this edition for {', '.join(unconfirmed)}, which had respondents in the previous "
            "edition. Check the delivery; if it is right, add them to `acknowledged_absent` in the config."
        )


def hashes_yaml(config: Config) -> str:
    lines = ["data_hashes:"]
    lines += [f'  "{key}": {digest}' for key, digest in current_hashes(config).items()]
    return "\n".join(lines) + "\n"
