"""A breakdown table of an institution report (issue 16, point 3, per table): small groups and
their complementary cells hidden, nothing hidden derivable from the groups and the institution
total, each shown group tested against the rest of the institution as the site tests a unit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats import proportion

from jobmonitor.compute.recoverability import audit_table
from jobmonitor.compute.load import load_edition
from jobmonitor.compute.score import score_edition
from jobmonitor.config import load_config
from jobmonitor.reports.breakdown import TOTAL, breakdown
from jobmonitor.reports.labels import load_labels

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo():
    config = load_config(ROOT / "site_config.yml")
    edition = load_edition(ROOT / "data" / "2026", 2026)
    scores = score_edition(edition, config.weighting)
    labels = load_labels(ROOT / "data" / "2026", edition.responses, edition.institutions, 12)
    return config, edition, scores, labels


def per_respondent(edition, labels, column) -> pd.Series:
    return edition.responses["respondent_id"].astype(str).map(labels.frame.set_index("respondent_id")[column])


def test_small_groups_and_their_complements_are_hidden_and_nothing_is_derivable(demo):
    config, edition, scores, labels = demo
    # Niveau within one institution: level 1 (Entree) is small or absent, others large.
    table = breakdown(scores, "I001", edition.responses["niveau"].astype(str), config.thresholds)
    min_n = config.thresholds.min_n
    for var, rows in table.groupby("item_id", sort=False):
        groups = rows[rows["group"] != TOTAL]
        shown = groups[groups["status"] == "published"]
        assert (shown["n"] >= min_n).all()
        hidden = groups[groups["status"] == "suppressed"]
        assert hidden["estimate"].isna().all() and hidden["n"].isna().all()
    assert (table["status"] == "suppressed").any()


def test_protection_passes_the_sites_audit(demo):
    config, edition, scores, labels = demo
    from jobmonitor.reports.breakdown import group_sums

    groups = per_respondent(edition, labels, "label_2")
    rows = np.flatnonzero(np.asarray(scores.institution_ids, dtype=object)[scores.institution_code] == "I001")
    sums = group_sums(scores, rows, groups)
    table = breakdown(scores, "I001", groups, config.thresholds)
    for var in sums["item_id"].unique()[:40]:
        n = sums.loc[sums["item_id"] == var, "n"].to_numpy()
        grid = np.stack([n, n], axis=1)
        hidden = (table.loc[table["item_id"] == var, "status"] == "suppressed").to_numpy()
        mask = np.stack([hidden, hidden], axis=1)
        assert audit_table(grid, grid >= 0, mask & (grid > 0), config.thresholds.min_n) == [], var


def test_a_group_is_tested_against_the_rest_of_its_institution(demo):
    config, edition, scores, labels = demo
    groups = edition.responses["leerweg"].astype(str)
    table = breakdown(scores, "I001", groups, config.thresholds)
    rows = np.asarray(scores.institution_ids, dtype=object)[scores.institution_code] == "I001"
    bbl = groups.to_numpy()[rows] == "BBL"
    checked = 0
    candidates = table[(table["group"] == "BBL") & (table["measure"] == "pct_positive") & (table["status"] == "published")]
    for row in candidates.itertuples():
        j = scores.var_ids.index(row.item_id)
        x, w = scores.values[rows, j].astype(float), scores.weights[rows]
        ok = ~np.isnan(x)

        def share_neff(mask):
            ww, xx = w[mask & ok], x[mask & ok]
            return (ww * xx).sum() / ww.sum(), ww.sum() ** 2 / (ww ** 2).sum()

        (p1, n1), (p2, n2) = share_neff(bbl), share_neff(~bbl)
        assert row.difference_rest == pytest.approx(100 * (p1 - p2))
        assert row.verdict in ("favourable", "unfavourable", "no_difference")
        if min(p1 * n1, (1 - p1) * n1, p2 * n2, (1 - p2) * n2) >= 10:  # the pooled score test, not Fisher's
            expected = proportion.test_proportions_2indep(p1 * n1, n1, p2 * n2, n2, method="score", correction=False).pvalue
            assert row.p_value == pytest.approx(expected, rel=1e-6)
            checked += 1
    assert checked >= 5
    assert table.loc[table["group"] == TOTAL, "p_value"].isna().all()
