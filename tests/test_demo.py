"""The synthetic demo editions: deterministic, valid input, realistic shape and edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from jobmonitor.codebook import VALID_CODES, Questionnaire
from jobmonitor.demo import EDITIONS, MODULES_PER_RESPONDENT, SHIPS_WEIGHTS, generate_demo, main

REPO = Path(__file__).resolve().parent.parent
FILES = {"responses.parquet", "questionnaire.yml", "institutions.csv", "domains.csv",
         "population.csv"}
CELL = ["institution_id", "domain_id", "leerweg", "gender"]


def _load(root: Path, year: int) -> tuple[Questionnaire, pd.DataFrame, pd.DataFrame]:
    folder = root / str(year)
    q = Questionnaire.model_validate(yaml.safe_load((folder / "questionnaire.yml").read_text()))
    return q, pd.read_parquet(folder / "responses.parquet"), pd.read_csv(folder / "population.csv")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    generate_demo(root)
    return root


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("national")
    generate_demo(root, scale="national", respondents=20_000)
    return root


def test_writes_exactly_the_input_files(tmp_path):
    written = generate_demo(tmp_path, respondents=300)
    assert len(written) == 10
    for year in EDITIONS:
        assert {p.name for p in (tmp_path / str(year)).iterdir()} == FILES
    assert set(written) == {tmp_path / str(y) / f for y in EDITIONS for f in FILES}


def test_same_arguments_give_identical_bytes(tmp_path):
    for run in ("a", "b"):
        generate_demo(tmp_path / run, respondents=500, seed=7)
    for year in EDITIONS:
        for name in FILES:
            a, b = (tmp_path / run / str(year) / name for run in ("a", "b"))
            assert a.read_bytes() == b.read_bytes(), name
    generate_demo(tmp_path / "c", respondents=500, seed=8)
    assert (tmp_path / "c/2026/responses.parquet").read_bytes() != (
        tmp_path / "a/2026/responses.parquet").read_bytes()


def test_shipped_data_matches_the_generator(demo):
    shipped = REPO / "data"
    for year in EDITIONS:
        for name in FILES - {"responses.parquet"}:
            ours, fresh = shipped / str(year) / name, demo / str(year) / name
            assert ours.read_bytes() == fresh.read_bytes(), (
                f"data/{year}/{name} drifted: run `python -m jobmonitor.demo --out data`")
        pd.testing.assert_frame_equal(pd.read_parquet(shipped / str(year) / "responses.parquet"),
                                      pd.read_parquet(demo / str(year) / "responses.parquet"))


@pytest.mark.parametrize("year", EDITIONS)
def test_answer_codes_are_valid_for_their_scale(demo, year):
    q, responses, _ = _load(demo, year)
    background = ["respondent_id", "institution_id", "domain_id", "leerweg", "niveau", "gender"]
    background += ["weight"] if SHIPS_WEIGHTS[year] else []  # one edition exercises the weighting
    assert list(responses.columns[:len(background)]) == background
    assert responses["respondent_id"].is_unique
    assert [c for c in responses.columns[len(background):]] == [i.id for i in q.items]
    for item in q.items:
        column = responses[item.id]
        assert column.dtype == "Int8", item.id
        assert set(column.dropna().unique()) <= VALID_CODES[item.scale], item.id
    assert set(responses["leerweg"]) == {"BOL", "BBL"}
    assert set(responses["gender"]) == {"man", "vrouw", "anders"}
    assert set(responses["niveau"]) == {1, 2, 3, 4}
    assert (responses.loc[responses["niveau"] == 1, "domain_id"] == "D05").all()


@pytest.mark.parametrize("year", EDITIONS)
def test_each_respondent_answers_a_fixed_number_of_modules(demo, year):
    q, responses, _ = _load(demo, year)
    modules = [t.id for t in q.themes if t.kind == "module"]
    assert len(modules) == (10 if year == 2026 else 3)
    answered = pd.DataFrame({m: responses[[i.id for i in q.items_of(m)]].notna().any(axis=1)
                             for m in modules})
    assert (answered.sum(axis=1) == MODULES_PER_RESPONDENT[year]).all()
    assert all(i.module == i.theme for i in q.items if i.theme in modules)
    assert all(i.module is None for i in q.items if i.theme not in modules)


@pytest.mark.parametrize("year", EDITIONS)
def test_population_covers_respondents_with_plausible_rates(demo, year):
    _, responses, population = _load(demo, year)
    counts = responses.groupby(CELL).size().rename("n")
    joined = population.set_index(CELL).join(counts, how="outer")
    assert joined["population"].notna().all(), "respondents in a cell without population"
    assert (joined["population"] >= joined["n"].fillna(0)).all()
    assert (joined["n"].isna()).any(), "expected some cells with population but no respondents"
    rates = responses.groupby("institution_id").size() / population.groupby("institution_id")[
        "population"].sum()
    assert rates.between(0.10, 0.60).all(), rates


@pytest.mark.parametrize("year", [year for year in EDITIONS if SHIPS_WEIGHTS[year]])
def test_weights_are_post_stratified(demo, year):
    _, responses, population = _load(demo, year)
    assert responses["weight"].sum() == pytest.approx(len(responses))
    cells = responses.groupby(CELL).agg(n=("weight", "size"), w=("weight", "first"))
    cells = cells.join(population.set_index(CELL))
    expected = (cells["population"] / cells["population"].sum()) / (cells["n"] / len(responses))
    np.testing.assert_allclose(cells["w"], expected)


def test_questionnaires_map_to_the_previous_edition(demo):
    old, _, _ = _load(demo, 2024)
    new, _, _ = _load(demo, 2026)
    old_ids = {i.id for i in old.items}
    mapped = [i for i in new.items if i.previous_id]
    assert {i.previous_id for i in mapped} <= old_ids
    assert 0.5 <= len(mapped) / len(new.items) <= 0.7
    assert any(not i.comparable for i in mapped)
    assert any(i.previous_id != i.id for i in mapped)
    assert old_ids - {i.previous_id for i in mapped}, "some 2024 items must be dropped"
    assert {t.kind for t in new.themes} == {"jaarlijks", "tweejaarlijks", "module"}
    for q in (old, new):
        assert 60 <= len(q.items) <= 80
        assert all(re.fullmatch(r"[A-Z]{3}\d{2}", i.id) for i in q.items)
        assert {i.scale for i in q.items} == {"scale5", "yesno", "mark"}
        assert all(t.description.endswith(".") for t in q.themes)


@pytest.mark.parametrize("year", EDITIONS)
def test_demo_has_small_cells_and_a_single_domain_institution(demo, year):
    _, responses, _ = _load(demo, year)
    cells = responses.groupby(["institution_id", "domain_id"]).size()
    assert (cells < 10).sum() >= 2
    assert {9, 10, 11} & set(cells) and 10 in set(cells)
    if year == 2026:
        assert {9, 10, 11} <= set(cells)
    domains_per_institution = responses.groupby("institution_id")["domain_id"].nunique()
    assert (domains_per_institution == 1).any()
    assert (domains_per_institution < 17).all()
    assert len(domains_per_institution) == 8


@pytest.mark.parametrize("year", EDITIONS)
def test_results_look_like_real_editions(demo, year):
    q, responses, _ = _load(demo, year)
    w = responses["weight"].to_numpy() if "weight" in responses else np.ones(len(responses))
    shares = []
    for item in q.items:
        x = responses[item.id].astype("float64").to_numpy()
        ok = ~np.isnan(x) & (x != 9)
        value = np.average(x[ok] >= 4 if item.scale == "scale5" else x[ok], weights=w[ok])
        if item.scale == "mark":
            assert 6.2 <= value <= 7.1, item.id
            assert 1.0 <= x[ok].std() <= 1.6, item.id
        else:
            shares.append(value)
    assert 0.2 <= min(shares) <= 0.35 and 0.7 <= max(shares) <= 0.85


def test_national_scale_shape(national):
    for year in EDITIONS:
        q, responses, population = _load(national, year)
        institutions = pd.read_csv(national / str(year) / "institutions.csv")
        assert len(institutions) == 60 and institutions["name"].is_unique
        assert responses["institution_id"].nunique() == 60
        assert responses["domain_id"].nunique() == 17
        assert len(q.items) >= 140
        assert len(responses) == 20_000
        offered = population.groupby("institution_id")["domain_id"].nunique()
        assert (offered >= 8).mean() > 0.5


def test_cli_prints_the_files_written(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--respondents", "200", "--seed", "3"]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 10 and all(Path(p).is_file() for p in printed)


def test_bad_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="`scale`"):
        generate_demo(tmp_path, scale="huge")
