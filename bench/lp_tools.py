"""Small linear-programming helpers shared by the attacker benches (no project imports).

`Builder` collects a sparse model row by row (`lo ≤ Σ coef·x + const ≤ hi`, constants folded
into the bounds); `RangeSolver` finds, for chosen columns, the smallest and largest value over
all feasible points. With highspy one model is loaded once and only the cost vector changes
between solves, so HiGHS restarts from the previous basis; without highspy every solve goes
through `scipy.optimize.linprog` (HiGHS too, but cold).

Every solve's optimal point is a feasible table, so it also shows a value each other column
can take. `ranges()` keeps the smallest and largest value seen per column and skips the LPs
of a column whose seen values already prove it is no finding (the integer range
floor(max) − ceil(min) is at least floor(seen max) − ceil(seen min)). Ranges printed are LP ranges
rounded inward to integers; the LP relaxation contains every integer solution, so a narrow LP
range is a true finding.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from scipy.sparse import coo_matrix

INF = float("inf")
TOL = 1e-6


class Inconsistent(Exception):
    """A fact the attacker assumed contradicts the published figures."""


class Builder:
    def __init__(self) -> None:
        self.col_lo: list[float] = []
        self.col_hi: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.broken: list[str] = []  # constant-only rows that do not hold

    def col(self, lo: float = 0.0, hi: float = INF) -> int:
        self.col_lo.append(lo)
        self.col_hi.append(hi)
        return len(self.col_lo) - 1

    def row(self, terms, lo: float, hi: float, what: str = "") -> None:
        """lo ≤ Σ coef·term ≤ hi; a term is ('x', column) or ('c', constant)."""
        const = 0.0
        coefs: dict[int, float] = {}
        for coef, (kind, val) in terms:
            if kind == "c":
                const += coef * val
            else:
                coefs[val] = coefs.get(val, 0.0) + coef
        coefs = {j: c for j, c in coefs.items() if c != 0.0}
        if not coefs:
            if const < lo - TOL or const > hi + TOL:
                self.broken.append(f"{what}: {const} not in [{lo}, {hi}]")
            return
        k = len(self.row_lo)
        for j, c in coefs.items():
            self.rows.append(k)
            self.cols.append(j)
            self.vals.append(c)
        self.row_lo.append(lo - const)
        self.row_hi.append(hi - const)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_lo), len(self.col_lo)


class RangeSolver:
    def __init__(self, model: Builder, engine: str = "auto") -> None:
        self.m, self.n = model.shape
        self.a = coo_matrix((model.vals, (model.rows, model.cols)), shape=(self.m, self.n)).tocsc()
        self.col_lo = np.array(model.col_lo, dtype=float)
        self.col_hi = np.array(model.col_hi, dtype=float)
        self.row_lo = np.array(model.row_lo, dtype=float)
        self.row_hi = np.array(model.row_hi, dtype=float)
        self.solves = 0
        self.seconds = 0.0
        self.engine = engine
        if engine in ("auto", "highspy"):
            try:
                import highspy  # noqa: F401
                self.engine = "highspy"
            except ImportError:
                if engine == "highspy":
                    raise
                self.engine = "scipy"
        if self.engine == "highspy":
            self._load_highs()
        self._last = None

    def _load_highs(self) -> None:
        import highspy

        h = _quiet(highspy.Highs)  # its banner goes to the C stdout before any option is read
        h.setOptionValue("output_flag", False)
        # Only the cost changes between solves: the last basis stays primal feasible, so the
        # primal simplex restarts from it (3-4x fewer iterations than the default dual).
        h.setOptionValue("simplex_strategy", 4)
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = self.m
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.where(np.isinf(self.col_lo), -inf, self.col_lo)
        lp.col_upper_ = np.where(np.isinf(self.col_hi), inf, self.col_hi)
        lp.row_lower_ = np.where(np.isinf(self.row_lo), -inf, self.row_lo)
        lp.row_upper_ = np.where(np.isinf(self.row_hi), inf, self.row_hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.a.indptr
        lp.a_matrix_.index_ = self.a.indices
        lp.a_matrix_.value_ = self.a.data
        h.passModel(lp)
        self.h = h
        self.status = highspy.HighsModelStatus

    def optimise(self, cost: np.ndarray | dict[int, float]) -> tuple[str, float, np.ndarray | None]:
        """Minimise cost·x: ('optimal', value, x), ('unbounded', −inf, None) or ('infeasible', …)."""
        start = time.perf_counter()
        self.solves += 1
        try:
            if self.engine == "highspy":
                return self._highs(cost)
            return self._scipy(cost)
        finally:
            self.seconds += time.perf_counter() - start

    def _highs(self, cost) -> tuple[str, float, np.ndarray | None]:
        h = self.h
        if isinstance(cost, dict):
            if self._last is not None and not isinstance(self._last, dict):
                h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.zeros(self.n))
            elif self._last:
                for j in self._last:
                    h.changeColCost(j, 0.0)
            for j, c in cost.items():
                h.changeColCost(j, c)
        else:
            h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.asarray(cost, dtype=float))
        self._last = cost
        h.run()
        status = h.getModelStatus()
        if status == self.status.kOptimal:
            x = np.asarray(h.getSolution().col_value)
            return "optimal", float(h.getInfo().objective_function_value), x
        if status in (self.status.kUnbounded, self.status.kUnboundedOrInfeasible):
            if status == self.status.kUnboundedOrInfeasible and not self._feasible():
                return "infeasible", INF, None
            return "unbounded", -INF, None
        if status == self.status.kInfeasible:
            return "infeasible", INF, None
        raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)}")

    def _feasible(self) -> bool:
        status, _, _ = self._highs({})  # zero cost: optimal iff feasible
        return status == "optimal"

    def _scipy(self, cost) -> tuple[str, float, np.ndarray | None]:
        from scipy.optimize import linprog

        c = np.zeros(self.n)
        if isinstance(cost, dict):
            for j, v in cost.items():
                c[j] = v
        else:
            c[:] = cost
        csr = self.a.tocsr()
        eq = self.row_lo == self.row_hi
        up = ~eq & np.isfinite(self.row_hi)
        low = ~eq & np.isfinite(self.row_lo)
        from scipy.sparse import vstack

        a_ub = vstack([csr[up], -csr[low]]).tocsr()
        b_ub = np.concatenate([self.row_hi[up], -self.row_lo[low]])
        bounds = list(zip(np.where(np.isinf(self.col_lo), None, self.col_lo),
                          np.where(np.isinf(self.col_hi), None, self.col_hi)))
        res = linprog(c, A_ub=a_ub if a_ub.shape[0] else None, b_ub=b_ub if a_ub.shape[0] else None,
                      A_eq=csr[eq] if eq.any() else None, b_eq=self.row_lo[eq] if eq.any() else None,
                      bounds=bounds, method="highs")
        if res.status == 0:
            return "optimal", float(res.fun), np.asarray(res.x)
        if res.status == 3:
            return "unbounded", -INF, None
        if res.status == 2:
            return "infeasible", INF, None
        raise RuntimeError(f"linprog: {res.message}")

    def ranges(self, targets: list[int], min_n: int, prune: bool = True, seeds: int = 4) -> dict[int, tuple[float, float] | None]:
        """LP min and max of every target column (None: skipped, provably no finding).

        With `prune`, the sum of the targets is minimised and maximised first and then `seeds`
        random objectives (fixed seed: the run is repeatable) spread the seen values apart. Then
        every maximum is solved, then every minimum, each skipped once the seen values prove the
        column is no finding."""
        status, _, x = self.optimise({})
        if status != "optimal":
            raise Inconsistent(f"the attacker's facts admit no table ({status})")
        seen_lo = x.copy()
        seen_hi = x.copy()

        def seen(x: np.ndarray) -> None:
            np.minimum(seen_lo, x, out=seen_lo)
            np.maximum(seen_hi, x, out=seen_hi)

        def settled(j: int) -> bool:
            # floor(max) ≥ floor(seen max) and ceil(min) ≤ ceil(seen min): the integer range is
            # at least as wide as the seen one.
            lo, hi = integer_range(seen_lo[j], seen_hi[j])
            return prune and hi - lo >= min_n and hi >= min_n

        if prune and targets:
            rng = np.random.default_rng(20260527)
            objectives = [{j: 1.0 for j in targets}, {j: -1.0 for j in targets}]
            objectives += [dict(zip(targets, rng.uniform(-1.0, 1.0, len(targets)))) for _ in range(seeds)]
            for cost in objectives:
                status, _, x = self.optimise(cost)
                if status == "optimal":
                    seen(x)
        highest: dict[int, float] = {}
        for j in targets:
            if settled(j):
                continue
            status, value, x = self.optimise({j: -1.0})
            if status == "unbounded":
                highest[j] = seen_hi[j] = INF
            elif status == "optimal":
                highest[j] = -value
                seen(x)
            else:
                raise Inconsistent(f"column {j}: {status} when maximised")
        out: dict[int, tuple[float, float] | None] = {}
        for j in targets:
            if j not in highest or settled(j):
                out[j] = None
                continue
            status, value, x = self.optimise({j: 1.0})
            if status != "optimal":
                raise Inconsistent(f"column {j}: {status} when minimised")
            seen(x)
            out[j] = (value, highest[j])
        return out


def _quiet(make):
    """Call `make()` with file descriptor 1 pointed at /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def integer_range(lo: float, hi: float) -> tuple[int, float]:
    """An LP range rounded inward to the integers it contains."""
    return int(np.ceil(lo - TOL)), (INF if hi == INF else int(np.floor(hi + TOL)))


def classify(lo: int, hi: float, min_n: int) -> dict[str, bool]:
    """A finding is a range narrower than min_n or lying below it; proven-empty rows are apart."""
    empty = hi == 0
    narrow = not empty and hi - lo < min_n
    small = not empty and hi < min_n
    return {"empty": empty, "finding": narrow or small, "narrow": narrow, "small": small,
            "exact": not empty and lo == hi, "exact_nonzero": not empty and lo == hi and lo > 0}
