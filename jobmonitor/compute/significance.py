"""Significance stage: benchmark comparisons and changes since the previous edition, each
with its multiple-testing adjustment and marker, computed only on what disclosure published.

A unit is tested against the rest of its benchmark group (national for institutions and
domains, the domain for an institution × domain cell) so the two samples are independent; a
marker needs an adjusted p below α AND at least the minimum relevant difference (DESIGN.md,
"Statistics"). A change compares the same unit with the previous edition, item mapped through
`previous_id`, only when both cells are published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.codebook import PCT_MEASURES, TREND_SUFFIX
from jobmonitor.compute.estimate import effective_n, weighted_mean_variance
from jobmonitor.compute.two_sample import cohens_d, cohens_h, mean_p, proportion_p
from jobmonitor.results import SUPPRESSED

# Relative slack when comparing a difference with the minimum relevant difference, so that a
# difference of exactly 5.0 points computed as 4.999999999 still counts as 5.
RELEVANCE_SLACK = 1e-9
# One multiple-testing family per unit: items, report marks and themes together (split by kind,
# a unit's chance of any false marker would approach 2α). Change tests form a family of their own.
FAMILY_KEYS = ("level", "institution_id", "domain_id")
# The verdict of a marker after the question's direction (codes; the site and the downloads
# word them). Neutral questions have no good or bad answer: only higher or lower.
VERDICTS = {
    "higher_better": {"+": "favourable", "-": "unfavourable"},
    "lower_better": {"+": "unfavourable", "-": "favourable"},
    "neutral": {"+": "higher", "-": "lower"},
}
CHANGE_VERDICTS = {
    "higher_better": {"▲": "improved", "▼": "worsened"},
    "lower_better": {"▲": "worsened", "▼": "improved"},
    "neutral": {"▲": "higher", "▼": "lower"},
}
NO_DIFFERENCE = "no_difference"


def significance(table: pd.DataFrame, previous: pd.DataFrame | None, mapping: dict[str, str],
                 thresholds) -> pd.DataFrame:
    """The stage: benchmark, difference, tests and markers of one edition's disclosed table,
    then its change since `previous` (that edition's disclosed table, or None)."""
    marked = benchmark_markers(compare_with_benchmark(table), thresholds)
    return add_changes(marked, previous, mapping, thresholds)


def benchmark_markers(table: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Adjust p-values within each unit's published rows, then mark relevant differences and
    word them after the direction. A hidden row, or one whose benchmark unit is hidden, has no
    benchmark, difference or test."""
    # A trend score (`<theme>__trend`) only draws a line over the editions: never tested, so it
    # takes no part in the unit's family.
    trend = table["item_id"].astype("string").str.endswith(TREND_SUFFIX).to_numpy(dtype=bool, na_value=False)
    blank = benchmark_suppressed(table) | table["status"].isin(SUPPRESSED).to_numpy() | trend
    columns = ("benchmark", "difference", "difference_rest", "effect_size", "p_value")
    table = table.assign(**{c: np.where(blank, np.nan, table[c]) for c in columns})
    adjusted = adjust_pvalues(table["p_value"], _families(table), thresholds.multiple_testing).to_numpy()
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    keep = relevant(table["difference_rest"].to_numpy(), table["difference"].to_numpy(),
                    table["effect_size"].to_numpy(), is_pct, thresholds)
    marker = markers(table["difference_rest"].to_numpy(), adjusted, keep, thresholds.alpha)
    tested = ~np.isnan(adjusted)
    return table.assign(p_adjusted=adjusted, marker=marker,
                        verdict=verdicts(marker, table["direction"].to_numpy(), tested, VERDICTS))


def _families(table: pd.DataFrame) -> list[pd.Series]:
    return [table[k].astype("string") for k in FAMILY_KEYS]


def benchmark_suppressed(table: pd.DataFrame) -> np.ndarray:
    """True where the row's benchmark unit is hidden: its figure must not leak as a benchmark.
    Cells compare with their domain, every other level with the national figure."""
    level = table["level"].to_numpy()
    hidden = table["status"].isin(SUPPRESSED).to_numpy()
    item = table["item_id"].astype("category").cat.codes.to_numpy().astype("int64")
    domain = table["domain_id"].astype("category").cat.codes.to_numpy().astype("int64")  # −1: none
    domain_item = (domain + 1) * (item.max(initial=0) + 1) + item
    national_hidden = np.unique(item[hidden & (level == "national")])
    domain_hidden = np.unique(domain_item[hidden & (level == "domain")])
    return np.where(level == "institution_domain", np.isin(domain_item, domain_hidden), np.isin(item, national_hidden))


def benchmark_groups(table: pd.DataFrame) -> pd.DataFrame:
    """For each row, the key of its benchmark group: national for institutions and domains,
    the domain for an institution × domain cell; national rows have none."""
    level = table["level"]
    return pd.DataFrame(
        {
            "group_level": np.where(level == "institution_domain", "domain", "national"),
            "group_domain": table["domain_id"].where(level == "institution_domain"),
            "has_group": (level != "national").to_numpy(),
        },
        index=table.index,
    )


def compare_with_benchmark(table: pd.DataFrame) -> pd.DataFrame:
    """Add benchmark, difference (shown: unit − benchmark), difference_rest (tested: unit −
    rest of its group), the effect size and the p-value of unit vs rest."""
    groups = benchmark_groups(table)
    group_rows = table[["edition", "level", "domain_id", "item_id", "n", "sw", "sw2", "swx", "swx2", "estimate"]]
    merged = (
        pd.concat([table[["edition", "item_id"]], groups], axis=1)
        .merge(
            group_rows.rename(columns=lambda c: f"g_{c}"),
            how="left",
            left_on=["edition", "group_level", "group_domain", "item_id"],
            right_on=["g_edition", "g_level", "g_domain_id", "g_item_id"],
        )
    )
    merged.index = table.index
    valid = groups["has_group"].to_numpy()
    rest = {c: (merged[f"g_{c}"].to_numpy("float64") - table[c].to_numpy("float64")) for c in ("sw", "sw2", "swx", "swx2")}
    rest_n_eff = effective_n(rest["sw"], rest["sw2"])
    rest_mean, rest_var = weighted_mean_variance(rest["sw"], rest["swx"], rest["swx2"], rest_n_eff)
    # Rounding can leave a sliver of weight in an empty rest group; treat it as empty.
    rest_empty = (merged["g_n"].to_numpy("float64") - table["n"].to_numpy("float64")) <= 0
    rest_n_eff = np.where(rest_empty, 0.0, rest_n_eff)
    p, effect, tested = two_group_test(table, rest_mean, rest_var, rest_n_eff)
    benchmark = np.where(valid, merged["g_estimate"].to_numpy("float64"), np.nan)
    testable = valid & ~rest_empty
    return table.assign(
        benchmark=benchmark,
        difference=table["estimate"].to_numpy() - benchmark,
        difference_rest=np.where(testable, tested, np.nan),
        effect_size=np.where(testable, effect, np.nan),
        p_value=np.where(testable, p, np.nan),
    )


def two_group_test(table: pd.DataFrame, other_mean, other_var, other_n_eff) -> tuple[np.ndarray, ...]:
    """p-value, effect size and difference (on the table's scale) of each row against another
    group given by its mean (0–1 for percentages), variance and effective n: the pooled score
    or exact test and Cohen's h for percentages, Welch and Cohen's d for means."""
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    scale = np.where(is_pct, 100.0, 1.0)
    own, n_eff, var = table["estimate"].to_numpy("float64") / scale, table["n_eff"].to_numpy("float64"), table["var"].to_numpy("float64")
    other_mean, other_var, other_n_eff = (np.asarray(a, dtype="float64") for a in (other_mean, other_var, other_n_eff))
    with np.errstate(invalid="ignore", divide="ignore"):
        skew, kurt = (table[c].to_numpy("float64") if c in table else None for c in ("skew", "kurt"))
        p = np.where(is_pct, proportion_p(np.where(is_pct, own, 0.5), n_eff, np.where(is_pct, other_mean, 0.5), other_n_eff),
                     mean_p(own, var, n_eff, other_mean, other_var, other_n_eff, skew, kurt))
        effect = np.where(is_pct, cohens_h(np.clip(own, 0, 1), np.clip(other_mean, 0, 1)),
                          cohens_d(own, var, n_eff, other_mean, other_var, other_n_eff))
    return p, effect, (own - other_mean) * scale


def adjust_pvalues(p: pd.Series, families: list[pd.Series], method: str) -> pd.Series:
    """Benjamini–Hochberg or Holm within each family; NaN p-values are not tests."""
    if method == "none":
        return p.copy()
    frame = pd.DataFrame({"p": p}).assign(**{f"f{k}": f.fillna("") for k, f in enumerate(families)})
    frame = frame[frame["p"].notna()]
    keys = [f"f{k}" for k in range(len(families))]
    frame = frame.sort_values(keys + ["p"], kind="stable")
    grouped = frame.groupby(keys, sort=False)["p"]
    m = grouped.transform("size").to_numpy("float64")
    rank = grouped.cumcount().to_numpy("float64") + 1
    values = frame["p"].to_numpy("float64")
    if method == "bh":
        scaled = pd.Series(values * m / rank, index=frame.index)
        # Step-up: the adjusted value is the running minimum from the largest p downwards.
        adjusted = scaled[::-1].groupby([frame[k][::-1] for k in keys], sort=False).cummin()[::-1]
    elif method == "holm":
        scaled = pd.Series(values * (m - rank + 1), index=frame.index)
        adjusted = scaled.groupby([frame[k] for k in keys], sort=False).cummax()
    else:
        raise ValueError(f"unknown multiple-testing method {method!r}")
    return adjusted.clip(upper=1.0).reindex(p.index)


def relevant(tested, shown, effect, is_pct, thresholds) -> np.ndarray:
    """Big enough to matter: for percentages both the tested difference (unit − rest) and the
    shown one (unit − benchmark) at least min_difference_pct points, so a page never says
    "+3,6 %-punt gunstiger"; for means |Cohen's d| ≥ min_effect_size_mean, so report marks
    (1–10) and theme scores (1–5) are judged alike."""
    slack = 1 - RELEVANCE_SLACK
    with np.errstate(invalid="ignore"):
        pct = (np.abs(tested) >= thresholds.min_difference_pct * slack) & (np.abs(shown) >= thresholds.min_difference_pct * slack)
        mean = np.abs(effect) >= thresholds.min_effect_size_mean * slack
    return np.where(is_pct, pct, mean)


def markers(tested: np.ndarray, p_adjusted: np.ndarray, relevant_rows: np.ndarray, alpha: float,
            signs=("+", "-")) -> np.ndarray:
    """A marker only when significant after adjustment AND relevant; its sign is the sign of
    the tested difference."""
    with np.errstate(invalid="ignore"):
        significant = (p_adjusted < alpha) & relevant_rows
    return np.where(significant & (tested > 0), signs[0], np.where(significant & (tested < 0), signs[1], ""))


def verdicts(marker: np.ndarray, direction: np.ndarray, tested: np.ndarray, vocabulary: dict) -> np.ndarray:
    """The marker read after the question's direction; "no_difference" for a test without a
    marker, "" where nothing was tested."""
    out = np.where(tested, NO_DIFFERENCE, "").astype(object)
    for kind, words in vocabulary.items():
        for sign, word in words.items():
            out[(direction == kind) & (marker == sign)] = word
    return out


# --- change since the previous edition --------------------------------------------------------

JOIN_KEYS = ["level", "institution_id", "domain_id"]


def add_changes(current: pd.DataFrame, previous: pd.DataFrame | None, mapping: dict[str, str], thresholds) -> pd.DataFrame:
    """Add previous_estimate, change, its test (one family per unit), change_marker and
    change_verdict: only where both editions' cells are published and the item comparable."""
    empty = current.assign(previous_estimate=np.nan, change=np.nan, change_p=np.nan, change_p_adjusted=np.nan,
                           change_marker="", change_verdict="")
    if previous is None or not mapping:
        return empty
    prev = previous[~previous["status"].isin(SUPPRESSED)]
    prev = prev[JOIN_KEYS + ["item_id", "estimate", "var", "n_eff"]].rename(
        columns={"item_id": "previous_item_id", "estimate": "previous_estimate", "var": "p_var", "n_eff": "p_n_eff"}
    )
    keyed = current.assign(previous_item_id=current["item_id"].map(mapping).astype("string"))
    merged = keyed.merge(prev, how="left", on=JOIN_KEYS + ["previous_item_id"], validate="many_to_one")
    merged.index = current.index
    shown = ~current["status"].isin(SUPPRESSED).to_numpy() & merged["previous_estimate"].notna().to_numpy()
    is_pct = current["measure"].isin(PCT_MEASURES).to_numpy()
    scale = np.where(is_pct, 100.0, 1.0)
    p, effect, change = two_group_test(current, merged["previous_estimate"].to_numpy("float64") / scale,
                                       merged["p_var"].to_numpy("float64"), merged["p_n_eff"].to_numpy("float64"))
    p = pd.Series(np.where(shown, p, np.nan), index=current.index)
    adjusted = adjust_pvalues(p, _families(current), thresholds.multiple_testing).to_numpy()
    change = np.where(shown, change, np.nan)
    keep = relevant(change, change, effect, is_pct, thresholds)
    change_marker = markers(change, adjusted, keep, thresholds.alpha, signs=("▲", "▼"))
    return current.assign(
        previous_estimate=np.where(shown, merged["previous_estimate"].to_numpy("float64"), np.nan),
        change=change,
        change_p=p.to_numpy(),
        change_p_adjusted=adjusted,
        change_marker=change_marker,
        change_verdict=verdicts(change_marker, current["direction"].to_numpy(), shown, CHANGE_VERDICTS),
    )
