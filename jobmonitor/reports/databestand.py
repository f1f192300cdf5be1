"""`python build.py databestand --out DIR`: the national data file at programme level
(participation agreement art. 1.10: "tot opleidingsniveau in het landelijke databestand en aan
derden"), per edition whose responses have an `opleiding` column, in `DIR/<edition>/`.

Three parts, as a pipeline step: load (the site's compute, so the file starts from the site's own
statuses), process (`programmes`: figures, joint protection with the site, tests), save
(`databestand_files`, then the manifest and checksums). Never inside a site: the folder is
refused inside anything the site publishes, and a site build refuses to run with it inside.
Everything is written into a staging folder, scanned (no hidden row holds a figure) and only
then swapped into place, so a failed run leaves a previous file untouched.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from jobmonitor.compute.load import file_sha256, load_edition
from jobmonitor.compute.pipeline import Computed, EditionResults, compute
from jobmonitor.config import Config
from jobmonitor.errors import AuditFailed, InputError, Problem, ReleaseRefused
from jobmonitor.results import SUPPRESSED
from jobmonitor.reports.databestand_files import Wording, write_edition_files
from jobmonitor.reports.private import DATA_MARKER, check_out_dir, private_manifest
from jobmonitor.reports.programmes import NAMES_FILE, ProgrammeFile, has_programmes, programme_file
from jobmonitor.site.manifest import PACKAGES, manifest_json
from jobmonitor.site.scan_tables import scan_downloads

CHECKSUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
FILE_PACKAGES = ("pyreadstat", "highspy")  # beside the site's, in the manifest


@dataclass
class DataFileReport:
    out_dir: Path
    counts: dict[int, dict[str, dict[str, int]]]  # edition → level → public status → rows
    skipped: dict[int, str]  # edition → why it has no file
    seconds: dict[str, float] = field(default_factory=dict)  # compute, per edition, write, scan
    files: list[Path] = field(default_factory=list)


def build_databestand(config: Config, out: Path, progress: Callable[[str], None] = lambda m: None) -> DataFileReport:
    """The stage: compute as the site does, then per edition with opleidingen its file."""
    check_out_dir(out, config, "national data file", "databestand")
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()) and not (out / DATA_MARKER).exists():
        raise ReleaseRefused(f"{out} exists and is not a folder of the national data file; choose an empty or new folder.")
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    progress("compute: every edition, as for the site")
    computed = compute(config)
    seconds["compute"] = time.perf_counter() - clock
    skipped = {part.edition.year: reason for part in computed.parts if (reason := has_programmes(part.edition))}
    wanted = [part for part in computed.parts if part.edition.year not in skipped]
    if not wanted:
        raise InputError([Problem(f"{config.edition_dir(year)}/responses", None, "opleiding", None, reason)
                          for year, reason in sorted(skipped.items())],
                         "The national data file needs the optional `opleiding` column in responses; nothing was written.")
    for year, reason in sorted(skipped.items()):
        progress(f"edition {year} skipped: {reason}")
    words = Wording.load()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    root = staging / "databestand"
    root.mkdir()
    counts = {}
    try:
        for part in wanted:
            counts[part.edition.year] = _edition(config, computed, part, root, skipped, words, seconds, progress)
        clock = time.perf_counter()
        progress("scan: no hidden row may hold a figure")
        findings = [f for year in counts for f in scan_downloads(root / str(year))]
        if findings:
            raise AuditFailed(findings)
        seconds["scan"] = time.perf_counter() - clock
        (root / DATA_MARKER).write_text("JOB-monitor national data file: never place it inside the public site.\n",
                                        encoding="utf-8")
        if out.exists():
            out.rename(staging / "previous")
        root.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return DataFileReport(out, counts, skipped, seconds, sorted(p for p in out.rglob("*") if p.is_file()))


def _edition(config: Config, computed: Computed, part: EditionResults, root: Path, skipped: dict[int, str], words: Wording,
             seconds: dict[str, float], progress: Callable[[str], None]) -> dict[str, dict[str, int]]:
    """One edition: protect, test and write its folder, then its manifest and checksums."""
    year = part.edition.year
    clock = time.perf_counter()
    progress(f"edition {year}: institution × opleiding and opleiding, protected jointly with the site")
    # compute() keeps only the current edition's answers; an earlier edition is read again.
    edition = part.edition if year == computed.current.edition.year else load_edition(config.edition_dir(year), year)
    made = programme_file(config, computed.results, part, edition)
    seconds[f"file {year}"] = time.perf_counter() - clock
    clock = time.perf_counter()
    progress(f"edition {year}: writing CSV, XLSX, SAV, dictionary, questionnaire and the use notice")
    folder = root / str(year)
    write_edition_files(config, made, edition.questionnaire, folder, sorted(skipped), words)
    counts = public_counts(made)
    manifest = edition_manifest(config, made, counts, skipped, folder)
    (folder / MANIFEST).write_text(manifest_json(manifest), encoding="utf-8")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != CHECKSUMS)
    (folder / CHECKSUMS).write_text("".join(f"{file_sha256(p)}  {p.name}\n" for p in files), encoding="utf-8")
    seconds[f"write {year}"] = time.perf_counter() - clock
    return counts


def public_counts(made: ProgrammeFile) -> dict[str, dict[str, int]]:
    """Rows per level and public status (one word for every hidden row)."""
    table = made.table
    hidden = table["status"].isin(SUPPRESSED)
    return {level: {"published": int((~hidden & (table["level"] == level)).sum()),
                    "suppressed": int((hidden & (table["level"] == level)).sum())}
            for level in pd.unique(table["level"])}


def edition_manifest(config: Config, made: ProgrammeFile, counts: dict, skipped: dict[int, str], folder: Path) -> dict:
    """Inputs (file hashes, with the opleiding names when given), config, code and package
    versions, rows per public status, what protection did, skipped editions, the files' hashes."""
    names = config.edition_dir(made.year) / NAMES_FILE
    extra = {f"{made.year}/{NAMES_FILE}": names} if names.is_file() else {}
    return {
        **private_manifest(config, "national data file at programme level (participation agreement art. 1.10)",
                           extra, (*PACKAGES, *FILE_PACKAGES)),
        "edition": made.year,
        "counts_per_status": counts,
        "protection": {"joint_audit": "site and file per var, one LP (HiGHS) over every hidden count",
                       **made.protection.stats},
        "skipped_editions": {str(year): reason for year, reason in sorted(skipped.items())},
        "files_sha256": {p.name: file_sha256(p) for p in sorted(folder.iterdir()) if p.is_file()},
    }
