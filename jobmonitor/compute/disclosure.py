"""Disclosure stage: primary and complementary suppression per item table (`grid`), protection
until the audit (`audit`) finds nothing, the status of every cell (published, indicative,
suppressed) and the response table's own suppression.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from jobmonitor.compute.recoverability import (algebraic_findings, answer_categories, answer_grids, attacker_views,
                                      flow_bounds, flow_wide, hidden_figures, unanimous_cells)
from jobmonitor.compute.grid import UnitGrid, population_grid, to_grids, with_margins
from jobmonitor.compute.linked import LinkedEdition, narrow_counts, public_respondents, theme_positions

log = logging.getLogger(__name__)

Z_REQUIRED = 1.96


def required_netto(population: np.ndarray) -> np.ndarray:
    """JOB's required net response for a 5 % margin at 95 % confidence, rounded down."""
    n = np.asarray(population, dtype="float64")
    core = Z_REQUIRED**2 * 2500
    with np.errstate(invalid="ignore", divide="ignore"):
        netto = np.floor(n * core / (core + (n - 1) * 25) + 0.99)
    return np.where(n > 0, netto, 0).astype("int64")


def required_bruto(netto: np.ndarray) -> np.ndarray:
    return np.ceil(1.1 * np.asarray(netto) - 1e-9).astype("int64")


def complementary_suppression(n: np.ndarray, present: np.ndarray, min_n: int, initial: np.ndarray | None = None,
                              eligible: np.ndarray | None = None) -> np.ndarray:
    """Primary (n < min_n) plus extra cells until every line that hides anything hides at
    least two non-empty cells holding together at least min_n respondents. Extra cells are the
    published ones with the smallest n in the line, interior cells before totals, ties by
    position: deterministic, and hiding as little as possible one step at a time."""
    stacked_initial = None if initial is None else initial[None]
    stacked_eligible = None if eligible is None else eligible[None]
    return complementary_suppression_many(n[None], present, min_n, stacked_initial, stacked_eligible)[0]


def complementary_suppression_many(n: np.ndarray, present: np.ndarray, min_n: int, initial: np.ndarray | None = None,
                                   eligible: np.ndarray | None = None) -> np.ndarray:
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
            if eligible is not None:
                candidates &= eligible[:, rows, cols]
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


def protect_table(n: np.ndarray, present: np.ndarray, min_n: int, max_rounds: int = 50,
                  initial: np.ndarray | None = None) -> np.ndarray:
    """Complementary suppression, then audit; while the audit still finds a derivable cell or
    small set, also hide the smallest published interior cell in a line through it. `initial`:
    cells hidden for another reason, protected like primary ones."""
    return protect_tables(n[None], present, min_n, max_rounds, initial=None if initial is None else initial[None])[0]


def protect_tables(n: np.ndarray, present: np.ndarray, min_n: int, max_rounds: int = 50,
                   labels: list[str] | None = None, answers: dict[int, np.ndarray] | None = None,
                   categories: list[tuple[tuple[int, ...], ...]] | None = None,
                   initial: np.ndarray | None = None, eligible: np.ndarray | None = None, floor: int = 1) -> np.ndarray:
    """`protect_table` for a stack of tables: the suppression pass runs on all at once. With
    `answers` (per answer code, respondents per position) and each table's answer `categories`,
    the published answer distributions are protected too (`audit.unanimity_findings`).
    `eligible`: the figures that may be hidden as complements (default: all); a figure the
    attacker knows anyway is no complement. `floor`: the least count a hidden figure may hold
    (1: a unit shown holds a respondent; 0: a group's answers to one question may be none)."""
    suppressed = complementary_suppression_many(n, present, min_n, initial, eligible)
    for v in range(len(n)):
        suppressed[v], converged = _close_findings(n[v], present, suppressed[v], min_n, max_rounds,
                                                   None if eligible is None else eligible[v], floor)
        if converged and categories and categories[v]:
            suppressed[v], converged = _close_answer_findings(
                n[v], {c: a[v] for c, a in answers.items()}, categories[v], present, suppressed[v], min_n, max_rounds)
        if not converged:
            log.warning("disclosure: %s could not be protected cell by cell; every figure of it is hidden",
                        labels[v] if labels else f"table {v}")
    return suppressed


def _close_findings(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int,
                    max_rounds: int, eligible: np.ndarray | None = None, floor: int = 1) -> tuple[np.ndarray, bool]:
    """Hide one more figure per round until the audit is clean; if that does not converge,
    hide the whole table: publishing nothing is the only answer that is always safe.

    A derivable figure is covered by the smallest published interior cell in a line through
    it. A figure whose feasible range breaks the interval rule (found by the max flow alone,
    which is exact: protection needs no LP) is covered by the published figure that widens it
    most, else as a derivable one. The small-set MILP is not needed here: each cell of such a
    set also breaks the interval rule."""
    for _ in range(max_rounds):
        # Rank test only: a small derivable set is also an interval finding (see audit_table).
        findings = algebraic_findings(n, present, suppressed, min_n, small_sets=False)
        if findings:
            extra = _cover_for(findings[0][0], n, present, suppressed, eligible)
        else:
            narrow = _first_narrow(n, present, suppressed, min_n, floor)
            if narrow is None:
                return suppressed, True
            figure, view = narrow
            extra = (_interval_cover(figure, view, present, suppressed, min_n, eligible, floor)
                     or _cover_for([figure], n, present, suppressed, eligible))
        if extra is None:
            break
        suppressed = suppressed.copy()
        suppressed[extra] = True
        suppressed = complementary_suppression(n, present, min_n, suppressed, eligible)
    return present.copy(), False


def _close_answer_findings(n, answers, categories, present, suppressed, min_n, max_rounds) -> tuple[np.ndarray, bool]:
    """While a hidden cell's answer follows from the published ones, also hide the published
    interior cell in its row or column that holds another answer (smallest n first), then
    restore the line rules and the respondents' audit."""
    for _ in range(max_rounds):
        found = unanimous_cells(n, answers, present, suppressed, categories)
        if not found:
            return suppressed, True
        (r, c), codes = found[0]
        others = n - sum(answers[code] for code in codes)
        in_lines = np.zeros_like(present)
        in_lines[r, :-1] = in_lines[:-1, c] = True
        candidates = in_lines & present & ~suppressed & (others > 0)
        if not candidates.any():
            break
        flat = np.flatnonzero(candidates)
        best = np.unravel_index(flat[np.lexsort((flat, n.reshape(-1)[flat]))[0]], n.shape)
        suppressed = suppressed.copy()
        suppressed[best] = True
        suppressed = complementary_suppression(n, present, min_n, suppressed)
        suppressed, converged = _close_findings(n, present, suppressed, min_n, max_rounds)
        if not converged:
            return suppressed, False
    return present.copy(), False


def _first_narrow(n, present, suppressed, min_n, floor: int = 1) -> tuple[tuple[int, int], np.ndarray] | None:
    """The first hidden figure whose range the max flow finds too narrow, with the table
    (attacker's view) it was found in; None when every range meets the rule."""
    for view, _ in attacker_views(n, present, suppressed, floor):
        figures = hidden_figures(view, present, suppressed)
        if len(figures):
            narrow = figures[~flow_wide(view, figures, min_n, floor)]
            if len(narrow):
                return (int(narrow[0, 0]), int(narrow[0, 1])), view
    return None


def _cover_for(cells: list[tuple[int, int]], n, present, suppressed, eligible=None) -> tuple[int, int] | None:
    """The published cell with the smallest n sharing a row or column with `cells`: interior
    cells first; a total only when every interior cell of those lines is already hidden."""
    in_lines = np.zeros_like(present)
    for r, c in cells:
        in_lines[r, :] = True
        in_lines[:, c] = True
    available = in_lines & present & ~suppressed & (n > 0)
    if eligible is not None:
        available &= eligible
    interior = np.zeros_like(present)
    interior[:-1, :-1] = True
    for candidates in (available & interior, available):
        if candidates.any():
            flat = np.flatnonzero(candidates)
            best = flat[np.lexsort((flat, n.reshape(-1)[flat]))[0]]
            return tuple(int(v) for v in np.unravel_index(best, n.shape))
    return None


def disclose(table: pd.DataFrame, grid: UnitGrid, population: pd.DataFrame, min_n: int,
             respondents: np.ndarray | None = None, themes: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The stage: the estimated table with a `status` per row (published, indicative, hidden).
    `respondents`: per unit position, the unit's respondents; with them whole units are
    protected against an attacker who links a unit's questions (`protect_linked`); `themes`:
    each theme score's items (var id → item ids), facts that attacker also has."""
    status, _ = assign_status(table, grid, population_grid(population, grid), min_n, respondents, themes or {})
    return table.assign(status=status)


@dataclass(frozen=True)
class LinkedProtection:
    """What protection against the linked attacker decided, and its proof."""

    units: np.ndarray  # (I+1, D+1): units hidden as a whole (institution margins: the response table's hidden counts)
    var_ids: tuple[str, ...]  # the vars' order in the witnesses
    witnesses: tuple[tuple[np.ndarray, np.ndarray], ...]  # integer (n, respondents) tables (`witness.certify`)


def disclose_units(table: pd.DataFrame, grid: UnitGrid, population: pd.DataFrame, min_n: int,
                   respondents: np.ndarray, themes: dict[str, list[str]]) -> tuple[pd.DataFrame, LinkedProtection]:
    """`disclose` against the linked attacker, with what that protection decided."""
    status, linked = assign_status(table, grid, population_grid(population, grid), min_n, respondents, themes)
    return table.assign(status=status), linked


def respondents_grid(responses: pd.DataFrame, grid: UnitGrid) -> np.ndarray:
    """Respondents per unit position, margins included."""
    out = np.zeros(grid.present.shape, dtype="int64")
    rows, cols = grid.positions(responses)
    np.add.at(out, (rows, cols), 1)
    return with_margins(out)


def hidden_units(respondents: np.ndarray, present: np.ndarray, min_n: int,
                 forced: np.ndarray | None = None) -> np.ndarray:
    """Units hidden as a whole, in every var's table: the respondents table (institution ×
    domain, with the response table's institution counts as one margin) protected like a
    var's, with `forced` units hidden as if too small. Why: a var that nearly everyone
    answers has n ≈ R(u) in every unit, and R(u) of a unit shown anywhere is public to within
    a few, so hiding such a var's figure in a shown unit hides nothing once an attacker links
    a unit's questions; only a unit whose respondents are themselves protected keeps them
    wide (`linked`)."""
    initial = np.zeros(present.shape, dtype=bool) if forced is None else forced.copy()
    initial[:-1, -1] |= hidden_institutions(respondents[:-1, -1], min_n) & (respondents[:-1, -1] > 0)
    return protect_table(respondents, present, min_n, initial=initial & present) & present


LINKED_ROUNDS = 10


def protect_linked(n: np.ndarray, present: np.ndarray, min_n: int, respondents: np.ndarray,
                   themes: tuple, protect: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray, list]:
    """Hidden figures of every var (vars, I+1, D+1) safe against the linked attacker, the units
    hidden as a whole and the integer witnesses that prove it: whole units hidden
    (`hidden_units`), each var protected on top of them (`protect`, given the initially hidden
    figures); a unit holding a count the linked LP narrows (`linked.narrow_counts`, a finding
    for certain) is hidden as a whole too, and once the LP narrows none, so is a unit holding
    a count the integer witnesses leave open (`witness.certify`)."""
    from jobmonitor.compute.witness import certify  # noqa: PLC0415

    forced = np.zeros(present.shape, dtype=bool)
    widened = np.zeros(n.shape, dtype=bool)
    for _ in range(LINKED_ROUNDS):
        units = hidden_units(respondents, present, min_n, forced)
        public = public_respondents(respondents, units[:-1, -1])
        suppressed = protect(units[None] | widened)
        edition = LinkedEdition(n, suppressed, present, respondents, public, themes)
        found = [(r, c) for _, r, c, _, _ in narrow_counts(edition, min_n, targets=~units[None], one_per_unit=True)]
        what = "narrowed by linking questions"
        if not found:
            certificate = certify(edition, min_n)
            if not certificate.open:
                return suppressed, units, certificate.witnesses
            found, what = [(r, c) for _, r, c in certificate.open], "left open by the integer witnesses"
            for v, r, c in certificate.open:
                if units[r, c]:  # already hidden whole: hide the var across its row and column too
                    widened[v, r, :] |= present[r, :]
                    widened[v, :, c] |= present[:, c]
        for r, c in found:
            forced[r, c] = True
        log.info("disclosure: counts in %d units %s; %d units now hidden as a whole",
                 len(set(found)), what, int((forced | units).sum()))
    log.warning("disclosure: linked protection did not settle in %d rounds; every figure is hidden", LINKED_ROUNDS)
    return np.repeat(present[None], len(n), axis=0), present.copy(), []


# The same edition protected twice in one process (tests, a preview loop) gets the same answer
# without the seconds of linear and integer programmes; keyed by everything protection reads.
_LINKED_MEMO: dict[bytes, tuple] = {}
LINKED_MEMO_SIZE = 8


def _linked_key(n, answers, categories, present, min_n, respondents, themes) -> bytes:
    digest = hashlib.sha256()
    for array in (n, present, respondents, *(answers[code] for code in sorted(answers or {}))):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype}{array.shape}".encode())
        digest.update(array.tobytes())
    # The functions too: a test that swaps one must not get the real one's answer.
    digest.update(repr((min_n, themes, categories, sorted(answers or {}), id(protect_tables), id(protect_linked))).encode())
    return digest.digest()


def assign_status(sums: pd.DataFrame, grid: UnitGrid, population_n: np.ndarray, min_n: int,
                  respondents: np.ndarray | None = None, themes: dict[str, list[str]] | None = None
                  ) -> tuple[pd.Series, LinkedProtection | None]:
    """Status per row of the sums table (one edition), and the linked protection (None
    without `respondents`)."""
    var_ids, n = to_grids(sums, grid, "n", 0)
    primary = grid.present[None] & (n < min_n)
    measures = sums.drop_duplicates("item_id").set_index("item_id")["measure"]
    answers = answer_grids(sums, grid)
    categories = [answer_categories(measures[v]) for v in var_ids] if answers else None

    def protect(initial: np.ndarray | None) -> np.ndarray:
        return protect_tables(n, grid.present, min_n, labels=[f"item {v}" for v in var_ids],
                              answers=answers, categories=categories, initial=initial)

    linked = None
    if respondents is None:
        suppressed = protect(None)
    else:
        positions = theme_positions(var_ids, themes or {})
        key = _linked_key(n, answers, categories, grid.present, min_n, respondents, positions)
        if key not in _LINKED_MEMO:
            while len(_LINKED_MEMO) >= LINKED_MEMO_SIZE:
                _LINKED_MEMO.pop(next(iter(_LINKED_MEMO)))
            suppressed, units, witnesses = protect_linked(n.astype("int64"), grid.present, min_n, respondents,
                                                          positions, protect)
            _LINKED_MEMO[key] = (suppressed, LinkedProtection(units, tuple(var_ids), tuple(witnesses)))
        suppressed, linked = _LINKED_MEMO[key]
        suppressed = suppressed.copy()
    var_pos = pd.factorize(sums["item_id"])[0]
    rows, cols = grid.positions(sums)
    is_primary = primary[var_pos, rows, cols]
    is_suppressed = suppressed[var_pos, rows, cols]
    # Indicative: the effective n (what the intervals rest on) is below JOB's required netto.
    indicative = sums["n_eff"].to_numpy() < required_netto(population_n[rows, cols])
    status = np.where(is_primary, "suppressed_primary",
                      np.where(is_suppressed, "suppressed_secondary",
                               np.where(indicative, "indicative", "published")))
    return pd.Series(status, index=sums.index, name="status"), linked


def response_table(responses: pd.DataFrame, population: pd.DataFrame, institutions: pd.DataFrame,
                   min_n: int, forced: np.ndarray | None = None) -> pd.DataFrame:
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
    too_few = hidden_institutions(frame["respondents"].to_numpy(), min_n, forced)
    return frame.assign(respondents=frame["respondents"].astype("Int64").mask(too_few), rate=frame["rate"].mask(too_few))


def hidden_institutions(respondents: np.ndarray, min_n: int, forced: np.ndarray | None = None) -> np.ndarray:
    """Institutions whose respondent count stays hidden: below min_n (and `forced`: hidden for
    another reason), plus complementary ones so that no hidden count follows from the total (a
    one-column table). Also the domains of one institution in its report."""
    n = np.zeros((len(respondents) + 1, 2), dtype="int64")
    n[:-1, 0] = n[:-1, 1] = respondents
    n[-1, :] = respondents.sum()
    initial = None
    if forced is not None:
        initial = np.zeros(n.shape, dtype=bool)
        initial[:-1, 0] = initial[:-1, 1] = forced
    return protect_table(n, n > 0, min_n, initial=initial)[:-1, 0]


def _interval_cover(figure: tuple[int, int], n, present, suppressed, min_n, eligible=None,
                    floor: int = 1) -> tuple[int, int] | None:
    """The published figure whose hiding widens `figure`'s range the most (one copy of the
    graph per candidate, each with that candidate hidden as well); interior cells before
    totals, then the smallest n. None when no single figure widens it at all."""
    candidates = np.argwhere(present & ~suppressed & (n > 0) & (True if eligible is None else eligible))
    if len(candidates) == 0:
        return None
    figures = hidden_figures(n, present, suppressed)
    others = figures[(figures[:, 0] != figure[0]) | (figures[:, 1] != figure[1])]
    k, m = len(candidates), len(others)
    arcs = np.concatenate([np.tile(others, (k, 1)), candidates])
    copy = np.concatenate([np.repeat(np.arange(k), m), np.arange(k)])
    target = np.tile(np.array(figure), (k, 1))
    up, down = flow_bounds(n, target, arcs, copy, min_n, floor=floor)
    now_up, now_down = flow_bounds(n, target[:1], others, np.zeros(m, dtype="int64"), min_n, floor=floor)
    count = int(n[figure])
    deficit = np.maximum(min_n - up - down, min_n - count - up).clip(min=0)
    now = max(min_n - int(now_up[0] + now_down[0]), min_n - count - int(now_up[0]), 0)
    if deficit.min() >= now:
        return None
    n_rows, n_cols = n.shape
    is_total = (candidates[:, 0] == n_rows - 1) | (candidates[:, 1] == n_cols - 1)
    order = np.lexsort((np.arange(k), n[candidates[:, 0], candidates[:, 1]], is_total, deficit))
    return int(candidates[order[0], 0]), int(candidates[order[0], 1])


