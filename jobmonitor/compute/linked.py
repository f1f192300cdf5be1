"""The linked audit: what an attacker learns from every table of one edition together, not one
question at a time.

Each question's table is protected on its own (`disclosure`), but the tables share their
respondents. The facts an attacker combines, all true of the real data:

- per var (item, theme, shared or trend score): each total is the sum of its cells;
- n of a var in a unit ≤ the unit's respondents R(u); a published n bounds R(u) from below;
- the respondents add up: Σ_d R(i, d) = R(i), Σ_i R(i, d) = R(d), and R(i) and the national
  count are public where the response table shows them;
- a theme score counts a respondent who answered at least half of its k items, so
  ⌈k/2⌉·n_T ≤ Σ_A n_A ≤ k·n_T + (⌈k/2⌉ − 1)·(R − n_T) in every unit, and n_A ≤ n_T when k ≤ 2;
- counts are integers, a present unit holds ≥ 1 respondent, and a var's count may be 0.

One linear programme per edition holds them all (`narrow_counts`). A hidden count's LP range
contains its integer range, so a narrow LP range is a finding for certain, and protection
(`disclosure.protect_linked`) hides whole units until the LP narrows nothing. A wide LP range
does not prove a wide integer range (these constraints are not totally unimodular): that takes
integer tables as witnesses (`witness.certify`), and protection hides the units of whatever
they leave open too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

INTEGRAL_TOL = 1e-6


@dataclass(frozen=True)
class LinkedEdition:
    """One edition's counts as the attacker's unknowns and facts."""

    n: np.ndarray  # (vars, I+1, D+1) int: true n per var and unit position (margins last)
    hidden: np.ndarray  # (vars, I+1, D+1) bool: hidden figures
    present: np.ndarray  # (I+1, D+1) bool: units that exist
    respondents: np.ndarray  # (I+1, D+1) int: true respondents per unit
    respondents_public: np.ndarray  # (I+1, D+1) bool: respondents shown (response table, national count)
    themes: tuple[tuple[int, tuple[int, ...]], ...]  # (theme var, its item vars)


@dataclass
class _Model:
    """The LP: columns are hidden counts, then every unit's respondents."""

    count_col: np.ndarray  # (vars, I+1, D+1) int: column of a hidden count, −1 when known
    resp_col: np.ndarray  # (I+1, D+1) int: column of R(u), −1 when known or absent
    a: sp.csr_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray


def build_model(edition: LinkedEdition) -> _Model:
    n, hidden, present = edition.n, edition.hidden & edition.present[None], edition.present
    n_vars, n_rows, n_cols = n.shape
    count_col = np.full(n.shape, -1, dtype="int64")
    count_col[hidden] = np.arange(int(hidden.sum()))
    k = int(hidden.sum())
    resp_unknown = present & ~edition.respondents_public
    resp_col = np.full(present.shape, -1, dtype="int64")
    resp_col[resp_unknown] = k + np.arange(int(resp_unknown.sum()))
    n_cols_lp = k + int(resp_unknown.sum())
    col_lo = np.zeros(n_cols_lp)
    col_hi = np.full(n_cols_lp, np.inf)
    col_lo[k:] = 1.0
    # A published count bounds its unit's respondents from below.
    published_max = np.where(present[None] & ~hidden, n, 0).max(axis=0)
    col_lo[resp_col[resp_unknown]] = np.maximum(1, published_max[resp_unknown])
    known_resp = np.where(edition.respondents_public & present, edition.respondents, 0)

    rows, cols, vals, lo, hi = [], [], [], [], []

    def add(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]

    def line_sums(column: np.ndarray, values: np.ndarray) -> None:
        """Σ cells − total = 0 over one table's lines, known figures on the right."""
        for line in lines:
            entries, const = [], 0.0
            for pos in line:
                sign = -1.0 if pos == line[-1] else 1.0
                if not present[pos]:
                    continue
                if column[pos] >= 0:
                    entries.append((int(column[pos]), sign))
                else:
                    const += sign * float(values[pos])
            if entries:
                add(entries, -const, -const)

    for v in range(n_vars):
        line_sums(count_col[v], n[v])
    line_sums(resp_col, known_resp)
    # n ≤ R per hidden count (published counts bound R through its column bounds).
    for v, r, c in zip(*np.nonzero(hidden)):
        entries = [(int(count_col[v, r, c]), 1.0)]
        if resp_col[r, c] >= 0:
            add(entries + [(int(resp_col[r, c]), -1.0)], -np.inf, 0.0)
        else:
            add(entries, -np.inf, float(known_resp[r, c]))
    for theme, items in edition.themes:
        k_items = len(items)
        half = -(-k_items // 2)
        for r, c in zip(*np.nonzero(present)):
            # half·n_T − Σ n_A ≤ 0 and Σ n_A − k·n_T − (half − 1)·(R − n_T) ≤ 0.
            terms: dict[int, float] = {}
            const_low = const_high = 0.0

            def term(col: int, value: float, weight_low: float, weight_high: float):
                nonlocal const_low, const_high
                if col >= 0:
                    terms.setdefault(col, [0.0, 0.0])
                    terms[col][0] += weight_low
                    terms[col][1] += weight_high
                else:
                    const_low += weight_low * value
                    const_high += weight_high * value

            term(int(count_col[theme, r, c]), n[theme, r, c], half, -(k_items - half + 1))
            for item in items:
                term(int(count_col[item, r, c]), n[item, r, c], -1.0, 1.0)
            term(int(resp_col[r, c]), known_resp[r, c], 0.0, -(half - 1))
            if not terms:
                continue
            low = [(col, w[0]) for col, w in terms.items() if w[0]]
            high = [(col, w[1]) for col, w in terms.items() if w[1]]
            if low:
                add(low, -np.inf, -const_low)
            if high:
                add(high, -np.inf, -const_high)
            if k_items <= 2:
                # Answering one item of two is answering half: every answer is in the score.
                for item in items:
                    pair: dict[int, float] = {}
                    const = 0.0
                    for col, value, weight in ((int(count_col[item, r, c]), n[item, r, c], 1.0),
                                               (int(count_col[theme, r, c]), n[theme, r, c], -1.0)):
                        if col >= 0:
                            pair[col] = pair.get(col, 0.0) + weight
                        else:
                            const += weight * value
                    if pair:
                        add(list(pair.items()), -np.inf, -const)
    a = sp.csr_matrix((vals, (rows, cols)), shape=(len(lo), n_cols_lp))
    return _Model(count_col, resp_col, a, np.array(lo), np.array(hi), col_lo, col_hi)


def highs_model(model: _Model, options: tuple = (), integer: bool = False):
    """A silent HiGHS instance holding `model` (cost zero; `integer`: every column an
    integer), with `options` set."""
    import highspy  # noqa: PLC0415

    highs = _quietly(highspy.Highs)
    for option, value in (("output_flag", False), *options):
        highs.setOptionValue(option, value)
    lp = highspy.HighsLp()
    m, k = model.a.shape
    inf = highspy.kHighsInf
    lp.num_col_, lp.num_row_ = k, m
    lp.col_cost_ = np.zeros(k)
    lp.col_lower_, lp.col_upper_ = model.col_lo, np.where(np.isinf(model.col_hi), inf, model.col_hi)
    lp.row_lower_ = np.where(np.isinf(model.row_lo), -inf, model.row_lo)
    lp.row_upper_ = np.where(np.isinf(model.row_hi), inf, model.row_hi)
    csc = model.a.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = csc.indptr, csc.indices, csc.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * k
    highs.passModel(lp)
    return highs


class LinkedSolver:
    """One HiGHS model per edition; between solves only the cost changes, so the primal simplex
    restarts from the last basis."""

    def __init__(self, model: _Model):
        import highspy  # noqa: PLC0415

        self.model = model
        self.highs = highs_model(model, (("simplex_strategy", 4),))  # primal: the last basis stays feasible
        self._status = highspy.HighsModelStatus
        self._all = np.arange(model.a.shape[1], dtype=np.int32)
        self._cold = True

    def minimise(self, cost: np.ndarray) -> np.ndarray | None:
        """An optimal point of min cost·x; None when unbounded. The first solve runs the
        interior point method (a cold simplex start takes seconds), its crossover leaving
        the basis the simplex restarts from."""
        h = self.highs
        h.changeColsCost(len(cost), self._all, np.asarray(cost, dtype="float64"))
        if self._cold:
            h.setOptionValue("solver", "ipm")
            h.run()
            h.setOptionValue("solver", "simplex")
            self._cold = False
        else:
            h.run()
        status = h.getModelStatus()
        if status in (self._status.kUnbounded, self._status.kUnboundedOrInfeasible):
            return None
        if status != self._status.kOptimal:
            raise RuntimeError(f"linked audit: LP status {h.modelStatusToString(status)}")
        return np.asarray(h.getSolution().col_value)


def _quietly(make):
    """`make()` with file descriptor 1 on /dev/null: HiGHS prints its banner to the C stdout
    before any option can silence it, into the build's progress output."""
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def narrow_counts(edition: LinkedEdition, min_n: int, targets: np.ndarray | None = None,
                  seeds: int = 4, one_per_unit: bool = False) -> list[tuple[int, int, int, float, float]]:
    """Hidden counts with respondents (or those in `targets`, a mask like `n`) whose LP range
    is narrower than min_n or lies below it: (var, row, col, lo, hi). The LP range contains
    the integer range, so each is a finding for certain. `one_per_unit`: stop looking in a
    unit once it holds a finding (protection hides the unit whole anyway)."""
    model = build_model(edition)
    wanted = (model.count_col >= 0) & (edition.n > 0)
    if targets is not None:
        wanted &= targets
    columns = model.count_col[wanted]
    units = np.argwhere(wanted)[:, 1:] @ np.array([edition.n.shape[2], 1]) if one_per_unit else None
    narrow = {col: (lo, hi) for col, lo, hi in narrow_columns(model, columns, min_n, seeds, units)}
    return [(int(v), int(r), int(c), *narrow[col]) for (v, r, c), col in zip(np.argwhere(wanted), columns)
            if col in narrow]


def narrow_columns(model, columns: np.ndarray, min_n: int, seeds: int = 4,
                   groups: np.ndarray | None = None) -> list[tuple[int, float, float]]:
    """(column, lo, hi) of the LP columns among `columns` whose range is narrower than min_n
    or lies below it. `model`: anything with the LP's `a`, `row_lo`, `row_hi`, `col_lo` and
    `col_hi` (this module's `_Model`, or another audit's).

    Every optimum is a point consistent with every fact, so it also shows a value each other
    count can take: a count whose values seen so far already lie min_n apart (and reach
    min_n) is no LP finding, and its own LPs are skipped. The sum of all targets minimised and
    maximised, then a few random objectives (fixed seed), spread those values first.
    `groups` (one per column): a group's columns are skipped once one of them is found."""
    if len(columns) == 0:
        return []
    solver = LinkedSolver(model)
    k = model.a.shape[1]
    seen_lo, seen_hi = np.full(k, np.inf), np.full(k, -np.inf)

    def look(x):
        if x is not None:
            np.minimum(seen_lo, x, out=seen_lo)
            np.maximum(seen_hi, x, out=seen_hi)

    def settled(col):
        return np.floor(seen_hi[col] + INTEGRAL_TOL) - np.ceil(seen_lo[col] - INTEGRAL_TOL) >= min_n and \
            np.floor(seen_hi[col] + INTEGRAL_TOL) >= min_n

    total = np.zeros(k)
    total[columns] = 1.0
    rng = np.random.default_rng(0)
    for cost in (total, -total, *(rng.normal(size=k) * total for _ in range(seeds))):
        look(solver.minimise(cost))
    found, found_groups = [], set()
    for i, col in enumerate(columns):
        if settled(col) or (groups is not None and groups[i] in found_groups):
            continue
        unit = np.zeros(k)
        unit[col] = -1.0
        high = solver.minimise(unit)
        look(high)
        hi = np.inf if high is None else float(np.floor(high[col] + INTEGRAL_TOL))
        if settled(col):
            continue
        unit[col] = 1.0
        low = solver.minimise(unit)
        look(low)
        lo = float(np.ceil(low[col] - INTEGRAL_TOL))
        if hi - lo < min_n or hi < min_n:
            found.append((int(col), lo, hi))
            if groups is not None:
                found_groups.add(groups[i])
    return found


def theme_members(questionnaire, extra: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each theme score's items: a theme's own (`theme_items`), and the shared and trend
    scores' subsets (`extra`)."""
    from jobmonitor.codebook import theme_items  # noqa: PLC0415

    members = {t.id: [i.id for i in theme_items(questionnaire, t.id)] for t in questionnaire.themes}
    return {k: v for k, v in (members | dict(extra)).items() if v}


def theme_positions(var_ids: list[str], members: dict[str, list[str]]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    position = {v: k for k, v in enumerate(var_ids)}
    return tuple((position[t], tuple(position[i] for i in items)) for t, items in members.items()
                 if t in position and all(i in position for i in items))


def public_respondents(respondents: np.ndarray, institution_hidden: np.ndarray) -> np.ndarray:
    """Which units' respondents are public: the institutions the response table shows, and
    the national count."""
    public = np.zeros(respondents.shape, dtype=bool)
    public[:-1, -1] = ~institution_hidden & (respondents[:-1, -1] > 0)
    public[-1, -1] = True
    return public


def linked_edition(table, grid, responses, questionnaire, extra: dict[str, list[str]], min_n: int,
                   institution_hidden: np.ndarray | None = None) -> LinkedEdition:
    """An edition's disclosed table as the attacker's facts. `institution_hidden`: the
    institutions whose respondents the response table hides (with linked protection:
    `EditionResults.units_hidden[:-1, -1]`); default: those the response table alone hides.
    Taking a hidden count as public makes the facts too strong, and findings false."""
    from jobmonitor.compute.disclosure import hidden_institutions, respondents_grid  # noqa: PLC0415
    from jobmonitor.compute.grid import to_grids  # noqa: PLC0415
    from jobmonitor.results import SUPPRESSED  # noqa: PLC0415

    frame = table.assign(hidden=table["status"].isin(SUPPRESSED).to_numpy())
    var_ids, n = to_grids(frame, grid, "n", 0)
    _, hidden = to_grids(frame, grid, "hidden", False)
    respondents = respondents_grid(responses, grid)
    if institution_hidden is None:
        institution_hidden = hidden_institutions(respondents[:-1, -1], min_n)
    public = public_respondents(respondents, institution_hidden)
    themes = theme_positions(var_ids, theme_members(questionnaire, extra))
    return LinkedEdition(n.astype("int64"), hidden, grid.present, respondents, public, themes)
