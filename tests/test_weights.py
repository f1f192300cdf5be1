"""Post-stratification weights, by hand, and collapsing of cells without population."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from tiny import population, responses

from jobmonitor.compute.weights import efficiency_by_group, respondent_weights, weighting_efficiency

CELLS = ["institution_id", "domain_id", "leerweg", "gender"]


def test_data_weights_are_used_as_given():
    frame = responses(2026)
    weights, method = respondent_weights(frame, population(2026), CELLS)
    np.testing.assert_array_equal(weights, frame["weight"].to_numpy())
    assert method == "provided"


def test_poststratification_by_hand():
    frame = responses(2026).drop(columns="weight")
    pop = population(2026)
    weights, method = respondent_weights(frame, pop, CELLS)
    assert method == "poststratification"
    # Weights sum to n: population share ÷ response share, cell by cell.
    assert weights.sum() == pytest.approx(len(frame))
    cell = (frame[CELLS] == ["I1", "D01", "BOL", "man"]).all(axis=1)
    n_cell, n = cell.sum(), len(frame)
    big_n = pop["population"].sum()
    n_pop = pop.set_index(CELLS).loc[("I1", "D01", "BOL", "man"), "population"]
    assert weights[cell.to_numpy()][0] == pytest.approx((n_pop / big_n) / (n_cell / n))


def test_cells_without_population_are_collapsed_with_a_warning(caplog):
    frame = responses(2026).drop(columns="weight")
    pop = population(2026)
    pop = pop[~((pop["institution_id"] == "I1") & (pop["domain_id"] == "D01") & (pop["gender"] == "man"))]
    with caplog.at_level(logging.WARNING):
        weights, _ = respondent_weights(frame, pop, CELLS)
    assert np.isfinite(weights).all() and (weights > 0).all()
    assert "collapsing" in caplog.text


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
