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
from scipy import stats as sps

from jobmonitor.codebook import PCT_MEASURES, Questionnaire
from jobmonitor.compute.estimate import effective_n, weighted_mean_variance
from jobmonitor.results import SUPPRESSED

# Relative slack when comparing a difference with the minimum relevant difference, so that a
# difference of exactly 5.0 points computed as 4.999999999 still counts as 5.
RELEVANCE_SLACK = 1e-9
# Columns that identify a unit's family for the multiple-testing adjustment.
FAMILY_KEYS = ("level", "institution_id", "domain_id", "kind")


def significance(table: pd.DataFrame, previous: pd.DataFrame | None, mapping: dict[str, str],
                 thresholds) -> pd.DataFrame:
    """The stage: benchmark, difference, tests and markers of one edition's disclosed table,
    then its change since `previous` (that edition's disclosed table, or None)."""
    marked = benchmark_markers(compare_with_benchmark(table), thresholds)
    return add_changes(marked, previous, mapping, thresholds)


def benchmark_markers(table: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Adjust p-values within each unit's published items, then mark relevant differences.
    A hidden row, or one whose benchmark unit is hidden, has no benchmark, difference or test."""
    blank = benchmark_suppressed(table) | table["status"].isin(SUPPRESSED).to_numpy()
    table = table.assign(
        benchmark=np.where(blank, np.nan, table["benchmark"]),
        difference=np.where(blank, np.nan, table["difference"]),
        p_value=np.where(blank, np.nan, table["p_value"]),
    )
    adjusted = adjust_pvalues(table["p_value"], _families(table), thresholds.multiple_testing)
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    return table.assign(
        p_adjusted=adjusted.to_numpy(),
        marker=markers(table["difference"].to_numpy(), adjusted.to_numpy(), is_pct, thresholds),
    )


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


def two_sample_p(est1, var1, n1, est2, var2, n2, is_pct) -> np.ndarray:
    """Two-sided p: unpooled z for percentages, Welch t for means; estimates on 0–1 / raw scale."""
    est1, var1, n1, est2, var2, n2 = (np.asarray(a, dtype="float64") for a in (est1, var1, n1, est2, var2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = var1 / n1, var2 / n2
        se = np.sqrt(v1 + v2)
        diff = est1 - est2
        stat = diff / se
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
        p_z = 2 * sps.norm.sf(np.abs(stat))
        p_t = 2 * sps.t.sf(np.abs(stat), df)
        p = np.where(is_pct, p_z, p_t)
        # Zero variance on both sides: identical estimates differ with certainty 0, others with 1.
        degenerate = (se == 0) & np.isfinite(diff)
        p = np.where(degenerate, np.where(diff == 0, 1.0, 0.0), p)
        valid = (n1 > 0) & (n2 > 0) & np.isfinite(var1) & np.isfinite(var2)
        valid &= np.where(is_pct, True, (n1 > 1) & (n2 > 1))
    return np.where(valid, p, np.nan)


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
    """Add benchmark, difference and the p-value of unit vs the rest of its group."""
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
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    scale = np.where(is_pct, 100.0, 1.0)
    rest_var = np.where(is_pct, rest_mean * (1 - rest_mean), rest_var)
    # Rounding can leave a sliver of weight in an empty rest group; treat it as empty.
    rest_empty = (merged["g_n"].to_numpy("float64") - table["n"].to_numpy("float64")) <= 0
    p = two_sample_p(table["estimate"].to_numpy() / scale, table["var"].to_numpy(), table["n_eff"].to_numpy(),
                     rest_mean, rest_var, np.where(rest_empty, 0, rest_n_eff), is_pct)
    benchmark = np.where(valid, merged["g_estimate"].to_numpy("float64"), np.nan)
    return table.assign(
        benchmark=benchmark,
        difference=table["estimate"].to_numpy() - benchmark,
        p_value=np.where(valid & ~rest_empty, p, np.nan),
    )


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


def markers(difference: np.ndarray, p_adjusted: np.ndarray, is_pct: np.ndarray, thresholds, signs=("+", "-")) -> np.ndarray:
    """A marker only when significant after adjustment AND at least the relevant difference."""
    relevant = np.where(is_pct, thresholds.min_difference_pct, thresholds.min_difference_mean)
    with np.errstate(invalid="ignore"):
        significant = (p_adjusted < thresholds.alpha) & (np.abs(difference) >= relevant * (1 - RELEVANCE_SLACK))
    return np.where(significant & (difference > 0), signs[0], np.where(significant & (difference < 0), signs[1], ""))


# --- change since the previous edition --------------------------------------------------------

def previous_item_map(current: Questionnaire, previous: Questionnaire) -> dict[str, str]:
    """Current var id → previous var id, for comparable items and themes present in both."""
    previous_items = {i.id: i for i in previous.items}
    mapping = {
        item.id: item.previous_id
        for item in current.items
        if item.previous_id in previous_items
        and item.comparable
        and previous_items[item.previous_id].scale == item.scale
    }
    previous_themes = {t.id for t in previous.themes}
    mapping.update({t.id: t.id for t in current.themes if t.id in previous_themes})
    return mapping


JOIN_KEYS = ["level", "institution_id", "domain_id"]


def add_changes(current: pd.DataFrame, previous: pd.DataFrame | None, mapping: dict[str, str], thresholds) -> pd.DataFrame:
    """Add previous_estimate, change, change p-value and change_marker to the current table."""
    empty = current.assign(previous_estimate=np.nan, change=np.nan, change_p=np.nan, change_p_adjusted=np.nan, change_marker="")
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
    p = two_sample_p(current["estimate"].to_numpy() / scale, current["var"].to_numpy(), current["n_eff"].to_numpy(),
                     merged["previous_estimate"].to_numpy("float64") / scale, merged["p_var"].to_numpy("float64"),
                     merged["p_n_eff"].to_numpy("float64"), is_pct)
    p = pd.Series(np.where(shown, p, np.nan), index=current.index)
    adjusted = adjust_pvalues(p, _families(current), thresholds.multiple_testing)
    previous_estimate = np.where(shown, merged["previous_estimate"].to_numpy("float64"), np.nan)
    change = current["estimate"].to_numpy() - previous_estimate
    return current.assign(
        previous_estimate=previous_estimate,
        change=change,
        change_p=p.to_numpy(),
        change_p_adjusted=adjusted.to_numpy(),
        change_marker=markers(change, adjusted.to_numpy(), is_pct, thresholds, signs=("▲", "▼")),
    )
