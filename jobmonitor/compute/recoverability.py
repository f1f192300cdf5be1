"""The solver kit of the disclosure audit and of protection: whether a hidden cell, or a set of
hidden cells holding fewer than min_n respondents, can be recomputed from published figures (a
rank test and a MILP), and whether a hidden count can be pinned down to a range narrower than
min_n (an interval check by linear programming and max flow, as τ-ARGUS audits). The audit stage
(`audit`) runs it before every release; protection in `disclosure` hides more until it passes.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from jobmonitor.compute.grid import UnitGrid, to_grids
from jobmonitor.results import ANSWER_CODES

# Numerical tolerance for the rank test on 0/1 membership vectors.
RANK_TOL = 1e-8

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


def audit_table(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int, floor: int = 1) -> list[Finding]:
    """Findings for one item's table; empty when no hidden figure, and no small set of them,
    can be recomputed, and no hidden figure's feasible range breaks the interval rule."""
    findings = algebraic_findings(n, present, suppressed, min_n, small_sets=False)
    derivable = {cells[0] for cells, _ in findings if len(cells) == 1}
    intervals = interval_findings(n, present, suppressed, min_n, skip=derivable, floor=floor)
    if findings or intervals:
        # A set of hidden cells whose sum V < min_n is derivable puts each of its cells in
        # [1, V]: an interval finding. So when both checks are clean the MILP finds nothing,
        # and it runs only to name such sets in a failing audit.
        findings = algebraic_findings(n, present, suppressed, min_n)
    return findings + intervals


def algebraic_findings(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int,
                        small_sets: bool = True) -> list[Finding]:
    """Hidden figures, and sets of hidden cells below min_n, whose value follows exactly from
    published figures: the rank test and (with `small_sets`) the small-set MILP."""
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
    if small_sets:
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


# --- interval audit ----------------------------------------------------------------------------
#
# What an attacker knows about one item's table: the n of every published cell and total; that
# every present unit has n ≥ 1 (its page exists) and an absent unit n = 0; that each total is
# the sum of its cells; that every hidden figure carries the same public status ("suppressed");
# and that counts are integers. Over every table consistent with that, a hidden figure's count
# ranges over [lo, hi]. The rule: hi − lo ≥ min_n and hi ≥ min_n, for hidden interior cells and
# hidden totals alike. (With lo ≥ 1 the second follows from the first; it is its own finding
# because "known to be small" is the worse disclosure.) Were the public status ever to tell
# primary from secondary again, the model would need n ≤ min_n − 1 / n ≥ min_n as bounds
# (bench/attack.py shows how much that leaks).
#
# Integer or LP? Over the hidden interior cells the published facts are row sums, column sums
# and the national sum: a 0/1 matrix that is totally unimodular (Ghouila-Houri: in any subset of
# its rows, sign the national sum +1 and every row and column total −1 if the national sum is
# in it, else row totals +1 and column totals −1; every cell then sums to −1, 0 or +1. Or see
# the network in `flow_bounds`). Right-hand sides and bounds are integers, so every vertex of
# the LP polytope is an integer table: the LP minimum and maximum of a count are integer
# solutions, and the LP range is exactly the integer range. The relaxation τ-ARGUS audits with
# therefore loses nothing here and the check is a guarantee. (Not so for linked or three-way
# tables, e.g. answer category × institution × domain: there the LP range only contains the
# integer range, a wide LP range proves nothing, and the integer programme is needed.) LP optima
# are rounded inwards (ceil lo, floor hi) against solver round-off; that can only narrow a range.
#
# Taken as known, beyond the above: n = 0 of a hidden present unit where nobody answered the
# item (a routed question), and n ≥ 1 (not ≥ 0) for every other hidden figure. More knowledge
# than the attacker has can only narrow ranges, so the check errs on the safe side. An attacker
# who takes every hidden unit to hold ≥ 1 believes something false about the empty ones, yet
# narrows the ranges of their neighbours by as much; that table is checked too (`attacker_views`).
#
# Speed: an LP pair costs ~4 ms per hidden figure (demo: ~3,300 of them). A max flow per figure
# (`flow_bounds`) finds the same bounds, capped at min_n, with an explicit integer table at each
# end; all figures of a table go in one call. Only figures the flow does not prove wide go to
# the LP, and protection, which only needs the verdict, uses the flow alone.


def hidden_figures(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Positions (k, 2) of hidden figures with respondents: interior cells and totals."""
    return np.argwhere(suppressed & present & (n > 0))


def feasible_ranges(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray,
                    positions: np.ndarray | None = None, floor: int = 1) -> dict[tuple[int, int], tuple[int, float]]:
    """[lo, hi] of each hidden figure (default: all of them) over every table consistent with
    the published figures, by linear programming (exact here: see the note above). hi is
    `inf` when nothing bounds the figure from above."""
    interior = np.zeros_like(present)
    interior[:-1, :-1] = True
    unknown = suppressed & present & (n > 0) & interior
    ui, uj = np.nonzero(unknown)
    known_part = np.where(unknown, 0, n)
    # Every total that is not itself unknown binds its line: published totals by their value,
    # a hidden total of zero respondents by zero.
    a_eq, b_eq = [], []
    n_rows, n_cols = n.shape
    for r, c in [(r, n_cols - 1) for r in range(n_rows - 1)] + [(n_rows - 1, c) for c in range(n_cols)]:
        if suppressed[r, c] and present[r, c] and n[r, c] > 0:
            continue
        in_line = _line_members(ui, uj, r, c, n.shape)
        if in_line.any():
            a_eq.append(in_line.astype("float64"))
            b_eq.append(float(n[r, c] - _line_sum(known_part, r, c)))
    a_eq_arr = np.array(a_eq) if a_eq else None
    b_eq_arr = np.array(b_eq) if b_eq else None
    if positions is None:
        positions = hidden_figures(n, present, suppressed)
    ranges = {}
    for r, c in positions:
        r, c = int(r), int(c)
        objective = _line_members(ui, uj, r, c, n.shape).astype("float64")
        offset = int(_line_sum(known_part, r, c))
        if not objective.any():  # a hidden total whose cells are all known
            ranges[(r, c)] = (offset, offset)
            continue
        low = linprog(objective, A_eq=a_eq_arr, b_eq=b_eq_arr, bounds=(floor, None), method="highs")
        high = linprog(-objective, A_eq=a_eq_arr, b_eq=b_eq_arr, bounds=(floor, None), method="highs")
        if low.status != 0 or high.status not in (0, 3):
            raise RuntimeError(f"interval audit: LP for ({r}, {c}) failed: {low.message} / {high.message}")
        lo = offset + int(np.ceil(low.fun - 1e-6))
        hi = np.inf if high.status == 3 else offset + int(np.floor(-high.fun + 1e-6))
        ranges[(r, c)] = (lo, hi)
    return ranges


def _line_members(ui: np.ndarray, uj: np.ndarray, r: int, c: int, shape: tuple[int, int]) -> np.ndarray:
    """Which unknown interior cells (ui, uj) add up to the figure at (r, c)."""
    members = np.ones(len(ui), dtype=bool)
    if r < shape[0] - 1:
        members &= ui == r
    if c < shape[1] - 1:
        members &= uj == c
    return members


def _line_sum(values: np.ndarray, r: int, c: int) -> int:
    """Sum of the interior values that add up to the figure at (r, c)."""
    rows = slice(r, r + 1) if r < values.shape[0] - 1 else slice(None, -1)
    cols = slice(c, c + 1) if c < values.shape[1] - 1 else slice(None, -1)
    return int(values[rows, cols].sum())


def flow_bounds(n: np.ndarray, figure: np.ndarray, arcs: np.ndarray, copy_of_arc: np.ndarray,
                 min_n: int, floor: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """How far each copy's `figure` (k, 2) can rise and fall, capped at min_n, when the hidden
    figures `arcs` (m, 2) that belong to copy `copy_of_arc` (m,) may move.

    Write the table with its totals negated (z = n inside and in the corner, z = −n for row and
    column totals): every row and column of z then sums to zero, and published figures are
    fixed entries. Changing hidden entries by a circulation f in the bipartite graph rows ×
    columns (each hidden figure an arc between its row and its column) keeps every line sum, so
    z + f is consistent with every published figure as long as each hidden count stays ≥ 1: a
    count may fall by n − 1 and rise without bound. Conversely every consistent table differs
    from the true one by such a circulation. So the largest rise of a figure is the max flow
    that returns through the other arcs, its largest fall min(n − 1, the max flow the other
    way): an integer flow F is an explicit integer table in which the figure is F higher (lower),
    so the bounds are attained, and they are exact, the same as the LP's. Capping every capacity
    at min_n keeps every flow below min_n exact and every larger one ≥ min_n (a cut through a
    capped arc holds ≥ min_n), which decides the rule exactly.

    Copies of the graph sit side by side between one source and one sink (disjoint copies: a
    maximum flow maximises each): one max-flow call answers every copy. `floor` is the least
    count a hidden figure may take: 1 for respondents of a unit shown, 0 for the respondents of
    one answer category."""
    k = len(figure)
    n_rows, n_cols = n.shape

    def rise_fall(positions):
        counts = n[positions[:, 0], positions[:, 1]].astype("int64")
        is_total = (positions[:, 0] == n_rows - 1) ^ (positions[:, 1] == n_cols - 1)
        fall = np.minimum(counts - floor, min_n)
        rise = np.full(len(positions), min_n)
        # Flow row → column raises z: raises n of a cell, lowers n of a total.
        return counts, is_total, np.where(is_total, fall, rise), np.where(is_total, rise, fall)

    _, _, forward, backward = rise_fall(arcs)
    counts, is_total, own_forward, own_backward = rise_fall(figure)
    # Nodes: only the rows and columns that hold a hidden figure, once per copy.
    rows_used = np.unique(np.concatenate([arcs[:, 0], figure[:, 0]]))
    cols_used = np.unique(np.concatenate([arcs[:, 1], figure[:, 1]]))
    nodes = len(rows_used) + len(cols_used)

    def node_pair(positions, copy):
        row = np.searchsorted(rows_used, positions[:, 0])
        col = len(rows_used) + np.searchsorted(cols_used, positions[:, 1])
        return copy * nodes + row, copy * nodes + col

    # Copies 0..k-1 raise z of their figure (a flow from its column back to its row), copies
    # k..2k-1 lower it (the reverse): one max-flow call for both.
    both = np.concatenate([copy_of_arc, copy_of_arc + k])
    row_node, col_node = node_pair(np.concatenate([arcs, arcs]), both)
    fig_row, fig_col = node_pair(np.concatenate([figure, figure]), np.arange(2 * k))
    start = np.concatenate([fig_col[:k], fig_row[k:]])
    end = np.concatenate([fig_row[:k], fig_col[k:]])
    limit = np.concatenate([own_forward, own_backward])
    source, sink = 2 * k * nodes, 2 * k * nodes + 1
    tail = np.concatenate([row_node, col_node, end, np.full(2 * k, source)])
    head = np.concatenate([col_node, row_node, np.full(2 * k, sink), start])
    cap = np.concatenate([forward, forward, backward, backward, limit, limit]).astype("int32")
    order = np.argsort(tail, kind="stable")
    indptr = np.zeros(sink + 2, dtype="int32")
    np.cumsum(np.bincount(tail, minlength=sink + 1), out=indptr[1:])
    graph = csr_matrix((cap[order], head[order].astype("int32"), indptr), shape=(sink + 1, sink + 1))
    flow = maximum_flow(graph, source, sink).flow
    # The source's row of the flow: one arc to each copy's start node.
    lo, hi = flow.indptr[source], flow.indptr[source + 1]
    out = np.zeros(sink + 1, dtype="int64")
    out[flow.indices[lo:hi]] = np.maximum(flow.data[lo:hi], 0)
    raised, lowered = out[start[:k]], out[start[k:]]
    up = np.where(is_total, lowered, raised)
    down = np.minimum(np.where(is_total, raised, lowered), counts - floor)
    return up, down


def _meets_rule(counts: np.ndarray, up: np.ndarray, down: np.ndarray, min_n: int) -> np.ndarray:
    """hi − lo ≥ min_n and hi ≥ min_n, with hi = n + up and lo = n − down."""
    return (up + down >= min_n) & (counts + up >= min_n)


def flow_wide(n: np.ndarray, figures: np.ndarray, min_n: int, floor: int = 1) -> np.ndarray:
    """Per hidden figure: True when the max flow proves its range meets the rule. One copy of
    the graph per figure, holding every other hidden figure."""
    k = len(figures)
    if k < 2:
        return np.zeros(k, dtype=bool)
    copy, arc = np.nonzero(~np.eye(k, dtype=bool))
    up, down = flow_bounds(n, figures, figures[arc], copy, min_n, floor=floor)
    return _meets_rule(n[figures[:, 0], figures[:, 1]], up, down, min_n)



def interval_findings(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray, min_n: int,
                      skip: set[tuple[int, int]] | frozenset = frozenset(), floor: int = 1) -> list[Finding]:
    """Hidden figures whose feasible count range is narrower than min_n, or lies below min_n.
    Figures in `skip` (already reported as derivable) are not reported again."""
    findings, reported = [], set(skip)
    for view, assumption in attacker_views(n, present, suppressed, floor):
        figures = hidden_figures(view, present, suppressed)
        if len(figures) == 0:
            continue
        doubtful = [(int(r), int(c)) for r, c in figures[~flow_wide(view, figures, min_n, floor)]]
        doubtful = np.array([p for p in doubtful if p not in reported], dtype="int64").reshape(-1, 2)
        if len(doubtful) == 0:
            continue
        for (r, c), (lo, hi) in feasible_ranges(view, present, suppressed, doubtful, floor).items():
            what = "cell" if r < n.shape[0] - 1 and c < n.shape[1] - 1 else "total"
            if hi < min_n:
                text = f"is known to hold at most {int(hi)} < {min_n} respondents (range {lo}–{int(hi)})"
            elif hi - lo < min_n:
                text = f"is known to lie in {lo}–{int(hi)}, a range narrower than {min_n}"
            else:
                continue
            reported.add((r, c))
            findings.append(([(r, c)], f"{what} ({r}, {c}) with n={int(n[r, c])} {text}{assumption}"))
    return findings


def attacker_views(n: np.ndarray, present: np.ndarray, suppressed: np.ndarray,
                   floor: int = 1) -> list[tuple[np.ndarray, str]]:
    """The tables whose ranges the rule is checked on, each with the assumption behind it.

    First the true table, in which a hidden unit where nobody answered the item counts as known
    to be empty. But such a unit is shown like any other hidden one, so an attacker may take
    every hidden unit to hold ≥ 1 respondent — false for this unit, yet it narrows the ranges
    of its neighbours by as much, and they still contain the truth. When such units exist and
    that belief is consistent with the published figures, a table consistent with it (an
    integer vertex of its polytope) is checked as well. With `floor` 0 (a hidden figure may
    hold nobody) that belief is no fact, and the true table is the only view."""
    views = [(n, "")]
    empty = suppressed & present & (n == 0)
    if floor >= 1 and empty.any():
        believed = _table_with_every_hidden_unit_filled(n, present, suppressed)
        if believed is not None:
            views.append((believed, " (if every hidden unit is taken to hold ≥ 1 respondent)"))
    return views


def _table_with_every_hidden_unit_filled(n: np.ndarray, present: np.ndarray,
                                         suppressed: np.ndarray) -> np.ndarray | None:
    """An integer table that agrees with every published figure and has n ≥ 1 in every hidden
    present unit; None when there is none. The constraints are totally unimodular, so the
    simplex vertex HiGHS returns is integral."""
    hidden = suppressed & present
    filled = n.copy()
    interior = np.zeros_like(present)
    interior[:-1, :-1] = True
    ui, uj = np.nonzero(hidden & interior)
    if len(ui) == 0:
        return None
    a_eq, b_eq = [], []
    n_rows, n_cols = n.shape
    for r, c in [(r, n_cols - 1) for r in range(n_rows - 1)] + [(n_rows - 1, c) for c in range(n_cols)]:
        if hidden[r, c]:
            continue
        in_line = _line_members(ui, uj, r, c, n.shape)
        a_eq.append(in_line.astype("float64"))
        b_eq.append(float(n[r, c] - _line_sum(np.where(hidden, 0, n), r, c)))
    result = linprog(np.ones(len(ui)), A_eq=np.array(a_eq) if a_eq else None,
                     b_eq=np.array(b_eq) if b_eq else None, bounds=(1, None), method="highs-ds")
    if result.status == 2:
        return None
    x = np.round(result.x).astype("int64")
    if result.status != 0 or np.abs(result.x - x).max(initial=0) > 1e-6:
        raise RuntimeError(f"interval audit: no integer table found ({result.message})")
    filled[ui, uj] = x
    filled[:-1, -1] = filled[:-1, :-1].sum(axis=1)
    filled[-1, :-1] = filled[:-1, :-1].sum(axis=0)
    filled[-1, -1] = filled[:-1, :-1].sum()  # published totals keep their value: the LP's equalities
    return filled


# --- answer categories ---------------------------------------------------------------------------
#
# A published answer distribution adds one count table per answer category (respondents who
# gave that answer, per unit, margins included). The hidden pattern is the item's own, so the
# rank test says the same of every category table as of the respondents' table: no hidden
# category count is a combination of published ones unless its cell is (checked above). What
# subtraction can still reveal is a hidden cell's answer itself: when the published cells of a
# line already hold every answer other than c that its total holds, each hidden cell of the line
# answered c to a person — its hidden figure is known (0 % or 100 %). That is checked per
# category and for the headline split (positive or not), over every table consistent with the
# public facts (the max flow with counts ≥ 0), taking each published unit's category counts as
# known exactly (more than its weighted percentages strictly give: the safe side). A total
# that is itself unanimous (everyone at the institution answered ja) is a published fact about
# a group of at least min_n, true of each of its members, and not a finding.


def answer_categories(measure: str) -> tuple[tuple[int, ...], ...]:
    """The answer-code sets whose unanimity is checked: each answer, and the headline's split."""
    if measure == "pct_positive":
        return (1,), (2,), (3,), (4,), (5,), (4, 5), (1, 2, 3)
    if measure == "pct_yes":
        return (0,), (1,)
    return ()


def unanimity_findings(n: np.ndarray, answer_counts: dict[int, np.ndarray], present: np.ndarray,
                       suppressed: np.ndarray, categories: tuple[tuple[int, ...], ...]) -> list[Finding]:
    """Hidden interior cells whose respondents provably all gave one answer (or all answered
    positive, or none did), where no published total already says so of its whole group."""
    return [([cell], f"cell ({cell[0]}, {cell[1]}) is known to have answered {'/'.join(map(str, codes))}, every respondent")
            for cell, codes in unanimous_cells(n, answer_counts, present, suppressed, categories)]


def unanimous_cells(n: np.ndarray, answer_counts: dict[int, np.ndarray], present: np.ndarray,
                    suppressed: np.ndarray, categories: tuple[tuple[int, ...], ...]) -> list[tuple[tuple[int, int], tuple[int, ...]]]:
    """(cell, answer codes) for every finding of `unanimity_findings`."""
    figures = hidden_figures(n, present, suppressed)
    interior = (figures[:, 0] < n.shape[0] - 1) & (figures[:, 1] < n.shape[1] - 1)
    found = []
    for codes in categories:
        others = n - sum(answer_counts[c] for c in codes)  # respondents who answered otherwise
        unanimous = interior & (others[figures[:, 0], figures[:, 1]] == 0)
        if not unanimous.any():
            continue
        candidates = figures[unanimous]
        candidates = candidates[[not _total_says_so(others, present, suppressed, r, c) for r, c in candidates]]
        if len(candidates) == 0:
            continue
        arcs, copy = [], []
        for i, (r, c) in enumerate(candidates):
            rest = figures[(figures[:, 0] != r) | (figures[:, 1] != c)]
            arcs.append(rest)
            copy.append(np.full(len(rest), i))
        up, _ = flow_bounds(others, candidates, np.concatenate(arcs), np.concatenate(copy), 1, floor=0)
        found += [((int(r), int(c)), codes) for (r, c), rise in zip(candidates, up) if rise == 0]
    return found


def _total_says_so(others: np.ndarray, present, suppressed, r: int, c: int) -> bool:
    """A published row or column total in which nobody answered otherwise."""
    return any(present[p] and not suppressed[p] and others[p] == 0 for p in ((r, -1), (-1, c)))


def answer_grids(frame: pd.DataFrame, grid: UnitGrid) -> dict[int, np.ndarray]:
    """Per answer code: respondents per unit position (vars, I+1, D+1)."""
    return {code: to_grids(frame, grid, f"n_answer_{code}", 0)[1] for code in ANSWER_CODES
            if f"n_answer_{code}" in frame}
