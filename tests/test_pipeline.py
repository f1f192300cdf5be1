"""The compute stages end to end on the tiny edition, figures recomputed by hand with pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tiny import responses

from jobmonitor.results import RESULT_COLUMNS, SUPPRESSED, VALUE_COLUMNS, published_results


def row(results, edition, level, item, inst=None, dom=None):
    mask = (results["edition"] == edition) & (results["level"] == level) & (results["item_id"] == item)
    mask &= results["institution_id"].isna() if inst is None else results["institution_id"] == inst
    mask &= results["domain_id"].isna() if dom is None else results["domain_id"] == dom
    found = results[mask]
    assert len(found) == 1
    return found.iloc[0]


def weighted_share_positive(frame: pd.DataFrame, item: str) -> tuple[float, int]:
    valid = frame[frame[item].notna() & (frame[item] != 9)]
    positive = (valid[item] >= 4).astype(float)
    return 100 * (positive * valid["weight"]).sum() / valid["weight"].sum(), len(valid)


def test_results_table_has_the_contract_columns(tiny_computed):
    _, computed = tiny_computed
    assert list(computed.results.columns) == RESULT_COLUMNS
    assert set(computed.results["edition"]) == {2024, 2026}


@pytest.mark.parametrize("inst,item", [("I1", "Q1"), ("I2", "Q2"), ("I3", "Q5"), (None, "Q1"), (None, "Q5")])
def test_percentages_by_hand(tiny_computed, inst, item):
    _, computed = tiny_computed
    data = responses(2026)
    subset = data if inst is None else data[data["institution_id"] == inst]
    expected, n = weighted_share_positive(subset, item)
    got = row(computed.results, 2026, "national" if inst is None else "institution", item, inst)
    assert got["estimate"] == pytest.approx(expected, rel=1e-12)
    assert got["n"] == n


def test_mark_mean_and_theme_score_by_hand(tiny_computed):
    _, computed = tiny_computed
    data = responses(2026)
    i2 = data[data["institution_id"] == "I2"]
    mean = (i2["Q4"] * i2["weight"]).sum() / i2["weight"].sum()
    assert row(computed.results, 2026, "institution", "Q4", "I2")["estimate"] == pytest.approx(mean, rel=1e-12)
    # Theme "lessen": mean of answered 5-point items Q1, Q2, Q5 (9 excluded) if at least 2 of 3 answered.
    items = i2[["Q1", "Q2", "Q5"]].astype("float").replace(9, np.nan)
    answered = items.notna().sum(axis=1)
    score = items.mean(axis=1).where(answered * 2 >= 3)
    ok = score.notna()
    expected = (score[ok] * i2["weight"][ok]).sum() / i2["weight"][ok].sum()
    got = row(computed.results, 2026, "institution", "lessen", "I2")
    assert got["estimate"] == pytest.approx(expected, rel=1e-6) and got["n"] == ok.sum()


def test_levels_add_up(tiny_computed):
    _, computed = tiny_computed
    r = computed.results[(computed.results["edition"] == 2026) & (computed.results["item_id"] == "Q1")]
    national = r[r["level"] == "national"]["n"].sum()
    for level in ("institution", "domain", "institution_domain"):
        assert r[r["level"] == level]["n"].sum() == national


def test_statuses_on_threshold_edges(tiny_computed):
    _, computed = tiny_computed
    r = computed.results
    assert row(r, 2026, "institution_domain", "Q1", "I1", "D02")["status"] == "suppressed_primary"  # n = 9
    assert row(r, 2026, "institution_domain", "Q1", "I2", "D01")["status"] != "suppressed_primary"  # n = 10
    assert row(r, 2026, "institution_domain", "Q1", "I2", "D01")["status"] == "suppressed_secondary"
    # The single-domain institution's cell equals its total and its domain: published, no marker.
    single = row(r, 2026, "institution_domain", "Q1", "I3", "D03")
    assert single["status"] in ("published", "indicative")
    assert single["difference"] == 0 and single["marker"] == "" and np.isnan(single["p_value"])


def test_previous_edition_mapping(tiny_computed):
    _, computed = tiny_computed
    r = computed.results
    q1 = row(r, 2026, "institution", "Q1", "I3")
    p1 = row(r, 2024, "institution", "P1", "I3")
    assert q1["previous_estimate"] == pytest.approx(p1["estimate"])
    assert q1["change"] == pytest.approx(q1["estimate"] - p1["estimate"])
    assert np.isnan(row(r, 2026, "institution", "Q2", "I3")["previous_estimate"])  # not comparable
    assert np.isnan(row(r, 2026, "institution", "Q5", "I3")["previous_estimate"])  # new item


def test_published_view_hides_every_value_of_suppressed_rows(tiny_computed):
    _, computed = tiny_computed
    published = published_results(computed.results)
    hidden = published[published["status"].isin(SUPPRESSED)]
    assert len(hidden) > 0
    for column in VALUE_COLUMNS:
        assert hidden[column].isna().all(), column
    shown = published[~published["status"].isin(SUPPRESSED)]
    assert shown["estimate"].notna().all()


def test_benchmark_of_a_cell_is_its_domain(tiny_computed):
    _, computed = tiny_computed
    r = computed.results
    cell = row(r, 2026, "institution_domain", "Q4", "I3", "D03")
    assert cell["benchmark"] == pytest.approx(row(r, 2026, "domain", "Q4", None, "D03")["estimate"])
    inst = row(r, 2026, "institution", "Q4", "I1")
    assert inst["benchmark"] == pytest.approx(row(r, 2026, "national", "Q4")["estimate"])


def test_a_hidden_benchmark_blanks_the_comparison_of_every_row_that_uses_it(tiny_computed):
    from jobmonitor.compute.significance import benchmark_suppressed

    _, computed = tiny_computed
    table = computed.current.table.copy()
    rng = np.random.default_rng(3)
    table["status"] = np.where(rng.random(len(table)) < 0.3, "suppressed_primary", "published")
    hidden = set()
    for r in table.itertuples():
        if r.status in SUPPRESSED and r.level in ("national", "domain"):
            hidden.add((r.level, r.domain_id if r.level == "domain" else None, r.item_id))
    expected = [
        ("domain", r.domain_id, r.item_id) in hidden if r.level == "institution_domain"
        else ("national", None, r.item_id) in hidden
        for r in table.itertuples()
    ]
    assert 0 < sum(expected) < len(expected)
    assert benchmark_suppressed(table).tolist() == expected
