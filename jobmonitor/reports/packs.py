"""`python build.py rapportages --out DIR [--institution ID]`: the confidential report pack of
every institution (PDF, XLSX, SAV, the national benchmark file, a manifest and checksums; one
folder and one zip each), built from the same computed results as the site.

Never public: the packs may not land inside the site's output or its content folder (and the
site build refuses to run with a pack inside what it publishes). A pack whose joint audit
fails is not written. Packs are written into a staging folder and swapped into place, so a
failed run leaves the previous packs as they were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import shutil
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from jobmonitor.compute.load import file_sha256
from jobmonitor.compute.pipeline import Computed, compute
from jobmonitor.compute.score import Scores, score_edition
from jobmonitor.config import Config
from jobmonitor.errors import AuditFailed, InputError, Problem, ReleaseRefused
from jobmonitor.results import Record, UnitKey, index_published, published_results
from jobmonitor.reports.breakdown import institution_breakdowns, institution_rows
from jobmonitor.reports.content import (InstitutionReport, institution_results, public_hidden_maps, question_texts,
                                       response_by_domain)
from jobmonitor.reports.document import embargo_text, report_document
from jobmonitor.reports.groupings import POOLED_GROUPINGS, institution_groupings
from jobmonitor.reports.labels import LABELS_CSV, LABELS_YML, Labels, load_labels
from jobmonitor.reports.pdf import render_pdf, typst_started
from jobmonitor.reports.pooled import (NATIONAL, Patterns, pooled_findings, pooled_patterns, settle,
                                       total_hidden_by_institution)
from jobmonitor.reports.private import MARKER, check_out_dir, private_manifest
from jobmonitor.site.scan_tables import scan_downloads
from jobmonitor.reports.sheets import breakdown_sheet, report_sheets
from jobmonitor.reports.tables import write_sav, write_xlsx
from jobmonitor.site.manifest import PACKAGES, manifest_json
from jobmonitor.site.summary import unit_summary
from jobmonitor.site.wording import fill, load_words, load_wording

CHECKSUMS = "SHA256SUMS"
BENCHMARK_DIR = "landelijk"
REPORT_PACKAGES = ("typst", "pyreadstat")  # beside the site's, in every pack's manifest


@dataclasses.dataclass(frozen=True)
class Prepared:
    config: Config
    computed: Computed
    published: pd.DataFrame  # published_results of every edition, institutions only
    records: dict[UnitKey, dict[str, Record]]  # the current edition's, per institution
    manifest: dict  # what every pack's manifest shares: inputs, config, code, packages
    scores: Scores
    labels: Labels | None
    made: dt.date
    pooled: Patterns  # every institution's and the nation's leerweg/niveau/voltijd pattern (`pooled`)
    breakdowns: dict  # institution (NATIONAL: the benchmark file) → its settled breakdown tables


@dataclasses.dataclass
class PacksReport:
    out_dir: Path
    seconds: dict[str, float]  # institution → seconds for its pack
    typeset_seconds: dict[str, float]  # institution → seconds of those in Typst
    files: list[Path]
    stages: dict[str, float]  # seconds: prepare, packs (and the benchmark file), seal


def prepare(config: Config, progress: Callable[[str], None], workers: int = 2) -> Prepared:
    progress("compute: every edition, as for the site")
    computed = compute(config)
    edition = computed.current.edition
    progress("labels and breakdown scores of the current edition")
    labels = load_labels(config.edition_dir(config.edition), edition.responses, edition.institutions,
                         config.reports.max_label_values)
    scores = score_edition(edition, config.weighting)
    published = published_results(computed.results[computed.results["level"] == "institution"])
    records = index_published(published[published["edition"] == config.edition])
    load_words("rapport"), load_wording()  # read once, before the workers fork
    progress("the leerweg, niveau and voltijd groups of every institution, protected together")
    total_hidden = total_hidden_by_institution(computed.results, config.edition)
    present = set(edition.responses["institution_id"].astype(str))
    units = [i for i in edition.institutions["institution_id"].astype(str) if i in present] + [NATIONAL]
    words = load_words("rapport")
    pooled, breakdowns = settle(
        lambda also_hidden, known: pooled_patterns(scores, edition.responses, total_hidden, config.thresholds.min_n,
                                                   also_hidden, known),
        lambda unit, share: unit_breakdowns(config, computed, scores, labels, unit, share, words), units,
        partial(_map_units, workers=workers))
    findings = pooled_findings(scores, edition.responses, breakdowns, config.thresholds.min_n)
    if findings:
        raise AuditFailed([f"packs pooled with the benchmark file: {f}" for f in findings])
    return Prepared(config, computed, published, records, shared_manifest(config), scores, labels, dt.date.today(),
                    pooled, breakdowns)


def unit_breakdowns(config: Config, computed: Computed, scores: Scores, labels: Labels | None, unit: str | None,
                    pooled: dict, words: dict) -> list:
    """One institution's breakdown tables (NATIONAL: the benchmark file's), on its share of
    the pooled patterns."""
    edition = computed.current.edition
    thresholds = config.thresholds
    if unit is NATIONAL:
        rows = np.arange(len(edition.responses))
        groupings = institution_groupings(edition, rows, None, None, thresholds.min_n, config.reports.max_label_values,
                                          words, standard=POOLED_GROUPINGS)
    else:
        rows = institution_rows(scores, unit)
        groupings = institution_groupings(edition, rows, unit, labels, thresholds.min_n,
                                          config.reports.max_label_values, words)
    per_domain, total = public_hidden_maps(computed.results, config.edition, unit)
    return institution_breakdowns(scores, rows, groupings, thresholds, per_domain, total, pooled,
                                  whole_groups=thresholds.protect_linked)


def build_packs(config: Config, out: Path, institution: str | None = None,
                progress: Callable[[str], None] = lambda m: None, workers: int = 2) -> PacksReport:
    # Many small matrix products: BLAS threads cost more than they bring, and with `workers`
    # forked processes they fight over the cores (a settle round took 22.8 s instead of 12.7 s).
    with threadpool_limits(limits=1, user_api="blas"):
        return _build_packs(config, out, institution, progress, workers)


def _build_packs(config: Config, out: Path, institution: str | None, progress: Callable[[str], None],
                 workers: int) -> PacksReport:
    check_out_dir(out, config)
    clock = time.perf_counter()
    prepared = prepare(config, progress, workers)
    stages = {"prepare": time.perf_counter() - clock}
    edition = prepared.computed.current.edition
    known = list(edition.institutions["institution_id"].astype(str))
    if institution is not None and institution not in known:
        raise InputError([Problem("--institution", None, None, institution, "not an institution of institutions.csv")])
    present = set(edition.responses["institution_id"].astype(str))
    wanted = [i for i in known if i in present and (institution is None or i == institution)]
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReleaseRefused(f"{out} exists and is not a folder of report packs; choose an empty or new folder.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    root = staging / "packs"
    root.mkdir()
    try:
        progress(f"{len(wanted)} institution pack(s) and the national benchmark file on {workers} core(s)")
        clock = time.perf_counter()
        done = _in_pool(prepared, _pack_job, [(name, str(root)) for name in [BENCHMARK_DIR, *wanted]], workers)
        stages["packs"] = time.perf_counter() - clock
        benchmark = sorted((root / BENCHMARK_DIR).iterdir())
        findings = scan_downloads(root / BENCHMARK_DIR)
        if findings:
            raise AuditFailed(findings)
        _in_pool(prepared, _seal_job, [(name, str(root)) for name in wanted], workers)
        stages["seal"] = time.perf_counter() - clock - stages["packs"]
        (root / MARKER).write_text("JOB-monitor institution reports: confidential, never publish.\n", encoding="utf-8")
        _write_checksums(root, [root / f"{i}.zip" for i in wanted] + benchmark)
        if out.exists():
            out.rename(staging / "previous")
        root.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    packs = [d for d in done if d[0] != BENCHMARK_DIR]
    stages["benchmark_file"] = next(s for name, s, _ in done if name == BENCHMARK_DIR)
    return PacksReport(out, {i: s for i, s, _ in packs}, {i: t for i, _, t in packs},
                       sorted(p for p in out.rglob("*") if p.is_file()), stages)


_SHARED = None  # what the forked workers share: the prepared tables, or settle's breakdowns function


def _in_pool(shared, job: Callable, items: list[tuple], workers: int) -> list:
    """`job(*item)` for every item, in order, in forked workers that share `shared` (the
    first item is started first: the benchmark file takes the longest). Always forked, even
    with one worker, so this process never typesets and later forks stay safe; in a process
    that already typeset (a test, a notebook) the jobs run here instead (`pdf.typst_started`)."""
    global _SHARED
    _SHARED = shared
    try:
        if typst_started():
            return [job(*item) for item in items]
        with ProcessPoolExecutor(max(1, min(workers, len(items))), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(job, *zip(*items), chunksize=1)) if items else []
    finally:
        _SHARED = None


def _map_units(breakdowns_of: Callable, todo: list, workers: int) -> list:
    """Every unit's breakdowns (`pooled.settle`) on the cores, in order."""
    return _in_pool(breakdowns_of, _breakdowns_job, todo, workers)


def _breakdowns_job(unit: str | None, share: dict) -> list:
    return _SHARED(unit, share)


def _pack_job(name: str, root: str) -> tuple[str, float, float]:
    start = time.perf_counter()
    if name == BENCHMARK_DIR:
        write_benchmark(_SHARED, Path(root) / BENCHMARK_DIR)
        return name, time.perf_counter() - start, 0.0
    typeset = write_pack(_SHARED, name, Path(root))
    return name, time.perf_counter() - start, typeset


def _seal_job(name: str, root: str) -> None:
    seal_pack(_SHARED, name, Path(root))


def institution_report(prepared: Prepared, institution_id: str, words: dict) -> InstitutionReport:
    config, computed, scores = prepared.config, prepared.computed, prepared.scores
    edition = computed.current.edition
    thresholds = config.thresholds
    per_domain, _ = public_hidden_maps(computed.results, config.edition, institution_id)
    breakdowns = prepared.breakdowns[institution_id]
    site_hidden = {domain for (domain, _), hidden in per_domain.items() if hidden}
    response, respondents = response_by_domain(edition, institution_id, thresholds.min_n, site_hidden)
    questionnaires = [part.edition.questionnaire for part in computed.parts]
    info = edition.institutions.set_index(edition.institutions["institution_id"].astype(str)).loc[institution_id]
    summary = unit_summary(prepared.records.get(UnitKey("institution", institution_id, None), {}), edition.questionnaire,
                           load_wording())
    return InstitutionReport(institution_id, str(info["name"]), str(info["place"]), config.edition,
                             tuple(q.edition for q in questionnaires), respondents, response,
                             institution_results(prepared.published, institution_id, questionnaires), tuple(breakdowns),
                             summary)


def write_pack(prepared: Prepared, institution_id: str, root: Path) -> float:
    """One institution's report files; returns the seconds spent typesetting."""
    config = prepared.config
    words, w = load_words("rapport"), load_wording()
    report = institution_report(prepared, institution_id, words)
    questionnaire = prepared.computed.current.edition.questionnaire
    texts = question_texts(questionnaire)
    themes = {t.id: (t.name, t.description) for t in questionnaire.themes}
    folder = root / institution_id
    folder.mkdir()
    names = {k: fill(v, edition=config.edition, id=institution_id) for k, v in words["files"].items()}
    sheets = report_sheets(report, texts, {t: n for t, (n, _) in themes.items()}, words)
    document = report_document(report, config, words, w, prepared.made, themes)
    cover = [document["title"], document["confidential"], *([document["concept"]] if document["concept"] else []),
             document["copyright"]]
    write_xlsx(folder / names["xlsx"], sheets, cover, words, w, config.embargo)
    write_sav(folder / names["sav"], sheets, document["confidential"], " ".join(cover), words, w, stamp=config.embargo)
    start = time.perf_counter()
    (folder / names["pdf"]).write_bytes(render_pdf(document, timestamp=_moment(prepared.made)))
    return time.perf_counter() - start


def seal_pack(prepared: Prepared, institution_id: str, root: Path) -> None:
    """The benchmark file beside the report, the manifest, checksums and the zip."""
    folder = root / institution_id
    # The same check as the site's downloads, on every table of the pack: a hidden group shows no
    # figure (before the benchmark file joins it, which is checked once, in `build_packs`).
    findings = scan_downloads(folder)
    if findings:
        raise AuditFailed(findings)
    for path in sorted((root / BENCHMARK_DIR).iterdir()):
        shutil.copy2(path, folder / path.name)
    manifest = pack_manifest(prepared, institution_id, folder)
    (folder / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
    (folder / MARKER).write_text("confidential\n", encoding="utf-8")
    _write_checksums(folder, sorted(p for p in folder.iterdir() if p.is_file() and p.name not in (CHECKSUMS, MARKER)))
    with zipfile.ZipFile(root / f"{institution_id}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in sorted(p for p in folder.iterdir() if p.name != MARKER):
            # Member times from the inputs (the embargo), not the clock: the same pack, the same zip.
            info = zipfile.ZipInfo(f"{institution_id}/{path.name}", prepared.config.embargo.timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=1)


def write_benchmark(prepared: Prepared, folder: Path) -> list[Path]:
    """The national file the participation agreement promises: national results by leerweg,
    niveau, domain (and voltijd/deeltijd when present), same thresholds and tests; built once."""
    config, computed, scores = prepared.config, prepared.computed, prepared.scores
    edition = computed.current.edition
    words, w = load_words("rapport"), load_wording()
    breakdowns = prepared.breakdowns[NATIONAL]
    groupings = [b.grouping for b in breakdowns]
    texts = question_texts(edition.questionnaire)
    taken: set[str] = set()
    sheets = [breakdown_sheet(b, texts, words, taken, "benchmark", total_name=words["national_group"])
              for b in breakdowns]
    folder.mkdir(parents=True)
    names = {k: fill(v, edition=config.edition, id="") for k, v in words["files"].items()}
    title = fill(words["titles"]["benchmark"], name=", ".join(g.name.lower() for g in groupings))
    cover = [title, fill(words["pdf"]["confidential"], embargo=embargo_text(config, w)), fill(w["copyright"], edition=config.edition)]
    write_xlsx(folder / names["benchmark_xlsx"], sheets, cover, words, w, config.embargo)
    write_sav(folder / names["benchmark_sav"], sheets, cover[1], " ".join(cover), words, w, stamp=config.embargo)
    return [folder / names["benchmark_xlsx"], folder / names["benchmark_sav"]]


def shared_manifest(config: Config) -> dict:
    """What every pack's manifest says alike, made once: every input file of every edition with
    this edition's label files (the site's own manifest leaves those out), config, code."""
    labels = {f"{config.edition}/{name}": config.edition_dir(config.edition) / name for name in (LABELS_CSV, LABELS_YML)}
    return private_manifest(config, "institution report (confidential)",
                            {key: path for key, path in labels.items() if path.is_file()}, (*PACKAGES, *REPORT_PACKAGES))


def pack_manifest(prepared: Prepared, institution_id: str, folder: Path) -> dict:
    """Like the site's manifest (`shared_manifest`), with the institution and the pack's files."""
    return {"institution_id": institution_id, **prepared.manifest,
            "files_sha256": {p.name: file_sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}}


def _write_checksums(folder: Path, paths: list[Path]) -> None:
    lines = [f"{file_sha256(p)}  {p.relative_to(folder).as_posix() if folder in p.parents else p.name}" for p in paths if p.exists()]
    (folder / CHECKSUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)

