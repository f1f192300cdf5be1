"""One breakdown table of an institution report: the institution's respondents split by one
grouping (leerweg, niveau, domain, or one of its own analysis labels), per item and theme.

The same protection as the public site, per table: a group below min_n is hidden, and
complementary suppression against the table's margin (the institution total, published in the
same pack) plus the audit's interval and unanimity checks run on the groups × total table
(`compute.disclosure.protect_tables`, as for the response table). Each visible group is tested
against the rest of the institution with the site's tests and relevance rule, one
Benjamini–Hochberg family per table. Not here yet: the joint audit over the cross-
classification of all of an institution's labels (linked tables leak together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.compute.aggregate import SUM_COLUMNS, continuous_sums
from jobmonitor.compute.disclosure import protect_tables
from jobmonitor.compute.estimate import effective_n, point_estimates, weighted_mean_variance
from jobmonitor.compute.score import Scores
from jobmonitor.compute.significance import VERDICTS, adjust_pvalues, markers, relevant, two_group_test, verdicts
from jobmonitor.config import Thresholds

TOTAL = "__totaal__"  # the institution total's group value in the table


def group_sums(scores: Scores, rows: np.ndarray, groups: pd.Series) -> pd.DataFrame:
    """n, Σw, Σw², Σwx … per group (and the total of all `rows`) and var."""
    codes, names = pd.factorize(groups.to_numpy()[rows], use_na_sentinel=True)
    names = [str(n) for n in names] + [TOTAL]
    # Respondents in no group count in the total (the last code) only.
    total = len(names) - 1
    w, values = scores.weights[rows], scores.values[rows]
    frames = []
    for j, var in enumerate(scores.var_ids):
        x = values[:, j]
        in_group = np.where(codes >= 0, x, np.nan)
        sums = continuous_sums(np.maximum(codes, 0), w, in_group, len(names))
        sums[:, total] = continuous_sums(np.zeros(len(x), dtype="int64"), w, x, 1)[:, 0]
        frames.append(pd.DataFrame({"group": names, "item_id": var, "kind": scores.kinds[j], "measure": scores.measures[j],
                                    "direction": scores.directions[j], **dict(zip(SUM_COLUMNS, sums))}))
    table = pd.concat(frames, ignore_index=True)
    table["n"] = table["n"].round().astype("int64")
    return table


def breakdown(scores: Scores, institution_id: str, groups: pd.Series, thresholds: Thresholds) -> pd.DataFrame:
    """The protected, tested table of one grouping within one institution. `groups`: one value
    per respondent of the edition (NA: not in any group)."""
    rows = np.flatnonzero(np.asarray(scores.institution_ids, dtype=object)[scores.institution_code] == institution_id)
    table = point_estimates(group_sums(scores, rows, groups), thresholds.confidence)
    table = table.assign(status=_statuses(table, thresholds.min_n))
    return _tested(table, thresholds)


def _statuses(table: pd.DataFrame, min_n: int) -> np.ndarray:
    """Per var a one-column table (groups, then the institution total) protected like the
    response table: primary, complementary, interval audit."""
    var_ids = list(dict.fromkeys(table["item_id"]))
    size = table.groupby("item_id", sort=False).size().iloc[0]
    n = table["n"].to_numpy().reshape(len(var_ids), size)
    grid = np.zeros((len(var_ids), size, 2), dtype="int64")
    grid[:, :, 0] = grid[:, :, 1] = n
    hidden = protect_tables(grid, grid[0] >= 0, min_n)[:, :, 0]
    hidden |= n == 0
    return np.where(hidden.reshape(-1), "suppressed", "published")


def _tested(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Each shown group against the rest of the institution; one BH family for the table."""
    total = table[table["group"] == TOTAL].set_index("item_id")
    rest = {c: total.loc[table["item_id"], c].to_numpy("float64") - table[c].to_numpy("float64")
            for c in ("sw", "sw2", "swx", "swx2")}
    rest_n_eff = effective_n(rest["sw"], rest["sw2"])
    rest_mean, rest_var = weighted_mean_variance(rest["sw"], rest["swx"], rest["swx2"], rest_n_eff)
    testable = (table["group"] != TOTAL).to_numpy() & (table["status"] == "published").to_numpy() & (rest_n_eff > 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p, effect, difference = two_group_test(table, rest_mean, rest_var, rest_n_eff)
    p = np.where(testable, p, np.nan)
    adjusted = adjust_pvalues(pd.Series(p, index=table.index), [pd.Series("table", index=table.index)],
                              thresholds.multiple_testing).to_numpy()
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    keep = relevant(difference, difference, effect, is_pct, thresholds)
    marker = markers(difference, adjusted, keep, thresholds.alpha)
    shown = table["status"].to_numpy() == "published"
    values = ("estimate", "ci_low", "ci_high", "n_eff")
    return table.assign(
        **{c: np.where(shown, table[c], np.nan) for c in values},
        n=table["n"].where(shown),
        difference_rest=np.where(testable, difference, np.nan), effect_size=np.where(testable, effect, np.nan),
        p_value=p, p_adjusted=adjusted, marker=marker,
        verdict=verdicts(marker, table["direction"].to_numpy(), ~np.isnan(adjusted), VERDICTS),
    )[["group", "item_id", "kind", "measure", "direction", "status", "n", "n_eff", "estimate", "ci_low", "ci_high",
       "difference_rest", "effect_size", "p_value", "p_adjusted", "marker", "verdict"]]
