"""The national data file's figures (agreement art. 1.10): one edition's results per institution ×
opleiding and per opleiding nationally, for every item and theme score, computed as the site
computes its institution × domain cells (same scores and weights, `aggregate`, `estimate`) and
tested as the site tests them (`significance`): an institution × opleiding against the rest of
its opleiding nationally, an opleiding against the rest of the country; one Benjamini–Hochberg
family per unit. Which rows stay hidden is `programme_protection`'s decision.

An opleiding lies within a domain: the file's unit is (domain, opleiding), so the site's
institution × domain cell is the sum of its opleidingen and protection can work domain by
domain. Respondents without an opleiding form the group "opleiding onbekend" of their domain,
shown like any opleiding: every site cell is then exactly the sum of its file cells.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.compute.estimate import point_estimates
from jobmonitor.compute.load import Edition
from jobmonitor.compute.pipeline import EditionResults, name_units
from jobmonitor.compute.recoverability import answer_categories
from jobmonitor.compute.score import Scores, score_edition
from jobmonitor.compute.significance import benchmark_markers, compare_with_benchmark
from jobmonitor.config import Config
from jobmonitor.errors import InputError, Problem
from jobmonitor.results import ANSWER_CODES, SUPPRESSED, VALUE_COLUMNS
from jobmonitor.reports.programme_protection import ProgrammeTables, Protection, protect_programmes

PROGRAMME = "opleiding"  # the optional column of `responses`
NAMES_FILE = "opleidingen.csv"  # optional, in the edition's folder: opleiding, name
# The file's levels. While summing and testing, an opleiding stands in the site's code where a
# domain would: benchmarked like a domain (against the rest of the country), an institution ×
# opleiding like an institution × domain (against the rest of its opleiding).
LEVEL_OF = {"domain": "opleiding", "institution_domain": "institution_opleiding"}
# The site's changes since the previous edition need the previous edition's opleidingen: left out.
LEFT_OUT = ("previous_estimate", "change", "change_marker", "change_verdict")
FILE_COLUMNS = (["edition", "level", "institution_id", "institution", "domain_id", "domain", "opleiding",
                 "opleiding_name", "item_id", "kind", "measure"]
                + [c for c in VALUE_COLUMNS if c not in LEFT_OUT] + ["direction", "status"])
CODE_COLUMNS = ("institution_id", "domain_id", "opleiding", "item_id")


@dataclass(frozen=True)
class Programmes:
    """The opleidingen of one edition, each within its domain, in domain order then by code;
    respondents without one form their domain's last group (code None)."""

    domain: np.ndarray  # (P,) int: index into the edition's domains
    code: list[str | None]
    of_respondent: np.ndarray  # (respondents,) int: index into the programmes

    @property
    def keys(self) -> list[str]:
        """Internal unit ids, standing in the domain column while the site's code runs."""
        return [f"P{k:05d}" for k in range(len(self.code))]


@dataclass(frozen=True)
class ProgrammeFile:
    """One edition's file: its rows (FILE_COLUMNS, internal statuses) and the protection."""

    year: int
    table: pd.DataFrame
    protection: Protection


def programme_codes(column: pd.Series) -> pd.Series:
    """The opleiding codes as text (NA: none). A code read as a number (Parquet, SPSS) is
    written as a whole number: 25180, not 25180.0."""
    if pd.api.types.is_float_dtype(column.dtype) and np.all(np.isnan(column) | (column == np.round(column))):
        column = column.astype("Int64")
    return column.astype("string").str.strip().replace("", pd.NA)


def has_programmes(edition: Edition) -> str | None:
    """Why this edition has no file (None: it has one)."""
    if PROGRAMME not in edition.responses.columns:
        return "no `opleiding` column in responses"
    if programme_codes(edition.responses[PROGRAMME]).isna().all():
        return "the `opleiding` column of responses is empty"
    return None


def programmes_of(edition: Edition) -> Programmes:
    codes = programme_codes(edition.responses[PROGRAMME])
    domain = edition.responses["domain_id"].cat.codes.to_numpy().astype("int64")
    pairs = pd.DataFrame({"domain": domain, "code": codes}).drop_duplicates()
    pairs = pairs.assign(unknown=pairs["code"].isna(), sort=pairs["code"].fillna("").map(_natural))
    pairs = pairs.sort_values(["domain", "unknown", "sort"], kind="stable").reset_index(drop=True)
    index = pd.MultiIndex.from_frame(pairs[["domain", "code"]].fillna({"code": ""}))
    position = index.get_indexer(pd.MultiIndex.from_arrays([domain, codes.fillna("")]))
    return Programmes(pairs["domain"].to_numpy(), [None if pd.isna(c) else str(c) for c in pairs["code"]], position)


def _natural(code: str):
    """Codes 2 < 10 < 25180 by number, names alphabetically."""
    return (0, int(code), "") if code.isdigit() else (1, 0, code.casefold())


def programme_names(folder: Path, codes: list[str | None]) -> dict[str, str]:
    """Each code's name from `opleidingen.csv` (columns opleiding, name) when the edition has
    one; a code without a name keeps its code."""
    names = {c: c for c in codes if c is not None}
    path = Path(folder) / NAMES_FILE
    if not path.is_file():
        return names
    frame = pd.read_csv(path, dtype="string")
    missing = [c for c in (PROGRAMME, "name") if c not in frame.columns]
    if missing:
        raise InputError([Problem(str(path), None, c, None, "column is missing") for c in missing])
    given = dict(zip(frame[PROGRAMME].str.strip(), frame["name"].str.strip()))
    return {c: (given.get(c) or c) for c in names}


def programme_sums(scores: Scores, answers: np.ndarray, scales: list[str], programmes: Programmes) -> pd.DataFrame:
    """The site's sums with the opleiding in place of the domain: national, per opleiding
    (`domain` level, unit = programme key) and per institution × opleiding."""
    keyed = dataclasses.replace(scores, domain_code=programmes.of_respondent.astype("int32"), domain_ids=programmes.keys)
    sums = aggregate(keyed, answers, scales)
    return sums[sums["level"] != "institution"].reset_index(drop=True)


def site_grids(results: pd.DataFrame, part: EditionResults, var_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The site's n and hidden flag per var and institution × domain position (margins last),
    read from the results table: the statuses are the site's, never recomputed here."""
    rows = results[(results["edition"] == part.edition.year) & results["item_id"].isin(var_ids)]
    var = pd.Categorical(rows["item_id"], categories=var_ids).codes
    r, c = part.grid.positions(rows)
    shape = (len(var_ids),) + part.grid.present.shape
    n = np.zeros(shape, dtype="int64")
    hidden = np.zeros(shape, dtype=bool)
    n[var, r, c] = rows["n"].to_numpy("int64")
    hidden[var, r, c] = rows["status"].isin(SUPPRESSED).to_numpy()
    return n, hidden


def protection_tables(sums: pd.DataFrame, scores: Scores, programmes: Programmes, results: pd.DataFrame,
                      part: EditionResults) -> ProgrammeTables:
    """The counts protection works on: the file's cells and opleiding totals, the site's table."""
    var_ids, n_inst, n_prog = list(scores.var_ids), len(scores.institution_ids), len(programmes.code)
    var = pd.Categorical(sums["item_id"], categories=var_ids).codes
    inst = pd.Categorical(sums["institution_id"], categories=scores.institution_ids).codes
    prog = pd.Categorical(sums["domain_id"], categories=programmes.keys).codes
    cells = (sums["level"] == "institution_domain").to_numpy()
    totals = (sums["level"] == "domain").to_numpy()
    cell_n = np.zeros((len(var_ids), n_inst, n_prog), dtype="int64")
    cell_n[var[cells], inst[cells], prog[cells]] = sums.loc[cells, "n"].to_numpy()
    present = np.zeros((n_inst, n_prog), dtype=bool)
    present[inst[cells], prog[cells]] = True
    answers = {}
    for code in ANSWER_CODES:
        grid = np.zeros_like(cell_n)
        grid[var[cells], inst[cells], prog[cells]] = sums.loc[cells, f"n_answer_{code}"].to_numpy()
        answers[code] = grid
    programme_n = np.zeros((len(var_ids), n_prog), dtype="int64")
    programme_n[var[totals], prog[totals]] = sums.loc[totals, "n"].to_numpy()
    site_n, site_hidden = site_grids(results, part, var_ids)
    categories = [answer_categories(m) for m in scores.measures]
    return ProgrammeTables(var_ids, categories, programmes.domain, site_n, site_hidden, part.grid.present, cell_n,
                           present, programme_n, answers)


def row_statuses(sums: pd.DataFrame, scores: Scores, programmes: Programmes, protection: Protection,
                 tables: ProgrammeTables, min_n: int) -> np.ndarray:
    """The internal status of every row of `sums` (the national rows: the site's)."""
    var = pd.Categorical(sums["item_id"], categories=list(scores.var_ids)).codes
    inst = pd.Categorical(sums["institution_id"], categories=scores.institution_ids).codes
    prog = pd.Categorical(sums["domain_id"], categories=programmes.keys).codes
    level = sums["level"].to_numpy()
    hidden = np.zeros(len(sums), dtype=bool)
    cells, totals = level == "institution_domain", level == "domain"
    hidden[cells] = protection.cell_hidden[var[cells], inst[cells], prog[cells]]
    hidden[totals] = protection.programme_hidden[var[totals], prog[totals]]
    national = level == "national"
    hidden[national] = tables.site_hidden[var[national], -1, -1]
    primary = (level != "national") & (sums["n"].to_numpy() < min_n)
    return np.where(primary, "suppressed_primary", np.where(hidden, "suppressed_secondary", "published"))


def programme_file(config: Config, results: pd.DataFrame, part: EditionResults, edition: Edition) -> ProgrammeFile:
    """The stage: one edition's file table, protected jointly with the site and tested."""
    thresholds = config.thresholds
    scores = score_edition(edition, config.weighting)
    programmes = programmes_of(edition)
    sums = programme_sums(scores, edition.answers, [i.scale for i in edition.questionnaire.items], programmes)
    tables = protection_tables(sums, scores, programmes, results, part)
    sanity_check_sums(tables)
    protection = protect_programmes(tables, thresholds.min_n, labels=_labels(scores, programmes, edition),
                                    whole_units=thresholds.protect_linked)
    estimates = point_estimates(sums, thresholds.confidence)
    status = row_statuses(sums, scores, programmes, protection, tables, thresholds.min_n)
    tested = benchmark_markers(compare_with_benchmark(estimates.assign(status=status)), thresholds)
    names = programme_names(config.edition_dir(edition.year), programmes.code)
    return ProgrammeFile(edition.year, file_rows(tested, edition, programmes, names), protection)


def file_rows(tested: pd.DataFrame, edition: Edition, programmes: Programmes, names: dict[str, str]) -> pd.DataFrame:
    """The file's rows: the levels renamed, the programme key split into domain and opleiding,
    names beside the ids, the national rows (benchmarks only) left out; ordered by domain and
    opleiding, the opleiding's national row first, then its institutions."""
    table = tested[tested["level"] != "national"]
    key = pd.Categorical(table["domain_id"], categories=programmes.keys).codes
    domain_ids = np.asarray(edition.domains["domain_id"].astype(str), dtype=object)
    codes = [programmes.code[k] for k in key]
    table = table.assign(level=table["level"].map(LEVEL_OF),
                         domain_id=pd.array(domain_ids[programmes.domain[key]], dtype="string"),
                         opleiding=pd.array(codes, dtype="string"),
                         opleiding_name=pd.array([None if c is None else names[c] for c in codes], dtype="string"))
    table = name_units(table, edition)
    institution = pd.Categorical(table["institution_id"], categories=list(edition.institutions["institution_id"])).codes
    item = pd.Categorical(table["item_id"], categories=pd.unique(table["item_id"])).codes
    order = np.lexsort((item, institution, key))
    return table.iloc[order][FILE_COLUMNS].reset_index(drop=True)


def sanity_check_sums(tables: ProgrammeTables) -> None:
    """Every site cell is the sum of its opleidingen and every opleiding total the sum of its
    institutions: the joint audit's network rests on it. A failure is a bug: it stops the run
    and prints where."""
    n_inst = tables.cell_n.shape[1]
    by_domain = np.zeros_like(tables.site_n[:, :n_inst, :-1])
    np.add.at(by_domain.transpose(2, 0, 1), tables.programme_domain, tables.cell_n.transpose(2, 0, 1))
    wrong = np.argwhere(by_domain != tables.site_n[:, :n_inst, :-1])
    column = tables.programme_n != tables.cell_n.sum(axis=1)
    if len(wrong) or column.any():
        raise ValueError(f"opleiding sums do not add up to the site's cells at (var, institution, domain) "
                         f"{wrong[:5].tolist()} or to the opleiding totals at {np.argwhere(column)[:5].tolist()}")


def _labels(scores: Scores, programmes: Programmes, edition: Edition) -> dict:
    """Names for the protection's messages: vars, institutions, domains, opleidingen."""
    domains = list(edition.domains["domain_id"].astype(str))
    return {"vars": list(scores.var_ids), "institutions": list(scores.institution_ids), "domains": domains,
            "programmes": [f"{domains[d]}/{c if c is not None else '?'}" for d, c in zip(programmes.domain, programmes.code)]}

