"""An institution's own analysis labels (`labels.csv` + `labels.yml`, optional, per edition):
read and checked completely, every problem named with file, row, column and rule.

`labels.csv` holds `respondent_id` and up to three label columns (`label_1`…`label_3`);
`labels.yml` gives per institution each label's name and its values:

    I001:
      label_1: {name: Locatie, values: [Alkmaar, Den Helder]}
      label_2: {name: Team, values: [Techniek A, Techniek B, Zorg]}
      standard: [leerweg, opleiding]   # optional: its choice of standard breakdowns (default: leerweg, niveau, voltijd)

A value is only valid for a respondent of an institution that defines that label with that
value: labels of another institution are refused, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobmonitor.errors import InputError, Problem

LABEL_COLUMNS = ("label_1", "label_2", "label_3")
# Standard breakdowns an institution may choose (domain is always in its report), and those it
# gets without choosing: opleiding only on request (many small programmes, each nested in a
# domain and a niveau: mostly merged or hidden, and the costliest table to audit jointly).
STANDARD_GROUPINGS = ("leerweg", "niveau", "voltijd", "opleiding")
DEFAULT_GROUPINGS = ("leerweg", "niveau", "voltijd")
LABELS_CSV = "labels.csv"
LABELS_YML = "labels.yml"
ROWS_PER_RULE = 20  # problems listed per rule and column before "… more rows"


class LabelDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    values: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Labels:
    frame: pd.DataFrame  # respondent_id, institution_id, label_1…label_3 (empty: no label)
    definitions: dict[str, dict[str, LabelDefinition]]  # institution → label column → definition
    standard: dict[str, tuple[str, ...]]  # institution → its chosen standard breakdowns (absent: all)


def load_labels(edition_dir: Path, responses: pd.DataFrame, institutions: pd.DataFrame, max_values: int) -> Labels | None:
    """The edition's labels, or None when it has none; InputError listing every problem."""
    csv, yml = Path(edition_dir) / LABELS_CSV, Path(edition_dir) / LABELS_YML
    if not csv.is_file() and not yml.is_file():
        return None
    if csv.is_file() != yml.is_file():
        present, missing = (csv, yml) if csv.is_file() else (yml, csv)
        raise InputError([Problem(str(present), None, None, None, f"comes with {missing.name}, which is missing")])
    definitions, standard, problems = _read_definitions(yml, set(institutions["institution_id"].astype(str)), max_values)
    frame, more = _read_labels(csv, responses, definitions)
    problems += more
    if problems:
        raise InputError(problems, hint="Fix labels.csv / labels.yml; the labels are only used in the institution reports.")
    return Labels(frame, definitions, standard)


def _read_definitions(path: Path, known: set[str], max_values: int) -> tuple[dict, dict, list[Problem]]:
    file = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return {}, {}, [Problem(file, None, None, None, f"not valid YAML: {exc}")]
    if not isinstance(raw, dict):
        return {}, {}, [Problem(file, None, None, None, "must map institution ids to their labels")]
    definitions, standard, problems = {}, {}, []
    for inst, labels in raw.items():
        inst = str(inst)
        if inst not in known:
            problems.append(Problem(file, None, inst, None, "not an institution of institutions.csv"))
            continue
        if not isinstance(labels, dict):
            problems.append(Problem(file, None, inst, None, "must map label_1…label_3 to a name and values"))
            continue
        definitions[inst] = {}
        for column, spec in labels.items():
            where = f"{inst}.{column}"
            if column == "standard":
                chosen = spec if isinstance(spec, list) else [spec]
                wrong = [str(v) for v in chosen if v not in STANDARD_GROUPINGS]
                if wrong:
                    problems.append(Problem(file, None, where, ", ".join(wrong),
                                            f"standard breakdowns must be among {', '.join(STANDARD_GROUPINGS)}"))
                standard[inst] = tuple(v for v in STANDARD_GROUPINGS if v in chosen)
                continue
            if column not in LABEL_COLUMNS:
                problems.append(Problem(file, None, where, None, f"key must be one of {', '.join(LABEL_COLUMNS)} or standard"))
                continue
            try:
                definition = LabelDefinition.model_validate(spec)
            except ValidationError as exc:
                problems += [Problem(file, None, f"{where}.{'.'.join(map(str, e['loc']))}", None, e["msg"]) for e in exc.errors()]
                continue
            duplicated = sorted({v for v in definition.values if definition.values.count(v) > 1})
            if duplicated:
                problems.append(Problem(file, None, f"{where}.values", ", ".join(duplicated), "values must be distinct"))
            if len(set(definition.values)) > max_values:
                problems.append(Problem(file, None, f"{where}.values", len(set(definition.values)),
                                        f"more than {max_values} distinct values (reports.max_label_values): merge groups, "
                                        "small groups would only ever be hidden"))
            definitions[inst][column] = definition
    return definitions, standard, problems


def _read_labels(path: Path, responses: pd.DataFrame, definitions: dict) -> tuple[pd.DataFrame, list[Problem]]:
    file = str(path)
    try:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        return pd.DataFrame(), [Problem(file, None, None, None, f"not a readable CSV file: {exc}")]
    problems = []
    if "respondent_id" not in frame.columns:
        return frame, [Problem(file, None, "respondent_id", None, "required column missing")]
    unknown_columns = [c for c in frame.columns if c != "respondent_id" and c not in LABEL_COLUMNS]
    problems += [Problem(file, None, c, None, f"unknown column: only respondent_id and {', '.join(LABEL_COLUMNS)}")
                 for c in unknown_columns]
    columns = [c for c in LABEL_COLUMNS if c in frame.columns]
    if not columns:
        problems.append(Problem(file, None, None, None, f"no label column ({', '.join(LABEL_COLUMNS)})"))
    rows = pd.Series(range(1, len(frame) + 1), index=frame.index)
    ids = frame["respondent_id"].str.strip()
    problems += _rows(file, rows[ids.duplicated(keep="first")], "respondent_id", ids, "respondent listed twice")
    institution_of = responses.set_index(responses["respondent_id"].astype(str))["institution_id"].astype(str)
    institution = ids.map(institution_of)
    problems += _rows(file, rows[institution.isna()], "respondent_id", ids, "not a respondent of this edition")
    known = institution.notna()
    for column in columns:
        value = frame[column].fillna("").str.strip()
        given = value != ""
        defining = [i for i, labels in definitions.items() if column in labels]
        defined = ~known | institution.isin(defining)
        problems += _rows(file, rows[given & ~defined], column, value,
                          "this label is not defined for the respondent's institution in labels.yml (a label of another institution?)")
        # Vectorised (a national edition has ~250,000 rows): a value is allowed when the pair
        # (institution, value) is one labels.yml declares.
        pairs = {f"{i}\x1f{v}" for i in defining for v in definitions[i][column].values}
        allowed = ~(given & defined & known) | (institution.fillna("") + "\x1f" + value).isin(pairs)
        problems += _rows(file, rows[~allowed], column, value, "not one of the values labels.yml gives this institution for the label")
    out = frame.assign(respondent_id=ids, institution_id=institution)
    return out[["respondent_id", "institution_id", *columns]], problems


def _rows(file: str, rows: pd.Series, column: str, values: pd.Series, rule: str) -> list[Problem]:
    listed = [Problem(file, int(rows[k]), column, values[k], rule) for k in list(rows.index)[:ROWS_PER_RULE]]
    if len(rows) > ROWS_PER_RULE:
        listed.append(Problem(file, None, column, None, f"{rule}: {len(rows) - ROWS_PER_RULE} more rows"))
    return listed
