"""The integer certificate of the linked audit: for every hidden count with respondents, two
integer tables consistent with every fact that differ in it by ≥ min_n (and one where it
reaches min_n). Those tables are the proof, and anyone can check them (`verify`).

Why not the LP alone: the linked facts (`linked.build_model`) are not totally unimodular, so a
wide LP range does not prove a wide integer range; an LP may find findings, never clear one.

How the tables are found, cheapest first (`certify`); each is an integer programme whose
incumbent, optimal or not, is a witness once checked against every fact:

1. the true table;
2. along cycles of units hidden as a whole: all counts outside the cycle fixed to the truth,
   those of the cycle's units pushed up (then down) together — tiny programmes (~20 ms);
3. the whole edition, pushing the counts still open up, then down, then in random directions;
4. the whole edition, each count still open pushed up and down on its own.

Searches are bounded by node counts, never by time, so the same edition gives the same
certificate on any machine. A count no table moves far enough is left open: protection hides
its unit as a whole; the audit refuses the edition. Either is safe whether or not a search
could have cleared it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from jobmonitor.compute.linked import INTEGRAL_TOL, LinkedEdition, _Model, build_model, highs_model

CYCLE_ALTERNATIVES = 3
WHOLE_ROUNDS = 12
STALL_ROUNDS = 2
NODE_LIMIT = 500
TARGETED = 20


@dataclass
class Certificate:
    """The integer audit of one edition's hidden counts with respondents."""

    certified: int  # counts two witnesses (≥ min_n apart, one ≥ min_n) clear
    open: list[tuple[int, int, int]]  # (var, row, col): no witness moved it far enough
    witnesses: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (n, respondents) tables


def as_columns(model: _Model, n: np.ndarray, respondents: np.ndarray) -> np.ndarray:
    """Full tables (every var's n, the respondents) as the model's unknowns; `_as_tables` back."""
    x = np.zeros(model.a.shape[1])
    known = model.count_col >= 0
    x[model.count_col[known]] = n[known]
    has = model.resp_col >= 0
    x[model.resp_col[has]] = respondents[has]
    return x


def truth_vector(edition: LinkedEdition, model: _Model) -> np.ndarray:
    return as_columns(model, edition.n, edition.respondents)


def consistent(model: _Model, x: np.ndarray) -> bool:
    """Every fact holds for x, exactly: integral, within bounds, every row within its limits."""
    if not np.all(np.abs(x - np.round(x)) <= INTEGRAL_TOL):
        return False
    ax = model.a @ x
    return bool(np.all(x >= model.col_lo - INTEGRAL_TOL) and np.all(x <= model.col_hi + INTEGRAL_TOL)
                and np.all(ax >= model.row_lo - INTEGRAL_TOL) and np.all(ax <= model.row_hi + INTEGRAL_TOL))


class _Search:
    """One HiGHS integer programme per edition; a search fixes every column outside `free` to
    the truth and changes only the cost."""

    def __init__(self, model: _Model, truth: np.ndarray):
        import highspy  # noqa: PLC0415

        self.model, self.truth = model, truth
        options = (("random_seed", 0), ("mip_max_nodes", NODE_LIMIT), ("mip_rel_gap", 0.05))
        self.highs, self.k = highs_model(model, options, integer=True), model.a.shape[1]
        self.upper = np.where(np.isinf(model.col_hi), highspy.kHighsInf, model.col_hi)
        self._error = highspy.HighsStatus.kError
        self._all = np.arange(self.k, dtype=np.int32)

    def table(self, free: np.ndarray, cost: np.ndarray) -> np.ndarray | None:
        """An integer table consistent with every fact, low in cost·x; None when none found."""
        h = self.highs
        h.changeColsBounds(self.k, self._all, np.where(free, self.model.col_lo, self.truth),
                           np.where(free, self.upper, self.truth))
        h.changeColsCost(self.k, self._all, np.asarray(cost, dtype="float64"))
        if h.run() == self._error:
            raise RuntimeError("linked witnesses: HiGHS refused the integer programme")
        solution = h.getSolution()
        if not solution.value_valid:
            return None
        x = np.round(np.asarray(solution.col_value))
        return x if consistent(self.model, x) else None


def cycles_through(edge: tuple[int, int], edges: set[tuple[int, int]], alternatives: int) -> list[list[tuple[int, int]]]:
    """Short cycles of `edges` (table positions, margins included) through `edge`: rows and
    columns are the nodes of a bipartite graph, so a cycle is a move that keeps every line's
    sum (a margin cell enters its lines with the opposite sign, which changes no cycle)."""
    found, banned = [], set()
    for _ in range(alternatives):
        adjacent: dict[tuple[str, int], list] = {}
        for r, c in edges:
            if (r, c) == edge or (r, c) in banned:
                continue
            adjacent.setdefault(("r", r), []).append((("c", c), (r, c)))
            adjacent.setdefault(("c", c), []).append((("r", r), (r, c)))
        start, goal = ("r", edge[0]), ("c", edge[1])
        previous = {start: None}
        queue = deque([start])
        while queue and goal not in previous:
            node = queue.popleft()
            for nxt, cell in adjacent.get(node, []):
                if nxt not in previous:
                    previous[nxt] = (node, cell)
                    queue.append(nxt)
        if goal not in previous:
            break
        path, node = [edge], goal
        while previous[node] is not None:
            node, cell = previous[node]
            path.append(cell)
        found.append(path)
        banned.add(path[len(path) // 2])
    return found


def certify(edition: LinkedEdition, min_n: int, rounds: int = WHOLE_ROUNDS) -> Certificate:
    """Witnesses for every hidden count with respondents; what they leave open (see module)."""
    model = build_model(edition)
    truth = truth_vector(edition, model)
    k = model.a.shape[1]
    wanted = (model.count_col >= 0) & (edition.n > 0)
    positions, columns = np.argwhere(wanted), model.count_col[wanted]
    seen_lo, seen_hi = truth.copy(), truth.copy()
    witnesses: list[np.ndarray] = []

    def look(x: np.ndarray | None) -> None:
        if x is None:
            return
        if np.any(x[columns] < seen_lo[columns]) or np.any(x[columns] > seen_hi[columns]):
            witnesses.append(x)
        np.minimum(seen_lo, x, out=seen_lo)
        np.maximum(seen_hi, x, out=seen_hi)

    def open_columns() -> np.ndarray:
        wide = (seen_hi[columns] - seen_lo[columns] >= min_n) & (seen_hi[columns] >= min_n)
        return columns[~wide]

    if len(columns) and len(open_columns()):
        search = _Search(model, truth)
        _along_cycles(edition, model, search, look, open_columns)
        _whole_edition(search, look, open_columns, k, rounds)
        _each_open(search, look, open_columns, k)
    still = set(open_columns().tolist())
    open_counts = [(int(v), int(r), int(c)) for (v, r, c), col in zip(positions, columns) if col in still]
    return Certificate(len(columns) - len(open_counts), open_counts,
                       [_as_tables(edition, model, x) for x in _needed(witnesses, truth, columns)])


def _needed(witnesses: list[np.ndarray], truth: np.ndarray, columns: np.ndarray) -> list[np.ndarray]:
    """The witnesses that hold some count's lowest or highest value (the truth aside): the
    others prove nothing more."""
    if not witnesses:
        return []
    stacked = np.vstack([truth, *witnesses])[:, columns]
    keep = set(np.argmin(stacked, axis=0).tolist()) | set(np.argmax(stacked, axis=0).tolist())
    return [witnesses[i - 1] for i in sorted(keep - {0})]


def _along_cycles(edition, model, search, look, open_columns) -> None:
    n_rows, n_cols = edition.present.shape
    column_unit = np.full(model.a.shape[1], -1, dtype="int64")
    for v, r, c in np.argwhere(model.count_col >= 0):
        column_unit[model.count_col[v, r, c]] = r * n_cols + c
    for r, c in np.argwhere(model.resp_col >= 0):
        column_unit[model.resp_col[r, c]] = r * n_cols + c
    hidden = edition.hidden & edition.present[None]
    whole = edition.present & (model.resp_col >= 0) & (hidden | (edition.n == 0)).all(axis=0)
    edges = {(int(r), int(c)) for r, c in np.argwhere(whole)}
    for unit in sorted(edges):
        here = np.flatnonzero(column_unit == unit[0] * n_cols + unit[1])
        if len(np.intersect1d(open_columns(), here)) == 0:
            continue
        for cycle in cycles_through(unit, edges, CYCLE_ALTERNATIVES):
            free = np.isin(column_unit, [r * n_cols + c for r, c in cycle])
            for sense in (-1.0, 1.0):
                targets = np.intersect1d(open_columns(), here)
                if len(targets) == 0:
                    break
                cost = np.zeros(len(free))
                cost[targets] = sense
                look(search.table(free, cost))


def _whole_edition(search, look, open_columns, k: int, rounds: int) -> None:
    free = np.ones(k, dtype=bool)
    rng = np.random.default_rng(0)
    stalled = 0
    for round_ in range(rounds):
        targets = open_columns()
        if len(targets) == 0 or stalled >= STALL_ROUNDS:
            return
        cost = np.zeros(k)
        cost[targets] = -1.0 if round_ == 0 else 1.0 if round_ == 1 else rng.choice([-1.0, 1.0], len(targets))
        look(search.table(free, cost))
        stalled = stalled + 1 if len(open_columns()) == len(targets) else 0


def _each_open(search, look, open_columns, k: int) -> None:
    """Each count still open pushed up, then down, on its own (at most TARGETED of them: more
    would cost more than hiding their units)."""
    free = np.ones(k, dtype=bool)
    for col in open_columns()[:TARGETED]:
        for sense in (-1.0, 1.0):
            if col not in open_columns():
                break
            cost = np.zeros(k)
            cost[col] = sense
            look(search.table(free, cost))


def _as_tables(edition: LinkedEdition, model: _Model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A witness as full tables: every var's n and the respondents per unit position."""
    n = edition.n.astype("int32")
    known = model.count_col >= 0
    n[known] = x[model.count_col[known]]
    respondents = edition.respondents.astype("int32")
    has = model.resp_col >= 0
    respondents[has] = x[model.resp_col[has]]
    return n, respondents


def verify(edition: LinkedEdition, witnesses: list[tuple[np.ndarray, np.ndarray]], min_n: int) -> list[tuple[int, int, int]]:
    """The hidden counts with respondents that the witnesses do not clear: every witness must
    agree with what is published and satisfy every fact; the true table counts as one."""
    model = build_model(edition)
    wanted = (model.count_col >= 0) & (edition.n > 0)
    lo, hi = edition.n.copy(), edition.n.copy()
    shown = ~(model.count_col >= 0)
    public_resp = model.resp_col < 0
    for n, respondents in witnesses:
        if n.shape != edition.n.shape or np.any(n[shown] != edition.n[shown]) or \
                np.any(respondents[public_resp & edition.present] != edition.respondents[public_resp & edition.present]):
            continue
        if not consistent(model, as_columns(model, n, respondents)):
            continue
        np.minimum(lo, n, out=lo)
        np.maximum(hi, n, out=hi)
    failing = wanted & ~((hi - lo >= min_n) & (hi >= min_n))
    return [tuple(int(i) for i in p) for p in np.argwhere(failing)]
