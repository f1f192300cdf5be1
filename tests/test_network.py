"""The flow-network audit kit (`compute.network`): on random tables the max flow and the linear
programme agree on every hidden count, and on a plain institution × domain table both agree with
the site's own interval audit (`recoverability.feasible_ranges`)."""

from __future__ import annotations

import numpy as np
import pytest

from jobmonitor.compute.network import Network, flow_bounds, lp_narrow, meets_rule, narrow_by_flow
from jobmonitor.compute.recoverability import feasible_ranges

MIN_N = 10


def table_network(n: np.ndarray, hidden: np.ndarray) -> tuple[Network, list[tuple[int, int]]]:
    """An (R+1) × (C+1) table with margins as a network: source → row → column → sink → source."""
    rows, cols = n.shape[0] - 1, n.shape[1] - 1
    source, sink = 0, 1
    row, col = 2 + np.arange(rows), 2 + rows + np.arange(cols)
    arcs = [(source, row[r], (r, cols)) for r in range(rows)]
    arcs += [(row[r], col[c], (r, c)) for r in range(rows) for c in range(cols)]
    arcs += [(col[c], sink, (rows, c)) for c in range(cols)] + [(sink, source, (rows, cols))]
    positions = [p for _, _, p in arcs]
    net = Network(np.array([a[0] for a in arcs]), np.array([a[1] for a in arcs]),
                  np.array([n[p] for p in positions]), np.array([hidden[p] for p in positions]), 2 + rows + cols)
    return net, positions


def random_table(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    inside = rng.integers(1, 60, size=(rng.integers(2, 7), rng.integers(2, 7)))
    inside[rng.random(inside.shape) < 0.2] = rng.integers(1, 9)
    n = np.zeros((inside.shape[0] + 1, inside.shape[1] + 1), dtype="int64")
    n[:-1, :-1] = inside
    n[:-1, -1], n[-1, :-1], n[-1, -1] = inside.sum(axis=1), inside.sum(axis=0), inside.sum()
    hidden = rng.random(n.shape) < rng.uniform(0.3, 0.7)
    hidden[-1, -1] = rng.random() < 0.1
    return n, hidden


@pytest.mark.parametrize("seed", range(12))
def test_the_flow_finds_exactly_the_counts_the_lp_finds(seed):
    rng = np.random.default_rng(seed)
    n, hidden = random_table(rng)
    for floor in (0, 1):
        net, _ = table_network(n, hidden)
        by_lp = sorted(a for a, _, _ in lp_narrow(net, MIN_N, floor=floor, prune_by_flow=False))
        assert by_lp == sorted(narrow_by_flow(net, MIN_N, floor=floor).tolist())


@pytest.mark.parametrize("seed", range(12))
def test_on_a_plain_table_the_flow_agrees_with_the_sites_interval_audit(seed):
    rng = np.random.default_rng(100 + seed)
    n, hidden = random_table(rng)
    net, positions = table_network(n, hidden)
    targets = np.flatnonzero(net.unknown)
    up, down = flow_bounds(net, targets, MIN_N, floor=1)
    ranges = feasible_ranges(n, np.ones(n.shape, dtype=bool), hidden)
    for a, rise, fall in zip(targets, up, down):
        lo, hi = ranges[positions[a]]
        site_ok = hi - lo >= MIN_N and hi >= MIN_N
        assert bool(meets_rule(net.count[a:a + 1], np.array([rise]), np.array([fall]), MIN_N)[0]) == site_ok
        assert min(net.count[a] - lo, MIN_N) == fall and min(hi - net.count[a], MIN_N) == rise


def test_an_extra_arc_that_closes_a_cycle_widens_a_derivable_count():
    """Three cells of a 2 × 2 block hidden, totals published: each follows from the fourth.
    Hiding the fourth too (the `extra` arc) closes the cycle, and every count moves by min_n."""
    n = np.array([[20, 15, 35], [12, 14, 26], [32, 29, 61]])
    hidden = np.zeros(n.shape, dtype=bool)
    hidden[0, 0] = hidden[0, 1] = hidden[1, 0] = True
    net, positions = table_network(n, hidden)
    cells = [positions.index(p) for p in ((0, 0), (0, 1), (1, 0))]
    assert narrow_by_flow(net, MIN_N).tolist() == cells
    up, down = flow_bounds(net, np.array(cells[:1]), MIN_N)
    assert (up[0], down[0]) == (0, 0)
    up, down = flow_bounds(net, np.array(cells[:1]), MIN_N, extra=np.array([positions.index((1, 1))]))
    assert (up[0], down[0]) == (MIN_N, MIN_N)
