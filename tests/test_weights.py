"""Post-stratification weights: by hand, collapsing of cells as a whole, trimming, the report."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import population, responses

from jobmonitor.compute.weights import (
    WeightingReport,
    efficiency_by_group,
    respondent_weights,
    weighting_efficiency,
    weighting_groups,
)

CELLS = ["institution_id", "domain_id", "leerweg", "gender"]
IG = ["institution_id", "gender"]
IDG = ["institution_id", "domain_id", "gender"]
NO_TRIM = float("inf")


def frame(counts: dict[tuple, int], cells: list[str]) -> pd.DataFrame:
    """Respondents: `count` rows per cell."""
    rows = [cell for cell, count in counts.items() for _ in range(count)]
    return pd.DataFrame(rows, columns=cells)


def pop_frame(counts: dict[tuple, int], cells: list[str]) -> pd.DataFrame:
    return pd.DataFrame([(*cell, count) for cell, count in counts.items()], columns=[*cells, "population"])


def shares(weights: np.ndarray, keys: pd.Series) -> pd.Series:
    return pd.Series(weights).groupby(keys.to_numpy()).sum() / weights.sum()


def test_data_weights_are_used_as_given():
    data = responses(2026)
    weights, method, report = respondent_weights(data, population(2026), CELLS)
    np.testing.assert_array_equal(weights, data["weight"].to_numpy())
    assert method == "provided"
    assert report == WeightingReport()


def test_poststratification_by_hand():
    data = responses(2026).drop(columns="weight")
    pop = population(2026)
    weights, method, _ = respondent_weights(data, pop, CELLS)
    assert method == "poststratification"
    # Weights sum to n: population share ÷ response share, cell by cell (this cell and all its
    # siblings have ≥ 5 respondents, so it is not collapsed).
    assert weights.sum() == pytest.approx(len(data))
    cell = (data[CELLS] == ["I1", "D01", "BOL", "man"]).all(axis=1)
    n_cell, n = cell.sum(), len(data)
    big_n = pop["population"].sum()
    n_pop = pop.set_index(CELLS).loc[("I1", "D01", "BOL", "man"), "population"]
    assert weights[cell.to_numpy()][0] == pytest.approx((n_pop / big_n) / (n_cell / n))


def test_plain_poststratification_matches_an_independent_groupby():
    data = responses(2026).drop(columns="weight")
    pop = population(2026)
    weights, _, report = respondent_weights(data, pop, CELLS, min_cell=1, trim_factor=NO_TRIM)
    assert report.collapsed_cells == 0 and report.trimmed_respondents == 0
    response_share = data.groupby(CELLS).size() / len(data)
    population_share = pop.groupby(CELLS)["population"].sum() / pop["population"].sum()
    factor = (population_share / response_share).rename("factor").reset_index()
    expected = data.merge(factor, on=CELLS, how="left")["factor"].to_numpy()
    np.testing.assert_allclose(weights, expected, rtol=1e-12)


def test_cells_without_population_are_collapsed_with_a_warning(caplog):
    data = responses(2026).drop(columns="weight")
    pop = population(2026)
    pop = pop[~((pop["institution_id"] == "I1") & (pop["domain_id"] == "D01") & (pop["gender"] == "man"))]
    with caplog.at_level(logging.WARNING):
        weights, _, report = respondent_weights(data, pop, CELLS)
    assert np.isfinite(weights).all() and (weights > 0).all()
    assert report.collapsed_cells > 0
    assert "collapsed into coarser cells" in caplog.text


def test_collapsed_cell_is_recomputed_as_a_whole_so_institution_shares_match_population():
    # Issue 13: B × x has respondents but no population. The old code gave only B × x the
    # coarse factor of B and kept B × man and B × vrouw fine, so B got 25/45 = 56 % of the weight.
    data = frame({("A", "man"): 10, ("A", "vrouw"): 10, ("B", "man"): 10, ("B", "vrouw"): 5, ("B", "x"): 5}, IG)
    pop = pop_frame({("A", "man"): 30, ("A", "vrouw"): 20, ("B", "man"): 10, ("B", "vrouw"): 40}, IG)
    weights, _, _ = respondent_weights(data, pop, IG)
    assert weights.sum() == pytest.approx(len(data), rel=1e-12)
    got = shares(weights, data["institution_id"])
    assert got["A"] == pytest.approx(0.5, abs=1e-9) and got["B"] == pytest.approx(0.5, abs=1e-9)
    in_b = (data["institution_id"] == "B").to_numpy()
    assert np.ptp(weights[in_b]) == 0  # one factor for the whole collapsed cell
    assert weights[(data["gender"] == "man").to_numpy() & ~in_b][0] == pytest.approx(0.3 / (10 / 40))


def test_cells_below_min_cell_are_collapsed_and_every_group_keeps_its_population_share():
    counts = {("A", "D1", "man"): 10, ("A", "D1", "vrouw"): 1, ("A", "D2", "man"): 6, ("A", "D2", "vrouw"): 6,
              ("B", "D1", "man"): 8, ("B", "D1", "vrouw"): 9}
    people = {("A", "D1", "man"): 40, ("A", "D1", "vrouw"): 35, ("A", "D2", "man"): 20, ("A", "D2", "vrouw"): 10,
              ("B", "D1", "man"): 30, ("B", "D1", "vrouw"): 15}
    data, pop = frame(counts, IDG), pop_frame(people, IDG)
    weights, _, report = respondent_weights(data, pop, IDG, trim_factor=NO_TRIM)
    n, big_n = len(data), sum(people.values())
    # A × D1 holds the single respondent: weighted as a whole; A × D2 and B × D1 stay fine.
    a_d1 = ((data["institution_id"] == "A") & (data["domain_id"] == "D1")).to_numpy()
    np.testing.assert_allclose(weights[a_d1], (75 / big_n) / (11 / n))
    assert weights[a_d1].sum() == pytest.approx(n * 75 / big_n, rel=1e-12)
    b_vrouw = ((data["institution_id"] == "B") & (data["gender"] == "vrouw")).to_numpy()
    np.testing.assert_allclose(weights[b_vrouw], (15 / big_n) / (9 / n))
    assert report.collapsed_cells == 2 and report.collapsed_respondents == 11
    groups = weighting_groups(data, pop, IDG)
    for g in np.unique(groups.respondent):
        share = groups.count[groups.population == g].sum() / big_n
        assert weights[groups.respondent == g].sum() == pytest.approx(n * share, rel=1e-12)
    # With min_cell 1 nothing collapses: the single respondent gets its own factor.
    fine, _, report = respondent_weights(data, pop, IDG, min_cell=1, trim_factor=NO_TRIM)
    assert report.collapsed_cells == 0
    single = a_d1 & (data["gender"] == "vrouw").to_numpy()
    assert fine[single][0] == pytest.approx((35 / big_n) / (1 / n))


def test_trimming_caps_weights_at_trim_factor_times_median_and_keeps_the_total():
    data = frame({("A",): 99, ("B",): 1}, ["institution_id"])
    pop = pop_frame({("A",): 100, ("B",): 100}, ["institution_id"])
    untrimmed, _, _ = respondent_weights(data, pop, ["institution_id"], trim_factor=NO_TRIM)
    assert untrimmed.max() == pytest.approx(50)
    weights, _, report = respondent_weights(data, pop, ["institution_id"], trim_factor=5.0)
    assert weights.max() <= 5 * np.median(weights) * (1 + 1e-9)
    assert weights.max() == pytest.approx(5 * np.median(weights))
    assert weights.sum() == pytest.approx(len(data), rel=1e-12)
    assert report.trimmed_respondents == 1
    assert report.max_weight_before == pytest.approx(50) and report.max_weight_after == pytest.approx(weights.max())
    with pytest.raises(ValueError):
        respondent_weights(data, pop, ["institution_id"], trim_factor=0.5)


def test_weighting_report_counts_on_a_hand_made_case(caplog):
    counts = {("A", "man"): 10, ("A", "vrouw"): 2, ("B", "man"): 6, ("B", "vrouw"): 6, ("C", "man"): 2,
              ("E", "man"): 5, ("E", "vrouw"): 5}
    people = {("A", "man"): 20, ("A", "vrouw"): 10, ("B", "man"): 10, ("B", "vrouw"): 10, ("B", "anders"): 3,
              ("D", "man"): 40, ("E", "man"): 10, ("E", "vrouw"): 10}
    data, pop = frame(counts, IG), pop_frame(people, IG)
    with caplog.at_level(logging.WARNING):
        weights, _, report = respondent_weights(data, pop, IG)
    # A: vrouw < 5; B: anders has population only; C: no population (weight 1); D: no respondents.
    a_factor = 30 / 73 * 34 / 12
    assert report == WeightingReport(
        groups=5, collapsed_cells=6, collapsed_respondents=26, unmatched_respondents=2,
        unrepresented_population=40.0, trimmed_respondents=0,
        max_weight_before=pytest.approx(a_factor), max_weight_after=pytest.approx(a_factor),
    )
    np.testing.assert_allclose(weights[(data["institution_id"] == "C").to_numpy()], 1.0)
    assert weights.sum() == pytest.approx(len(data), rel=1e-12)
    assert "6 of 8 cells (26 respondents)" in caplog.text
    assert len(caplog.records) == 1


@st.composite
def weighting_frames(draw):
    """Random respondents and population over institution × domain × gender: empty cells,
    cells without population, population without respondents, single respondents."""
    counts, people = {}, {}
    for inst in ["A", "B", "C", "D"][: draw(st.integers(1, 4))]:
        for cell in [(inst, d, g) for d in ("D1", "D2") for g in ("man", "vrouw", "anders")]:
            counts[cell] = draw(st.integers(0, 9))
            size = draw(st.one_of(st.none(), st.integers(0, 80)))
            if size is not None:
                people[cell] = size
    counts[("A", "D1", "man")] += 1
    return frame(counts, IDG), pop_frame(people, IDG)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weighting_frames(), st.integers(1, 8), st.floats(2.0, 10.0))
def test_property_weights_sum_to_n_are_finite_positive_and_capped(frames, min_cell, trim_factor):
    data, pop = frames
    weights, _, report = respondent_weights(data, pop, IDG, min_cell=min_cell, trim_factor=trim_factor)
    assert np.isfinite(weights).all() and (weights > 0).all()
    assert weights.sum() == pytest.approx(len(data), rel=1e-9)
    assert weights.max() <= trim_factor * np.median(weights) * (1 + 1e-9)
    assert report.max_weight_after == pytest.approx(weights.max())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weighting_frames(), st.integers(1, 8))
def test_property_groups_are_cells_that_keep_their_population_share(frames, min_cell):
    data, pop = frames
    weights, _, report = respondent_weights(data, pop, IDG, min_cell=min_cell, trim_factor=NO_TRIM)
    groups = weighting_groups(data, pop, IDG, min_cell=min_cell)
    people = np.bincount(groups.population, weights=groups.count, minlength=len(groups.level))
    has_respondents = np.bincount(groups.respondent, minlength=len(groups.level)) > 0
    represented = people[has_respondents & (people > 0)].sum()
    n = len(data) - report.unmatched_respondents
    for g in np.flatnonzero(has_respondents & (people > 0)):
        assert weights[groups.respondent == g].sum() == pytest.approx(n * people[g] / represented, rel=1e-9)
    # Every group is one whole cell at its level: its rows share the first `level` values, and
    # every row (respondent or population) with those values is in it.
    values = pd.concat([data, pop[IDG]], ignore_index=True).astype(str).to_numpy()
    code = np.concatenate([groups.respondent, groups.population])
    level = groups.level[code]
    for depth in np.unique(level):
        prefix = np.array(["|".join(row[:depth]) for row in values])
        owner = pd.Series(code[level == depth]).groupby(prefix[level == depth]).unique()
        assert owner.map(len).max() == 1
        covered = np.isin(prefix, owner.index)
        assert (code[covered] == owner.map(lambda c: c[0]).reindex(prefix[covered]).to_numpy()).all()
    # Institutions are never merged, so their weight share is their population share.
    if report.unmatched_respondents == 0:
        got = shares(weights, data["institution_id"])
        inst_pop = pop.groupby("institution_id")["population"].sum()
        expected = inst_pop.reindex(got.index) / inst_pop.reindex(got.index).sum()
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-9)


def test_efficiency():
    assert weighting_efficiency(np.ones(50)) == pytest.approx(1.0)
    w = np.array([1.0, 3.0])
    assert weighting_efficiency(w) == pytest.approx(16 / 10 / 2)
    by_group = efficiency_by_group(np.array([1.0, 1.0, 1.0, 3.0]), np.array([0, 0, 1, 1]), ["a", "b"], min_n=2)
    assert by_group == {"a": 1.0, "b": 0.8}
    assert efficiency_by_group(np.ones(3), np.array([0, 0, 1]), ["a", "b"], min_n=2) == {"a": 1.0}


def test_pipeline_runs_without_a_weight_column(tiny_config_path):
    from jobmonitor.config import load_config
    from jobmonitor.compute.pipeline import compute

    for year in (2024, 2026):
        path = tiny_config_path.parent / "data" / str(year) / "responses.csv"
        pd.read_csv(path).drop(columns="weight").to_csv(path, index=False)
    computed = compute(load_config(tiny_config_path))
    assert computed.current.weighting == "poststratification"
    assert 0 < computed.current.weighting_efficiency <= 1
