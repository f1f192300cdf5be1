"""Load and validate one edition: respondents, questionnaire and reference tables.

Validation is lazy and complete: every bad file, row, column and value is collected, and only
then is one `InputError` raised, so a data supplier can fix everything in one round.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import ValidationError

from jobmonitor.codebook import VALID_CODES, Questionnaire
from jobmonitor.errors import InputError, Problem

RESPONSE_FILES = ("responses.parquet", "responses.csv", "responses.sav")
BACKGROUND_COLUMNS = ("respondent_id", "institution_id", "domain_id", "leerweg", "niveau", "gender")
LEERWEGEN = ("BOL", "BBL")
# Optional background columns, used only by the institution reports (may be empty per row).
REPORT_COLUMNS = ("voltijd", "opleiding")
STUDY_MODES = ("voltijd", "deeltijd")
REFERENCE_COLUMNS = {
    "institutions.csv": ("institution_id", "name", "place"),
    "domains.csv": ("domain_id", "name"),
    "population.csv": ("institution_id", "domain_id", "leerweg", "gender", "population"),
}
# A row-level rule that fails on many rows is reported for this many rows, then counted.
ROWS_PER_RULE = 5


@dataclass(frozen=True)
class Edition:
    """One validated edition; ids are categoricals in reference-table order."""

    year: int
    responses: pd.DataFrame  # background columns (and weight), one row per respondent
    answers: np.ndarray  # respondents × items (questionnaire order), float32, column-major, NaN = empty
    questionnaire: Questionnaire
    institutions: pd.DataFrame
    domains: pd.DataFrame
    population: pd.DataFrame
    file_hashes: dict[str, str]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# libyaml when present: the questionnaire of a national edition parses 10× faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _find_responses(edition_dir: Path) -> Path | None:
    return next((edition_dir / name for name in RESPONSE_FILES if (edition_dir / name).is_file()), None)


def _read_responses(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".sav":
        import pyreadstat

        frame, _meta = pyreadstat.read_sav(str(path))
        return frame
    return pd.read_csv(path, dtype={c: "string" for c in (*BACKGROUND_COLUMNS, *REPORT_COLUMNS) if c != "niveau"})


def _row_problems(file: str, rows: np.ndarray, column: str, values, rule: str) -> list[Problem]:
    """Report the first few failing rows of one rule, then one line counting the rest."""
    problems = [
        Problem(file, int(r) + 1, column, _plain(v), rule)
        for r, v in zip(rows[:ROWS_PER_RULE], values[:ROWS_PER_RULE])
    ]
    if len(rows) > ROWS_PER_RULE:
        problems.append(Problem(file, None, column, None, f"{rule}: {len(rows) - ROWS_PER_RULE} more rows"))
    return problems


def _plain(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "(empty)"
    return value.item() if hasattr(value, "item") else value


def read_questionnaire(path: Path) -> tuple[Questionnaire | None, list[Problem]]:
    if not path.is_file():
        return None, [Problem(str(path), None, None, None, "questionnaire file not found")]
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        return Questionnaire.model_validate(raw), []
    except yaml.YAMLError as exc:
        return None, [Problem(str(path), None, None, None, f"not valid YAML: {exc}")]
    except ValidationError as exc:
        return None, [
            Problem(str(path), None, ".".join(map(str, e["loc"])), e.get("input") if e["type"] != "value_error" else None, e["msg"])
            for e in exc.errors()
        ]


def _read_reference(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    if not path.is_file():
        return None, [Problem(str(path), None, None, None, "file not found")]
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in REFERENCE_COLUMNS[path.name] if c not in frame.columns]
    problems = [Problem(str(path), None, c, None, "required column missing") for c in missing]
    return (None if missing else frame), problems


def _check_reference(name: str, path: Path, frame: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    key = REFERENCE_COLUMNS[name][0]
    if name != "population.csv":
        dupes = frame[key].duplicated(keep=False).to_numpy()
        if dupes.any():
            rows = np.flatnonzero(dupes)
            problems += _row_problems(str(path), rows, key, frame[key].to_numpy()[rows], "duplicate id")
        empty = (frame[key].str.strip() == "").to_numpy()
        if empty.any():
            rows = np.flatnonzero(empty)
            problems += _row_problems(str(path), rows, key, frame[key].to_numpy()[rows], "id must not be empty")
        return problems
    counts = pd.to_numeric(frame["population"], errors="coerce")
    bad = (counts.isna() | (counts < 0) | (counts != counts.round())).to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad)
        problems += _row_problems(str(path), rows, "population", frame["population"].to_numpy()[rows], "must be a whole number ≥ 0")
    return problems


def _check_codes(file: str, frame: pd.DataFrame, column: str, allowed) -> list[Problem]:
    values = frame[column]
    bad = (~values.isin(list(allowed)) & values.notna()).to_numpy() | values.isna().to_numpy()
    if not bad.any():
        return []
    rows = np.flatnonzero(bad)
    rule = f"must be one of: {', '.join(map(str, sorted(allowed)))}"
    return _row_problems(file, rows, column, values.to_numpy()[rows], rule)


def _validate_background(file: str, frame: pd.DataFrame, institutions, domains) -> list[Problem]:
    problems: list[Problem] = []
    ids = frame["respondent_id"].astype("string")
    dupes = (ids.duplicated(keep=False) | ids.isna()).to_numpy()
    if dupes.any():
        rows = np.flatnonzero(dupes)
        problems += _row_problems(file, rows, "respondent_id", ids.to_numpy()[rows], "must be present and unique")
    if institutions is not None:
        problems += _check_codes(file, frame, "institution_id", set(institutions["institution_id"]))
    if domains is not None:
        problems += _check_codes(file, frame, "domain_id", set(domains["domain_id"]))
    problems += _check_codes(file, frame, "leerweg", LEERWEGEN)
    problems += _check_codes(file, frame, "niveau", {1, 2, 3, 4})
    gender = frame["gender"].astype("string")
    empty = (gender.isna() | (gender.str.strip() == "")).to_numpy()
    if empty.any():
        rows = np.flatnonzero(empty)
        problems += _row_problems(file, rows, "gender", gender.to_numpy()[rows], "must not be empty")
    if "voltijd" in frame.columns:
        mode = frame["voltijd"].astype("string").str.strip()
        bad = (mode.notna() & (mode != "") & ~mode.isin(STUDY_MODES)).to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad)
            problems += _row_problems(file, rows, "voltijd", mode.to_numpy()[rows], f"must be empty or one of: {', '.join(STUDY_MODES)}")
    if "weight" in frame.columns:
        weight = pd.to_numeric(frame["weight"], errors="coerce")
        bad = (weight.isna() | ~(weight > 0) | ~np.isfinite(weight)).to_numpy()
        if bad.any() and not weight.isna().all():
            rows = np.flatnonzero(bad)
            problems += _row_problems(file, rows, "weight", frame["weight"].to_numpy()[rows], "must be a positive number")
    return problems


def _answer_codes(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Answer codes as float32 (NaN = empty) and a mask of cells that are not numbers."""
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.to_numpy(dtype="float32", na_value=np.nan), np.zeros(len(raw), dtype=bool)
    numbers = pd.to_numeric(raw, errors="coerce")
    codes = numbers.to_numpy(dtype="float32", na_value=np.nan)
    return codes, (raw.notna() & numbers.isna()).to_numpy()


def _validate_items(file: str, frame: pd.DataFrame, questionnaire: Questionnaire) -> tuple[list[Problem], np.ndarray | None]:
    """Problems, and the answers matrix when every item column is present."""
    problems: list[Problem] = []
    known = {item.id for item in questionnaire.items} | set(BACKGROUND_COLUMNS) | set(REPORT_COLUMNS) | {"weight"}
    for column in frame.columns:
        if column not in known:
            problems.append(Problem(file, None, column, None, "column is not an item of questionnaire.yml"))
    answers = np.empty((len(frame), len(questionnaire.items)), dtype="float32", order="F")
    for j, item in enumerate(questionnaire.items):
        if item.id not in frame.columns:
            problems.append(Problem(file, None, item.id, None, "item of questionnaire.yml has no column"))
            continue
        codes, not_a_number = _answer_codes(frame[item.id])
        allowed = np.array(sorted(VALID_CODES[item.scale]), dtype="float32")
        present = ~np.isnan(codes)
        bad = not_a_number | (present & ~np.isin(codes, allowed))
        if bad.any():
            rows = np.flatnonzero(bad)
            rule = f"{item.scale} answer must be empty or one of {sorted(VALID_CODES[item.scale])}"
            problems += _row_problems(file, rows, item.id, frame[item.id].to_numpy()[rows], rule)
        answers[:, j] = codes
    return problems, answers


def _population_covers_responses(path: Path, population: pd.DataFrame, responses: pd.DataFrame) -> list[Problem]:
    """Respondents can never outnumber the population of their cell (a sign of wrong ids)."""
    keys = ["institution_id", "domain_id", "leerweg", "gender"]
    pop = population.assign(population=pd.to_numeric(population["population"])).groupby(keys, observed=True)["population"].sum()
    counts = responses.groupby([responses[k].astype("string") for k in keys], observed=True).size()
    joined = pd.concat([counts.rename("respondents"), pop], axis=1).fillna(0)
    over = joined[joined["respondents"] > joined["population"]]
    return [
        Problem(str(path), None, "population", int(row.population),
                f"cell {'/'.join(map(str, idx))} has {int(row.respondents)} respondents, more than its population")
        for idx, row in over.head(ROWS_PER_RULE * 4).iterrows()
    ]


def load_edition(edition_dir: Path, year: int) -> Edition:
    """Read every input file of one edition; raise one InputError listing every problem."""
    edition_dir = Path(edition_dir)
    problems: list[Problem] = []
    if not edition_dir.is_dir():
        raise InputError([Problem(str(edition_dir), None, None, None, f"folder for edition {year} not found")])
    questionnaire, found = read_questionnaire(edition_dir / "questionnaire.yml")
    problems += found
    if questionnaire is not None and questionnaire.edition != year:
        problems.append(Problem(str(edition_dir / "questionnaire.yml"), None, "edition", questionnaire.edition, f"must be {year}"))
    tables: dict[str, pd.DataFrame | None] = {}
    for name in REFERENCE_COLUMNS:
        tables[name], found = _read_reference(edition_dir / name)
        problems += found
        if tables[name] is not None:
            problems += _check_reference(name, edition_dir / name, tables[name])
    responses_path = _find_responses(edition_dir)
    responses = answers = None
    if responses_path is None:
        problems.append(Problem(str(edition_dir), None, None, None, f"no respondent file ({' / '.join(RESPONSE_FILES)})"))
    else:
        responses = _read_responses(responses_path)
        file = str(responses_path)
        missing = [c for c in BACKGROUND_COLUMNS if c not in responses.columns]
        problems += [Problem(file, None, c, None, "required column missing") for c in missing]
        if len(responses) == 0:
            problems.append(Problem(file, None, None, None, "no respondents: an edition without answers cannot be published"))
        if not missing:
            problems += _validate_background(file, responses, tables["institutions.csv"], tables["domains.csv"])
        if questionnaire is not None:
            found, answers = _validate_items(file, responses, questionnaire)
            problems += found
        if not missing and tables["population.csv"] is not None and not problems:
            problems += _population_covers_responses(edition_dir / "population.csv", tables["population.csv"], responses)
    if problems:
        raise InputError(problems)
    hashes = {p.name: file_sha256(p) for p in sorted(edition_dir.iterdir()) if p.is_file()}
    return _typed_edition(year, responses, answers, questionnaire, tables, hashes)


def _typed_edition(year, responses, answers, questionnaire, tables, hashes) -> Edition:
    """Compact dtypes: ids as categoricals in reference order; answers stay one float32 matrix
    (a DataFrame of 150 float columns costs a second copy and a consolidation)."""
    institutions = tables["institutions.csv"].sort_values("institution_id", kind="stable").reset_index(drop=True)
    domains = tables["domains.csv"].sort_values("domain_id", kind="stable").reset_index(drop=True)
    columns = {
        "respondent_id": responses["respondent_id"].astype("string"),
        "institution_id": pd.Categorical(responses["institution_id"].astype("string"), categories=institutions["institution_id"]),
        "domain_id": pd.Categorical(responses["domain_id"].astype("string"), categories=domains["domain_id"]),
        "leerweg": pd.Categorical(responses["leerweg"].astype("string"), categories=list(LEERWEGEN)),
        "niveau": pd.to_numeric(responses["niveau"]).astype("int8"),
        "gender": responses["gender"].astype("string").astype("category"),
    }
    if "weight" in responses.columns and pd.to_numeric(responses["weight"], errors="coerce").notna().all():
        columns["weight"] = pd.to_numeric(responses["weight"]).astype("float64")
    for column in (c for c in REPORT_COLUMNS if c in responses.columns):
        text = responses[column].astype("string").str.strip()
        columns[column] = text.mask(text == "").astype("category")
    typed = pd.DataFrame(columns)
    population = tables["population.csv"].assign(population=lambda f: pd.to_numeric(f["population"]).astype("int64"))
    return Edition(year, typed, answers, questionnaire, institutions, domains, population, hashes)
