"""The joint audit of an institution report's breakdown tables: linked tables that each pass
alone leak together (a team nested in a location); the audit finds it, protection closes it, and
its bounds, derivability and unanimity verdicts agree with brute-force enumeration of every
integer table on tiny instances."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jobmonitor.reports import joint_audit as ja
from jobmonitor.reports.joint_audit import audit_jointly, protect_jointly

MIN_N = 10


def nested():
    """Cells (team, location): A and B in Alkmaar, C and D in Den Helder. Groups: teams A–D,
    locations Alkmaar and Den Helder, the total."""
    cells = [("A", "Alkmaar"), ("B", "Alkmaar"), ("C", "Den Helder"), ("D", "Den Helder")]
    names = ["A", "B", "C", "D", "Alkmaar", "Den Helder"]
    membership = np.array([[name in cell for cell in cells] for name in names] + [[True] * 4])
    n = np.array([[25, 5, 12, 40]])
    hidden = np.array([[False, True, True, False, False, False, False]])  # B small, C its complement
    return membership, n, hidden, [0, 0, 0, 0, 1, 1, 2]


def test_each_table_alone_passes_but_together_they_leak():
    membership, n, hidden, _ = nested()
    teams = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 1, 1]], bool)
    assert audit_jointly(teams, n, hidden[:, [0, 1, 2, 3, 6]], MIN_N) == []
    locations = np.array([[1, 0], [0, 1], [1, 1]], bool)
    assert audit_jointly(locations, np.array([[30, 52]]), np.zeros((1, 3), bool), MIN_N) == []
    findings = audit_jointly(membership, n, hidden, MIN_N)
    assert {(v, g) for v, g, _ in findings} == {(0, 1), (0, 2)}  # B = Alkmaar − A, C = Den Helder − D
    assert all("derivable" in text for _, _, text in findings)


def test_an_empty_hidden_group_is_not_reported_but_taken_as_known_empty():
    """As the site's first attacker view: nobody in team B answered, so B is hidden and counts as
    known to be 0; its complement C then follows from the total and A (the safe side)."""
    teams = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], bool)
    findings = audit_jointly(teams, np.array([[30, 0, 12]]), np.array([[False, True, True, False]]), MIN_N)
    assert [(v, g) for v, g, _ in findings] == [(0, 2)]


def test_grouping_is_inferred_from_consecutive_disjoint_groups():
    membership, _, _, grouping = nested()
    assert ja.infer_grouping(membership).tolist() == grouping


def test_protection_closes_the_leak_and_only_adds_hidden_groups():
    membership, n, hidden, grouping = nested()
    fixed = membership.all(axis=1)
    protected, left = protect_jointly(membership, n, hidden, MIN_N, fixed)
    assert left == []
    assert (protected >= hidden).all() and not protected[0, 6]
    assert protected[0, 0]  # A, the smallest group that breaks B = Alkmaar − A
    assert audit_jointly(membership, n, protected, MIN_N) == []
    # Given the grouping explicitly: the same result.
    again, _ = protect_jointly(membership, n, hidden, MIN_N, fixed, grouping=grouping)
    assert (again == protected).all()


def test_findings_that_cannot_be_covered_are_returned():
    membership, n, hidden, _ = nested()
    protected, left = protect_jointly(membership, n, hidden, MIN_N, np.ones(7, bool))
    assert (protected == hidden).all()
    assert {(v, g) for v, g, _ in left} == {(0, 1), (0, 2)}


def crossed(positives):
    """Cells c1…c4 in two crossed tables X = {c1 c2 | c3 c4} and Y = {c2 c3 | c1 c4}, and a team
    table: h = {c1} (5 respondents) and its complement {c2 c3 c4}, both hidden. Counts stay
    wide (h ranges over 0–25), so only the positives can give h away."""
    membership = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 0], [0, 1, 1, 1],
                           [1, 1, 1, 1]], bool)
    n = np.array([[5, 20, 20, 20]])
    hidden = np.array([[False, False, False, False, True, True, False]])
    return audit_jointly(membership, n, hidden, MIN_N, np.array([positives]))


def test_unanimity_forced_by_published_positives_is_found():
    # Y's {c2 c3} has no positives, so X's {c1 c2} positives (5) all sit in h: everyone in h said yes.
    findings = crossed([5, 0, 0, 7])
    assert [(v, g) for v, g, _ in findings] == [(0, 4)]
    assert "answered positive" in findings[0][2]


def test_unanimity_is_only_checked_for_percentage_vars():
    membership = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 0], [0, 1, 1, 1],
                           [1, 1, 1, 1]], bool)
    n, hidden = np.array([[5, 20, 20, 20]]), np.array([[False, False, False, False, True, True, False]])
    assert audit_jointly(membership, n, hidden, MIN_N, np.array([[5, 0, 0, 7]]), is_pct=np.array([False])) == []


def test_unanimity_not_forced_is_not_reported():
    # h is still all positive, but 3–5 of its positives fit the published figures.
    assert crossed([5, 3, 2, 4]) == []


def test_a_range_only_the_integer_tables_make_narrow_is_found():
    """Not totally unimodular: the LP lets group 1 (n=3) range over 1–4, the integer tables
    only over 1–3. With min_n 3 the LP would pass it; the MILP step reports it."""
    membership = np.array([[0, 1, 0, 1, 1], [0, 1, 0, 1, 0], [1, 0, 0, 1, 0], [1, 1, 0, 0, 0], [1, 1, 1, 1, 1]], bool)
    n, hidden = np.array([[2, 1, 2, 2, 1]]), np.array([[False, True, False, False, False]])
    text = "group 1 (n=3) is known to lie in 1–3, a range narrower than 3"
    assert audit_jointly(membership, n, hidden, 3) == [(0, 1, text)]
    assert audit_jointly(membership, n, hidden, 2) == []


def test_unanimity_stated_by_a_published_group_is_not_a_finding():
    # {c1 c4} (Y) is published and all positive: that h is all positive is a published fact.
    membership = np.array([[1, 0, 0, 1], [0, 1, 1, 0], [1, 0, 0, 0], [0, 1, 1, 1], [1, 1, 1, 1]], bool)
    n, positives = np.array([[5, 20, 20, 20]]), np.array([[5, 3, 2, 20]])
    hidden = np.array([[False, False, True, True, False]])
    assert audit_jointly(membership, n, hidden, MIN_N, positives) == []


# --- brute force on tiny instances ----------------------------------------------------------


@st.composite
def institutions(draw):
    cells = draw(st.integers(1, 4))
    groups = draw(arrays(bool, (draw(st.integers(1, 4)), cells)))
    membership = np.vstack([groups, np.ones((1, cells), bool)])
    n = draw(arrays(np.int64, (2, cells), elements=st.integers(0, 6)))
    # Per cell nobody, everybody or some positive: unanimous groups are common.
    kind = draw(arrays(np.int64, (2, cells), elements=st.integers(0, 2)))
    some = np.minimum(draw(arrays(np.int64, (2, cells), elements=st.integers(0, 6))), n)
    positives = np.select([kind == 0, kind == 1], [0, n], some)
    hidden = draw(arrays(bool, (2, len(membership))))
    hidden[:, -1] = False
    return membership, n, hidden, positives, draw(st.integers(1, 8))


def feasible_sums(membership, values, hidden_row, upper):
    """Every group's sum over every integer table 0 ≤ x ≤ upper agreeing with the published sums."""
    grid = np.array(list(itertools.product(*[range(int(u) + 1) for u in upper])))
    published = ~hidden_row
    ok = (grid @ membership[published].T == membership[published] @ values).all(axis=1)
    return grid[ok] @ membership.T


def count_ranges(membership, n_row, hidden_row):
    """[lo, hi] per group in the audit's attacker model: cells of an empty group are 0."""
    count = membership @ n_row
    pinned = membership[count == 0].any(axis=0)
    # A cell holds at most what any published group around it holds (the total is published).
    upper = np.where(membership[~hidden_row], count[~hidden_row, None], count[-1]).min(axis=0)
    sums = feasible_sums(membership, n_row, hidden_row, np.where(pinned, 0, upper))
    return sums.min(axis=0), sums.max(axis=0)


def targets(membership, n, hidden):
    count = n @ membership.T
    return hidden & (count > 0) & ~membership.all(axis=1), count


@settings(max_examples=150, deadline=None)
@given(institutions())
def test_count_verdicts_equal_brute_force(case):
    membership, n, hidden, _, min_n = case
    findings = audit_jointly(membership, n, hidden, min_n)
    tested, count = targets(membership, n, hidden)
    expected, unique = set(), set()
    for v, g in zip(*np.nonzero(tested)):
        lo, hi = count_ranges(membership, n[v], hidden[v])
        assert lo[g] <= count[v, g] <= hi[g]
        if hi[g] - lo[g] < min_n or hi[g] < min_n:
            expected.add((v, g))
        if lo[g] == hi[g]:
            unique.add((v, g))
    assert {(v, g) for v, g, _ in findings} == expected
    derivable = {(v, g) for v, g, text in findings if "derivable" in text}
    assert derivable <= unique  # the rank test: derivable ⇒ one value in every integer table
    assert unique <= expected  # and every unique value is reported, derivable or as a range


@settings(max_examples=150, deadline=None)
@given(institutions())
def test_flow_lp_and_milp_bounds_bracket_the_integer_range(case):
    membership, n, hidden, _, _ = case
    tested, count = targets(membership, n, hidden)
    rows, groups = np.nonzero(tested)
    if len(rows) == 0:
        return
    big = 1000  # no cap: the moves themselves
    ctx = ja._Context(membership, big, None)
    pinned = ((count == 0).astype(int) @ membership.astype(int)) > 0
    problem = (ctx, n, np.where(pinned, 0.0, np.inf), hidden, pinned, rows, groups, np.ones(len(rows), bool))
    ranges = [count_ranges(membership, n[v], hidden[v]) for v in rows]
    for raising in (True, False):
        truth = np.array([(hi[g] - count[v, g]) if raising else (count[v, g] - lo[g])
                          for (lo, hi), v, g in zip(ranges, rows, groups)])
        inner = ja._flow_moves(*problem, raising, big)
        outer, integral = ja._bound_moves(*problem, raising, big, False)
        exact, _ = ja._bound_moves(*problem, raising, big, True)
        assert (inner <= truth).all() and (truth <= outer).all()
        assert (outer[integral] == truth[integral]).all()
        assert (exact == truth).all()


@settings(max_examples=150, deadline=None)
@given(institutions())
def test_unanimity_verdicts_equal_brute_force(case):
    membership, n, hidden, positives, min_n = case
    findings = audit_jointly(membership, n, hidden, min_n, positives)
    count_findings = {(v, g) for v, g, text in findings if "every respondent" not in text}
    tested, count = targets(membership, n, hidden)
    pos = positives @ membership.T
    expected = set()
    for v, g in zip(*np.nonzero(tested)):
        if (v, g) in count_findings or 0 < pos[v, g] < count[v, g]:
            continue
        all_yes = pos[v, g] == count[v, g]
        unanimous = (pos[v] == count[v]) if all_yes else (pos[v] == 0)
        said = membership[~hidden[v] & unanimous & (count[v] > 0)].any(axis=0) | (n[v] == 0)
        if said[membership[g]].all():
            continue  # a published group already says so
        sums = feasible_sums(membership, positives[v], hidden[v], n[v])[:, g]
        if (sums == pos[v, g]).all():
            expected.add((v, g))
    assert {(v, g) for v, g, text in findings if "every respondent" in text} == expected


def test_a_var_with_everything_hidden_has_no_finding_and_no_failure():
    """The institution's own figure hidden on the site hides every group of that var, the
    total included: nothing bounds the cells (an unbounded LP once made the audit fail)."""
    membership = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1]], dtype=bool)
    n = np.array([[3, 2, 2, 1], [20, 15, 12, 30]])
    hidden = np.array([[True] * 5, [False, False, False, False, False]])
    assert audit_jointly(membership, n, hidden, 10) == []
    protected, left = protect_jointly(membership, n, hidden, 10, np.array([False] * 4 + [True]))
    assert left == [] and protected[0].all()
