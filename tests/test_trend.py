"""Trends over every edition present (issue 14, point 3): which items a theme's trend line may
join (chained previous_id, comparable at every step), how far back each question compares, and
the pipeline computing every edition of `previous_editions`."""

from __future__ import annotations

from jobmonitor.codebook import Questionnaire, item_chain, trend_items
from jobmonitor.site.trend import comparability_note
from jobmonitor.site.wording import load_wording


def questionnaire(year: int, items: list[dict], themes=("a", "b", "c", "d")) -> Questionnaire:
    return Questionnaire.model_validate({
        "edition": year,
        "themes": [{"id": t, "name": t.upper(), "description": "-"} for t in themes],
        "items": [{"scale": "scale5", **item} for item in items],
    })


OLDEST = questionnaire(2022, [
    {"id": "A1", "theme": "a", "text": "-"}, {"id": "A2", "theme": "a", "text": "-"},
    {"id": "B1", "theme": "b", "text": "-"}, {"id": "B2", "theme": "b", "text": "-"},
    {"id": "X1", "theme": "c", "text": "-"},  # moves to theme d later: a restructured theme
    {"id": "C1", "theme": "c", "text": "-"},
])
MIDDLE = questionnaire(2024, [
    {"id": "A1", "theme": "a", "text": "-", "previous_id": "A1"}, {"id": "A2", "theme": "a", "text": "-", "previous_id": "A2"},
    {"id": "B1", "theme": "b", "text": "-", "previous_id": "B1"},
    {"id": "B2", "theme": "b", "text": "-", "previous_id": "B2", "comparable": False},
    {"id": "B3", "theme": "b", "text": "-"},  # new in 2024
    {"id": "D1", "theme": "d", "text": "-", "previous_id": "X1"},
    {"id": "C1", "theme": "c", "text": "-", "previous_id": "C1", "comparable": False},
])
NEWEST = questionnaire(2026, [
    {"id": "A1", "theme": "a", "text": "-", "previous_id": "A1"}, {"id": "A2", "theme": "a", "text": "-", "previous_id": "A2"},
    {"id": "B1", "theme": "b", "text": "-", "previous_id": "B1"}, {"id": "B2", "theme": "b", "text": "-", "previous_id": "B2"},
    {"id": "B3", "theme": "b", "text": "-", "previous_id": "B3"},
    {"id": "D1", "theme": "d", "text": "-", "previous_id": "D1"}, {"id": "D2", "theme": "d", "text": "-"},
    {"id": "C1", "theme": "c", "text": "-", "previous_id": "C1"},
])
EDITIONS = [OLDEST, MIDDLE, NEWEST]


def test_a_theme_unchanged_in_every_edition_draws_its_own_score():
    assert trend_items(EDITIONS)["a"] == ("a", {2022: ["A1", "A2"], 2024: ["A1", "A2"], 2026: ["A1", "A2"]})


def test_a_changed_theme_draws_a_score_on_the_items_comparable_all_the_way_back():
    # B2 was reworded in 2024 and B3 is new in 2024: only B1 runs from 2022 to 2026.
    assert trend_items(EDITIONS)["b"] == ("b__trend", {2022: ["B1"], 2024: ["B1"], 2026: ["B1"]})
    # Theme d did not exist in 2022; its D1 was X1 in theme c then.
    assert trend_items(EDITIONS)["d"] == ("d__trend", {2022: ["X1"], 2024: ["D1"], 2026: ["D1"]})


def test_a_theme_without_an_item_comparable_all_the_way_has_no_trend():
    assert "c" not in trend_items(EDITIONS)
    assert trend_items([NEWEST]) == {}
    # Two editions: C1 compares 2024 → 2026, so c has a trend over those two.
    assert trend_items([MIDDLE, NEWEST])["c"] == ("c", {2024: ["C1"], 2026: ["C1"]})


def test_item_chain_stops_where_the_question_changed():
    newest = {i.id: i for i in NEWEST.items}
    assert [i.edition if hasattr(i, "edition") else i.id for i in item_chain(newest["A1"], EDITIONS)] == ["A1", "A1", "A1"]
    assert len(item_chain(newest["B2"], EDITIONS)) == 2
    assert len(item_chain(newest["D2"], EDITIONS)) == 1


def test_each_question_says_how_far_back_it_compares():
    w = load_wording()
    newest = {i.id: i for i in NEWEST.items}
    assert comparability_note(newest["A1"], EDITIONS, w) == ""
    assert comparability_note(newest["B2"], EDITIONS, w) == "niet vergelijkbaar met 2022: vraag of antwoordopties gewijzigd"
    assert comparability_note(newest["B3"], EDITIONS, w) == "nieuw in 2024"
    assert comparability_note(newest["D2"], EDITIONS, w) == "nieuw in 2026"
    assert comparability_note(newest["B2"], [NEWEST], w) == ""
