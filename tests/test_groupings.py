"""The groupings of an institution report: every respondent in exactly one group, small or
surplus values merged into one "other" group and named, the institution's choice of standard
breakdowns honoured, the optional voltijd/opleiding columns read and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobmonitor.compute.load import load_edition
from jobmonitor.errors import InputError
from jobmonitor.reports.groupings import OTHER, UNKNOWN, _grouping, institution_groupings
from jobmonitor.reports.labels import load_labels
from jobmonitor.site.wording import load_words

ROOT = Path(__file__).resolve().parent.parent
WORDS = load_words("rapport")


@pytest.fixture(scope="module")
def edition():
    return load_edition(ROOT / "data" / "2026", 2026)


def test_small_values_are_merged_and_named_and_missing_ones_kept_apart():
    values = np.array(["A"] * 30 + ["B"] * 4 + ["C"] * 3 + ["D"] * 20 + [None] * 2, dtype=object)
    grouping = _grouping("label_1", "Team", values, {v: v for v in "ABCD"}, 10, 12, WORDS)
    assert grouping.order == ("A", "D", OTHER, UNKNOWN) and grouping.merged == ("B", "C")
    assert (grouping.values == OTHER).sum() == 7 and (grouping.values == UNKNOWN).sum() == 2
    assert grouping.names[OTHER] == WORDS["other_group"]


def test_more_values_than_allowed_keep_the_largest_and_merge_the_rest():
    values = np.repeat(np.array([f"v{k:02d}" for k in range(20)], dtype=object), np.arange(20, 40))
    grouping = _grouping("opleiding", "Opleiding", values, {}, 10, 12, WORDS)
    assert len(grouping.order) == 12 and grouping.order[-1] == OTHER
    assert set(grouping.order[:-1]) == {f"v{k:02d}" for k in range(9, 20)}


def test_the_demo_institution_gets_standard_and_own_groupings(edition):
    labels = load_labels(ROOT / "data" / "2026", edition.responses, edition.institutions, 12)
    rows = np.flatnonzero(edition.responses["institution_id"].astype(str) == "I001")
    found = institution_groupings(edition, rows, "I001", labels, 10, 12, WORDS)
    assert [g.id for g in found] == ["domain", "leerweg", "niveau", "opleiding", "label_1", "label_2"]  # its choice
    assert [g.name for g in found][-2:] == ["Locatie", "Team"]
    for grouping in found:
        assert len(grouping.values) == len(rows) and set(grouping.values) <= set(grouping.order)
    assert found[0].public and not any(g.public for g in found[1:])
    others = institution_groupings(edition, np.flatnonzero(edition.responses["institution_id"].astype(str) == "I003"),
                                   "I003", labels, 10, 12, WORDS)
    assert [g.id for g in others] == ["domain", "leerweg", "niveau", "voltijd"]  # the default, without labels


def test_an_institution_may_choose_its_standard_breakdowns(tmp_path, edition):
    folder = tmp_path / "2026"
    shutil.copytree(ROOT / "data" / "2026", folder)
    text = (folder / "labels.yml").read_text().replace("I002:\n", "I002:\n  standard: [leerweg]\n", 1)
    (folder / "labels.yml").write_text(text)
    labels = load_labels(folder, edition.responses, edition.institutions, 12)
    rows = np.flatnonzero(edition.responses["institution_id"].astype(str) == "I002")
    assert [g.id for g in institution_groupings(edition, rows, "I002", labels, 10, 12, WORDS)] == \
        ["domain", "leerweg", "label_1", "label_2"]
    (folder / "labels.yml").write_text(text.replace("[leerweg]", "[leerweg, school]"))
    with pytest.raises(InputError, match="standard breakdowns must be among"):
        load_labels(folder, edition.responses, edition.institutions, 12)


def test_a_wrong_voltijd_value_is_named_with_file_row_and_column(tmp_path):
    folder = tmp_path / "2026"
    shutil.copytree(ROOT / "data" / "2026", folder)
    responses = pd.read_parquet(folder / "responses.parquet")
    responses.loc[4, "voltijd"] = "halftijds"
    responses.to_parquet(folder / "responses.parquet")
    with pytest.raises(InputError) as caught:
        load_edition(folder, 2026)
    assert "row 5, column `voltijd`" in caught.value.message() and "halftijds" in caught.value.message()
