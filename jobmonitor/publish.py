"""One build, start to finish: gate → compute → site, with the audit and the downloads in a
worker process beside it → scan → swap.

The site is built in a staging folder next to the target; only when every check has passed
does it replace the previous site, so a failed or refused build leaves that site untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from jobmonitor.background import in_background
from jobmonitor.bundle import bundle_members, read_bundle, write_bundle
from jobmonitor.compute.pipeline import Computed, Timings, audit_computed, compute, summary_counts
from jobmonitor.config import Config
from jobmonitor.errors import AuditFailed
from jobmonitor.reports.private import SITE_MARKER, SITE_MARKER_TEXT, refuse_packs_inside
from jobmonitor.release import check_continuity, check_release, current_hashes, effective_now
from jobmonitor.results import SiteInputs, Summary, check_results, published_results, site_inputs_from
from jobmonitor.site.downloads import write_downloads
from jobmonitor.site.manifest import build_manifest, manifest_json
from jobmonitor.site.mkdocs_site import build_site
from jobmonitor.site.scan import HiddenCells, scan_pages_and_data
from jobmonitor.site.scan_tables import scan_downloads
from jobmonitor.site.wording import load_wording


@dataclass
class BuildReport:
    out_dir: Path
    pages: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    weighting: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    bundle_sha256: str | None = None


def site_inputs(config: Config, computed: Computed, summary: Summary) -> SiteInputs:
    """The site layer's only input: published rows and questionnaires of every edition,
    after the results table passed its own invariants."""
    parts = computed.parts
    edition = computed.current.edition
    check_results(computed.results)
    published = published_results(computed.results)
    check_results(published, published=True)
    return site_inputs_from(config, published,
                            {p.edition.year: p.edition.questionnaire for p in parts},
                            edition.institutions, edition.domains, computed.response, summary)


def weighting_summary(computed: Computed) -> dict:
    parts = computed.parts[::-1]
    return {
        str(p.edition.year): {
            "method": p.weighting,
            "cells": list(p.weighting_cells),
            "collapsed_cells": p.weighting_report.collapsed_cells,
            "collapsed_respondents": p.weighting_report.collapsed_respondents,
            "trimmed_respondents": p.weighting_report.trimmed_respondents,
            "efficiency": round(p.weighting_efficiency, 4),
            "design_effect": round(1 / p.weighting_efficiency, 4),
            "efficiency_by_institution": p.efficiency_by_institution,
        }
        for p in parts
    }


@dataclass(frozen=True)
class Source:
    """What a site is built from: computed from the data here, or read from a bundle that was
    computed where the data may be processed (`jobmonitor.bundle`)."""

    inputs: SiteInputs
    input_hashes: dict[str, str]
    absent: tuple[str, ...]
    hidden: HiddenCells  # with the hidden values (data) or statuses only (bundle)
    audit: Callable[[], list[str]]  # the algebraic audit; a bundle passed it when it was made
    counts: dict  # per edition and status, for the build summary (internal statuses from data)
    weighting: dict


def source_from_data(config: Config, timings: Timings) -> Source:
    computed = compute(config, timings)
    weighting = weighting_summary(computed)
    edition = computed.current.edition
    summary = Summary(summary_counts(computed, public=True), weighting, respondents=len(edition.responses),
                      population=int(edition.population["population"].sum()))
    return Source(site_inputs(config, computed, summary), current_hashes(config), computed.absent,
                  HiddenCells.from_results(computed.results, config.edition),
                  lambda: audit_computed(computed, config.thresholds.min_n), summary_counts(computed), weighting)


def source_from_bundle(config: Config, path: Path) -> Source:
    bundle = read_bundle(path, config)
    published = pd.concat([e.results for e in bundle.inputs.editions], ignore_index=True)
    summary = bundle.inputs.summary
    return Source(bundle.inputs, bundle.input_hashes, bundle.absent, HiddenCells.from_results(published, config.edition),
                  lambda: [], summary.status_counts, summary.weighting)


def build(config: Config, *, release: bool = False, now: dt.datetime | None = None, bundle: Path | None = None,
          bundle_out: Path | None = None, progress: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Build the site into config.out_dir; raise (and write nothing) on any refusal. From the
    data, or from a publishable `bundle`; `bundle_out` writes the bundle once the site built
    from the data has passed every check."""
    timings = Timings()
    if release and bundle is None:
        progress("release gate: embargo, data status, data hashes")
        check_release(config, effective_now(now))
    refuse_packs_inside(config)
    if bundle is not None:
        progress(f"read the publishable bundle {bundle}")
        source = source_from_bundle(config, bundle)
        if release:
            progress("release gate: embargo, data status, the bundle's data hashes")
            check_release(config, effective_now(now), actual=source.input_hashes)
    else:
        progress("compute: load, score, aggregate, statistics, disclosure")
        source = source_from_data(config, timings)
    if release:
        check_continuity(config, source.absent)
    out_dir = Path(config.out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        report = _build_staging(config, source, staging, release, timings, progress)
        if bundle_out is not None:
            progress(f"publishable bundle → {bundle_out}")
            report.bundle_sha256 = write_bundle(bundle_out, bundle_members(config, source.inputs, source.input_hashes,
                                                                           source.absent))
        # The previous site moves into the staging folder and is removed with it.
        swap_into_place(report.out_dir, out_dir, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.out_dir, report.counts, report.weighting = out_dir, source.counts, source.weighting
    report.timings = {k: round(v, 3) for k, v in timings.seconds.items()}
    return report


def _audit_and_downloads(config, source: Source, folder: Path, release: bool):
    """The algebraic audit of every edition, then every download: the work that needs the
    computed tables but not the pages, run beside them (`in_background`)."""
    timings = Timings()
    inputs = source.inputs
    with timings.stage("audit"):
        findings = source.audit()
    with timings.stage("downloads"):
        files = [] if findings else write_downloads(
            pd.concat([e.results for e in inputs.editions], ignore_index=True), config.edition, folder,
            load_wording(), questionnaires={e.year: e.questionnaire for e in inputs.editions}, preview=not release,
            created=config.embargo)
    with timings.stage("audit"):
        # The downloads as written: they move into the site byte for byte.
        findings += [] if findings else scan_downloads(folder)
    return findings, tuple(files), timings.seconds


class PendingDownloads:
    """The downloads being written in the background, as the downloads page lists them: the
    page is rendered last and waits here for their sizes."""

    def __init__(self, future: Future):
        self.future = future

    def __iter__(self):
        findings, files, _ = self.future.result()
        return iter(files)


def _build_staging(config, source: Source, staging, release, timings, progress) -> BuildReport:
    inputs = source.inputs
    manifest = build_manifest(config, release=release, input_hashes=source.input_hashes,
                              counts=inputs.summary.status_counts, weighting=inputs.summary.weighting)
    progress("audit and downloads (CSV and one XLSX per edition), beside the pages")
    background = in_background(lambda: _audit_and_downloads(config, source, staging / "downloads", release))
    summary = dataclasses.replace(inputs.summary, manifest=manifest, downloads=PendingDownloads(background))
    inputs = dataclasses.replace(inputs, summary=summary)
    progress("site: pages, charts, mkdocs-material")
    try:
        with timings.stage("site"):
            info = build_site(inputs, staging / "project", preview=not release)
    finally:
        findings, files, seconds = background.result()
    for stage, spent in seconds.items():
        timings.seconds[stage] = timings.seconds.get(stage, 0.0) + spent
    if findings:
        raise AuditFailed(findings)
    site_dir = info["site"]
    progress("manifest")
    with timings.stage("downloads"):
        (site_dir / "downloads").mkdir(exist_ok=True)
        for path in sorted((staging / "downloads").iterdir()):
            os.replace(path, site_dir / "downloads" / path.name)
        (site_dir / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
        (site_dir / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    progress("audit: scan every file of the site for hidden cells")
    with timings.stage("audit"):
        findings = scan_pages_and_data(site_dir, source.hidden)
    if findings:
        raise AuditFailed(findings)
    return BuildReport(site_dir, pages=int(info.get("pages", 0)), manifest=manifest)


def swap_into_place(new_site: Path, out_dir: Path, trash: Path) -> None:
    """Two renames on one file system; the old site goes to `trash` and is restored on failure."""
    previous = trash / "previous-site"
    had_previous = out_dir.exists()
    if had_previous:
        os.rename(out_dir, previous)
    try:
        os.rename(new_site, out_dir)
    except BaseException:
        if had_previous:
            os.rename(previous, out_dir)
        raise
