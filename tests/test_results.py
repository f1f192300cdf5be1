"""The results table, the bridge between compute and site: its published view, its index by
unit, the render contract and the invariants checked before anything is rendered."""

from __future__ import annotations

import numpy as np
import pytest

from jobmonitor.results import (
    ANSWER_COLUMNS,
    RESULT_COLUMNS,
    SUPPRESSED,
    VALUE_COLUMNS,
    Record,
    UnitKey,
    check_results,
    index_published,
    published_results,
)
from site_fixtures import EDITION, raw_results, site_inputs


def test_published_view_keeps_only_ids_and_status_of_hidden_rows():
    view = published_results(raw_results())
    hidden = view[view["status"].isin(SUPPRESSED)]
    assert len(hidden) == 4
    assert hidden[VALUE_COLUMNS].isna().all().all()
    assert list(view.columns) == RESULT_COLUMNS


def test_unit_key_is_the_data_unit_attribute():
    assert UnitKey("national").attr == "national||"
    assert UnitKey("institution_domain", "I02", "D2").attr == "institution_domain|I02|D2"


def test_index_holds_every_row_once_with_plain_values():
    view = published_results(raw_results())
    index = index_published(view)
    assert sum(len(items) for items in index.values()) == len(view)
    q1 = index[UnitKey("institution", "I01")]["Q1"]
    answers = len(ANSWER_COLUMNS) + 3  # and sd, skew, kurt
    assert q1[:-answers] == Record("published", "item", "pct_positive", "higher_better", 412.0, 412 * 0.9, 62.4, 58.1, 66.5,
                                   60.0, pytest.approx(2.4), pytest.approx(2.64), pytest.approx(0.12), "", "no_difference",
                                   61.0, pytest.approx(1.4), "", "no_difference")[:-answers]
    assert np.isnan(q1[-answers:]).all()  # the fixture has no answer distribution, no spread
    hidden = index[UnitKey("institution_domain", "I02", "D2")]["Q1"]
    assert hidden.status == "suppressed" and np.isnan(hidden.estimate) and hidden.marker == ""


def test_render_contract_exposes_the_current_edition():
    inputs = site_inputs()
    assert inputs.current.year == EDITION and inputs.edition(EDITION) is inputs.current
    assert inputs.edition(1999) is None
    assert inputs.index is inputs.current.index  # computed once
    assert inputs.config.thresholds.confidence.percent == pytest.approx(95.0)


def test_invariants_pass_on_a_good_table():
    check_results(raw_results())
    check_results(published_results(raw_results()), published=True)


@pytest.mark.parametrize("change, rule", [
    ({"ci_low": 70.0}, "ci_low <= estimate <= ci_high"),
    ({"estimate": 101.0, "ci_high": 102.0}, "0 <= percentage <= 100"),
])
def test_broken_invariants_stop_the_build_and_name_the_rows(change, rule):
    raw = raw_results()
    row = raw.index[(raw["item_id"] == "Q1") & (raw["level"] == "national")][0]
    for column, value in change.items():
        raw.loc[row, column] = value
    with pytest.raises(ValueError, match="invariants") as error:
        check_results(raw)
    assert rule in str(error.value) and "Q1" in str(error.value)


def test_a_value_on_a_hidden_row_of_the_published_view_is_refused():
    view = published_results(raw_results())
    view.loc[view["status"] == "suppressed", "estimate"] = 42.0
    with pytest.raises(ValueError, match="no value on a hidden row"):
        check_results(view, published=True)
