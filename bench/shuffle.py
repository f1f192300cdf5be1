"""Independent check of the benchmark markers (issue 13): how many institution × domain units
get ANY benchmark marker when no unit truly differs from the rest of its domain?

    python bench/shuffle.py [--config site_config.yml] [--shuffles 200] [--seed 1]
                            [--national DIR] [--national-shuffles 100]

The edition is loaded once (`load_edition`). Each shuffle permutes the respondents' answers —
whole rows of `edition.answers`, together with their provided weight — among the respondents of
the same domain, leaving every background column (institution, domain, leerweg, gender, niveau)
in place. Every cell keeps its size, but its answers are a random draw from its domain, so no
institution × domain cell truly differs from the rest of its domain. The edition is then
computed by the real stages (`compute_edition`: score → aggregate → estimate → disclosure) and
`significance(table, None, {}, thresholds)`, and we count the units (institution × domain)
with at least one shown (published or indicative) benchmark-tested row, and among them the
units with at least one benchmark marker.

Two one-sided 95 % upper bounds of that share are printed: Clopper–Pearson over all unit draws
(treats the draws as independent), and mean + t·SE over the per-shuffle shares (the shuffles
are independent; units within one shuffle share their domain's rest). The check passes when
both are ≤ α.

Why so many shuffles: the share sits close to α (0.042 demo, 0.045 national), and a 95 % bound
comes within 0.005 of a share of 0.045 only from ~5,000 unit draws on. The demo has 52 tested
units a shuffle (200 shuffles ≈ 10,400 draws, ~1 min), the national edition 568 (100 shuffles ≈
57,000 draws, ~3 min; 20 shuffles gave 0.048 with a bound of 0.051).

Institution and domain units (tested against the national rest) are not judged: a within-domain
shuffle keeps their mix of domains, so they can truly differ from the rest.

`--national DIR` runs the same on a national-scale edition in DIR (e.g. made by
`python build.py demo --scale national --out /tmp/natdemo`; the config's thresholds apply).
Last line: key=value pairs.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobmonitor.compute.load import Edition, load_edition  # noqa: E402
from jobmonitor.compute.pipeline import Timings, compute_edition  # noqa: E402
from jobmonitor.compute.significance import significance  # noqa: E402
from jobmonitor.config import Config, load_config  # noqa: E402
from jobmonitor.results import SUPPRESSED  # noqa: E402

CONFIDENCE = 0.95


def shuffled(edition: Edition, rng: np.random.Generator) -> Edition:
    """The edition with answer rows (and provided weights) permuted within each domain."""
    domain = edition.responses["domain_id"].cat.codes.to_numpy()
    grouped = np.argsort(domain, kind="stable")  # rows grouped by domain, original order
    drawn = np.lexsort((rng.random(len(domain)), domain))  # rows grouped by domain, random order
    source = np.empty_like(grouped)
    source[grouped] = drawn  # row grouped[i] gets the answers of row drawn[i]: same domain
    assert (domain[source] == domain).all()
    responses = edition.responses
    if "weight" in responses.columns:
        responses = responses.assign(weight=responses["weight"].to_numpy()[source])
    return dataclasses.replace(edition, answers=np.asfortranarray(edition.answers[source]), responses=responses)


def unit_markers(edition: Edition, config: Config) -> pd.DataFrame:
    """Per institution × domain unit with a shown benchmark test: tests, markers, any marker."""
    table = compute_edition(edition, config, Timings()).table
    table = significance(table, None, {}, config.thresholds)
    cells = table[table["level"] == "institution_domain"]
    shown = ~cells["status"].isin(SUPPRESSED) & cells["p_value"].notna()
    cells = cells[shown.to_numpy()]
    marked = cells["marker"] != ""
    is_mean = cells["measure"] == "mean"
    per_unit = pd.DataFrame({
        "tests": 1, "markers": marked, "mean_markers": marked & is_mean, "pct_markers": marked & ~is_mean,
        "raw": cells["p_value"] < config.thresholds.alpha, "n": cells["n"],
        "institution_id": cells["institution_id"], "domain_id": cells["domain_id"],
    }).groupby(["institution_id", "domain_id"], observed=True).sum()
    per_unit["any"] = per_unit["markers"] > 0
    per_unit["n"] = per_unit["n"] / per_unit["tests"]  # mean respondents per test of the unit
    return per_unit


def cp_upper(k: int, n: int) -> float:
    return 1.0 if k >= n else float(sps.beta.ppf(CONFIDENCE, k + 1, n - k))


def run(name: str, config: Config, shuffles: int, seed: int) -> dict[str, object]:
    start = time.perf_counter()
    edition = load_edition(config.edition_dir(config.edition), config.edition)
    load_s = time.perf_counter() - start
    weighting = "provided (shuffled with the answers)" if "weight" in edition.responses.columns else "post-stratified"
    print(f"[{name}] {config.edition_dir(config.edition)}: {len(edition.responses):,} respondents, "
          f"{edition.answers.shape[1]} items, weights {weighting}, load {load_s:.1f} s")
    original = unit_markers(edition, config)
    print(f"[{name}] unshuffled: {int(original['any'].sum())} of {len(original)} units with a marker "
          f"({original['any'].mean():.3f}), {int(original['markers'].sum())} markers of {int(original['tests'].sum())} tests")
    shares, frames, seconds = [], [], []
    for k in range(shuffles):
        tick = time.perf_counter()
        units = unit_markers(shuffled(edition, np.random.default_rng([seed, k])), config)
        seconds.append(time.perf_counter() - tick)
        shares.append(units["any"].mean())
        frames.append(units)
        print(f"[{name}] shuffle {k + 1:2d}: {int(units['any'].sum()):3d} of {len(units)} units with a marker "
              f"({shares[-1]:.3f}); markers {int(units['markers'].sum())} of {int(units['tests'].sum())} tests "
              f"(means {int(units['mean_markers'].sum())}, percentages {int(units['pct_markers'].sum())}); {seconds[-1]:.1f} s")
    units = pd.concat(frames)
    alpha = config.thresholds.alpha
    marked, total = int(units["any"].sum()), len(units)
    shares = np.array(shares)
    cluster = shares.mean() + sps.t.ppf(CONFIDENCE, len(shares) - 1) * shares.std(ddof=1) / np.sqrt(len(shares)) \
        if len(shares) > 1 else float("nan")
    upper = cp_upper(marked, total)
    tests, markers = int(units["tests"].sum()), int(units["markers"].sum())
    result = {
        "units": total, "marked": marked, "share": round(marked / total, 4), "cp_upper": round(upper, 4),
        "cluster_upper": round(float(cluster), 4), "test_share": round(markers / tests, 5),
        "mean_marker_share": round(int(units["mean_markers"].sum()) / max(markers, 1), 3),
        "raw_test_share": round(int(units["raw"].sum()) / tests, 4),
        "s_per_shuffle": round(float(np.mean(seconds)), 2),
        "ok": bool(upper <= alpha and cluster <= alpha),
    }
    by_size = units.groupby(pd.cut(units["n"], [0, 20, 40, 100, 300, np.inf]), observed=True)["any"].agg(["mean", "count"])
    print(f"[{name}] share of units with a marker by respondents per unit: "
          + ", ".join(f"{band} {row['mean']:.3f} ({int(row['count'])})" for band, row in by_size.iterrows()))
    print(f"[{name}] {shuffles} shuffles: {marked} of {total} unit draws with a marker = {marked / total:.4f}; "
          f"95 % upper bound {upper:.4f} (Clopper–Pearson), {cluster:.4f} (over shuffles); α = {alpha}; "
          f"{'OK' if result['ok'] else 'ABOVE α'}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "site_config.yml")
    parser.add_argument("--shuffles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--national", type=Path, help="folder with a national-scale edition (one sub-folder per year)")
    parser.add_argument("--national-shuffles", type=int, default=100)
    args = parser.parse_args(argv)
    results = {"demo": run("demo", load_config(args.config), args.shuffles, args.seed)}
    if args.national:
        config = load_config(args.config, data_dir=args.national)
        results["national"] = run("national", config, args.national_shuffles, args.seed)
    alpha = load_config(args.config).thresholds.alpha
    line = [f"alpha={alpha}"] + [f"{name}_{key}={value}" for name, result in results.items() for key, value in result.items()]
    print(" ".join(line))
    return 0 if all(result["ok"] for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
