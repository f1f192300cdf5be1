"""Chart rendering on the demo edition: time per chart and bytes per page, against vl-convert.

    python bench/charts.py [--vl-charts 10]

Measures, in the same run on the real charts of the demo site (see jobmonitor/site/charts.py
for the choice):
  plain  the SVG as built: marks drawn from the chart rows in Python, text at fixed positions
  vl     baseline: the same chart drawn whole by vl-convert (an altair spec with the questions,
         figures, axis and legend → vl_convert.vegalite_to_svg), a few charts only: it is slow
Times are CPU time of this process, best of a few runs (the machine may be busy). Prints one
line per measurement, the ratios vl / plain, and a summary line `key=value …`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobmonitor.site import charts, pages  # noqa: E402
from jobmonitor.config import load_config  # noqa: E402
from jobmonitor.compute.pipeline import compute, summary_counts  # noqa: E402
from jobmonitor.publish import site_inputs, weighting_summary  # noqa: E402
from jobmonitor.results import Summary  # noqa: E402
from jobmonitor.site.context import site_context  # noqa: E402


def cpu_ms(func, repeat: int = 3) -> float:
    """Best of `repeat` calls of func(), CPU time of this process in ms."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return 1000 * best


def demo_figures() -> tuple[list, dict]:
    """Every chart figure of the demo site, and the figures per page."""
    config = load_config(ROOT / "site_config.yml", out_dir=ROOT / "site")
    computed = compute(config)
    inputs = site_inputs(config, computed, Summary(summary_counts(computed), weighting_summary(computed)))
    figures = pages.page_figures(pages.build_page_specs(site_context(inputs)))
    by_page: dict[str, list] = {}
    for figure in figures:
        by_page.setdefault(figure.key.split("#")[0], []).append(figure)
    return figures, by_page


def full_vegalite(chart: charts.Chart) -> dict:
    """Baseline: one Vega-Lite spec of the whole chart (questions, figures, axis, legend)."""
    import altair as alt  # noqa: PLC0415

    rows = [{"key": r.key, "label": r.label, "low": r.low, "high": r.high, "value_text": r.value_text,
             "verdict": r.verdict_text} for r in chart.rows]
    points = [{"key": r.key, "series": s, "value": v} for r in chart.rows
              for s, v in (("own", r.estimate), ("benchmark", r.benchmark), ("previous", r.previous)) if v is not None]
    domain = list(chart.domain or charts.LAYOUTS[chart.kind].domain)
    y = alt.Y("key:N", sort=None, axis=alt.Axis(title=None, labelLimit=260, labelExpr="datum.label"))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y)
    interval = base.mark_rule(strokeWidth=2).encode(x=alt.X("low:Q", scale=alt.Scale(domain=domain), title=None),
                                                    x2="high:Q")
    shapes = alt.Chart(alt.Data(values=points)).mark_point(filled=True).encode(
        y=y, x="value:Q", shape=alt.Shape("series:N", legend=alt.Legend(orient="top")))
    labels = base.mark_text(align="left", dx=4).encode(x=alt.datum(domain[1]), text="value_text:N")
    questions = base.mark_text(align="left", dy=-12).encode(x=alt.datum(domain[0]), text="label:N")
    return alt.layer(interval, shapes, labels, questions).properties(width=240).to_dict()


def institution_page(by_page: dict) -> str:
    """The institution page with the most charts."""
    return max((p for p in by_page if p.startswith("instellingen/") and p.endswith("/index.md")),
               key=lambda p: len(by_page[p]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vl-charts", type=int, default=10, help="charts drawn by vl-convert (~50 ms each)")
    args = parser.parse_args(argv)
    import vl_convert  # noqa: PLC0415

    figures, by_page = demo_figures()
    every = [f.chart for f in figures]
    sample = every[: args.vl_charts]
    page = [f.chart for f in by_page[institution_page(by_page)]]
    r: dict[str, float] = {"charts_on_site": len(every), "vl_sample_charts": len(sample), "page_charts": len(page)}

    # plain: every chart of the site, then the sample alone (the charts vl-convert draws below).
    r["plain_site_ms"] = cpu_ms(lambda: charts.render_svgs(every))
    r["plain_ms_per_chart"] = r["plain_site_ms"] / len(every)
    r["plain_sample_ms_per_chart"] = cpu_ms(lambda: charts.render_svgs(sample), repeat=20) / len(sample)
    plain_page = charts.render_svgs(page)
    r["plain_kb_per_chart"] = statistics.mean(len(s) for s in charts.render_svgs(every)) / 1024
    r["plain_page_kb"] = sum(len(s) for s in plain_page) / 1024
    r["plain_page_gzip_kb"] = len(gzip.compress("".join(plain_page).encode())) / 1024

    # vl: the same charts drawn whole by vl-convert; altair's spec and vl-convert's drawing apart.
    specs = [full_vegalite(c) for c in sample]
    vl_convert.vegalite_to_svg(specs[0])  # start the JavaScript runtime outside the timing
    r["vl_spec_ms_per_chart"] = cpu_ms(lambda: [full_vegalite(c) for c in sample], repeat=2) / len(sample)
    r["vl_draw_ms_per_chart"] = cpu_ms(lambda: [vl_convert.vegalite_to_svg(s) for s in specs], repeat=2) / len(sample)
    r["vl_ms_per_chart"] = r["vl_spec_ms_per_chart"] + r["vl_draw_ms_per_chart"]
    r["vl_kb_per_chart"] = statistics.mean(len(vl_convert.vegalite_to_svg(s)) for s in specs) / 1024
    vl_page = [vl_convert.vegalite_to_svg(full_vegalite(c)) for c in page]
    r["vl_page_kb"] = sum(len(s) for s in vl_page) / 1024
    r["vl_page_gzip_kb"] = len(gzip.compress("".join(vl_page).encode())) / 1024

    r["ratio_time"] = r["vl_ms_per_chart"] / r["plain_sample_ms_per_chart"]
    r["ratio_time_draw_only"] = r["vl_draw_ms_per_chart"] / r["plain_sample_ms_per_chart"]
    r["ratio_bytes_per_chart"] = r["vl_kb_per_chart"] / r["plain_kb_per_chart"]
    r["ratio_page_bytes"] = r["vl_page_kb"] / r["plain_page_kb"]
    r["ratio_page_gzip"] = r["vl_page_gzip_kb"] / r["plain_page_gzip_kb"]
    for key, value in r.items():
        print(f"  {key:<26} {value:10.3f}")
    print(" ".join(f"{key}={value:.3f}" for key, value in r.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
