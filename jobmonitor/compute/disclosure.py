"""Disclosure control: primary and complementary suppression, indicative cells, and the
algebraic audit that proves no hidden cell can be recomputed from published figures.

Per item, the units form one table: institutions × domains, with institution totals as the
last column, domain totals as the last row and the national total in the corner. Every
published figure is a sum over interior cells, so "derivable" is a question of linear algebra.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from jobmonitor.results import SUPPRESSED

log = logging.getLogger(__name__)

Z_REQUIRED = 1.96
# Numerical tolerance for the rank test on 0/1 membership vectors.
RANK_TOL = 1e-8


def required_netto(population: np.ndarray) -> np.ndarray:
    """JOB's required net response for a 5 % margin at 95 % confidence, rounded down."""
    n = np.asarray(population, dtype="float64")
    core = Z_REQUIRED**2 * 2500
    with np.errstate(invalid="ignore", divide="ignore"):
        netto = np.floor(n * core / (core + (n - 1) * 25) + 0.99)
    return np.where(n > 0, netto, 0).astype("int64")


def required_bruto(netto: np.ndarray) -> np.ndarray:
    return np.ceil(1.1 * np.asarray(netto) - 1e-9).astype("int64")


@dataclass(frozen=True)
class UnitGrid:
    """Positions of the units of one edition in the (I+1) × (D+1) table."""

    institution_ids: list[str]
    domain_ids: list[str]
    present: np.ndarray  # bool (I+1, D+1): unit exists (has respondents)

    @classmethod
    def from_sums(cls, sums: pd.DataFrame, institution_ids, domain_ids) -> "UnitGrid":
        present = np.zeros((len(institution_ids) + 1, len(domain_ids) + 1), dtype=bool)
        rows, cols = cls._positions(sums, institution_ids, domain_ids)
        present[rows, cols] = True
        return cls(list(institution_ids), list(domain_ids), present)

    @staticmethod
    def _positions(frame: pd.DataFrame, institution_ids, domain_ids) -> tuple[np.ndarray, np.ndarray]:
        """Row and column per table row; totals (no institution / no domain) at the margins."""
        def position(column, ids):
            codes = pd.Categorical(frame[column], categories=list(ids)).codes.astype("int64")
            return np.where(codes < 0, len(ids), codes)

        return position("institution_id", institution_ids), position("domain_id", domain_ids)

    def positions(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return self._positions(frame, self.institution_ids, self.domain_ids)

    def lines(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every row and column of the table with its margin, as index arrays."""
        n_rows, n_cols = self.present.shape
        out = [(np.full(n_cols, r), np.arange(n_cols)) for r in range(n_rows)]
        out += [(np.arange(n_rows), np.full(n_rows, c)) for c in range(n_cols)]
        return out


def _to_grids(table: pd.DataFrame, grid: UnitGrid, column: str, fill) -> tuple[list[str], np.ndarray]:
    """Pivot one column into an array (vars, I+1, D+1); vars in first-appearance order."""
    var_codes, var_ids = pd.factorize(table["item_id"])
    out = np.full((len(var_ids),) + grid.present.shape, fill, dtype=np.asarray(table[column]).dtype)
    rows, cols = grid.positions(table)
    out[var_codes, rows, cols] = table[column].to_numpy()
    return list(var_ids), out


def complementary_suppression(n: np.ndarray, present: np.ndarray, min_n: int, initial: np.ndarray | None = None) -> np.ndarray:
    """Primary (n < min_n) plus extra cells until every line that hides anything hides at
    least two non-empty cells holding together at least min_n respondents. Extra cells are the
    published ones with the smallest n in the line, interior cells before totals, ties by
    position: deterministic, and hiding as little as possible one step at a time."""
    stacked_initial = None if initial is None else initial[None]
    return complementary_suppression_many(n[None], present, min_n, stacked_initial)[0]


def complementary_suppression_many(n: np.ndarray, present: np.ndarray, min_n: int, initial: np.ndarray | None = None) -> np.ndarray:
    """`complementary_suppression` for a stack of tables (vars, I+1, D+1) sharing one grid.

    Each line step runs on all tables at once; a table that has settled no longer changes, so
    every table ends exactly where it would have ended on its own."""
    suppressed = present[None] & (n < min_n)
    if initial is not None:
        suppressed |= initial
    margin_row, margin_col = present.shape[0] - 1, present.shape[1] - 1
    big = int(n.max(initial=0)) + 1
    lines = UnitGrid([], [], present).lines()
    changed = True
    while changed:
        changed = False
        for rows, cols in lines:
            n_line = n[:, rows, cols]
            occupied = present[rows, cols][None] & (n_line > 0)
            hidden = suppressed[:, rows, cols] & occupied
            safe = (hidden.sum(axis=1) >= 2) & (np.where(hidden, n_line, 0).sum(axis=1) >= min_n)
            candidates = occupied & ~hidden
            needs = hidden.any(axis=1) & ~safe & candidates.any(axis=1)
            if not needs.any():
                continue
            is_total = ((rows == margin_row) | (cols == margin_col)).astype("int64")
            # Order: interior before totals, then smallest n, then position in the line.
            key = (is_total[None] * big + n_line) * len(rows) + np.arange(len(rows))[None]
            pick = np.where(candidates, key, np.iinfo("int64").max).argmin(axis=1)
            tables = np.flatnonzero(needs)
            suppressed[tables, rows[pick[tables]], cols[pick[tables]]] = True
            changed = True
    return suppressed


def protect_table(n: np.ndarray, present: np.ndarray, min_n: int, max_rounds: int = 50) -> np.ndarray:
    """Complementary suppression, then audit; while the audit still finds a derivable cell or
    small set, also hide the smallest published interior cell in a line through it."""
    return protect_tables(n[None], present, min_n, max_rounds)[0]


def protect_tables(n: np.ndarray, present: np.ndarray, min_n: int, max_rounds: int = 50,
                   labels: list[str] | None = None) -> np.ndarray:
    """`protect_table` for a stack of tables: the suppression pass runs on all at once."""
    suppressed = complementary_suppression_many(n, present, min_n)
    for v in range(len(n)):
        suppressed[v], converged = _close_findings(n[v], present, suppressed[v], min_n, max_rounds)
        if not converged:
            log.warning("disclosure: %s could not be protected cell by cell; every figure of it is hidden",
                        labels[v] if labels else f"table {v}")
    return suppressed


def _close_findings(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int,
                    max_rounds: int) -> tuple[np.ndarray, bool]:
    """Hide one more cell per finding until the audit is clean; if that does not converge,
    hide the whole table: publishing nothing is the only answer that is always safe."""
    for _ in range(max_rounds):
        findings = audit_table(n, present, suppressed, min_n)
        if not findings:
            return suppressed, True
        extra = _cover_for(findings[0][0], n, present, suppressed)
        if extra is None:
            break
        suppressed = suppressed.copy()
        suppressed[extra] = True
        suppressed = complementary_suppression(n, present, min_n, suppressed)
    return present.copy(), False


def _cover_for(cells: list[tuple[int, int]], n, present, suppressed) -> tuple[int, int] | None:
    """The published cell with the smallest n sharing a row or column with `cells`: interior
    cells first; a total only when every interior cell of those lines is already hidden."""
    in_lines = np.zeros_like(present)
    for r, c in cells:
        in_lines[r, :] = True
        in_lines[:, c] = True
    available = in_lines & present & ~suppressed & (n > 0)
    interior = np.zeros_like(present)
    interior[:-1, :-1] = True
    for candidates in (available & interior, available):
        if candidates.any():
            flat = np.flatnonzero(candidates)
            best = flat[np.lexsort((flat, n.reshape(-1)[flat]))[0]]
            return tuple(int(v) for v in np.unravel_index(best, n.shape))
    return None


def disclose(table: pd.DataFrame, grid: UnitGrid, population: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The stage: the estimated table with a `status` per row (published, indicative, hidden)."""
    return table.assign(status=assign_status(table, grid, population_grid(population, grid), min_n))


def population_grid(population: pd.DataFrame, grid: UnitGrid) -> np.ndarray:
    """Population per unit position, with institution, domain and national totals."""
    per_cell = population.groupby(["institution_id", "domain_id"], observed=True)["population"].sum().reset_index()
    out = np.zeros(grid.present.shape, dtype="int64")
    rows, cols = grid.positions(per_cell)
    np.add.at(out, (rows, cols), per_cell["population"].to_numpy())
    out[-1, :-1] = out[:-1, :-1].sum(axis=0)
    out[:-1, -1] = out[:-1, :-1].sum(axis=1)
    out[-1, -1] = out[:-1, :-1].sum()
    return out


def assign_status(sums: pd.DataFrame, grid: UnitGrid, population_n: np.ndarray, min_n: int) -> pd.Series:
    """Status per row of the sums table (one edition)."""
    var_ids, n = _to_grids(sums, grid, "n", 0)
    primary = grid.present[None] & (n < min_n)
    suppressed = protect_tables(n, grid.present, min_n, labels=[f"item {v}" for v in var_ids])
    var_pos = pd.factorize(sums["item_id"])[0]
    rows, cols = grid.positions(sums)
    is_primary = primary[var_pos, rows, cols]
    is_suppressed = suppressed[var_pos, rows, cols]
    indicative = sums["n"].to_numpy() < required_netto(population_n[rows, cols])
    status = np.where(is_primary, "suppressed_primary",
                      np.where(is_suppressed, "suppressed_secondary",
                               np.where(indicative, "indicative", "published")))
    return pd.Series(status, index=sums.index, name="status")


def response_table(responses: pd.DataFrame, population: pd.DataFrame, institutions: pd.DataFrame,
                   min_n: int) -> pd.DataFrame:
    """Per institution: population, respondents, response rate, required netto and bruto;
    an institution below min_n respondents shows neither its count nor its rate."""
    per_population = population.groupby("institution_id", observed=True)["population"].sum()
    respondents = responses.groupby("institution_id", observed=True).size()
    frame = pd.DataFrame({"population": per_population, "respondents": respondents}).fillna(0).astype("int64")
    frame = frame.reindex(institutions["institution_id"]).fillna(0).astype("int64")
    frame["rate"] = np.where(frame["population"] > 0, 100 * frame["respondents"] / frame["population"].clip(lower=1), np.nan)
    frame["netto"] = required_netto(frame["population"].to_numpy())
    frame["bruto"] = required_bruto(frame["netto"].to_numpy())
    frame = frame.rename_axis("institution_id").reset_index()
    too_few = hidden_institutions(frame["respondents"].to_numpy(), min_n)
    return frame.assign(respondents=frame["respondents"].astype("Int64").mask(too_few), rate=frame["rate"].mask(too_few))


def hidden_institutions(respondents: np.ndarray, min_n: int) -> np.ndarray:
    """Institutions whose respondent count stays hidden: below min_n, plus complementary ones
    so that no hidden count follows from the national total (a one-column table)."""
    n = np.zeros((len(respondents) + 1, 2), dtype="int64")
    n[:-1, 0] = n[:-1, 1] = respondents
    n[-1, :] = respondents.sum()
    return protect_table(n, n > 0, min_n)[:-1, 0]


# --- audit -------------------------------------------------------------------------------------


def _membership(grid_shape: tuple[int, int], unknown: np.ndarray) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Each margin entry's 0/1 membership over the unknown interior cells."""
    n_rows, n_cols = grid_shape
    entries = [(r, n_cols - 1) for r in range(n_rows - 1)] + [(n_rows - 1, c) for c in range(n_cols - 1)]
    entries.append((n_rows - 1, n_cols - 1))
    ui, ud = np.nonzero(unknown)
    vectors = np.zeros((len(entries), len(ui)))
    for k, (r, c) in enumerate(entries):
        in_row = ui == r if r < n_rows - 1 else np.ones(len(ui), bool)
        in_col = ud == c if c < n_cols - 1 else np.ones(len(ui), bool)
        vectors[k] = in_row & in_col
    return entries, vectors


Finding = tuple[list[tuple[int, int]], str]  # positions involved, description


def audit_table(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int) -> list[Finding]:
    """Findings for one item's table; empty when nothing hidden can be recomputed."""
    interior = np.s_[:-1, :-1]
    # Unknown: hidden interior cells with respondents. Published cells and empty cells are known.
    unknown = suppressed[interior] & present[interior] & (n[interior] > 0)
    if not unknown.any():
        hidden_totals = suppressed & present & (n > 0)
        return [([(int(r), int(c))], f"total ({r}, {c}) hidden but all its cells are published")
                for r, c in zip(*np.nonzero(hidden_totals))]
    entries, vectors = _membership(present.shape, unknown)
    published = np.array([present[e] and not suppressed[e] for e in entries])
    known = vectors[published]
    findings = _rank_findings(entries, vectors, published, known, n, present, suppressed, unknown)
    findings += _small_set_findings(known, n[interior][unknown], unknown, min_n)
    return findings


def _rank_findings(entries, vectors, published, known, n, present, suppressed, unknown) -> list[Finding]:
    """Every single hidden entry must lie outside the span of the published ones."""
    if known.size:
        _, sing, vt = np.linalg.svd(known, full_matrices=True)
        rank = int((sing > RANK_TOL * max(1.0, sing.max(initial=0))).sum())
        null = vt[rank:]
    else:
        null = np.eye(vectors.shape[1])
    findings = []
    ui, ud = np.nonzero(unknown)
    for k, (i, d) in enumerate(zip(ui, ud)):
        if np.abs(null[:, k]).max(initial=0) < RANK_TOL:
            findings.append(([(int(i), int(d))], f"cell ({i}, {d}) with n={int(n[i, d])} is derivable"))
    for k, e in enumerate(entries):
        if present[e] and suppressed[e] and n[e] > 0 and np.abs(null @ vectors[k]).max(initial=0) < RANK_TOL:
            findings.append(([e], f"total ({e[0]}, {e[1]}) with n={int(n[e])} is derivable"))
    return findings


def _small_set_findings(known: np.ndarray, n_unknown: np.ndarray, unknown: np.ndarray, min_n: int) -> list[Finding]:
    """Smallest set of hidden cells whose sum follows from published totals (a MILP)."""
    if known.size == 0 or not _small_set_possible(n_unknown, min_n):
        return []
    n_x, n_y = known.shape[1], known.shape[0]
    # x_u (0/1, cell u in the set) must equal Σ_e y_e · membership(e, u) for published totals e.
    a_eq = np.hstack([np.eye(n_x), -known.T])
    at_least_one = np.concatenate([np.ones(n_x), np.zeros(n_y)])[None]
    constraints = [LinearConstraint(a_eq, 0, 0), LinearConstraint(at_least_one, 1, np.inf)]
    cost = np.concatenate([n_unknown.astype("float64"), np.zeros(n_y)])
    bounds = Bounds(np.concatenate([np.zeros(n_x), np.full(n_y, -np.inf)]),
                    np.concatenate([np.ones(n_x), np.full(n_y, np.inf)]))
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y)])
    result = milp(cost, constraints=constraints, bounds=bounds, integrality=integrality)
    if result.status != 0 or result.fun >= min_n - 0.5:
        return []
    chosen = np.flatnonzero(result.x[:n_x] > 0.5)
    ui, ud = np.nonzero(unknown)
    positions = [(int(ui[k]), int(ud[k])) for k in chosen]
    cells = ", ".join(f"({r}, {c})" for r, c in positions)
    return [(positions, f"cells {cells} together hold {int(round(result.fun))} respondents and their sum is derivable")]


def _small_set_possible(n_unknown: np.ndarray, min_n: int) -> bool:
    """False when no two hidden cells together hold fewer than min_n respondents. A derivable
    set of one cell is the rank test's finding, so the MILP can then find nothing new."""
    if len(n_unknown) < 2:
        return False
    two_smallest = np.partition(n_unknown, 1)[:2]
    return int(two_smallest.sum()) < min_n


def audit_statuses(sums: pd.DataFrame, status: pd.Series, grid: UnitGrid, min_n: int) -> list[str]:
    """Algebraic audit of one edition: findings naming item and units."""
    frame = sums.assign(hidden=status.isin(SUPPRESSED).to_numpy())
    var_ids, n = _to_grids(frame, grid, "n", 0)
    _, hidden = _to_grids(frame, grid, "hidden", False)
    findings = []
    for v, var in enumerate(var_ids):
        for _, finding in audit_table(n[v], grid.present, hidden[v], min_n):
            findings.append(f"edition {frame['edition'].iloc[0]}, item {var}: {_name_positions(finding, grid)}")
    return findings


def _name_positions(finding: str, grid: UnitGrid) -> str:
    """Turn (row, col) positions in a finding into institution/domain ids."""
    import re

    def name(match: re.Match) -> str:
        r, c = int(match.group(1)), int(match.group(2))
        inst = grid.institution_ids[r] if r < len(grid.institution_ids) else "all institutions"
        dom = grid.domain_ids[c] if c < len(grid.domain_ids) else "all domains"
        return f"[{inst} × {dom}]"

    return re.sub(r"\((\d+), (\d+)\)", name, finding)
