"""Weighted sums per unit × var, checked against a plain pandas groupby on hand-built scores.

`aggregate` must give, for every unit at the four levels (national, institution, domain,
institution × domain) and every var, n = answers counted, Σw, Σw², Σw·x and Σw·x² — the sums
every estimate, interval and test is computed from (DESIGN.md "Statistics").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.compute.score import Scores

RTOL = 1e-9
SUMS = ["n", "sw", "sw2", "swx", "swx2"]
KEYS = ["level", "institution_id", "domain_id", "item_id"]
LEVEL_KEYS = {
    "national": [],
    "institution": ["institution_id"],
    "domain": ["domain_id"],
    "institution_domain": ["institution_id", "domain_id"],
}
# One var of each kind the scoring stage produces.
VARS = [
    ("P", "item", "pct_positive"),  # 0/1 with empties
    ("J", "item", "pct_yes"),  # 0/1 with empties
    ("M", "item", "mean"),  # report mark 1–10 with empties
    ("T", "theme", "mean"),  # continuous theme score 1–5 with empties
]


def make_scores(rng: np.random.Generator, n: int, n_inst: int = 4, n_dom: int = 3, *,
                dyadic: bool = False, empty_share: float = 0.2) -> Scores:
    """Random scores. Institution code n_inst-1 and domain code n_dom-1 never get respondents,
    and (with at least two institutions with data) cell (0, n_dom-2) stays empty, so units and
    cells without respondents always exist.

    dyadic=True puts weights and theme values on a grid of quarters, so every floating-point
    sum is exact whatever the order of addition."""
    pairs = [(i, d) for i in range(n_inst - 1) for d in range(n_dom - 1)
             if (i, d) != (0, n_dom - 2) or n_inst == 2]
    chosen = rng.integers(0, len(pairs), n)
    inst = np.array([pairs[c][0] for c in chosen], dtype="int32")
    dom = np.array([pairs[c][1] for c in chosen], dtype="int32")
    if dyadic:
        weights = rng.integers(1, 17, n) / 4.0
        theme = rng.integers(4, 21, n) / 4.0
    else:
        weights = rng.uniform(0.2, 5.0, n)
        theme = rng.uniform(1.0, 5.0, n)
    values = np.column_stack([
        rng.integers(0, 2, n), rng.integers(0, 2, n), rng.integers(1, 11, n), theme,
    ]).astype("float32")
    values[rng.random(values.shape) < empty_share] = np.nan
    return Scores(
        year=2026,
        var_ids=[v[0] for v in VARS],
        kinds=[v[1] for v in VARS],
        measures=[v[2] for v in VARS],
        directions=["higher_better"] * len(VARS),
        values=np.asfortranarray(values),
        weights=weights.astype("float64"),
        institution_code=inst,
        domain_code=dom,
        institution_ids=[f"I{k}" for k in range(n_inst)],
        domain_ids=[f"D{k}" for k in range(n_dom)],
        weighting="test",
    )


def reference_sums(scores: Scores) -> pd.DataFrame:
    """The same sums with a long frame and pandas groupby: one row per respondent × var."""
    n_resp, n_vars = scores.values.shape
    x = scores.values.astype("float64").reshape(-1, order="C")
    long = pd.DataFrame({
        "institution_id": np.repeat(np.array(scores.institution_ids)[scores.institution_code], n_vars),
        "domain_id": np.repeat(np.array(scores.domain_ids)[scores.domain_code], n_vars),
        "item_id": np.tile(scores.var_ids, n_resp),
        "w": np.repeat(scores.weights, n_vars),
        "x": x,
    })
    answered = long["x"].notna()
    x0 = long["x"].fillna(0.0)
    long = long.assign(
        n=answered.astype("int64"),
        sw=long["w"].where(answered, 0.0),
        sw2=(long["w"] ** 2).where(answered, 0.0),
        swx=(long["w"] * x0).where(answered, 0.0),
        swx2=(long["w"] * x0 * x0).where(answered, 0.0),
    )
    frames = []
    for level, keys in LEVEL_KEYS.items():
        sums = long.groupby(keys + ["item_id"], sort=True)[SUMS].sum().reset_index()
        for column in ("institution_id", "domain_id"):
            if column not in keys:
                sums[column] = ""
        frames.append(sums.assign(level=level))
    return pd.concat(frames, ignore_index=True)[KEYS + SUMS]


def keyed(table: pd.DataFrame) -> pd.DataFrame:
    """Aggregate output with empty ids as '' so it can be joined on the unit keys."""
    out = table.copy()
    for column in ("institution_id", "domain_id"):
        out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out.set_index(KEYS).sort_index()


def assert_matches_reference(scores: Scores) -> None:
    got = keyed(aggregate(scores))
    expected = reference_sums(scores).set_index(KEYS).sort_index()
    assert list(got.index) == list(expected.index), "rows differ from the units that have respondents"
    np.testing.assert_array_equal(got["n"].to_numpy(), expected["n"].to_numpy())
    for column in SUMS[1:]:
        np.testing.assert_allclose(got[column].to_numpy(), expected[column].to_numpy(), rtol=RTOL, atol=1e-12,
                                   err_msg=column)


@pytest.mark.parametrize("seed", range(6))
def test_sums_at_every_level_match_a_pandas_groupby(seed):
    """Every estimate downstream is built from these five sums; a wrong sum is a wrong figure
    on the site, at every level."""
    rng = np.random.default_rng(seed)
    assert_matches_reference(make_scores(rng, int(rng.integers(50, 400))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), n_inst=st.integers(2, 5),
       n_dom=st.integers(2, 4), empty_share=st.sampled_from([0.0, 0.3, 0.9, 1.0]))
def test_sums_match_a_pandas_groupby_for_any_small_edition(seed, n, n_inst, n_dom, empty_share):
    """Small and odd shapes (one respondent, all answers empty, one institution with data)
    are where cell bookkeeping goes wrong; the sums must still match the plain groupby."""
    rng = np.random.default_rng(seed)
    assert_matches_reference(make_scores(rng, n, n_inst, n_dom, empty_share=empty_share))


def test_rows_carry_edition_kind_and_measure_of_their_var():
    """Estimation picks the formula (percentage or mean) from `measure`; a row must keep its
    var's kind and measure, and the edition year it belongs to."""
    scores = make_scores(np.random.default_rng(7), 200)
    table = aggregate(scores)
    assert set(table["edition"]) == {2026}
    for var_id, kind, measure in VARS:
        rows = table[table["item_id"] == var_id]
        assert set(rows["kind"]) == {kind}
        assert set(rows["measure"]) == {measure}
    assert set(table["level"]) == set(LEVEL_KEYS)


@pytest.mark.parametrize("seed", range(4))
def test_margins_add_up_exactly_to_their_cells(seed):
    """The disclosure audit derives suppressed cells by subtraction from margins, so an
    institution, a domain and the national total must be exactly the sum of their
    institution × domain cells. Weights and values sit on a grid of quarters, so float
    addition is exact and any difference means a respondent was lost or counted twice."""
    table = aggregate(make_scores(np.random.default_rng(seed), 300, dyadic=True))
    cells = table[table["level"] == "institution_domain"]
    checks = {
        "institution": cells.groupby(["institution_id", "item_id"])[SUMS].sum(),
        "domain": cells.groupby(["domain_id", "item_id"])[SUMS].sum(),
        "national": cells.groupby(["item_id"])[SUMS].sum(),
    }
    for level, from_cells in checks.items():
        margin = table[table["level"] == level].set_index(from_cells.index.names)[SUMS].sort_index()
        assert margin.index.equals(from_cells.sort_index().index), level
        for column in SUMS:
            np.testing.assert_array_equal(margin[column].to_numpy(), from_cells.sort_index()[column].to_numpy(),
                                          err_msg=f"{level} {column}")


def test_units_without_respondents_have_no_rows():
    """A unit nobody answered for has no figure at all, not a row of zeros: otherwise the
    site would show empty pages for institutions, domains or cells that do not exist."""
    scores = make_scores(np.random.default_rng(3), 250, n_inst=4, n_dom=3)
    table = aggregate(scores)
    # Institution I3 and domain D2 have no respondents; cell I0 × D1 is empty.
    assert "I3" not in set(table["institution_id"].dropna())
    assert "D2" not in set(table["domain_id"].dropna())
    cells = table[table["level"] == "institution_domain"]
    present = set(zip(cells["institution_id"], cells["domain_id"]))
    respondents = set(zip(np.array(scores.institution_ids)[scores.institution_code],
                          np.array(scores.domain_ids)[scores.domain_code]))
    assert present == respondents
    assert ("I0", "D1") not in present
    per_level = table.groupby("level").size()
    n_vars = len(VARS)
    assert per_level["national"] == n_vars
    assert per_level["institution"] == 3 * n_vars
    assert per_level["domain"] == 2 * n_vars
    assert per_level["institution_domain"] == len(respondents) * n_vars


def hand_scores(values: list[list[float]], weights: list[float], inst: list[int], dom: list[int]) -> Scores:
    return Scores(
        year=2026, var_ids=[v[0] for v in VARS], kinds=[v[1] for v in VARS], measures=[v[2] for v in VARS],
        directions=["higher_better"] * len(VARS),
        values=np.asfortranarray(np.array(values, dtype="float32")), weights=np.array(weights, dtype="float64"),
        institution_code=np.array(inst, dtype="int32"), domain_code=np.array(dom, dtype="int32"),
        institution_ids=["A", "B"], domain_ids=["X"], weighting="test",
    )


def test_empty_answers_are_excluded_from_n_and_sums_but_zero_answers_count():
    """"n.v.t." and empty answers are not part of the base of a percentage or mean, whereas
    a 0 ("nee", or "not positive") is a real answer and must be counted."""
    nan = float("nan")
    scores = hand_scores(
        values=[[0, 1, 7, 2.5],
                [nan, 0, nan, nan],
                [1, nan, 10, 4.0],
                [0, nan, nan, 3.0]],
        weights=[1.0, 2.0, 0.5, 4.0], inst=[0, 0, 0, 1], dom=[0, 0, 0, 0],
    )
    table = keyed(aggregate(scores))
    a = table.loc[("institution", "A", "")]
    assert a.loc["P", "n"] == 2  # a 0 and a 1 counted, the empty one not
    assert a.loc["P", "sw"] == 1.5
    assert a.loc["P", "swx"] == 0.5
    assert a.loc["J", "n"] == 2
    assert a.loc["J", "swx"] == 1.0
    assert a.loc["M", "n"] == 2
    assert a.loc["M", "sw2"] == 1.25
    assert a.loc["M", "swx"] == 7 + 5
    assert a.loc["M", "swx2"] == 49 + 50
    assert a.loc["T", "n"] == 2
    assert a.loc["T", "swx"] == 2.5 + 2.0
    national = table.loc[("national", "", "")]
    assert national["n"].to_dict() == {"J": 2, "M": 2, "P": 3, "T": 3}


def test_var_nobody_answered_in_a_unit_keeps_its_row_with_n_zero():
    """The unit has respondents, so it exists; a var all of them left empty gets n = 0
    (later suppressed), not a missing row that would shift the unit's other figures."""
    nan = float("nan")
    scores = hand_scores(values=[[1, 1, 8, 3.0], [0, 0, 6, 4.0], [nan, 1, nan, nan]],
                         weights=[1.0, 1.0, 2.0], inst=[0, 0, 1], dom=[0, 0, 0])
    table = keyed(aggregate(scores))
    b = table.loc[("institution", "B", "")]
    assert list(b.index) == ["J", "M", "P", "T"]
    assert b.loc["P", ["n", "sw", "sw2", "swx", "swx2"]].tolist() == [0, 0.0, 0.0, 0.0, 0.0]
    assert b.loc["J", "n"] == 1


# --- answer distributions ------------------------------------------------------------------------


def test_answer_distribution_matches_a_pandas_crosstab():
    """Per unit, the weighted % per answer code (`pct_answer_<code>`) of a 5-point and a yes/no
    item equal a weighted crosstab built independently from the raw codes; the 5-point 1–5
    add up to 100 with 4 + 5 equal to the % positive, n.v.t. is a share of all who answered."""
    from jobmonitor.compute.estimate import answer_distribution

    rng = np.random.default_rng(7)
    scores = make_scores(rng, 400)
    n = len(scores.weights)
    raw5 = rng.choice([1, 2, 3, 4, 5, 9, np.nan], n, p=[.05, .1, .2, .35, .2, .05, .05])
    raw_yn = rng.choice([0, 1, np.nan], n, p=[.3, .6, .1])
    values = scores.values.copy()
    values[:, 0] = np.where((raw5 == 9) | np.isnan(raw5), np.nan, raw5 >= 4)
    values[:, 1] = raw_yn
    scores = Scores(**{**scores.__dict__, "values": np.asfortranarray(values)})
    answers = np.column_stack([raw5, raw_yn, np.full(n, np.nan)]).astype("float32")
    table = answer_distribution(aggregate(scores, answers, ["scale5", "yesno", "mark"]))

    frame = pd.DataFrame({"i": np.array(scores.institution_ids)[scores.institution_code], "w": scores.weights,
                          "P": raw5, "J": raw_yn})
    for inst, group in frame.groupby("i"):
        row = table[(table["level"] == "institution") & (table["institution_id"] == inst)].set_index("item_id")
        valid = group[group["P"].between(1, 5)]
        shares = valid.groupby("P")["w"].sum() / valid["w"].sum() * 100
        for code in (1, 2, 3, 4, 5):
            assert row.loc["P", f"pct_answer_{code}"] == pytest.approx(shares.get(float(code), 0.0), abs=1e-9)
        asked = group[group["P"].notna()]
        assert row.loc["P", "pct_answer_9"] == pytest.approx(asked.loc[asked["P"] == 9, "w"].sum() / asked["w"].sum() * 100)
        assert row.loc["P", ["pct_answer_1", "pct_answer_2", "pct_answer_3", "pct_answer_4", "pct_answer_5"]].sum() == pytest.approx(100)
        assert row.loc["P", "pct_answer_4"] + row.loc["P", "pct_answer_5"] == pytest.approx(100 * row.loc["P", "swx"] / row.loc["P", "sw"])
        yn = group[group["J"].notna()]
        assert row.loc["J", "pct_answer_1"] == pytest.approx(100 * yn.loc[yn["J"] == 1, "w"].sum() / yn["w"].sum())
        assert row.loc["J", "n_answer_0"] == (yn["J"] == 0).sum()
        assert np.isnan(row.loc["J", "pct_answer_3"]) and np.isnan(row.loc["M", "pct_answer_1"])
