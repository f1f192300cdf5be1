"""Chart rendering options on the demo edition: time per chart and bytes per page.

    python bench/charts.py [--charts 120]

Compares, on the real theme charts of the demo site (see jobmonitor/charts.py for the choice):
  A. Vega-Lite + JavaScript served by the site: spec per chart, bundle bytes, CSP needs
  B. static SVG, everything (questions, figures, axis, legend) drawn by vl-convert
  C. static SVG as built: vl-convert draws the marks of a batch of charts in one view,
     charts.py writes the text (chosen)
Prints one line per measurement and a summary line `key=value …`. Times of single options are
CPU time of this process (best of a few runs: the machine may be busy); vl-convert runs in this
process for them (a benchmark, not the build, which keeps it in a worker process).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
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


def per_chart_ms(func, items, repeat: int = 3) -> float:
    """Best of `repeat` runs, CPU time of this process (the machine may be busy), ms per item."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            func(item)
        best = min(best, time.process_time() - start)
    return 1000 * best / len(items)


def demo_figures() -> tuple[list, dict]:
    config = load_config(ROOT / "site_config.yml", out_dir=ROOT / "site")
    computed = compute(config)
    inputs = site_inputs(config, computed, summary_counts(computed), weighting_summary(computed))
    specs = pages.build_page_specs(inputs)
    by_page: dict[str, list] = {}
    for figure in pages.page_figures(specs):
        by_page.setdefault(figure.key.split("#")[0], []).append(figure)
    return pages.page_figures(specs), by_page


def full_vegalite(chart: charts.Chart) -> dict:
    """Option B: one Vega-Lite spec with the text inside (questions, values, axis, legend)."""
    import altair as alt

    rows = [{"key": r.key, "label": r.label, "low": r.low, "high": r.high, "value_text": r.value_text,
             "verdict": r.verdict_text} for r in chart.rows]
    points = [{"key": r.key, "series": s, "value": v} for r in chart.rows
              for s, v in (("own", r.estimate), ("benchmark", r.benchmark), ("previous", r.previous)) if v is not None]
    y = alt.Y("key:N", sort=None, axis=alt.Axis(title=None, labelLimit=260, labelExpr="datum.label"))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y)
    interval = base.mark_rule(strokeWidth=2).encode(x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100]), title="%"),
                                                    x2="high:Q")
    shapes = alt.Chart(alt.Data(values=points)).mark_point(filled=True).encode(
        y=y, x="value:Q", shape=alt.Shape("series:N", legend=alt.Legend(orient="top")))
    labels = base.mark_text(align="left", dx=4).encode(x=alt.datum(100), text="value_text:N")
    questions = base.mark_text(align="left", dy=-12).encode(x=alt.datum(0), text="label:N")
    return alt.layer(interval, shapes, labels, questions).properties(width=240).to_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=120, help="charts timed per option")
    args = parser.parse_args(argv)
    import vl_convert

    figures, by_page = demo_figures()
    sample = [f.chart for f in figures if f.chart.kind == "pct"][: args.charts]
    results: dict[str, float] = {"charts_on_site": len(figures)}

    # C end to end, as the build runs it (before vl-convert is loaded here, so workers fork):
    # wall time of every chart of the site, and of one chart (the worker's start).
    for key, subset in (("site_charts_wall_s", figures), ("one_chart_wall_s", figures[:1])):
        start = time.perf_counter()
        charts.render_svgs([f.chart for f in subset])
        results[key] = time.perf_counter() - start

    # Spec building: a fresh altair chart per chart vs the compiled template with data swapped.
    template = charts.vegalite_template("pct")
    compiled = vl_convert.vegalite_to_vega(template)
    results["altair_spec_ms"] = per_chart_ms(lambda c: full_vegalite(c), sample[:30], repeat=1)
    ys = {id(c): charts._dot_positions(charts._row_lines(c, charts.LAYOUTS["pct"]), charts.LAYOUTS["pct"]) for c in sample}
    results["swap_spec_ms"] = per_chart_ms(
        lambda c: charts.with_data(compiled, charts.stacked_data([c], [ys[id(c)][0]]), ys[id(c)][1]), sample)

    # A. JavaScript: the bundle once (cached after the first page), a spec per chart in the page.
    bundle = vl_convert.javascript_bundle()
    specs = [json.dumps(copy.deepcopy(full_vegalite(c)), separators=(",", ":")) for c in sample[:30]]
    results["js_bundle_kb"] = len(bundle.encode()) / 1024
    results["js_bundle_gzip_kb"] = len(gzip.compress(bundle.encode())) / 1024
    results["js_spec_kb_per_chart"] = statistics.mean(len(s) for s in specs) / 1024
    results["js_needs_unsafe_eval"] = float("new Function" in bundle or "Function(" in bundle)

    # B. Everything drawn by vl-convert, one call per chart.
    full = [full_vegalite(c) for c in sample[:30]]
    vl_convert.vegalite_to_svg(full[0])  # start the runtime outside the timing
    results["svg_full_ms"] = per_chart_ms(vl_convert.vegalite_to_svg, full, repeat=1)
    results["svg_full_kb"] = statistics.mean(len(vl_convert.vegalite_to_svg(s)) for s in full[:10]) / 1024

    # C. As built: one Vega view per batch of charts, text written by charts.py.
    batch = sample[: charts.BATCH]
    data = charts.stacked_data(batch, [ys[id(c)][0] for c in batch])

    def draw_batch(_):
        svg = vl_convert.vega_to_svg(charts.with_data(compiled, data, len(batch) * charts.STRIDE))
        marks = charts.split_marks(svg, len(batch))
        return [charts.chart_svg(c, m, charts._row_lines(c, charts.LAYOUTS["pct"]), *ys[id(c)])
                for c, m in zip(batch, marks)]

    results["svg_chosen_ms"] = per_chart_ms(draw_batch, [None]) / len(batch)
    drawn = charts.render_svgs([f.chart for f in figures])
    results["svg_chosen_kb"] = statistics.mean(len(svg) for svg in drawn) / 1024

    # Bytes of an institution page's charts: inline SVG vs JS specs (bundle not counted).
    page = max(by_page, key=lambda p: len(by_page[p]) if p.startswith("instellingen/") and p.endswith("/index.md") else 0)
    page_svgs = charts.render_svgs([f.chart for f in by_page[page]])
    results["page_charts"] = len(page_svgs)
    results["page_svg_kb"] = sum(len(s) for s in page_svgs) / 1024
    results["page_svg_gzip_kb"] = len(gzip.compress("".join(page_svgs).encode())) / 1024
    page_specs = "".join(json.dumps(full_vegalite(f.chart), separators=(",", ":")) for f in by_page[page])
    results["page_js_specs_kb"] = len(page_specs) / 1024
    results["page_js_specs_gzip_kb"] = len(gzip.compress(page_specs.encode())) / 1024

    for key, value in results.items():
        print(f"  {key:<24} {value:10.2f}")
    print(" ".join(f"{key}={value:.2f}" for key, value in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
