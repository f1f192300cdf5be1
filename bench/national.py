"""National-scale benchmark: the full build, stage by stage, against bare baselines measured
in the same run on the same data (ratios, not absolute seconds, are what to compare).

    python bench/national.py [--respondents 250000] [--seed 20260527] [--keep DIR] [--zensical EXE] [--protect-linked]

Prints seconds per stage, peak RSS and pages, then one line:
total_s=… peak_rss_mb=… pages=… ratio_compute=… ratio_pages=… ratio_site=…
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobmonitor.config import load_config  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def national_data(respondents: int, seed: int) -> Path:
    """Generate the national editions once per (respondents, seed) and reuse them."""
    from jobmonitor.demo import EDITIONS, generate_demo

    folder = CACHE / f"national-{respondents}-{seed}"
    if not all((folder / str(year) / "responses.parquet").is_file() for year in EDITIONS):
        shutil.rmtree(folder, ignore_errors=True)
        generate_demo(folder, scale="national", seed=seed, respondents=respondents)
    return folder


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(label: str, seconds: dict, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds[label] = time.perf_counter() - start
    print(f"  {label:<28} {seconds[label]:7.2f} s   rss {peak_rss_mb():7.0f} MB", flush=True)
    return result


def bare_compute(data_dir: Path, years: list[int]) -> None:
    """Baseline: read each edition and sum n, Σw, Σw², Σwx per institution × domain × item with
    np.bincount over group codes; margins by summing cells (what any implementation must do)."""
    import yaml

    for year in years:
        folder = data_dir / str(year)
        frame = pd.read_parquet(folder / "responses.parquet")
        items = [i["id"] for i in yaml.safe_load((folder / "questionnaire.yml").read_text())["items"]]
        inst = frame["institution_id"].astype("category").cat.codes.to_numpy().astype("int64")
        dom = frame["domain_id"].astype("category").cat.codes.to_numpy().astype("int64")
        cells = inst * (dom.max() + 1) + dom
        w = frame["weight"].to_numpy("float64") if "weight" in frame else np.ones(len(frame))  # one edition ships none
        size = int(cells.max()) + 1
        for item in items:
            x = frame[item].to_numpy("float64", na_value=np.nan)
            valid = ~np.isnan(x)
            key, wv = cells[valid], w[valid]
            sums = [np.bincount(key, minlength=size), np.bincount(key, wv, minlength=size),
                    np.bincount(key, wv * wv, minlength=size), np.bincount(key, wv * x[valid], minlength=size)]
            np.stack(sums).reshape(4, inst.max() + 1, -1).sum(axis=2)


def bare_pages(count: int, out: Path) -> None:
    """Baseline: one jinja2 template rendered `count` times with a table of 150 rows."""
    import jinja2

    template = jinja2.Environment(autoescape=True).from_string(
        "# {{ title }}\n\n<table>{% for r in rows %}<tr><th>{{ r.0 }}</th><td>{{ r.1 }}</td><td>{{ r.2 }}</td></tr>{% endfor %}</table>\n"
    )
    rows = [(f"Vraag {k}", f"{k / 3:.1f} %", f"{k}") for k in range(150)]
    out.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        (out / f"page{k}.md").write_text(template.render(title=f"Pagina {k}", rows=rows), encoding="utf-8")


def bare_mkdocs(docs: Path, out: Path) -> None:
    """Baseline: plain `mkdocs build` of the same markdown with the same theme and nav shape."""
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as mkdocs_load

    config_file = docs.parent / "mkdocs-bare.yml"
    config_file.write_text(yaml.safe_dump({
        "site_name": "bare", "docs_dir": str(docs), "site_dir": str(out),
        "theme": {"name": "material", "language": "nl", "font": False},
        "nav": [{"Home": "index.md"}], "plugins": ["search"],
    }))
    config = mkdocs_load(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def bare_zensical(executable: Path, project: Path) -> None:
    """Comparison: Zensical (the mkdocs-material team's successor) on the same mkdocs.yml and
    docs. It has no mkdocs plugin API, so it builds without our table passthrough and CSP
    hashes: an upper bound on what switching could gain. Install it in its own venv."""
    import subprocess

    subprocess.run([str(executable), "build", "-f", str(project / "mkdocs.yml"), "-c"], cwd=project,
                   check=True, capture_output=True)


def run(respondents: int, seed: int, keep: Path | None, zensical: Path | None = None,
        protect_linked: bool = False) -> None:
    from jobmonitor.site import mkdocs_site as site_module
    from jobmonitor.compute.pipeline import compute, summary_counts
    from jobmonitor.publish import build, site_inputs, weighting_summary
    from jobmonitor.results import Summary

    data = timed("generate/reuse data", {}, national_data, respondents, seed)
    work = Path(keep or tempfile.mkdtemp(prefix="bench-national-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = load_config(ROOT / "site_config.yml", data_dir=data, out_dir=work / "site")
    if protect_linked:
        config = config.model_copy(update={"thresholds": config.thresholds.model_copy(update={"protect_linked": True})})
    print(f"national benchmark: {respondents:,} respondents per edition, data in {data}")
    print("full build (python build.py, as in production):")
    start = time.perf_counter()
    report = build(config)
    total = time.perf_counter() - start
    for stage, value in report.timings.items():
        print(f"  {stage:<28} {value:7.2f} s")
    build_peak = peak_rss_mb()
    print(f"  {'total':<28} {total:7.2f} s   rss {build_peak:7.0f} MB")
    print("instrumented stages (for the ratios):")
    seconds: dict[str, float] = {}
    computed = timed("compute (load→results)", seconds, compute, config)
    summary = Summary(summary_counts(computed), weighting_summary(computed), report.manifest)
    inputs = site_inputs(config, computed, summary)
    project = work / "project"
    pages = timed("pages + charts", seconds, site_module.prepare_project, inputs, project, preview=True)
    with site_module.build_environment(int(config.embargo.timestamp())):
        timed("mkdocs-material", seconds, site_module.run_mkdocs, project / "mkdocs.yml")
    print("baselines (same data, same run):")
    base: dict[str, float] = {}
    timed("bare numpy bincount", base, bare_compute, data, [config.edition, config.previous_edition])
    timed("bare jinja2 pages", base, bare_pages, pages, work / "bare-pages")
    timed("bare mkdocs build", base, bare_mkdocs, project / "docs", work / "bare-site")
    if zensical:
        timed("zensical build (same docs)", base, bare_zensical, zensical, project)
        print(f"  zensical ÷ bare mkdocs: {base['zensical build (same docs)'] / base['bare mkdocs build']:.2f}; "
              f"our mkdocs-material stage ÷ zensical: {seconds['mkdocs-material'] / base['zensical build (same docs)']:.2f}")
    _report(report.counts, total, pages, seconds, base, build_peak)


def _report(counts, total, pages, seconds, base, build_peak: float) -> None:
    """`build_peak`: the build's own peak memory (the bare baselines that run after it peak
    on their own and must not count)."""
    for year, per_status in counts.items():
        cells = sum(per_status.values())
        shares = ", ".join(f"{k} {100 * v / cells:.1f} %" for k, v in per_status.items())
        print(f"  edition {year}: {cells:,} cells — {shares}")
    ratios = {
        "ratio_compute": seconds["compute (load→results)"] / base["bare numpy bincount"],
        "ratio_pages": seconds["pages + charts"] / base["bare jinja2 pages"],
        "ratio_site": seconds["mkdocs-material"] / base["bare mkdocs build"],
    }
    print(f"total_s={total:.1f} peak_rss_mb={build_peak:.0f} pages={pages} "
          + " ".join(f"{k}={v:.2f}" for k, v in ratios.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=20260527)
    parser.add_argument("--keep", type=Path, help="keep the work folder here (site, docs) for inspection")
    parser.add_argument("--zensical", type=Path, help="also time this zensical executable on the same docs")
    parser.add_argument("--protect-linked", action="store_true", help="with thresholds.protect_linked (whole units)")
    args = parser.parse_args()
    run(args.respondents, args.seed, args.keep, args.zensical, args.protect_linked)


if __name__ == "__main__":
    main()
