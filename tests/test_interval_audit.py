"""The interval audit: over every integer table consistent with the published figures, each
hidden figure's count range [lo, hi] must have hi − lo ≥ min_n and hi ≥ min_n (issue 13,
point 4). Checked against an independent brute-force enumeration of integer tables."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jobmonitor.compute import disclosure
from jobmonitor.compute import recoverability as audit
from jobmonitor.compute.recoverability import audit_table, feasible_ranges, interval_findings
from jobmonitor.compute.disclosure import complementary_suppression, hidden_institutions, protect_table

from tables import random_tables, with_margins

MIN_N = 10


def hide(shape, *positions) -> np.ndarray:
    out = np.zeros(shape, dtype=bool)
    for p in positions:
        out[p] = True
    return out


def rank_test_findings(n, present, suppressed):
    return audit.algebraic_findings(n, present, suppressed, MIN_N, small_sets=False)


# --- brute force: every integer table, enumerated ----------------------------------------------


def integer_ranges(n, present, suppressed, cap):
    """[lo, hi] of every hidden figure with respondents over all integer tables that agree with
    the published figures (n ≥ 1 in hidden units with respondents, empty units known), found
    by enumerating them. A hidden cell in no line with a known total is in no constraint: it
    takes 1 and `cap` only (its least and a stand-in for "unbounded")."""
    rows, cols = n.shape
    unknown = [(r, c) for r in range(rows - 1) for c in range(cols - 1)
               if suppressed[r, c] and present[r, c] and n[r, c] > 0]
    figures = [(r, c) for r in range(rows) for c in range(cols) if suppressed[r, c] and present[r, c] and n[r, c] > 0]
    if not figures:
        return {}

    def members(r, c):  # interior positions adding up to the figure at (r, c)
        rs = [r] if r < rows - 1 else range(rows - 1)
        cs = [c] if c < cols - 1 else range(cols - 1)
        return [(i, j) for i in rs for j in cs]

    # A line binds when its total is known: published, or hidden with nobody in it.
    lines = []
    for r in range(rows):
        for c in range(cols):
            if (r == rows - 1 or c == cols - 1) and not (suppressed[r, c] and present[r, c] and n[r, c] > 0):
                cells = members(r, c)
                target = int(n[r, c]) - sum(int(n[p]) for p in cells if p not in unknown)
                idx = [unknown.index(p) for p in cells if p in unknown]
                if idx:
                    lines.append((idx, target))
    lines_of = [[k for k, (idx, _) in enumerate(lines) if u in idx] for u in range(len(unknown))]
    low = {f: np.inf for f in figures}
    high = {f: -np.inf for f in figures}
    values = [0] * len(unknown)

    def visit(u):
        if u == len(unknown):
            table = n.copy()
            for (r, c), v in zip(unknown, values):
                table[r, c] = v
            for f in figures:
                total = sum(int(table[p]) for p in members(*f))
                low[f], high[f] = min(low[f], total), max(high[f], total)
            return
        if not lines_of[u]:
            choices = [1, cap]
        else:
            forced, most = None, None
            for k in lines_of[u]:
                idx, target = lines[k]
                later = sum(1 for w in idx if w > u)
                rest = target - sum(values[w] for w in idx if w < u)
                if later == 0:
                    if forced is not None and forced != rest:
                        return
                    forced = rest
                else:
                    most = rest - later if most is None else min(most, rest - later)  # the rest ≥ 1 each
            if forced is not None:
                choices = [forced] if forced >= 1 and (most is None or forced <= most) else []
            else:
                choices = range(1, most + 1)
        for v in choices:
            values[u] = v
            visit(u + 1)

    visit(0)
    return {f: (int(low[f]), high[f]) for f in figures if low[f] <= high[f]}


tiny_tables = st.integers(2, 3).flatmap(
    lambda rows: st.integers(2, 3).flatmap(
        lambda cols: st.tuples(
            st.lists(st.one_of(st.integers(0, 6), st.integers(8, 30)), min_size=rows * cols, max_size=rows * cols)
            .map(lambda v: np.array(v).reshape(rows, cols)),
            st.lists(st.booleans(), min_size=(rows + 1) * (cols + 1), max_size=(rows + 1) * (cols + 1))
            .map(lambda v: np.array(v).reshape(rows + 1, cols + 1)),
        )
    )
)


# --- the rule and its cases ---------------------------------------------------------------------


def test_bounds_pin_a_cell_although_the_rank_test_passes():
    # Four hidden cells in a rectangle: no single one is a sum of published figures (rank test
    # passes), but row 0 holds 1 + 1 = 2 with each cell ≥ 1, so both are exactly 1.
    n, present = with_margins(np.array([[1, 1, 40], [1, 30, 50], [20, 25, 35]]))
    suppressed = hide(n.shape, (0, 0), (0, 1), (1, 0), (1, 1))
    assert rank_test_findings(n, present, suppressed) == []
    ranges = feasible_ranges(n, present, suppressed)
    assert ranges[(0, 0)] == (1, 1) and ranges[(0, 1)] == (1, 1)
    flagged = {cells[0] for cells, _ in interval_findings(n, present, suppressed, MIN_N)}
    assert {(0, 0), (0, 1), (1, 0)} <= flagged
    assert audit_table(n, present, suppressed, MIN_N) != []


def test_a_range_narrower_than_min_n_is_caught_although_rank_test_and_milp_pass():
    # Every line through a hidden cell hides two cells holding ≥ min_n together (3 + 8 = 11),
    # and no set of hidden cells below min_n has a derivable sum; yet x00 = t, x01 = 11 − t,
    # x10 = 11 − t, x11 = 47 + t with all ≥ 1 leaves t ∈ [1, 10]: hi − lo = 9 < 10.
    n, present = with_margins(np.array([[3, 8, 40], [8, 50, 60], [20, 25, 35]]))
    suppressed = hide(n.shape, (0, 0), (0, 1), (1, 0), (1, 1))
    assert audit.algebraic_findings(n, present, suppressed, MIN_N) == []
    assert feasible_ranges(n, present, suppressed)[(0, 0)] == (1, 10)
    findings = audit_table(n, present, suppressed, MIN_N)
    assert ([(0, 0)], "cell (0, 0) with n=3 is known to lie in 1–10, a range narrower than 10") in findings


def test_a_hidden_cell_known_to_hold_fewer_than_min_n_is_caught():
    # Row 0 hides 4 + 6 = 10 (the line rule is met), so x00 ≤ 9: known to be small.
    n, present = with_margins(np.array([[4, 6, 40], [30, 40, 60], [20, 25, 35]]))
    suppressed = hide(n.shape, (0, 0), (0, 1), (1, 0), (1, 1))
    assert audit.algebraic_findings(n, present, suppressed, MIN_N) == []
    lo, hi = feasible_ranges(n, present, suppressed)[(0, 0)]
    assert hi < MIN_N
    findings = audit_table(n, present, suppressed, MIN_N)
    assert any(cells == [(0, 0)] and "at most 9 < 10" in text for cells, text in findings)


def test_a_hidden_total_is_held_to_the_same_rule():
    # Institutions 0 and 1 hide their totals with their small cells. Published: column totals
    # and the national total, so x00 = 5 − x10 ∈ [1, 4], x01 = 7 − x11 ∈ [1, 6], and the
    # hidden total of institution 0, x00 + x01 + 40, lies in [42, 50]: narrower than min_n.
    n, present = with_margins(np.array([[4, 6, 40], [1, 1, 60], [20, 25, 35]]))
    suppressed = hide(n.shape, (0, 0), (0, 1), (1, 0), (1, 1), (0, 3), (1, 3))
    ranges = feasible_ranges(n, present, suppressed)
    assert ranges[(0, 3)] == (42, 50)
    assert integer_ranges(n, present, suppressed, cap=int(n[-1, -1]) + MIN_N)[(0, 3)] == (42, 50)
    findings = interval_findings(n, present, suppressed, MIN_N)
    assert ([(0, 3)], "total (0, 3) with n=50 is known to lie in 42–50, a range narrower than 10") in findings
    suppressed = protect_table(n, present, MIN_N)
    assert audit_table(n, present, suppressed, MIN_N) == []
    for position, (lo, hi) in feasible_ranges(n, present, suppressed).items():
        assert hi - lo >= MIN_N and hi >= MIN_N, position


def test_a_hidden_unit_where_nobody_answered_does_not_narrow_its_neighbours(monkeypatch):
    # A routed item: unit (1, 1) exists but nobody there answered. It is shown hidden like the
    # others, so an attacker may take it to hold ≥ 1. That belief is false, but it narrows the
    # ranges of the cells beside it: with the true table alone, protection would stop where
    # this attacker finds x01 ∈ [1, 10]. The audit checks the believed table too.
    n, present = with_margins(np.array([[37, 5, 6], [4, 0, 2]]))
    present[1, 1] = True
    original = audit.attacker_views
    with monkeypatch.context() as patch:
        for module in (audit, disclosure):  # protection and audit both see only the true table
            patch.setattr(module, "attacker_views",
                          lambda n, present, suppressed, floor=1: original(n, present, suppressed, floor)[:1])
        naive = protect_table(n, present, MIN_N)
    believed = [text for _, text in interval_findings(n, present, naive, MIN_N)]
    assert any("(0, 1) with n=5 is known to lie in 1–10" in t and "taken to hold ≥ 1" in t for t in believed)
    suppressed = protect_table(n, present, MIN_N)
    assert audit_table(n, present, suppressed, MIN_N) == []
    for view, _ in audit.attacker_views(n, present, suppressed):
        for position, (lo, hi) in feasible_ranges(view, present, suppressed).items():
            assert hi - lo >= MIN_N and hi >= MIN_N, position


def test_hidden_institution_counts_are_not_bounded_by_the_national_total():
    # Two small institutions (5 and 6) hidden alone would each lie in [1, 10]; a third goes too.
    hidden = hidden_institutions(np.array([5, 6, 100, 200, 50]), MIN_N)
    assert hidden.sum() == 3 and hidden[0] and hidden[1]


# --- against the brute force --------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(table=tiny_tables)
def test_lp_ranges_are_the_integer_ranges(table):
    """The LP range contains the integer range, and (total unimodularity) equals it."""
    cells, mask = table
    n, present = with_margins(cells)
    suppressed = (mask & present) | (present & (n < MIN_N))
    unknown = suppressed[:-1, :-1] & present[:-1, :-1] & (n[:-1, :-1] > 0)
    assume(0 < unknown.sum() <= 5)
    cap = int(n[-1, -1]) + MIN_N
    brute = integer_ranges(n, present, suppressed, cap)
    lp = feasible_ranges(n, present, suppressed)
    assert set(brute) == set(lp)
    for position, (lo, hi) in lp.items():
        b_lo, b_hi = brute[position]
        assert lo <= b_lo and b_hi <= hi, "the LP range contains the integer range"
        assert lo == b_lo
        assert hi == b_hi or (hi == np.inf and b_hi >= cap), "and equals it"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(table=tiny_tables)
def test_after_protection_no_integer_range_is_narrower_than_min_n(table):
    cells, _ = table
    n, present = with_margins(cells)
    suppressed = protect_table(n, present, MIN_N)
    unknown = suppressed[:-1, :-1] & present[:-1, :-1] & (n[:-1, :-1] > 0)
    assume(unknown.sum() <= 5)
    cap = int(n[-1, -1]) + 2 * MIN_N
    for position, (lo, hi) in integer_ranges(n, present, suppressed, cap).items():
        assert hi - lo >= MIN_N and hi >= MIN_N, (position, lo, hi)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tiny_tables, min_n=st.sampled_from([3, 5, 10, 20]))
def test_the_max_flow_shortcut_agrees_with_the_lp(table, min_n):
    """Skipping the LP is exact: the flow proves a range wide exactly when the LP finds it so."""
    cells, mask = table
    n, present = with_margins(cells)
    suppressed = (mask & present) | (present & (n < min_n))
    figures = audit.hidden_figures(n, present, suppressed)
    assume(len(figures) > 0)
    wide = audit.flow_wide(n, figures, min_n)
    ranges = feasible_ranges(n, present, suppressed, figures)
    for (position, (lo, hi)), flow_says in zip(ranges.items(), wide):
        assert flow_says == (hi - lo >= min_n and hi >= min_n), position


tables = random_tables


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables, empty=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 5)), max_size=3))
def test_after_protection_every_hidden_range_meets_the_rule(cells, empty):
    n, present = with_margins(cells)
    for r, c in empty:  # units that exist but where nobody answered this item
        if r < cells.shape[0] and c < cells.shape[1] and n[r, c] == 0:
            present[r, c] = present[r, -1] = present[-1, c] = present[-1, -1] = True
    suppressed = protect_table(n, present, MIN_N)
    assert audit_table(n, present, suppressed, MIN_N) == []
    assert (suppressed | ~(present & (n < MIN_N))).all(), "every primary cell stays hidden"
    for view, _ in audit.attacker_views(n, present, suppressed):
        for position, (lo, hi) in feasible_ranges(view, present, suppressed).items():
            assert hi - lo >= MIN_N and hi >= MIN_N, position


def test_protection_hides_the_figure_that_widens_the_range(caplog):
    # Domain 1 holds 6 + 4 + 4 = 14 respondents. Hiding interior cells only, the old cover
    # ends with every figure hidden; the max-flow cover finds the totals that widen the ranges
    # and leaves the domain totals and the national total published.
    n, present = with_margins(np.array([[0, 6], [2, 4], [37, 4]]))
    original = disclosure._interval_cover
    disclosure._interval_cover = lambda *args: None
    try:
        assert (protect_table(n, present, MIN_N) == present).all()
    finally:
        disclosure._interval_cover = original
    suppressed = protect_table(n, present, MIN_N)
    assert not suppressed[-1, :].any(), "domain totals and the national total stay published"
    assert audit_table(n, present, suppressed, MIN_N) == []


def test_the_line_rule_alone_can_leave_a_narrow_range():
    # Why protection needs the interval check: every line rule is met, the range is not.
    n, present = with_margins(np.array([[3, 8, 40], [8, 50, 60], [20, 25, 35]]))
    lines_only = complementary_suppression(n, present, MIN_N)
    assert interval_findings(n, present, lines_only, MIN_N) != []
    assert interval_findings(n, present, protect_table(n, present, MIN_N), MIN_N) == []
