"""Published answer distributions must not reveal what a hidden cell answered (issue 14,
point 2): the unanimity check against brute-force enumeration, protection until it is clean,
and the whole demo edition audited with its distributions."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobmonitor.compute.recoverability import unanimity_findings, unanimous_cells
from jobmonitor.compute.disclosure import complementary_suppression, protect_tables

from tables import random_tables, with_margins

MIN_N = 10
YESNO = ((0,), (1,))


def yes_counts(cells: np.ndarray, yes: np.ndarray) -> dict[int, np.ndarray]:
    """Answer-count tables (with margins) of a yes/no item: code 1 = ja, 0 = nee."""
    ja, _ = with_margins(yes)
    nee, _ = with_margins(cells - yes)
    return {0: nee, 1: ja}


def test_a_line_whose_published_cells_hold_every_nee_reveals_its_hidden_cells():
    # Row 0: two hidden cells (3 and 8 respondents, all ja) and a published one holding all
    # five nee of the row; the row total (26 ja, 5 nee) is published.
    cells = np.array([[3, 8, 20], [30, 25, 40]])
    yes = np.array([[3, 8, 15], [20, 20, 30]])
    n, present = with_margins(cells)
    hidden = np.zeros_like(present)
    hidden[0, 0] = hidden[0, 1] = hidden[1, 0] = hidden[1, 1] = True
    found = unanimous_cells(n, yes_counts(cells, yes), present, hidden, YESNO)
    assert ((0, 0), (1,)) in found and ((0, 1), (1,)) in found
    # Row 1's hidden cells hold 5 + 5 nee between them: not pinned.
    assert not any(cell[0] == 1 for cell, _ in found)


def test_a_total_that_is_unanimous_itself_is_not_a_finding():
    cells = np.array([[3, 8, 20], [30, 25, 40]])
    yes = np.array([[3, 8, 20], [20, 20, 30]])  # all of row 0 answered ja: its total says so
    n, present = with_margins(cells)
    hidden = np.zeros_like(present)
    hidden[0, 0] = hidden[0, 1] = hidden[1, 0] = hidden[1, 1] = True
    assert unanimity_findings(n, yes_counts(cells, yes), present, hidden, YESNO) == []


def brute_force_pinned(n, counts, present, hidden, codes):
    """Hidden interior cells whose count of answers other than `codes` is 0 in every table of
    non-negative integers agreeing with every published figure (found by enumeration)."""
    others = n - sum(counts[c] for c in codes)
    rows, cols = n.shape
    unknown = [(r, c) for r in range(rows - 1) for c in range(cols - 1) if hidden[r, c] and present[r, c] and n[r, c] > 0]
    hidden_totals = {(r, c) for r in range(rows) for c in range(cols)
                     if (r == rows - 1 or c == cols - 1) and hidden[r, c] and present[r, c] and n[r, c] > 0}
    lines = []
    for r in range(rows):
        for c in range(cols):
            if (r == rows - 1 or c == cols - 1) and (r, c) not in hidden_totals:
                rs = [r] if r < rows - 1 else range(rows - 1)
                cs = [c] if c < cols - 1 else range(cols - 1)
                cells = [(i, j) for i in rs for j in cs]
                target = int(others[r, c]) - sum(int(others[p]) for p in cells if p not in unknown)
                idx = [unknown.index(p) for p in cells if p in unknown]
                if idx:
                    lines.append((idx, target))
    # Each cell at most its smallest binding line's target; a cell no line binds takes 0 or 1
    # (a stand-in for "anything").
    caps = [min([t for idx, t in lines if k in idx], default=1) for k in range(len(unknown))]
    can_be_positive = [False] * len(unknown)
    for values in itertools.product(*(range(max(cap, 0) + 1) for cap in caps)):
        if all(sum(values[i] for i in idx) == target for idx, target in lines):
            for k, v in enumerate(values):
                can_be_positive[k] |= v > 0
    def total_says_so(r, c):
        return any(present[p] and not hidden[p] and others[p] == 0 for p in ((r, -1), (-1, c)))
    return {p for k, p in enumerate(unknown) if not can_be_positive[k] and others[p] == 0 and not total_says_so(*p)}


# Tables of a yes/no item with few answers of one kind (so enumeration stays small): cells,
# how many of each cell gave the minority answer, and which answer that is.
small_yesno_tables = st.integers(2, 3).flatmap(
    lambda rows: st.integers(2, 2).flatmap(
        lambda cols: st.tuples(
            st.lists(st.integers(1, 14), min_size=rows * cols, max_size=rows * cols),
            st.lists(st.integers(0, 2), min_size=rows * cols, max_size=rows * cols),
            st.sampled_from([0, 1]),
        ).map(lambda t: (np.array(t[0]).reshape(rows, cols),
                         np.minimum(t[0], t[1]).reshape(rows, cols), t[2]))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_yesno_tables)
def test_unanimity_check_equals_brute_force(table):
    cells, minority, minority_code = table
    yes = minority if minority_code == 1 else cells - minority
    n, present = with_margins(cells)
    hidden = complementary_suppression(n, present, MIN_N)
    counts = yes_counts(cells, yes)
    codes = (1 - minority_code,)  # unanimity in the majority answer: the minority are the others
    expected = brute_force_pinned(n, counts, present, hidden, codes)
    got = {cell for cell, _ in unanimous_cells(n, counts, present, hidden, (codes,))}
    assert got == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables, st.integers(0, 2**31 - 1))
def test_protection_leaves_no_hidden_answer_known(cells, seed):
    rng = np.random.default_rng(seed)
    # Mostly ja, so that small groups are often unanimous.
    yes = rng.binomial(cells, 0.85)
    n, present = with_margins(cells)
    counts = yes_counts(cells, yes)
    hidden = protect_tables(n[None], present, MIN_N, answers={c: a[None] for c, a in counts.items()},
                            categories=[YESNO])[0]
    assert unanimity_findings(n, counts, present, hidden, YESNO) == []


def test_protection_hides_a_cell_holding_another_answer():
    cells = np.array([[8, 9, 20, 30], [9, 12, 40, 30]])
    yes = np.array([[8, 9, 15, 30], [5, 8, 30, 20]])
    n, present = with_margins(cells)
    counts = yes_counts(cells, yes)
    plain = protect_tables(n[None], present, MIN_N)[0]
    assert unanimity_findings(n, counts, present, plain, YESNO)
    protected = protect_tables(n[None], present, MIN_N, answers={c: a[None] for c, a in counts.items()},
                               categories=[YESNO])[0]
    assert protected[0, 2] and not plain[0, 2]  # the cell holding row 0's nee answers
    assert unanimity_findings(n, counts, present, protected, YESNO) == []
