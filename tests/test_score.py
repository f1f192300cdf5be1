"""Scoring rules (DESIGN.md "Data flow" → score): what each answer counts as, and theme scores.

5-point items count positive (4–5) against 1–3, "n.v.t." (9) and empty answers are left out;
yes/no items count "ja"; report marks keep their value; a theme score is the mean of the
respondent's answered 5-point items, and only exists when at least half of them were answered.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobmonitor.codebook import Questionnaire
from jobmonitor.compute.load import load_edition
from jobmonitor.compute.score import item_scores, score_edition, scored_themes, theme_scores
from jobmonitor.config import load_config

NAN = float("nan")


def codes(*values: float) -> np.ndarray:
    return np.array(values, dtype="float32")


# ---------------------------------------------------------------- item_scores


def test_five_point_item_counts_4_and_5_as_positive_and_1_to_3_as_not():
    """The published percentage is "% positive": agree (4) and fully agree (5) against the rest."""
    got = item_scores(codes(1, 2, 3, 4, 5), "scale5")
    np.testing.assert_array_equal(got, [0, 0, 0, 1, 1])


def test_five_point_item_excludes_not_applicable_and_empty_answers():
    """"n.v.t." (9) and empty answers are not part of the base: they must become NaN, never 0,
    or they would lower the percentage positive."""
    got = item_scores(codes(9, NAN, 4, 9, 2), "scale5")
    assert np.isnan(got[[0, 1, 3]]).all()
    np.testing.assert_array_equal(got[[2, 4]], [1, 0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 9.0, NAN]), min_size=0, max_size=50))
def test_five_point_item_scores_follow_the_rule_for_any_answers(answers):
    """Every answer maps by the rule alone, whatever the other answers in the column are."""
    got = item_scores(np.array(answers, dtype="float32"), "scale5")
    assert got.shape == (len(answers),)
    for answer, score in zip(answers, got):
        if math.isnan(answer) or answer == 9:
            assert math.isnan(score)
        else:
            assert score == (1.0 if answer >= 4 else 0.0)


@pytest.mark.parametrize(("scale", "answers"), [
    ("yesno", codes(0, 1, NAN, 1, 0)),
    ("mark", codes(1, 5.0, 10, NAN, 7)),
])
def test_yesno_and_mark_items_keep_their_answer_values(scale, answers):
    """Yes/no already is 0/1 (% ja) and a report mark is averaged as given; empty stays
    excluded. Re-coding them (e.g. treating a mark of 4+ as positive) would be wrong."""
    got = item_scores(answers.copy(), scale)
    np.testing.assert_array_equal(got, answers)  # NaN compares equal in assert_array_equal


# ---------------------------------------------------------------- theme_scores


def test_theme_score_is_the_mean_of_the_answered_items():
    """Unanswered items are left out of the mean, not counted as 0 or as a neutral 3."""
    answers = np.array([[5, 4, NAN, 3], [1, NAN, NAN, 2], [2, 2, 2, 2]], dtype="float32")
    np.testing.assert_allclose(theme_scores(answers), [4.0, 1.5, 2.0], rtol=1e-7)


@pytest.mark.parametrize(("n_items", "answered", "has_score"), [
    # odd number of items: half of 3 is 1.5, so 2 answered are needed
    (3, 0, False), (3, 1, False), (3, 2, True), (3, 3, True),
    # even number of items: exactly half (2 of 4) is enough
    (4, 1, False), (4, 2, True), (4, 3, True),
    # a one-item theme needs its item; two items need one
    (1, 0, False), (1, 1, True), (2, 1, True),
    (5, 2, False), (5, 3, True), (6, 3, True), (6, 2, False),
])
def test_theme_score_needs_at_least_half_of_its_items_answered(n_items, answered, has_score):
    """The design's threshold is "at least half": exactly half is enough for an even number of
    items; for an odd number the count must be rounded up."""
    row = np.full((1, n_items), NAN, dtype="float32")
    row[0, :answered] = 4.0
    score = theme_scores(row)[0]
    if has_score:
        assert score == 4.0
    else:
        assert np.isnan(score)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 8).flatmap(lambda k: st.lists(
    st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, NAN]), min_size=k, max_size=k), min_size=1, max_size=20)))
def test_theme_scores_match_a_plain_loop(rows):
    """Cross-check against a direct per-respondent loop: mean of answered items if
    2 × answered ≥ items, else NaN."""
    answers = np.array(rows, dtype="float32")
    got = theme_scores(answers)
    for row, score in zip(rows, got):
        answered = [a for a in row if not math.isnan(a)]
        if answered and 2 * len(answered) >= len(row):
            assert score == np.float32(sum(answered) / len(answered))
        else:
            assert np.isnan(score)


def test_theme_scores_do_not_change_the_answers():
    """Scoring is a pure stage: the answer matrix it reads must come back untouched."""
    answers = np.array([[5, NAN, 3], [NAN, NAN, 1]], dtype="float32")
    before = answers.copy()
    theme_scores(answers)
    np.testing.assert_array_equal(answers, before)


# ---------------------------------------------------------------- scored_themes


def make_questionnaire(items: list[tuple[str, str, str]], themes: list[str]) -> Questionnaire:
    return Questionnaire.model_validate({
        "edition": 2026,
        "themes": [{"id": t, "name": t.title(), "description": "x"} for t in themes],
        "items": [{"id": i, "theme": t, "text": "x", "scale": s} for i, t, s in items],
    })


def test_only_themes_with_a_five_point_item_get_a_theme_score():
    """A theme score is on the 1–5 scale: a theme of only yes/no questions and marks has none,
    while one 5-point item among others is enough. Order follows the questionnaire."""
    q = make_questionnaire(
        [("A1", "zonder", "yesno"), ("A2", "zonder", "mark"),
         ("B1", "gemengd", "yesno"), ("B2", "gemengd", "scale5"),
         ("C1", "schaal", "scale5"), ("C2", "schaal", "scale5")],
        themes=["schaal", "zonder", "gemengd", "leeg"],
    )
    assert scored_themes(q) == ["schaal", "gemengd"]


# ---------------------------------------------------------------- score_edition


@pytest.fixture()
def tiny_edition(tiny_config_path):
    config = load_config(tiny_config_path)
    return config, load_edition(config.edition_dir(2026), 2026)


def test_scored_edition_has_items_then_themes_with_their_kinds_and_measures(tiny_edition):
    """Aggregation and estimation read var_ids/kinds/measures positionally: one column per
    item in questionnaire order, then one per scored theme (the tiny edition's
    "tevredenheid" has only a yes/no item and a mark, so no theme score)."""
    config, edition = tiny_edition
    scores = score_edition(edition, config.weighting)
    assert scores.year == 2026
    assert scores.var_ids == ["Q1", "Q2", "Q3", "Q4", "Q5", "lessen"]
    assert scores.kinds == ["item"] * 5 + ["theme"]
    assert scores.measures == ["pct_positive", "pct_positive", "pct_yes", "mean", "pct_positive", "mean"]
    assert scores.values.shape == (85, 6)
    assert scores.weights.shape == (85,)
    assert scores.institution_ids == ["I1", "I2", "I3"]
    assert scores.domain_ids == ["D01", "D02", "D03"]


def test_scored_edition_matches_the_rules_recomputed_from_the_csv(tiny_edition, tiny_config_path):
    """Recompute every respondent's scores straight from responses.csv with pandas: positive
    = 4–5, 9 and empty excluded, ja and marks as given, the theme as mean of Q1, Q2, Q5 if
    at least two of three were answered. Weights are the ones delivered with the data."""
    config, edition = tiny_edition
    scores = score_edition(edition, config.weighting)
    raw = pd.read_csv(tiny_config_path.parent / "data" / "2026" / "responses.csv")
    five = raw[["Q1", "Q2", "Q5"]].astype("float64").mask(lambda f: f == 9)
    expected = pd.DataFrame({
        "Q1": (five["Q1"] >= 4).astype(float).where(five["Q1"].notna()),
        "Q2": (five["Q2"] >= 4).astype(float).where(five["Q2"].notna()),
        "Q3": raw["Q3"].astype(float),
        "Q4": raw["Q4"].astype(float),
        "Q5": (five["Q5"] >= 4).astype(float).where(five["Q5"].notna()),
        "lessen": five.mean(axis=1, skipna=True).where(five.notna().sum(axis=1) >= 2),
    })
    np.testing.assert_allclose(scores.values.astype("float64"), expected.to_numpy(), rtol=1e-6, equal_nan=True)
    # The tiny edition has both exclusions, so the test would notice them being counted.
    assert np.isnan(scores.values[:, 1]).any() and np.isnan(scores.values[:, 4]).any()
    np.testing.assert_allclose(scores.weights, raw["weight"].to_numpy(), rtol=1e-12)
    assert np.array(scores.institution_ids)[scores.institution_code].tolist() == raw["institution_id"].tolist()
    assert np.array(scores.domain_ids)[scores.domain_code].tolist() == raw["domain_id"].tolist()


def test_score_edition_leaves_the_edition_untouched(tiny_edition):
    """Each stage is a pure function of the previous stage's output: scoring must not write
    NaN over the "n.v.t." codes in the loaded answers (the answer distribution needs them)."""
    config, edition = tiny_edition
    before = edition.answers.copy()
    score_edition(edition, config.weighting)
    np.testing.assert_array_equal(edition.answers, before)
    assert (edition.answers == 9).any()


def test_lower_is_better_items_count_reversed_in_the_theme_score(tiny_config_path):
    """A theme score is good news when high: an item where lower is better (e.g. "door mijn
    woonsituatie kan ik moeilijk studeren") counts as 6 − x, a neutral item not at all. The
    old score averaged such items as they were, so a worse situation raised the theme."""
    import yaml

    path = tiny_config_path.parent / "data" / "2026" / "questionnaire.yml"
    questionnaire = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in questionnaire["items"]:
        item["direction"] = {"Q5": "lower_better", "Q2": "neutral"}.get(item["id"], "higher_better")
    path.write_text(yaml.safe_dump(questionnaire, allow_unicode=True), encoding="utf-8")
    config = load_config(tiny_config_path)
    scores = score_edition(load_edition(config.edition_dir(2026), 2026), config.weighting)
    raw = pd.read_csv(tiny_config_path.parent / "data" / "2026" / "responses.csv")
    five = raw[["Q1", "Q5"]].astype("float64").mask(lambda f: f == 9)
    five["Q5"] = 6 - five["Q5"]
    expected = five.mean(axis=1, skipna=True).where(five.notna().sum(axis=1) >= 1)
    theme = scores.values[:, scores.var_ids.index("lessen")].astype("float64")
    np.testing.assert_allclose(theme, expected.to_numpy(), rtol=1e-6, equal_nan=True)
    assert scores.directions[scores.var_ids.index("Q5")] == "lower_better"
    assert scores.directions[scores.var_ids.index("lessen")] == "higher_better"
