"""Pairwise comparison for the compare page: another school against "jouw school", question by
question, with the benchmark comparison's tests, relevance rule and effect sizes (DESIGN.md,
"Statistics"; `significance.py`). One multiple-testing family per pair, so a pair's verdicts do
not depend on which other schools the visitor chose.

This is the reference of `content/javascripts/vergelijk-stats.js`, which runs the same
comparison in the visitor's browser; tests/test_pairs.py holds the two to the same verdicts.

Orientation: the other school is judged against jouw school, as a unit is judged against the
rest of its group. So `difference` is other − own, "+" means the other school's figure is
higher, and "favourable" means it is better news than jouw school's. In the tests the other
school is group 1: it takes the unit's place in `significance.two_group_test`, including the
means test's skewness correction, which uses group 1's skewness and kurtosis only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.codebook import PCT_MEASURES, TREND_SUFFIX
from jobmonitor.compute.significance import VERDICTS, adjust_pvalues, markers, relevant, verdicts
from jobmonitor.compute.two_sample import cohens_d, cohens_h, mean_p, proportion_p

# What the compare data carries per published row of a unit.
FIELDS = ("measure", "direction", "estimate", "n_eff", "sd", "skew", "kurt")
# What the comparison returns per item both units published.
PAIR_COLUMNS = ("difference", "effect_size", "p_value", "p_adjusted", "marker", "verdict")


def compare_pair(own: pd.DataFrame, other: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Test `other` against `own` (jouw school) on every item both published: difference
    (other − own, on the table's scale), effect size, p-value, p adjusted within the pair, marker
    and verdict, indexed by item_id in `own`'s order. Each frame has one row per item (index or
    column `item_id`) with FIELDS; `sd`, `skew` and `kurt` may be missing or NaN (no skewness
    correction without them)."""
    own, other = _by_item(own, "own"), _by_item(other, "other")
    items = own.index[own.index.isin(other.index)]
    own, other = own.loc[items], other.loc[items]
    _same_items(own, other)
    is_pct = own["measure"].isin(PCT_MEASURES).to_numpy()
    # A trend score only draws a line over the editions: never tested (as in benchmark_markers).
    trend = items.astype("string").str.endswith(TREND_SUFFIX).to_numpy(dtype=bool, na_value=False)
    p, effect = _tests(other, own, is_pct)
    p, effect = np.where(trend, np.nan, p), np.where(trend, np.nan, effect)
    difference = other["estimate"].to_numpy("float64") - own["estimate"].to_numpy("float64")
    # One family: the whole pair (a constant key, since adjust_pvalues groups by its families).
    family = pd.Series("pair", index=items)
    adjusted = adjust_pvalues(pd.Series(p, index=items), [family], thresholds.multiple_testing).to_numpy()
    # One difference is both tested and shown: no benchmark apart from the compared school.
    keep = relevant(difference, difference, effect, is_pct, thresholds)
    marker = markers(difference, adjusted, keep, thresholds.alpha)
    verdict = verdicts(marker, own["direction"].to_numpy(), ~np.isnan(adjusted), VERDICTS)
    return pd.DataFrame(dict(zip(PAIR_COLUMNS, (difference, effect, p, adjusted, marker, verdict))), index=items)


def _tests(first: pd.DataFrame, second: pd.DataFrame, is_pct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p-value and effect size of `first` against `second`: the pooled score or exact test and
    Cohen's h for percentages (0–100 here, 0–1 in two_sample), Welch with `first`'s skewness
    correction and Cohen's d for means."""
    scale = np.where(is_pct, 100.0, 1.0)
    m1, m2 = (f["estimate"].to_numpy("float64") / scale for f in (first, second))
    n1, n2 = (f["n_eff"].to_numpy("float64") for f in (first, second))
    v1, v2 = (f["sd"].to_numpy("float64") ** 2 for f in (first, second))
    p, effect = np.full(len(is_pct), np.nan), np.full(len(is_pct), np.nan)
    pct, mean = is_pct, ~is_pct
    skew, kurt = (first[c].to_numpy("float64")[mean] for c in ("skew", "kurt"))
    # Zero spread or too few respondents give 0/0 on the way to a defined p (as in two_group_test).
    with np.errstate(invalid="ignore", divide="ignore"):
        p[pct] = proportion_p(m1[pct], n1[pct], m2[pct], n2[pct])
        effect[pct] = cohens_h(np.clip(m1[pct], 0, 1), np.clip(m2[pct], 0, 1))
        p[mean] = mean_p(m1[mean], v1[mean], n1[mean], m2[mean], v2[mean], n2[mean], skew, kurt)
        effect[mean] = cohens_d(m1[mean], v1[mean], n1[mean], m2[mean], v2[mean], n2[mean])
    return p, effect


def _by_item(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """One row per item_id (from the column, else the index), with every field present."""
    if "item_id" in frame.columns:
        frame = frame.set_index("item_id")
    missing = [c for c in ("measure", "direction", "estimate", "n_eff") if c not in frame.columns]
    if missing:
        raise ValueError(f"`{name}` lacks the column(s) {missing}; expected {list(FIELDS)}")
    duplicated = frame.index[frame.index.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"`{name}` has more than one row for item(s) {duplicated}")
    return frame.reindex(columns=list(FIELDS))


def _same_items(own: pd.DataFrame, other: pd.DataFrame) -> None:
    """Both units' rows of an item come from one codebook: a different measure or direction is
    an error in the compare data, not something to test."""
    for column in ("measure", "direction"):
        differ = own.index[(own[column] != other[column]).to_numpy()].tolist()
        if differ:
            raise ValueError(f"`{column}` differs between the two units for item(s) {differ}")
