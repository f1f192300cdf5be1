"""The compare page's pairwise tests: `jobmonitor.compute.pairs.compare_pair` against independent
computations (statsmodels, scipy) on hand cases, and the browser's port
(content/javascripts/vergelijk-stats.js) against that reference on thousands of random items —
same p-values to 1e-9, same markers and verdicts everywhere — run in node."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.multitest import multipletests

from jobmonitor.compute.pairs import compare_pair
from jobmonitor.compute.two_sample import fisher_two_sided, needs_exact, rounded_counts
from jobmonitor.config import Thresholds

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "content" / "javascripts" / "vergelijk-stats.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed, so the JavaScript port cannot be run "
                                "(install nodejs to check it against the Python reference)")
REL, ABS = 1e-9, 1e-12
NAN = float("nan")
# Random pairs for the port's check, and the thresholds they are judged with.
PAIRS = 240
THRESHOLDS = [
    {"alpha": 0.05, "min_difference_pct": 5.0, "min_effect_size_mean": 0.2, "multiple_testing": "bh"},
    {"alpha": 0.05, "min_difference_pct": 5.0, "min_effect_size_mean": 0.2, "multiple_testing": "none"},
    {"alpha": 0.01, "min_difference_pct": 0.0, "min_effect_size_mean": 0.0, "multiple_testing": "bh"},
    {"alpha": 0.1, "min_difference_pct": 3.0, "min_effect_size_mean": 0.5, "multiple_testing": "holm"},
]


def pct(estimate, n_eff, direction="higher_better", measure="pct_positive"):
    return {"measure": measure, "direction": direction, "estimate": estimate, "n_eff": n_eff}


def mean(estimate, sd, n_eff, skew=NAN, kurt=NAN, direction="higher_better"):
    return {"measure": "mean", "direction": direction, "estimate": estimate, "n_eff": n_eff, "sd": sd,
            "skew": skew, "kurt": kurt}


def frame(rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{"item_id": k, **v} for k, v in rows.items()])


def pair(own: dict, other: dict, **thresholds) -> pd.DataFrame:
    return compare_pair(frame(own), frame(other), Thresholds(**thresholds))


# --- the reference against independent computations ---------------------------------------------

def test_a_percentage_uses_the_pooled_z_test_and_cohens_h():
    out = pair({"Q1": pct(60.0, 200.0)}, {"Q1": pct(70.0, 300.0)}).loc["Q1"]
    _, expected = sm_proportion.proportions_ztest([210, 120], [300, 200])  # pooled variance
    assert out["p_value"] == pytest.approx(expected, rel=REL)
    assert out["p_adjusted"] == out["p_value"]  # a family of one
    assert out["effect_size"] == pytest.approx(sm_proportion.proportion_effectsize(0.7, 0.6), rel=REL)
    assert out["difference"] == pytest.approx(10.0)
    assert (out["marker"], out["verdict"]) == ("+", "favourable")


def test_a_small_table_uses_fishers_exact_test_and_a_lower_better_decrease_is_favourable():
    # 16 of 16 (100 %) at jouw school, 50 % of n_eff 20.4 (rounded: 10 of 20) at the other.
    out = pair({"Q1": pct(100.0, 16.0, "lower_better")}, {"Q1": pct(50.0, 20.4, "lower_better")}).loc["Q1"]
    assert out["p_value"] == pytest.approx(sps.fisher_exact([[10, 10], [16, 0]]).pvalue, rel=REL)
    assert out["difference"] == -50.0
    assert (out["marker"], out["verdict"]) == ("-", "favourable")
    worse = pair({"Q1": pct(50.0, 20.4, "lower_better")}, {"Q1": pct(100.0, 16.0, "lower_better")}).loc["Q1"]
    assert (worse["marker"], worse["verdict"]) == ("+", "unfavourable")


def test_a_mean_uses_welch_with_the_other_schools_skewness_and_cohens_d():
    own = {"M1": mean(7.0, 1.2, 40.5, skew=3.0, kurt=9.0), "M2": mean(7.0, 1.2, 40.5)}
    other = {"M1": mean(7.6, 0.9, 25.0, skew=-0.8, kurt=1.1), "M2": mean(7.6, 0.9, 25.0)}
    out = pair(own, other, multiple_testing="none")
    welch = sps.ttest_ind_from_stats(7.6, 0.9, 25.0, 7.0, 1.2, 40.5, equal_var=False)
    # Hall's second-order Edgeworth term of group 1 (the other school), written out here.
    a, b = 0.9**2 / 25.0, 1.2**2 / 40.5
    t, w = abs(welch.statistic), a / (a + b)
    term = (-0.8) ** 2 * w**3 * (t**4 + 2 * t**2 - 3) / 18 - 1.1 * w**2 * (t**2 - 3) / 12
    edgeworth = 2 / 25.0 * math.exp(-t * t / 2) / math.sqrt(2 * math.pi) * t * term
    assert out.loc["M1", "p_value"] == pytest.approx(welch.pvalue + edgeworth, rel=REL)
    assert out.loc["M2", "p_value"] == pytest.approx(welch.pvalue, rel=REL)  # no moments: plain Welch
    pooled_sd = math.sqrt((24.0 * 0.81 + 39.5 * 1.44) / (25.0 + 40.5 - 2))
    assert out.loc["M1", "effect_size"] == pytest.approx(0.6 / pooled_sd, rel=REL)
    assert out.loc["M1", "verdict"] == "favourable"


def test_a_neutral_item_is_only_higher_or_lower():
    own = {"N1": pct(45.0, 800.0, "neutral", "pct_yes"), "N2": pct(45.0, 800.0, "neutral", "pct_yes")}
    other = {"N1": pct(30.0, 900.0, "neutral", "pct_yes"), "N2": pct(60.0, 900.0, "neutral", "pct_yes")}
    out = pair(own, other)
    assert out["verdict"].tolist() == ["lower", "higher"]
    assert out["marker"].tolist() == ["-", "+"]


def test_benjamini_hochberg_within_the_pair_can_remove_a_marker():
    own = {"Q1": pct(50.0, 400.0), "Q2": pct(50.0, 400.0), "Q3": pct(50.0, 400.0)}
    other = {"Q1": pct(57.5, 400.0), "Q2": pct(51.0, 400.0), "Q3": pct(49.5, 400.0)}
    raw = pair(own, other, multiple_testing="none")
    assert raw.loc["Q1", "p_value"] < 0.05 and raw.loc["Q1", "marker"] == "+"
    adjusted = pair(own, other)
    expected = multipletests(raw["p_value"], method="fdr_bh")[1]
    np.testing.assert_allclose(adjusted["p_adjusted"], expected, rtol=REL)
    assert adjusted.loc["Q1", "p_adjusted"] > 0.05
    assert (adjusted.loc["Q1", "marker"], adjusted.loc["Q1", "verdict"]) == ("", "no_difference")


def test_a_significant_but_small_difference_has_no_marker():
    out = pair({"Q1": pct(50.0, 2000.0)}, {"Q1": pct(54.0, 2000.0)}).loc["Q1"]
    assert out["p_value"] < 0.05 and out["marker"] == ""


def test_only_items_both_published_are_compared_and_trend_scores_never_tested():
    own = {"Q1": pct(50.0, 100.0), "Q2": pct(50.0, 100.0), "T1__trend": mean(3.5, 0.5, 100.0)}
    other = {"Q1": pct(80.0, 100.0), "T1__trend": mean(4.5, 0.5, 100.0), "Q9": pct(10.0, 100.0)}
    out = pair(own, other)
    assert out.index.tolist() == ["Q1", "T1__trend"]
    assert np.isnan(out.loc["T1__trend", "p_value"]) and out.loc["T1__trend", "verdict"] == ""


def test_an_item_measured_differently_by_the_two_units_is_refused():
    with pytest.raises(ValueError, match="measure"):
        pair({"Q1": pct(50.0, 100.0)}, {"Q1": pct(50.0, 100.0, measure="pct_yes")})


# --- the JavaScript port against the reference -----------------------------------------------------

def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def run_js(calls: list) -> list:
    """Each call [function name, [arguments]] run by the script in node. NaN goes in as null (as
    in the site's JSON); results come back with NaN and ±Infinity as strings, so none is lost."""
    code = ("const s = require(process.argv[1]); let d = '';"
            "const keep = (k, v) => typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;"
            "process.stdin.on('data', c => d += c).on('end', () => process.stdout.write(JSON.stringify("
            "JSON.parse(d).map(([f, a]) => s[f](...a)), keep)));")
    done = subprocess.run([NODE, "-e", code, str(SCRIPT)], input=json.dumps(_json_safe(calls), allow_nan=False),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _n_eff(rng) -> float:
    kind = rng.integers(7)
    if kind == 0:
        return float(rng.integers(10, 41))  # the small units the site really has
    if kind == 1:
        return float(rng.integers(10, 1000)) + 0.5  # ties for rint
    if kind == 2:
        return float(2 * rng.integers(5, 1000))  # even: ties of rint(n · p) with shares of k/8
    if kind == 3 and rng.random() < 0.15:
        return [NAN, 0.0, 1.0, 1.5][rng.integers(4)]  # not testable
    return float(np.exp(rng.uniform(np.log(10), np.log(2000))))


def _share(rng) -> float:
    kind = rng.integers(6)
    if kind == 0:
        return [0.0, 100.0][rng.integers(2)]
    if kind == 1:
        return 12.5 * rng.integers(0, 9)
    if kind == 2:
        return float(rng.uniform(0, 4)) if rng.random() < 0.5 else float(rng.uniform(96, 100))
    if kind == 3:
        return round(float(rng.uniform(0, 100)), 1)
    return float(rng.uniform(0, 100))


def _pct_rows(rng, measure, direction):
    own = pct(_share(rng), _n_eff(rng), direction, measure)
    kind = rng.integers(4)
    if kind == 0:  # on a relevance boundary (in one decimal, so the difference may be 4.999…), or equal
        own["estimate"] = round(float(rng.uniform(5, 95)), 1)
        estimate = round(own["estimate"] + [-5.0, 5.0, -3.0, 3.0, 0.0, 4.99][rng.integers(6)], 1)
    elif kind == 1:
        estimate = float(np.clip(own["estimate"] + rng.normal(0, 6), 0, 100))
    else:
        estimate = _share(rng)
    # Equal sizes: the exact test's mirror-image tables tie.
    n_eff = own["n_eff"] if rng.random() < 0.25 else _n_eff(rng)
    return own, pct(estimate, n_eff, direction, measure)


def _moments(rng):
    skew = float(rng.normal(-0.5, 0.8)) if rng.random() < 0.8 else NAN
    kurt = float(rng.uniform(-1.2, 4.0)) if rng.random() < 0.8 else NAN
    return skew, kurt


def _mean_rows(rng, direction):
    top = [10.0, 5.0][rng.integers(2)]
    n1, n2 = _n_eff(rng), _n_eff(rng)
    sd1, sd2 = (float(rng.uniform(0.2, top / 3)) for _ in range(2))
    kind = rng.integers(8)
    if kind == 0:  # no spread: equal or different means
        sd1, sd2 = 0.0, 0.0 if rng.random() < 0.5 else sd2
    if kind == 1:
        sd1 = NAN
    m1 = float(rng.uniform(1, top))
    se = math.sqrt((sd1 or 0.0) ** 2 / max(n1, 2) + sd2**2 / max(n2, 2)) if sd1 == sd1 else 0.1
    m2 = m1 if kind == 0 and rng.random() < 0.5 else m1 + float(rng.normal(0, 2.5)) * (se or 0.1)
    return (mean(m1, sd1, n1, *_moments(rng), direction=direction),
            mean(m2, sd2, n2, *_moments(rng), direction=direction))


def random_pair(rng, index: int):
    """Two units' published rows: 5–16 shared items of every kind, a few items only one unit
    published, now and then a trend score."""
    own, other = {}, {}
    for j in range(int(rng.integers(5, 17))):
        direction = ["higher_better", "lower_better", "neutral"][rng.integers(3)]
        measure = ["pct_positive", "pct_yes", "mean"][rng.integers(3)]
        rows = _mean_rows(rng, direction) if measure == "mean" else _pct_rows(rng, measure, direction)
        item = f"P{index}Q{j}" + ("__trend" if rng.random() < 0.02 else "")
        own[item], other[item] = rows
    own[f"P{index}only_own"] = pct(50.0, 100.0)
    other[f"P{index}only_other"] = pct(50.0, 100.0)
    return own, other


def _close(a, b) -> bool:
    a = float(a)  # "NaN", "Infinity" and "-Infinity" from node
    return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= ABS + REL * abs(b)


@needs_node
def test_the_javascript_port_gives_the_reference_p_values_markers_and_verdicts():
    rng = np.random.default_rng(20240611)
    cases = [(*random_pair(rng, k), THRESHOLDS[k % len(THRESHOLDS)]) for k in range(PAIRS)]
    # Differences of 5 points that the subtraction makes 4.999999999999998: relevant all the same.
    slack = {f"S{k}": (pct(a, 2000.0), pct(b, 2000.0))
             for k, (a, b) in enumerate([(5.2, 10.2), (7.7, 12.7), (16.4, 11.4)])}
    cases.append(({k: v[0] for k, v in slack.items()}, {k: v[1] for k, v in slack.items()}, THRESHOLDS[0]))
    js = run_js([["comparePair", [own, other, limits]] for own, other, limits in cases])
    mismatches, items, verdicts, exact = [], 0, set(), 0
    for (own, other, limits), got in zip(cases, js):
        expected = compare_pair(frame(own), frame(other), Thresholds(**limits))
        assert sorted(got) == sorted(expected.index), "the port compares other items"
        for item, row in expected.to_dict("index").items():
            items += 1
            verdicts.add(row["verdict"])
            g = got[item]
            same = (_close(g["p"], row["p_value"]) and _close(g["pAdjusted"], row["p_adjusted"])
                    and _close(g["effectSize"], row["effect_size"]) and _close(g["difference"], row["difference"])
                    and g["marker"] == row["marker"] and g["verdict"] == row["verdict"])
            if not same:
                mismatches.append((item, own[item], other[item], limits, g, row))
            if own[item]["measure"] != "mean":
                x1, w1 = rounded_counts(other[item]["estimate"] / 100, other[item]["n_eff"])
                x2, w2 = rounded_counts(own[item]["estimate"] / 100, own[item]["n_eff"])
                exact += bool(needs_exact(x1, w1, x2, w2))
    assert mismatches == [], f"{len(mismatches)} of {items} items differ, e.g. {mismatches[:3]}"
    # The random items reach every branch: ≥ 2,000 items, the exact test, every verdict.
    assert items >= 2000 and exact >= 200
    assert verdicts == {"favourable", "unfavourable", "no_difference", "higher", "lower", ""}


@needs_node
def test_the_javascript_distributions_are_accurate():
    rng = np.random.default_rng(7)
    z = np.concatenate([np.linspace(-9, 9, 721), rng.uniform(0, 8, 300)])
    t = rng.exponential(3, 600) * rng.choice([-1, 1], 600)
    df = np.exp(rng.uniform(np.log(0.7), np.log(6000), 600))
    got = run_js([["normCdf", [v]] for v in z] + [["tCdf", [a, b]] for a, b in zip(t, df)])
    np.testing.assert_allclose(got[: len(z)], sps.norm.cdf(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(got[len(z):], sps.t.cdf(t, df), rtol=1e-10, atol=1e-300)


@needs_node
def test_the_javascript_rounding_and_exact_test_match_two_sample():
    halves = [-3.5, -2.5, -0.5, 0.5, 1.5, 2.5, 3.5, 10.5, 11.5, 2.4999999999999996, 0.49999999999999994]
    tables = [(0, 10, 0, 12), (10, 10, 0, 10), (3, 10, 7, 10), (16, 16, 10, 20), (2, 2000, 9, 1500), (5, 12, 5, 12)]
    got = run_js([["roundHalfEven", [v]] for v in halves] + [["fisherTwoSided", list(t)] for t in tables])
    assert got[: len(halves)] == np.rint(halves).tolist()
    np.testing.assert_allclose(got[len(halves):], fisher_two_sided(*np.array(tables, float).T), rtol=REL)


@needs_node
def test_the_javascript_runs_as_a_plain_browser_script():
    # No module object, no require: as under <script src>, the API lands on the global object.
    code = ("const vm = require('vm'); const ctx = {}; vm.runInNewContext(require('fs').readFileSync("
            "process.argv[1], 'utf8'), ctx); process.stdout.write(typeof ctx.JobCompareStats.comparePair);")
    done = subprocess.run([NODE, "-e", code, str(SCRIPT)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "function"


def test_the_javascript_is_small_and_needs_no_eval():
    """CSP script-src 'self' forbids eval and the Function constructor; phones load it."""
    source = SCRIPT.read_text(encoding="utf-8")
    assert not [s for s in ("eval(", "new Function", "Function(") if s in source]
    assert len(source.encode("utf-8")) < 20_000
