"""An institution's own analysis labels (issue 16, point 2): the demo's are valid; every kind of
mistake is named with file, row, column and rule; and a site built with or without them is the
same, byte for byte (they are the private reports' input only)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jobmonitor.compute.load import load_edition
from jobmonitor.config import load_config
from jobmonitor.errors import InputError
from jobmonitor.publish import build
from jobmonitor.reports.labels import load_labels

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def edition():
    return load_edition(ROOT / "data" / "2026", 2026)


def copy_edition(tmp_path: Path) -> Path:
    folder = tmp_path / "2026"
    shutil.copytree(ROOT / "data" / "2026", folder)
    return folder


def problems(folder: Path, edition, max_values: int = 12) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_labels(folder, edition.responses, edition.institutions, max_values)
    return [p.describe() for p in caught.value.problems]


def test_the_demo_labels_are_valid_and_nested(edition):
    labels = load_labels(ROOT / "data" / "2026", edition.responses, edition.institutions, 12)
    assert set(labels.definitions) == {"I001", "I002"}
    frame = labels.frame
    assert set(frame["institution_id"]) == {"I001", "I002"}
    one = frame[frame["institution_id"] == "I001"]
    # I001's team lies within a location: each team has one location.
    assert one.groupby("label_2")["label_1"].nunique().max() == 1
    assert load_labels(ROOT / "data" / "2024", edition.responses, edition.institutions, 12) is None


def test_every_mistake_is_named_with_file_row_column_and_rule(tmp_path, edition):
    folder = copy_edition(tmp_path)
    frame = pd.read_csv(folder / "labels.csv", dtype="string", keep_default_na=False)
    other = edition.responses.loc[edition.responses["institution_id"] == "I003", "respondent_id"].iloc[0]
    frame.loc[0, "respondent_id"] = "R-nobody"
    frame.loc[1, "respondent_id"] = other  # a respondent of I003, which defines no labels
    frame.loc[2, "label_2"] = "Team Groen"  # a value of I002's label on an I001 respondent
    frame.loc[4, "respondent_id"] = frame.loc[3, "respondent_id"]
    frame.to_csv(folder / "labels.csv", index=False)
    found = problems(folder, edition)
    assert any("row 1, column `respondent_id`: not a respondent of this edition" in p for p in found), found
    assert any("row 2, column `label_1`: this label is not defined for the respondent's institution" in p for p in found), found
    assert any("row 3, column `label_2`: not one of the values labels.yml gives this institution" in p for p in found), found
    assert any("row 5, column `respondent_id`: respondent listed twice" in p for p in found), found
    assert all("labels.csv" in p for p in found)


def test_too_many_values_unknown_institutions_and_a_missing_partner_file(tmp_path, edition):
    folder = copy_edition(tmp_path)
    found = problems(folder, edition, max_values=2)
    assert any("I002.label_1.values`: more than 2 distinct values" in p and "labels.yml" in p for p in found), found
    (folder / "labels.yml").write_text("I999:\n  label_1: {name: X, values: [a]}\nI001:\n  label_4: {name: Y, values: [b]}\n",
                                       encoding="utf-8")
    found = problems(folder, edition)
    assert any("column `I999`: not an institution of institutions.csv" in p for p in found), found
    assert any("I001.label_4`: key must be one of" in p for p in found), found
    (folder / "labels.yml").unlink()
    found = problems(folder, edition)
    assert found == [f"{folder / 'labels.csv'}: comes with labels.yml, which is missing"]


def test_a_site_is_byte_identical_with_and_without_labels(tmp_path):
    sites = {}
    for with_labels in (True, False):
        data = tmp_path / f"data-{with_labels}"
        shutil.copytree(ROOT / "data", data)
        if not with_labels:
            (data / "2026" / "labels.csv").unlink()
            (data / "2026" / "labels.yml").unlink()
        config = load_config(ROOT / "site_config.yml", data_dir=data, out_dir=tmp_path / f"site-{with_labels}")
        sites[with_labels] = Path(build(config).out_dir)
    compare = filecmp.dircmp(sites[True], sites[False])

    def differences(cmp) -> list[str]:
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        return found + [d for sub in cmp.subdirs.values() for d in differences(sub)]

    # Compare contents (not only sizes and times): dircmp's diff_files is shallow.
    files = [p.relative_to(sites[True]) for p in sites[True].rglob("*") if p.is_file()]
    changed = [f for f in files if (sites[True] / f).read_bytes() != (sites[False] / f).read_bytes()]
    assert differences(compare) == [] and changed == []
    labels = set(pd.read_csv(ROOT / "data" / "2026" / "labels.csv")["label_1"]) | {"Opleidingsteam"}
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sites[True].rglob("*.html"))
    assert not [value for value in labels if value in text]
