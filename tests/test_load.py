"""Config and input validation: every problem reported at once, naming file, row, column, rule."""

from __future__ import annotations

import pandas as pd
import pytest

from jobmonitor.config import load_config
from jobmonitor.errors import InputError
from jobmonitor.compute.load import load_edition


def problems_of(call) -> list:
    with pytest.raises(InputError) as info:
        call()
    return info.value.problems


def test_tiny_edition_loads(tiny_config_path):
    config = load_config(tiny_config_path)
    edition = load_edition(config.edition_dir(2026), 2026)
    assert len(edition.responses) == 85
    assert list(edition.institutions["institution_id"]) == ["I1", "I2", "I3"]
    assert edition.answers.dtype == "float32" and edition.answers.shape == (85, 5)
    assert edition.answers.flags["F_CONTIGUOUS"]


@pytest.mark.parametrize(
    "text,key,needle",
    [
        ("colour: blue\n", "colour", "unknown key"),
        ("thresholds:\n  min_n: many\n", "thresholds.min_n", "integer"),
        ("thresholds:\n  min_n: 3\n", "thresholds.min_n", "greater than or equal to 5"),
        ("embargo: 2026-05-27T14:00:00\n", "embargo", "timezone"),
        ("data_status: klaar\n", "data_status", "voorlopig"),
    ],
)
def test_config_errors_name_the_key(tiny_config_path, text, key, needle):
    original = tiny_config_path.read_text()
    lines = [line for line in original.splitlines() if not line.startswith(text.split(":")[0] + ":")]
    tiny_config_path.write_text("\n".join(lines) + "\n" + text)
    problems = problems_of(lambda: load_config(tiny_config_path))
    assert any(p.column == key and needle in p.rule for p in problems), [p.describe() for p in problems]


def test_every_bad_row_is_reported_at_once(tiny_config_path):
    folder = tiny_config_path.parent / "data" / "2026"
    frame = pd.read_csv(folder / "responses.csv", dtype="string")
    frame.loc[2, "Q1"] = "7"  # not a 5-point code
    frame.loc[4, "institution_id"] = "I9"  # unknown institution
    frame.loc[5, "leerweg"] = "XYZ"
    frame.loc[6, "respondent_id"] = frame.loc[7, "respondent_id"]  # duplicate id
    frame.loc[8, "Q4"] = "elf"  # not a number
    frame["extra"] = "1"
    frame.drop(columns="Q3").to_csv(folder / "responses.csv", index=False)
    problems = problems_of(lambda: load_edition(folder, 2026))
    found = {(p.row, p.column) for p in problems}
    assert (3, "Q1") in found and (5, "institution_id") in found and (6, "leerweg") in found
    assert (7, "respondent_id") in found and (8, "respondent_id") in found and (9, "Q4") in found
    assert (None, "extra") in found and (None, "Q3") in found
    assert all(str(folder / "responses.csv") == p.file for p in problems)
    assert any(p.value == "elf" for p in problems)


def test_reference_and_questionnaire_problems(tiny_config_path):
    folder = tiny_config_path.parent / "data" / "2026"
    (folder / "domains.csv").write_text("domain_id,name\nD01,Afbouw\nD01,Dubbel\n")
    text = (folder / "questionnaire.yml").read_text().replace("scale: mark", "scale: cijfer")
    (folder / "questionnaire.yml").write_text(text)
    (folder / "population.csv").write_text((folder / "population.csv").read_text().replace(",8\n", ",-3\n", 1))
    problems = problems_of(lambda: load_edition(folder, 2026))
    messages = " | ".join(p.describe() for p in problems)
    assert "domains.csv, row 2, column `domain_id`: duplicate id" in messages
    assert "questionnaire.yml" in messages and "scale" in messages
    assert "population" in messages


def test_more_respondents_than_population_is_an_error(tiny_config_path):
    folder = tiny_config_path.parent / "data" / "2026"
    pop = pd.read_csv(folder / "population.csv")
    pop["population"] = 1
    pop.to_csv(folder / "population.csv", index=False)
    problems = problems_of(lambda: load_edition(folder, 2026))
    assert any("more than its population" in p.rule for p in problems)


def test_parquet_and_spss_inputs_load_the_same(tiny_config_path):
    import pyreadstat

    folder = tiny_config_path.parent / "data" / "2026"
    import numpy as np

    csv = load_edition(folder, 2026)
    frame = pd.read_csv(folder / "responses.csv")
    (folder / "responses.csv").unlink()
    frame.to_parquet(folder / "responses.parquet")
    parquet = load_edition(folder, 2026)
    (folder / "responses.parquet").unlink()
    pyreadstat.write_sav(frame, str(folder / "responses.sav"))
    sav = load_edition(folder, 2026)
    for other in (parquet, sav):
        pd.testing.assert_frame_equal(csv.responses, other.responses, check_categorical=False)
        np.testing.assert_array_equal(csv.answers, other.answers)
