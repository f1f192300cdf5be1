"""Change since the previous edition: same unit, item mapped through `previous_id`.

A change is shown only when both editions' cells are published and the item is comparable; it
gets ▲/▼ under the same rule as benchmark markers (adjusted p < α and a relevant difference).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.codebook import Questionnaire
from jobmonitor.results import SUPPRESSED
from jobmonitor.compute.stats import PCT_MEASURES, adjust_pvalues, markers, two_sample_p

JOIN_KEYS = ["level", "institution_id", "domain_id"]


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
    adjusted = adjust_pvalues(p, [current[k].astype("string") for k in ("level", "institution_id", "domain_id", "kind")],
                              thresholds.multiple_testing)
    previous_estimate = np.where(shown, merged["previous_estimate"].to_numpy("float64"), np.nan)
    change = current["estimate"].to_numpy() - previous_estimate
    return current.assign(
        previous_estimate=previous_estimate,
        change=change,
        change_p=p.to_numpy(),
        change_p_adjusted=adjusted.to_numpy(),
        change_marker=markers(change, adjusted.to_numpy(), is_pct, thresholds, signs=("▲", "▼")),
    )
