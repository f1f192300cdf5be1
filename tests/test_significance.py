"""Markers under simulation: few false markers when nothing differs, planted differences found;
and the property that ▲/▼ never appears unless both editions' cells are published."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.config import Thresholds
from jobmonitor.compute.significance import benchmark_markers
from jobmonitor.compute.significance import add_changes
from jobmonitor.compute.score import Scores
from jobmonitor.compute.estimate import point_estimates
from jobmonitor.compute.significance import compare_with_benchmark

N_INST, N_ITEMS, PER_INST = 20, 25, 250


def simulated_scores(rng, effects: np.ndarray, per_inst: int = PER_INST) -> Scores:
    """Respondents of N_INST institutions in one domain answering yes/no items with
    P(yes) = 0.5 + effect[institution, item]; weights vary like real post-stratification."""
    inst = np.repeat(np.arange(N_INST), per_inst).astype("int32")
    prob = 0.5 + effects[inst]
    values = (rng.random((len(inst), N_ITEMS)) < prob).astype("float32")
    values[rng.random(values.shape) < 0.03] = np.nan
    return Scores(
        year=2026, var_ids=[f"V{j}" for j in range(N_ITEMS)], kinds=["item"] * N_ITEMS,
        measures=["pct_yes"] * N_ITEMS, directions=["higher_better"] * N_ITEMS, values=values, weights=rng.uniform(0.5, 2.0, len(inst)),
        institution_code=inst, domain_code=np.zeros(len(inst), dtype="int32"),
        institution_ids=[f"I{k:02d}" for k in range(N_INST)], domain_ids=["D01"], weighting="test",
    )


def marked(scores: Scores, thresholds: Thresholds) -> pd.DataFrame:
    table = compare_with_benchmark(point_estimates(aggregate(scores), thresholds.confidence))
    table["status"] = "published"
    return benchmark_markers(table, thresholds)


def test_false_markers_stay_at_or_below_the_nominal_rate():
    rng = np.random.default_rng(11)
    thresholds = Thresholds(min_difference_pct=0.0)  # test significance alone, the strictest case
    shares = []
    for _ in range(5):
        table = marked(simulated_scores(rng, np.zeros((N_INST, N_ITEMS))), thresholds)
        institutions = table[table["level"] == "institution"]
        shares.append((institutions["marker"] != "").mean())
    assert np.mean(shares) <= thresholds.alpha


def test_without_adjustment_the_rate_is_near_alpha():
    # Sanity check of the test itself: unadjusted, about alpha of the null tests are significant.
    rng = np.random.default_rng(12)
    thresholds = Thresholds(min_difference_pct=0.0, multiple_testing="none")
    table = marked(simulated_scores(rng, np.zeros((N_INST, N_ITEMS))), thresholds)
    share = (table[table["level"] == "institution"]["p_value"] < 0.05).mean()
    assert 0.02 < share < 0.09


def test_planted_differences_are_found_and_only_they():
    rng = np.random.default_rng(13)
    effects = np.zeros((N_INST, N_ITEMS))
    effects[0, :5] = 0.2  # institution I00 scores 20 points higher on V0..V4
    effects[1, 5:8] = -0.2  # I01 20 points lower on V5..V7
    table = marked(simulated_scores(rng, effects), Thresholds())
    inst = table[table["level"] == "institution"].set_index(["institution_id", "item_id"])["marker"]
    assert all(inst[("I00", f"V{j}")] == "+" for j in range(5))
    assert all(inst[("I01", f"V{j}")] == "-" for j in range(5, 8))
    others = inst.drop([("I00", f"V{j}") for j in range(5)] + [("I01", f"V{j}") for j in range(5, 8)])
    assert (others != "").sum() <= 2


def test_relevance_threshold_hides_small_significant_differences():
    rng = np.random.default_rng(14)
    effects = np.zeros((N_INST, N_ITEMS))
    effects[:10, :] = 0.04  # 4 points: often significant at domain level, rarely relevant
    table = marked(simulated_scores(rng, effects, per_inst=3000), Thresholds())
    significant_small = (table["p_adjusted"] < 0.05) & (table["difference"].abs() < 5)
    assert significant_small.sum() > 0, "the simulation must produce significant but small differences"
    assert (table.loc[significant_small, "marker"] == "").all()
    assert (table.loc[table["marker"] != "", "difference"].abs() >= 5).all()


statuses = st.sampled_from(["published", "indicative", "suppressed_primary", "suppressed_secondary"])


@settings(max_examples=150, deadline=None)
@given(current=statuses, previous=statuses, shift=st.floats(-40, 40), n=st.integers(10, 2000))
def test_no_change_marker_unless_both_cells_are_published(current, previous, shift, n):
    row = {"level": "institution", "institution_id": "I1", "domain_id": pd.NA, "kind": "item", "measure": "pct_yes",
           "direction": "higher_better", "n_eff": float(n), "var": 0.25}
    cur = pd.DataFrame([{**row, "item_id": "Q1", "estimate": 50.0 + shift, "status": current}])
    prev = pd.DataFrame([{**row, "item_id": "P1", "estimate": 50.0, "status": previous}])
    for frame in (cur, prev):
        for column in ("institution_id", "domain_id"):
            frame[column] = frame[column].astype("string")
    out = add_changes(cur, prev, {"Q1": "P1"}, Thresholds()).iloc[0]
    hidden = ("suppressed_primary", "suppressed_secondary")
    if current in hidden or previous in hidden:
        assert out["change_marker"] == "" and np.isnan(out["change"]) and np.isnan(out["previous_estimate"])
    elif out["change_marker"]:
        assert abs(out["change"]) >= 5 and out["change_p_adjusted"] < 0.05


def test_a_marker_is_worded_after_the_question_direction():
    """Bad news is never presented as good: more students bullied (+ on a lower-is-better
    question) is "unfavourable", fewer is "favourable"; neutral questions are only higher or
    lower; a test without a marker says "no_difference" and no test says nothing."""
    from jobmonitor.compute.significance import CHANGE_VERDICTS, VERDICTS, verdicts

    marker = np.array(["+", "-", "+", "-", "+", "", ""])
    direction = np.array(["higher_better", "higher_better", "lower_better", "lower_better", "neutral",
                          "lower_better", "higher_better"])
    tested = np.array([True] * 6 + [False])
    assert verdicts(marker, direction, tested, VERDICTS).tolist() == [
        "favourable", "unfavourable", "unfavourable", "favourable", "higher", "no_difference", ""]
    change = np.array(["▲", "▼", "▲", "", ""])
    assert verdicts(change, direction[:5], np.array([True, True, True, True, False]), CHANGE_VERDICTS).tolist() == [
        "improved", "worsened", "worsened", "no_difference", ""]


def test_a_theme_whose_items_changed_is_compared_only_on_its_shared_items(tiny_computed):
    """"lessen" holds Q1 (= P1), Q2 (reworded) and Q5 (new) against P1 and P2: its full
    scores are two different item sets, so they get no change; both editions' scores on the
    shared item (Q1 / P1) are recomputed and compared instead. Comparing the full scores gave
    ▲/▼ on two different item sets."""
    import numpy as np
    from jobmonitor.codebook import partly_comparable, previous_item_map

    config, computed = tiny_computed
    current_q, previous_q = computed.current.edition.questionnaire, computed.previous.edition.questionnaire
    assert partly_comparable(current_q, previous_q) == {"lessen": [("Q1", "P1")]}
    mapping = previous_item_map(current_q, previous_q)
    assert "lessen" not in mapping and mapping["lessen__shared"] == "lessen__shared"
    results = computed.results
    national = results[results["level"] == "national"].set_index(["edition", "item_id"])
    assert np.isnan(national.loc[(2026, "lessen"), "change"])
    shared = national.loc[(2026, "lessen__shared")]
    assert shared["previous_estimate"] == pytest.approx(national.loc[(2024, "lessen__shared"), "estimate"])
    assert shared["change"] == pytest.approx(shared["estimate"] - shared["previous_estimate"])
    # The shared score is the theme score of Q1 alone: the mean of its 1–5 answers.
    edition = computed.current.edition
    q1 = edition.answers[:, [i.id for i in current_q.items].index("Q1")].astype(float)
    weights = edition.responses["weight"].to_numpy()
    ok = ~np.isnan(q1) & (q1 != 9)
    assert shared["estimate"] == pytest.approx(np.average(q1[ok], weights=weights[ok]), rel=1e-6)


def test_a_theme_without_shared_items_is_not_compared():
    from jobmonitor.codebook import Questionnaire, partly_comparable, previous_item_map

    theme = [{"id": "t", "name": "T", "description": "T."}]
    before = Questionnaire(edition=2024, themes=theme, items=[{"id": "A", "theme": "t", "text": "a", "scale": "scale5"}])
    after = Questionnaire(edition=2026, themes=theme, items=[{"id": "B", "theme": "t", "text": "b", "scale": "scale5"}])
    assert previous_item_map(after, before) == {} and partly_comparable(after, before) == {}
    same = Questionnaire(edition=2026, themes=theme, items=[{"id": "A", "theme": "t", "text": "a", "scale": "scale5",
                                                             "previous_id": "A"}])
    assert previous_item_map(same, before) == {"A": "A", "t": "t"}
