"""National-scale benchmark of the national data file at programme level (budget: ≤ 60 s on a
2-core machine for `python build.py databestand`): the whole command on the cached national
editions (`bench/national.py` makes them once, with opleidingen in the newest), against a bare
baseline measured in the same run on the same data — the sums per institution × opleiding ×
item by numpy `bincount` and the same number of rows and columns written as one CSV by pandas.

    python bench/databestand.py [--respondents 250000] [--seed 20260527] [--keep DIR] [--compare-protection]

Prints seconds per stage, then one line:
total_s=… rows=… hidden_counts_audited=… bare_s=… ratio_to_bare=… peak_rss_mb=…
With `--compare-protection`, also the protection's first step as built (primary, the site's
hidden cells, complementary suppression per domain table) against `disclosure.protect_tables`
on every domain table first (each table's own interval and answer audits): seconds and hidden
figures of each, the joint step after both.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national import national_data, peak_rss_mb  # noqa: E402

from jobmonitor.config import load_config  # noqa: E402


def bare_file(data_dir: Path, year: int, rows: int, columns: int, out: Path) -> float:
    """Baseline: read the edition, sum n, Σw, Σw·x per institution × opleiding × item with
    np.bincount, and write a float table of the data file's size with pandas' `to_csv`."""
    start = time.perf_counter()
    folder = data_dir / str(year)
    frame = pd.read_parquet(folder / "responses.parquet")
    items = [i["id"] for i in yaml.safe_load((folder / "questionnaire.yml").read_text())["items"]]
    unit = pd.factorize(frame["institution_id"].astype(str) + "|" + frame["opleiding"].astype(str))[0]
    w = frame["weight"].to_numpy("float64") if "weight" in frame else np.ones(len(frame))
    size = int(unit.max()) + 1
    for item in items:
        x = frame[item].to_numpy("float64", na_value=np.nan)
        valid = ~np.isnan(x)
        np.bincount(unit[valid], minlength=size), np.bincount(unit[valid], w[valid], minlength=size)
        np.bincount(unit[valid], w[valid] * x[valid], minlength=size)
    rng = np.random.default_rng(0)
    pd.DataFrame(rng.random((rows, columns)) * 100).to_csv(out, index=False)
    return time.perf_counter() - start


def compare_protection(config) -> None:
    """The protection of the current edition with either first step (see the docstring)."""
    from jobmonitor.compute.pipeline import compute
    from jobmonitor.compute.score import score_edition
    from jobmonitor.reports import programmes
    from jobmonitor.reports.programme_protection import protect_programmes

    computed = compute(config)
    edition = computed.current.edition
    scores = score_edition(edition, config.weighting)
    units = programmes.programmes_of(edition)
    sums = programmes.programme_sums(scores, edition.answers, [i.scale for i in edition.questionnaire.items], units)
    tables = programmes.protection_tables(sums, scores, units, computed.results, computed.current)
    for full in (False, True):
        start = time.perf_counter()
        protection = protect_programmes(tables, config.thresholds.min_n, full=full)
        name = "protect_tables first" if full else "line rule first"
        print(f"  {name:<22} {time.perf_counter() - start:5.1f} s: hidden cells {int(protection.cell_hidden.sum()):,}, "
              f"opleiding totals {int(protection.programme_hidden.sum()):,}; joint step hid "
              f"{protection.stats['hidden_by_joint_audit']} more in {protection.stats['rounds']} rounds")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=20260527)
    parser.add_argument("--keep", type=Path, help="keep the data file in this folder")
    parser.add_argument("--compare-protection", action="store_true", help="also time both first steps of protection")
    args = parser.parse_args()
    from jobmonitor.reports.databestand import build_databestand

    data = national_data(args.respondents, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-databestand-"))
    try:
        config = load_config(ROOT / "site_config.yml", data_dir=data, out_dir=work / "site")
        out = args.keep or work / "databestand"
        print(f"national data file: {args.respondents:,} respondents per edition, data in {data}")
        start = time.perf_counter()
        report = build_databestand(config, out, progress=lambda m: print(f"  · {m}", flush=True))
        total = time.perf_counter() - start
        rss = peak_rss_mb()
        print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))
        for year, levels in report.counts.items():
            print(f"  edition {year}: " + "; ".join(f"{level} {c['published']:,} published, {c['suppressed']:,} suppressed"
                                                   for level, c in levels.items()))
        for year, reason in report.skipped.items():
            print(f"  edition {year} skipped: {reason}")
        year = max(report.counts)
        table = pd.read_csv(out / str(year) / f"JOB-monitor_{year}_databestand.csv", nrows=1)
        rows = sum(c["published"] + c["suppressed"] for c in report.counts[year].values())
        manifest = yaml.safe_load((out / str(year) / "manifest.json").read_text(encoding="utf-8"))
        protection = manifest["protection"]
        print("  protection: " + ", ".join(f"{k} {v}" for k, v in protection.items() if k != "joint_audit"))
        bare = bare_file(data, year, rows, len(table.columns), work / "bare.csv")
        print(f"total_s={total:.1f} rows={rows} hidden_counts_audited={protection['hidden_counts_audited']} "
              f"bare_s={bare:.1f} ratio_to_bare={total / bare:.2f} peak_rss_mb={rss:.0f}")
        if args.compare_protection:
            compare_protection(config)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
