"""The synthetic demo editions (2022, 2024, 2026): deterministic, valid input, realistic shape,
edge cases, questionnaire changes between editions and true leerweg and niveau effects."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from jobmonitor.codebook import VALID_CODES, Questionnaire, previous_item_map
from jobmonitor.compute.load import load_edition
from jobmonitor.demo import (EDITIONS, MODULES_PER_RESPONDENT, SHIPS_WEIGHTS, generate_demo,
                             item_params, main)

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
    # The newest edition also has the institution reports' analysis labels.
    labels = {"labels.csv", "labels.yml"}
    assert len(written) == len(FILES) * len(EDITIONS) + len(labels) == 17
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022", "2024", "2026"]
    for year in EDITIONS:
        assert {p.name for p in (tmp_path / str(year)).iterdir()} == FILES | (labels if year == EDITIONS[-1] else set())
    assert set(written) == {tmp_path / str(y) / f for y in EDITIONS for f in FILES} | {tmp_path / str(EDITIONS[-1]) / f for f in labels}


def test_same_arguments_give_identical_bytes(tmp_path):
    for run in ("a", "b"):
        generate_demo(tmp_path / run, respondents=500, seed=7)
    for year in EDITIONS:
        for name in FILES:
            a, b = (tmp_path / run / str(year) / name for run in ("a", "b"))
            assert a.read_bytes() == b.read_bytes(), name
    generate_demo(tmp_path / "c", respondents=500, seed=8)
    for year in EDITIONS:
        assert (tmp_path / f"c/{year}/responses.parquet").read_bytes() != (
            tmp_path / f"a/{year}/responses.parquet").read_bytes()


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
    background += ["voltijd", "opleiding"] if year == EDITIONS[-1] else []  # the reports' optional columns
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
    if year == EDITIONS[-1]:
        assert set(responses["voltijd"]) == {"voltijd", "deeltijd"}
        assert (responses.loc[responses["leerweg"] == "BBL", "voltijd"] == "deeltijd").all()


@pytest.mark.parametrize("year", EDITIONS)
def test_each_respondent_answers_a_fixed_number_of_modules(demo, year):
    q, responses, _ = _load(demo, year)
    modules = [t.id for t in q.themes if t.kind == "module"]
    assert len(modules) == {2022: 3, 2024: 3, 2026: 10}[year]
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


@pytest.mark.parametrize("year", EDITIONS)
def test_each_edition_is_valid_input(demo, year):
    edition = load_edition(demo / str(year), year)  # every rule a build applies to its inputs
    q = edition.questionnaire
    assert q.edition == year
    assert all(q.items_of(t.id) for t in q.themes), "a theme without items"
    modules = {t.id for t in q.themes if t.kind == "module"}
    assert {i.module for i in q.items if i.module} == modules


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
    for q in (_load(demo, 2022)[0], old, new):
        assert 60 <= len(q.items) <= 80
        assert all(re.fullmatch(r"[A-Z]{3}\d{2}", i.id) for i in q.items)
        assert {i.scale for i in q.items} == {"scale5", "yesno", "mark"}
        assert all(t.description.endswith(".") for t in q.themes)


def test_2024_questionnaire_differs_from_2022_as_editions_do(demo):
    q = {year: _load(demo, year)[0] for year in EDITIONS}
    for earlier, later in zip(EDITIONS, EDITIONS[1:]):
        before = {i.id for i in q[earlier].items}
        mapped = [i.previous_id for i in q[later].items if i.previous_id]
        assert set(mapped) <= before, f"{later} names items {earlier} does not have"
        assert len(set(mapped)) == len(mapped), f"two {later} items share a predecessor"
    old = {i.id: i for i in q[2022].items}
    mapped = [i for i in q[2024].items if i.previous_id]
    assert any(i.previous_id is None for i in q[2024].items), "an item new in 2024"
    assert 0.8 <= len(mapped) / len(q[2024].items) < 1, "most 2024 items were asked in 2022"
    assert set(old) - {i.previous_id for i in mapped}, "some 2022 items must be dropped"
    changed = [i for i in mapped if not i.comparable]
    assert changed, "an item not comparable with 2022"
    assert any(old[i.previous_id].scale != i.scale for i in changed)
    assert all(old[i.previous_id].text != i.text for i in changed)
    for item in mapped:
        if item.comparable:
            assert (old[item.previous_id].text, old[item.previous_id].scale) == (item.text, item.scale)
            assert old[item.previous_id].direction == item.direction
    assert any(i.previous_id != i.id for i in mapped if i.comparable), "a renumbered item"
    # One theme restructured: 2022's schoolorganisatie became 2024's informatie and gebouw.
    moved = {(old[i.previous_id].theme, i.theme) for i in mapped if old[i.previous_id].theme != i.theme}
    assert {("schoolorganisatie", "informatie"), ("schoolorganisatie", "gebouw")} <= moved
    assert "schoolorganisatie" not in {t.id for t in q[2024].themes}
    compared = previous_item_map(q[2024], q[2022])
    assert {i.id for i in mapped if i.comparable} <= set(compared)
    assert not {i.id for i in changed} & set(compared)


def _chain_concept(q: dict[int, Questionnaire], item_id: str) -> str:
    """The concept of a 2024 item: its 2026 successor's id, else `2024:<id>`."""
    successor = {i.previous_id: i.id for i in q[2026].items if i.previous_id}
    return successor.get(item_id, f"2024:{item_id}")


def _positive(responses: pd.DataFrame, item) -> pd.Series:
    """1/0 per respondent who answered (n.v.t. excluded): positive on 5 points, or yes."""
    x = responses[item.id].astype("float64")
    x = x[x.notna() & (x != 9)]
    return ((x >= 4) if item.scale == "scale5" else (x == 1)).astype("float64")


def _gap(responses: pd.DataFrame, item, column: str, low, high, strata: list[str]):
    """Share positive of `high` minus `low` (in `column`) within strata, pooled with weights
    1/(1/n_low + 1/n_high); and its standard error under no difference."""
    pos = _positive(responses, item)
    frame = responses.loc[pos.index, strata + [column]].assign(pos=pos)
    frame = frame[frame[column].isin([low, high])]
    cells = frame.groupby(strata + [column])["pos"].agg(["mean", "size"]).unstack(column).dropna()
    n_low, n_high = cells[("size", low)], cells[("size", high)]
    w = 1 / (1 / n_low + 1 / n_high)
    p = (cells[("mean", low)] * n_low + cells[("mean", high)] * n_high) / (n_low + n_high)
    gap = (w * (cells[("mean", high)] - cells[("mean", low)])).sum() / w.sum()
    return gap, np.sqrt((w * p * (1 - p)).sum()) / w.sum()


def test_leerweg_and_niveau_effects_are_real(national):
    """BBL vs BOL (within domain x niveau) and niveau 4 vs 2 (within domain x leerweg): an
    item with a large effect differs by far more than sampling noise, one without does not."""
    q, responses, _ = _load(national, 2026)
    items = [i for i in q.items if i.scale != "mark" and i.module is None]
    params = {i.id: item_params(i.id, n_inst=60) for i in items}
    assert 0.2 <= np.mean([p.bbl != 0 for p in params.values()]) <= 0.6
    assert 0.2 <= np.mean([p.niveau.any() for p in params.values()]) <= 0.6
    assert max(max(abs(p.bbl), *abs(p.niveau)) for p in params.values()) <= 0.4
    without = next(i for i in items if params[i.id].bbl == 0 and not params[i.id].niveau.any())
    bbl = max(items, key=lambda i: abs(params[i.id].bbl))
    gap, se = _gap(responses, bbl, "leerweg", "BOL", "BBL", ["domain_id", "niveau"])
    assert abs(params[bbl.id].bbl) >= 0.3
    assert np.sign(gap) == np.sign(params[bbl.id].bbl) and abs(gap) > 5 * se, (bbl.id, gap, se)
    gap, se = _gap(responses, without, "leerweg", "BOL", "BBL", ["domain_id", "niveau"])
    assert abs(gap) < 3 * se, (without.id, gap, se)
    step = {i.id: params[i.id].niveau[3] - params[i.id].niveau[1] for i in items}
    level = max(items, key=lambda i: abs(step[i.id]))
    gap, se = _gap(responses, level, "niveau", 2, 4, ["domain_id", "leerweg"])
    assert np.sign(gap) == np.sign(step[level.id]) and abs(gap) > 5 * se, (level.id, gap, se)
    gap, se = _gap(responses, without, "niveau", 2, 4, ["domain_id", "leerweg"])
    assert abs(gap) < 3 * se, (without.id, gap, se)


def test_comparable_chains_share_one_model_with_true_changes(national):
    """A 2022 item and its 2024 successor measure the same thing: their national shares differ
    only where the model says the concept truly changed (and then in that direction)."""
    q = {year: _load(national, year)[0] for year in EDITIONS}
    answers = {year: pd.read_parquet(national / str(year) / "responses.parquet") for year in (2022, 2024)}
    old = {i.id: i for i in q[2022].items}
    changed, steady = [], []
    for item in q[2024].items:
        if not item.previous_id or not item.comparable or item.scale == "mark":
            continue
        a, b = _positive(answers[2022], old[item.previous_id]), _positive(answers[2024], item)
        diff = b.mean() - a.mean()
        z = diff / np.sqrt(a.var() / len(a) + b.var() / len(b))
        delta = item_params(_chain_concept(q, item.id), n_inst=60).delta_2024
        (changed if delta else steady).append((item.id, delta, z))
    assert len(changed) >= 10 and len(steady) >= 40
    assert all(np.sign(z) == np.sign(delta) and abs(z) > 3 for _, delta, z in changed), changed
    assert np.median([abs(z) for *_, z in steady]) < 1.5


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
    assert len(printed) == 17 and all(Path(p).is_file() for p in printed)


def test_bad_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="`scale`"):
        generate_demo(tmp_path, scale="huge")
