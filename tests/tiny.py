"""A tiny deterministic edition with the edge cases the rules care about.

Cells (respondents, 2026): I1×D01 = 30, I1×D02 = 9, I2×D01 = 10, I2×D02 = 11, I3×D03 = 25
(I3 has a single domain). Item Q5 is new in 2026; Q2 changed wording (not comparable).
Answers follow fixed patterns, so tests can recompute every figure with plain pandas.

With `opleiding=True` the 2026 responses also have the optional `opleiding` column (the national
data file's unit), numeric codes as delivered: D01 has 25180 (even k) and 25181 (odd k), D02
has 25190 and 25191 (k % 3 == 0), D03 has 22000; the last respondent of I1 × D01 has none.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

CELLS_2026 = {("I1", "D01"): 30, ("I1", "D02"): 9, ("I2", "D01"): 10, ("I2", "D02"): 11, ("I3", "D03"): 25}
CELLS_2024 = {("I1", "D01"): 28, ("I1", "D02"): 12, ("I2", "D01"): 8, ("I2", "D02"): 14, ("I3", "D03"): 20}

INSTITUTIONS = pd.DataFrame(
    {"institution_id": ["I1", "I2", "I3"], "name": ["Testcollege Aa", "Testcollege Bee", "Vakschool Cee"],
     "place": ["Amersfoort", "Breda", "Delft"]}
)
DOMAINS = pd.DataFrame(
    {"domain_id": ["D01", "D02", "D03"], "name": ["Afbouw, hout en onderhoud", "Bouw en infra", "Entree"]}
)
THEMES = [
    {"id": "lessen", "name": "Lessen", "description": "Hoe studenten de lessen ervaren.", "kind": "tweejaarlijks"},
    {"id": "tevredenheid", "name": "Algemene tevredenheid", "description": "Hoe tevreden studenten zijn.", "kind": "jaarlijks"},
]


def questionnaire(year: int) -> dict:
    if year == 2024:
        items = [
            {"id": "P1", "theme": "lessen", "text": "De lessen beginnen op tijd.", "scale": "scale5"},
            {"id": "P2", "theme": "lessen", "text": "Ik leer veel in de lessen.", "scale": "scale5"},
            {"id": "P3", "theme": "tevredenheid", "text": "Ik zou mijn school aanraden.", "scale": "yesno"},
            {"id": "P4", "theme": "tevredenheid", "text": "Rapportcijfer voor je school.", "scale": "mark"},
        ]
    else:
        items = [
            {"id": "Q1", "theme": "lessen", "text": "De lessen beginnen op tijd.", "scale": "scale5", "previous_id": "P1"},
            {"id": "Q2", "theme": "lessen", "text": "Ik leer nieuwe dingen in de les.", "scale": "scale5",
             "previous_id": "P2", "comparable": False},
            {"id": "Q3", "theme": "tevredenheid", "text": "Ik zou mijn school aanraden.", "scale": "yesno", "previous_id": "P3"},
            {"id": "Q4", "theme": "tevredenheid", "text": "Rapportcijfer voor je school.", "scale": "mark", "previous_id": "P4"},
            {"id": "Q5", "theme": "lessen", "text": "Ik krijg feedback op mijn werk.", "scale": "scale5"},
        ]
    return {"edition": year, "themes": THEMES, "items": items}


def programme_codes(frame: pd.DataFrame, k: np.ndarray) -> np.ndarray:
    """The `opleiding` of each respondent (see the module docstring)."""
    d01 = np.where(k % 2 == 0, "25180", "25181")
    d02 = np.where(k % 3 == 0, "25191", "25190")
    codes = np.select([frame["domain_id"] == "D01", frame["domain_id"] == "D02"], [d01, d02], "22000").astype(object)
    last = (frame["institution_id"] == "I1") & (frame["domain_id"] == "D01") & (k == CELLS_2026[("I1", "D01")] - 1)
    codes[last.to_numpy()] = None
    return codes


def responses(year: int, opleiding: bool = False) -> pd.DataFrame:
    cells = CELLS_2026 if year == 2026 else CELLS_2024
    rows = []
    for (inst, dom), count in cells.items():
        for k in range(count):
            rows.append({"institution_id": inst, "domain_id": dom, "k": k})
    frame = pd.DataFrame(rows)
    k = frame["k"].to_numpy()
    offset = frame["institution_id"].map({"I1": 0, "I2": 1, "I3": 2}).to_numpy()
    frame.insert(0, "respondent_id", [f"R{year}-{i:04d}" for i in range(len(frame))])
    frame["leerweg"] = np.where(k % 3 == 0, "BBL", "BOL")
    frame["niveau"] = 1 + k % 4
    frame["gender"] = np.where(k % 2 == 0, "vrouw", "man")
    frame["weight"] = 1.0 + 0.5 * (k % 2)
    prefix = "P" if year == 2024 else "Q"
    frame[f"{prefix}1"] = 1 + (k + offset) % 5
    scale2 = 1 + (2 * k + offset) % 5
    frame[f"{prefix}2"] = np.where(k % 7 == 3, 9, scale2)  # some n.v.t.
    frame[f"{prefix}3"] = ((k + offset) % 3 != 0).astype(int)
    frame[f"{prefix}4"] = 4 + (k + 2 * offset) % 6
    if year == 2026:
        frame["Q5"] = np.where(k % 5 == 4, np.nan, 1 + (k * 3 + offset) % 5)  # some empty
    if opleiding and year == 2026:
        frame.insert(frame.columns.get_loc("gender") + 1, "opleiding", programme_codes(frame, k))
    for column in frame.columns:
        if column[0] in "PQ":
            frame[column] = frame[column].astype("Int8")
    return frame.drop(columns="k")


def population(year: int) -> pd.DataFrame:
    counts = responses(year).groupby(["institution_id", "domain_id", "leerweg", "gender"]).size()
    return (counts * 3 + 2).rename("population").reset_index()


def write_edition(root: Path, year: int, opleiding: bool = False) -> Path:
    folder = root / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "questionnaire.yml").write_text(yaml.safe_dump(questionnaire(year), sort_keys=False, allow_unicode=True))
    responses(year, opleiding).to_csv(folder / "responses.csv", index=False)
    INSTITUTIONS.to_csv(folder / "institutions.csv", index=False)
    DOMAINS.to_csv(folder / "domains.csv", index=False)
    population(year).to_csv(folder / "population.csv", index=False)
    return folder


CONFIG = """\
edition: 2026
previous_editions: [2024]
title: JOB-monitor test
embargo: 2026-05-27T14:00:00+02:00
data_status: definitief
base_url: https://example.org/jobmonitor/
data_dir: data
out_dir: site
"""


def write_tiny(root: Path, opleiding: bool = False) -> Path:
    """A config plus both editions under root (with `opleiding`, the 2026 responses have the
    optional opleiding column); returns the config path."""
    for year in (2024, 2026):
        write_edition(root / "data", year, opleiding)
    config = root / "site_config.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return config
