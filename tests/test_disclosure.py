"""Disclosure control: suppression rules, required response, and the algebraic audit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobmonitor.compute.recoverability import audit_table
from jobmonitor.compute.disclosure import complementary_suppression, protect_table, required_bruto, required_netto

from tables import random_tables, with_margins

MIN_N = 10


def test_required_response_formula_by_hand():
    # N = 100: 100·3.8416·2500 / (3.8416·2500 + 99·25) + 0.99 = 960400 / 12079 + 0.99 = 80.50 → 80
    assert required_netto(np.array([100]))[0] == 80
    assert required_bruto(np.array([80]))[0] == 88
    assert required_netto(np.array([0]))[0] == 0
    big = required_netto(np.array([500_000]))[0]
    assert 380 <= big <= 390


def test_single_small_cell_gets_a_partner_in_row_and_column():
    cells = np.array([[30, 5, 40], [25, 30, 35], [20, 22, 50]])
    n, present = with_margins(cells)
    suppressed = complementary_suppression(n, present, MIN_N)
    assert suppressed[0, 1]
    assert suppressed[0, :-1].sum() >= 2 and suppressed[:-1, 1].sum() >= 2
    # Smallest published n in the row (30 vs 40) and column (22 vs 30) is chosen.
    assert suppressed[0, 0] and suppressed[2, 1]
    assert audit_table(n, present, suppressed, MIN_N) == []


def test_audit_finds_a_cell_recomputable_from_its_row_total():
    cells = np.array([[30, 5, 40], [25, 30, 35]])
    n, present = with_margins(cells)
    only_primary = present & (n < MIN_N)
    findings = audit_table(n, present, only_primary, MIN_N)
    assert findings and findings[0][0] == [(0, 1)]


def test_audit_finds_a_small_set_whose_sum_is_derivable():
    # Two hidden cells of 3 and 4 respondents in one row: their sum (7 < 10) follows from the total.
    cells = np.array([[30, 3, 4], [25, 30, 35], [40, 30, 35]])
    n, present = with_margins(cells)
    suppressed = np.zeros_like(present)
    suppressed[0, 1] = suppressed[0, 2] = True
    suppressed[1, 1] = suppressed[1, 2] = True  # columns covered, so no single cell follows
    findings = audit_table(n, present, suppressed, MIN_N)
    assert any(sorted(cells_) == [(0, 1), (0, 2)] for cells_, _ in findings)


def test_single_domain_institution():
    # Institution 2 has one domain: its total equals that cell, so both hide together.
    cells = np.array([[30, 40, 0], [25, 30, 0], [0, 0, 7]])
    n, present = with_margins(cells)
    suppressed = protect_table(n, present, MIN_N)
    assert suppressed[2, 2] and suppressed[2, 3]
    assert audit_table(n, present, suppressed, MIN_N) == []


def test_choice_is_deterministic():
    rng = np.random.default_rng(7)
    cells = rng.integers(0, 40, (8, 6))
    n, present = with_margins(cells)
    first = protect_table(n, present, MIN_N)
    assert (first == protect_table(n.copy(), present.copy(), MIN_N)).all()


tables = random_tables


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables)
def test_after_suppression_the_audit_finds_nothing(cells):
    n, present = with_margins(cells)
    suppressed = protect_table(n, present, MIN_N)
    assert audit_table(n, present, suppressed, MIN_N) == []
    assert (suppressed | ~(present & (n < MIN_N))).all(), "every primary cell stays hidden"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables, pick=st.integers(0, 10_000))
def test_breaking_secondary_suppression_fails_the_audit(cells, pick):
    n, present = with_margins(cells)
    suppressed = protect_table(n, present, MIN_N)
    primary = present & (n < MIN_N) & (n > 0)
    secondary = np.argwhere(suppressed & ~primary & (n > 0))
    if not primary.any() or len(secondary) == 0:
        return
    # Publishing every secondary cell leaves some primary cell alone in a line: derivable.
    broken = suppressed.copy()
    broken[tuple(secondary.T)] = False
    lonely = _has_lonely_primary(n, present, broken)
    if lonely:
        assert audit_table(n, present, broken, MIN_N) != []


def _has_lonely_primary(n, present, suppressed) -> bool:
    hidden = suppressed & present & (n > 0)
    for r in range(n.shape[0]):
        if hidden[r].sum() == 1:
            return True
    for c in range(n.shape[1]):
        if hidden[:, c].sum() == 1:
            return True
    return False


@pytest.mark.parametrize("n_cell,status", [(9, True), (10, False), (11, False)])
def test_primary_threshold_edges(n_cell, status):
    cells = np.array([[n_cell, 50], [40, 60]])
    n, present = with_margins(cells)
    assert complementary_suppression(n, present, MIN_N)[0, 0] == status


def _sequential_suppression(n, present, min_n):
    """Reference: the line-by-line rule on one table, written out without vectorisation."""
    suppressed = present & (n < min_n)
    rows_n, cols_n = n.shape
    lines = [[(r, c) for c in range(cols_n)] for r in range(rows_n)]
    lines += [[(r, c) for r in range(rows_n)] for c in range(cols_n)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            occupied = [p for p in line if present[p] and n[p] > 0]
            hidden = [p for p in occupied if suppressed[p]]
            if not hidden or (len(hidden) >= 2 and sum(n[p] for p in hidden) >= min_n):
                continue
            candidates = [p for p in occupied if not suppressed[p]]
            if not candidates:
                continue
            is_total = lambda p: p[0] == rows_n - 1 or p[1] == cols_n - 1  # noqa: E731
            pick = min(candidates, key=lambda p: (is_total(p), n[p], line.index(p)))
            suppressed[pick] = True
            changed = True
    return suppressed


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=st.integers(3, 6).flatmap(
    lambda rows: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(10, 80)), min_size=rows * 4, max_size=rows * 4),
        min_size=1, max_size=6,
    ).map(lambda tables: np.array(tables).reshape(len(tables), rows, 4))
))
def test_suppression_of_a_stack_equals_each_table_on_its_own(stack):
    from jobmonitor.compute.disclosure import complementary_suppression_many

    tables = [with_margins(cells) for cells in stack]
    present = np.logical_or.reduce([p for _, p in tables])
    n = np.stack([t for t, _ in tables])
    together = complementary_suppression_many(n, present, MIN_N)
    for v in range(len(n)):
        assert (together[v] == _sequential_suppression(n[v], present, MIN_N)).all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables, hide=st.lists(st.booleans(), min_size=64, max_size=64))
def test_skipping_the_milp_never_hides_a_finding(cells, hide):
    """The lower bound that skips the MILP is exact: the audit's verdict never changes."""
    import jobmonitor.compute.recoverability as audit

    n, present = with_margins(cells)
    mask = np.array(hide[: n.size]).reshape(n.shape) if n.size <= 64 else np.zeros(n.shape, bool)
    suppressed = (present & (n < MIN_N)) | (mask & present)
    with_bound = audit_table(n, present, suppressed, MIN_N)
    original = audit._small_set_possible
    audit._small_set_possible = lambda n_unknown, min_n: True
    try:
        exhaustive = audit_table(n, present, suppressed, MIN_N)
    finally:
        audit._small_set_possible = original
    assert bool(with_bound) == bool(exhaustive)
    assert all(finding in exhaustive for finding in with_bound)
    skipped = [f for f in exhaustive if f not in with_bound]
    assert all(len(cells_) == 1 for cells_, _ in skipped), "only single derivable cells, already found"


def test_a_total_is_hidden_when_no_interior_cell_is_left_to_hide():
    # Column 0 is all hidden; rows 0 and 2 each publish their total, column 1 publishes its
    # total, so x00 + x20 = 10 + 10 − 18 = 2 follows unless a total is hidden as well.
    n, present = with_margins(np.array([[1, 9], [8, 0], [1, 9], [2, 0]]))
    suppressed = protect_table(n, present, MIN_N)
    assert audit_table(n, present, suppressed, MIN_N) == []
    assert suppressed[:-1, -1].any() or suppressed[-1, :].any(), "a total had to go"
    assert not (suppressed == present).all(), "without hiding the whole table"


def test_protection_that_cannot_converge_hides_the_whole_table(caplog):
    n, present = with_margins(np.array([[1, 9], [8, 0], [1, 9], [2, 0]]))
    suppressed = protect_table(n, present, MIN_N, max_rounds=1)  # needs two rounds
    assert (suppressed == present).all()
    assert "could not be protected cell by cell" in caplog.text
    assert audit_table(n, present, suppressed, MIN_N) == []
