"""One build, start to finish: gate → compute → audit → site → downloads → scan → swap.

The site is built in a staging folder next to the target; only when every check has passed
does it replace the previous site, so a failed or refused build leaves that site untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from jobmonitor.compute.pipeline import Computed, Timings, audit_computed, compute, summary_counts
from jobmonitor.config import Config
from jobmonitor.errors import AuditFailed
from jobmonitor.release import check_continuity, check_release, current_hashes, effective_now
from jobmonitor.results import SiteInputs, Summary, check_results, published_results, site_inputs_from
from jobmonitor.site.downloads import write_downloads
from jobmonitor.site.manifest import build_manifest, manifest_json
from jobmonitor.site.mkdocs_site import build_site
from jobmonitor.site.scan import scan_site
from jobmonitor.site.wording import load_wording


@dataclass
class BuildReport:
    out_dir: Path
    pages: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    weighting: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)


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


def build(config: Config, *, release: bool = False, now: dt.datetime | None = None,
          progress: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Build the site into config.out_dir; raise (and write nothing) on any refusal."""
    timings = Timings()
    if release:
        progress("release gate: embargo, data status, data hashes")
        check_release(config, effective_now(now))
    progress("compute: load, score, aggregate, statistics, disclosure")
    computed = compute(config, timings)
    if release:
        check_continuity(config, computed.absent)
    counts = summary_counts(computed)
    with timings.stage("audit"):
        findings = audit_computed(computed, config.thresholds.min_n)
    if findings:
        raise AuditFailed(findings)
    weighting = weighting_summary(computed)
    edition = computed.current.edition
    summary = Summary(summary_counts(computed, public=True), weighting, respondents=len(edition.responses),
                      population=int(edition.population["population"].sum()))
    inputs = site_inputs(config, computed, summary)
    out_dir = Path(config.out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        report = _build_staging(config, computed, inputs, staging, release, timings, progress)
        # The previous site moves into the staging folder and is removed with it.
        swap_into_place(report.out_dir, out_dir, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.out_dir, report.counts, report.weighting = out_dir, counts, weighting
    report.timings = {k: round(v, 3) for k, v in timings.seconds.items()}
    return report


def _build_staging(config, computed, inputs, staging, release, timings, progress) -> BuildReport:
    manifest = build_manifest(config, release=release, input_hashes=current_hashes(config),
                              counts=inputs.summary.status_counts, weighting=inputs.summary.weighting)
    progress("downloads: CSV and one XLSX per edition, before the pages that list their sizes")
    with timings.stage("downloads"):
        files = write_downloads(published_results(computed.results), config.edition, staging / "downloads",
                                load_wording(), questionnaires={e.year: e.questionnaire for e in inputs.editions},
                                preview=not release)
    summary = dataclasses.replace(inputs.summary, manifest=manifest, downloads=tuple(files))
    inputs = dataclasses.replace(inputs, summary=summary)
    progress("site: pages, charts, mkdocs-material")
    with timings.stage("site"):
        info = build_site(inputs, staging / "project", preview=not release)
    site_dir = info["site"]
    progress("manifest")
    with timings.stage("downloads"):
        (site_dir / "downloads").mkdir(exist_ok=True)
        for path in sorted((staging / "downloads").iterdir()):
            os.replace(path, site_dir / "downloads" / path.name)
        (site_dir / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
    progress("audit: scan every file of the site for hidden cells")
    with timings.stage("audit"):
        findings = scan_site(site_dir, computed.results, config.edition)
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
