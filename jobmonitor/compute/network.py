"""The audit kit for counts that form one flow network: every published fact says that what
flows into a node flows out of it, and every count is the flow on one arc.

The national data file at programme level is such a network per var (`reports.databestand`):

    source → institution i               n(i)        the site's institution total
    institution i → cell (i, d)          n(i, d)     the site's institution × domain cell
    cell (i, d) → programme (d, o)       n(i, o)     the file's institution × opleiding cell
    programme (d, o) → domain d          n(o)        the file's national opleiding figure
    domain d → sink                      n(d)        the site's domain total
    sink → source                        N           the national figure

Node balances are exactly the line sums of the site's institution × domain table and of every
domain's institutions × opleidingen table in the file (the site's column sums follow from them).
Hidden counts with respondents are unknowns, at least `floor` (the site's own interval audit
assumes 1; the data file's joint audit 0, see `reports.programme_protection`), published
counts are known, and so is a hidden count of 0 (the safe side: the attacker knows more).
Over every table consistent with that, a hidden count ranges over [lo, hi]; the rule is
hi − lo ≥ min_n and hi ≥ min_n (DESIGN, "Disclosure control").

Two ways to find the ranges, which agree:
- the linear programme (`lp_narrow`): one HiGHS model per var, re-solved with a new objective
  per count (`linked.narrow_columns`, with its pruning by the values earlier optima showed);
- the max flow (`flow_bounds`): a network matrix is totally unimodular, so the LP range is the
  integer range, and the largest rise (fall) of a count is the largest flow that can return
  around it through the other hidden arcs. Capped at min_n, one max-flow call decides every
  count of a var. The flow proves most counts wide; only the rest go to the LP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, maximum_flow

from jobmonitor.compute.linked import narrow_columns

# Copies of a component's graph per max-flow call: bounds memory at national scale.
MAX_FLOW_EDGES = 4_000_000


@dataclass(frozen=True)
class Network:
    """One var's counts as arcs between nodes; hidden arcs with respondents are the unknowns."""

    tail: np.ndarray  # (arcs,) int
    head: np.ndarray  # (arcs,) int
    count: np.ndarray  # (arcs,) int: the true count
    hidden: np.ndarray  # (arcs,) bool
    n_nodes: int

    @property
    def unknown(self) -> np.ndarray:
        """Hidden arcs with respondents: the attacker's unknowns (≥ 1 each)."""
        return self.hidden & (self.count > 0)


def meets_rule(count: np.ndarray, up: np.ndarray, down: np.ndarray, min_n: int) -> np.ndarray:
    """hi − lo ≥ min_n and hi ≥ min_n, with hi = count + up and lo = count − down."""
    return (up + down >= min_n) & (count + up >= min_n)


def deficit(count: np.ndarray, up: np.ndarray, down: np.ndarray, min_n: int) -> np.ndarray:
    """How far a range falls short of the rule (0: it meets it)."""
    return np.maximum(np.maximum(min_n - up - down, min_n - count - up), 0)


def flow_bounds(net: Network, targets: np.ndarray, min_n: int, extra: np.ndarray | None = None,
                floor: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """How far each target arc's count can rise and fall (capped at min_n) while every node
    keeps its balance, moving only the unknown arcs (and, per target, its `extra` arc too:
    an arc it would help to hide; −1 for none).

    Raising a target by δ needs δ to return from its head to its tail through the other
    unknowns: an unknown traversed forwards rises (without bound), one traversed backwards
    falls (to `floor`). So the rise is the max flow head → tail in that residual graph, the
    fall the max flow tail → head, at most count − floor. Each target gets its own copy of
    its connected component (an arc outside it lies on no cycle through the target), and one
    max-flow call answers every copy."""
    targets = np.asarray(targets, dtype="int64")
    extra = np.full(len(targets), -1, dtype="int64") if extra is None else np.asarray(extra, dtype="int64")
    up = np.zeros(len(targets), dtype="int64")
    down = np.zeros(len(targets), dtype="int64")
    if len(targets) == 0:
        return up, down
    moving = np.flatnonzero(net.unknown)
    label = _components(net, moving)
    by_component = np.argsort(label[net.tail[moving]], kind="stable")
    bounds = np.searchsorted(label[net.tail[moving]][by_component], np.arange(net.n_nodes + 1))
    members = [moving[by_component[bounds[c]:bounds[c + 1]]] for c in label[net.tail[targets]]]
    copies = [np.append(arcs[arcs != t], e) if e >= 0 else arcs[arcs != t]
              for arcs, t, e in zip(members, targets, extra)]
    start = 0
    while start < len(targets):
        stop, edges = start, 0
        while stop < len(targets) and (stop == start or edges + 4 * len(copies[stop]) <= MAX_FLOW_EDGES):
            edges += 4 * len(copies[stop])
            stop += 1
        batch = slice(start, stop)
        up[batch], down[batch] = _batch_bounds(net, targets[batch], copies[batch], min_n, floor)
        start = stop
    return up, down


def _components(net: Network, moving: np.ndarray) -> np.ndarray:
    """Connected component of every node over the moving arcs."""
    graph = sp.coo_matrix((np.ones(len(moving)), (net.tail[moving], net.head[moving])), shape=(net.n_nodes, net.n_nodes))
    return connected_components(graph, directed=False)[1]


def _batch_bounds(net: Network, targets: np.ndarray, copies: list[np.ndarray], min_n: int,
                  floor: int) -> tuple[np.ndarray, np.ndarray]:
    """Rise and fall of each target in its own two copies of the residual graph."""
    k = len(targets)
    sizes = np.array([len(c) for c in copies], dtype="int64")
    arcs = np.concatenate(copies) if sizes.sum() else np.empty(0, dtype="int64")
    copy = np.repeat(np.arange(k), sizes)
    # Copy j of node x is j · n_nodes + x: rise copies 0..k−1, fall copies k..2k−1.
    n = net.n_nodes
    both = np.concatenate([copy, copy + k])
    tails = np.concatenate([net.tail[arcs], net.tail[arcs]]) + both * n
    heads = np.concatenate([net.head[arcs], net.head[arcs]]) + both * n
    rise = np.full(len(both), min_n)
    fall = np.minimum(net.count[np.concatenate([arcs, arcs])] - floor, min_n).clip(min=0)
    t_tail = net.tail[targets] + np.arange(k) * n
    t_head = net.head[targets] + np.arange(k) * n
    limit_down = np.minimum(net.count[targets] - floor, min_n).clip(min=0)
    # Rise copy: source → head, tail → sink; fall copy: source → tail, head → sink.
    starts = np.concatenate([t_head, t_tail + k * n])
    ends = np.concatenate([t_tail, t_head + k * n])
    limits = np.concatenate([np.full(k, min_n), limit_down])
    # Only the nodes the copies use, numbered densely; then the source and the sink.
    used, index = np.unique(np.concatenate([tails, heads, starts, ends]), return_inverse=True)
    tails, heads, starts, ends = np.split(index, np.cumsum([len(tails), len(heads), len(starts)]))
    source, sink = len(used), len(used) + 1
    row = np.concatenate([tails, heads, np.full(2 * k, source), ends])
    col = np.concatenate([heads, tails, starts, np.full(2 * k, sink)])
    cap = np.concatenate([rise, fall, limits, limits]).astype("int32")
    graph = sp.csr_matrix((cap, (row, col)), shape=(sink + 1, sink + 1))  # parallel arcs add up
    graph.sum_duplicates()
    flow = maximum_flow(graph, source, sink).flow.tocsr()
    out = np.asarray(flow[source].toarray()).reshape(-1)
    return np.minimum(out[starts[:k]], min_n), np.minimum(out[starts[k:]], limit_down)


def narrow_by_flow(net: Network, min_n: int, targets: np.ndarray | None = None, floor: int = 1) -> np.ndarray:
    """The unknown arcs (or those of `targets`) whose range breaks the rule: exact, as the LP."""
    targets = np.flatnonzero(net.unknown) if targets is None else np.asarray(targets, dtype="int64")
    up, down = flow_bounds(net, targets, min_n, floor=floor)
    return targets[~meets_rule(net.count[targets], up, down, min_n)]


@dataclass(frozen=True)
class NetworkLP:
    """The linear programme of a network: one column per unknown arc, one row per node
    balance (what `linked.LinkedSolver` solves)."""

    column_of: np.ndarray  # (arcs,) int: the arc's column, −1 when known
    a: sp.csr_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray


def lp_model(net: Network, floor: int = 1) -> NetworkLP:
    """Σ unknown in − Σ unknown out = Σ known out − Σ known in at every node; unknowns ≥ floor."""
    unknown = net.unknown
    column_of = np.full(len(net.tail), -1, dtype="int64")
    column_of[unknown] = np.arange(int(unknown.sum()))
    arcs = np.flatnonzero(unknown)
    rows = np.concatenate([net.head[arcs], net.tail[arcs]])
    cols = np.concatenate([column_of[arcs], column_of[arcs]])
    vals = np.concatenate([np.ones(len(arcs)), -np.ones(len(arcs))])
    # Known counts: hidden arcs without respondents count 0.
    known = np.where(unknown | net.hidden, 0, net.count).astype("float64")
    balance = np.bincount(net.tail, known, minlength=net.n_nodes) - np.bincount(net.head, known, minlength=net.n_nodes)
    used = np.unique(rows)
    position = np.full(net.n_nodes, -1, dtype="int64")
    position[used] = np.arange(len(used))
    a = sp.csr_matrix((vals, (position[rows], cols)), shape=(len(used), len(arcs)))
    k = len(arcs)
    return NetworkLP(column_of, a, balance[used], balance[used], np.full(k, float(floor)), np.full(k, np.inf))


def lp_narrow(net: Network, min_n: int, targets: np.ndarray | None = None, floor: int = 1,
              prune_by_flow: bool = True) -> list[tuple[int, float, float]]:
    """(arc, lo, hi) of the unknown arcs (or `targets`) whose LP range breaks the rule, every
    unknown at least `floor`. With `prune_by_flow`, arcs the max flow proves wide get no LP of
    their own."""
    targets = np.flatnonzero(net.unknown) if targets is None else np.asarray(targets, dtype="int64")
    if prune_by_flow:
        targets = narrow_by_flow(net, min_n, targets, floor)
    if len(targets) == 0:
        return []
    model = lp_model(net, floor)
    arc_of = {int(model.column_of[t]): int(t) for t in targets}
    return [(arc_of[col], lo, hi) for col, lo, hi in narrow_columns(model, model.column_of[targets], min_n)]
