"""The joint audit of one institution's breakdown tables: each table alone is protected
(`breakdown`), but linked tables leak together. Team A and B in location Alkmaar, team B hidden
with a complement, Alkmaar and A published: B = Alkmaar − A. So all tables of an institution
are checked together, per var (item), over the cross-classification of all its groupings, and
protection hides more groups until the audit passes.

Attacker model. The attacker knows which cells exist (the combinations of all groupings'
values among the institution's respondents: the institution supplied the labels), every
published group's n exactly and, for percentage vars, its count of positives exactly (as the
site assumes). Unknown: the cell counts, non-negative integers. Credited beyond that, on the
safe side (more knowledge only narrows ranges), as in the site's first attacker view: a group
with n = 0, published or hidden, is known to be empty, so its cells are pinned to 0. Not
credited: that a hidden non-empty group holds ≥ 1 (the site's second view); a cell exists
because someone answered the survey, not this item.

Checks per var, on the hidden groups with respondents (an empty hidden group discloses nobody's
answer; it only counts as known-empty above):
1. rank: the group's membership vector lies in the span of the published ones → derivable.
   The span depends only on the hidden pattern: once per distinct pattern.
2. interval (the site's rule, `audit._meets_rule`): its count ranges over [lo, hi] across all
   tables consistent with the published figures; hi − lo < min_n or hi < min_n is a finding.
3. unanimity (percentage vars): taking every cell's n as known (as the site's answer audit
   does), a group whose members all answered positive (or none did) and the published positives
   prove it. A group covered by published groups that are themselves unanimous is a published
   fact, not a finding. Only truly unanimous groups can be proven so; only they are tested.

Integer, not LP. These constraint matrices are not totally unimodular (the site's two-way
tables are), so an LP range only contains the integer range; a wide LP range proves nothing.
Each bound is taken in up to three steps. (a) A max flow on a restriction: cells move only
between rows of the group's own table, within classes of cells that agree on every other
published group. That is a bipartite network, so its flows are integer tables consistent with
everything published: inner bounds that are attained. They decide nearly every group, all in
one max-flow call (one network copy per group and direction; paths of one or two steps are
settled up front without it). (b) What they leave open goes to block-diagonal LPs (HiGHS):
outer bounds, rounded inwards, attained where the LP vertex is integral. (c) What both leave
open goes to a MILP. The verdicts are exact for integer tables, and no LP runs per (var,
group, direction) unless the flow could not decide it.

Protection hides, per var and round, one published non-fixed group for a finding on h: one
that shares a cell with h or sits in h's own table. The latter are disjoint from h, but they
are its complements: a table that leaks alone (one hidden group) is only repaired there.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import maximum_flow

Finding = tuple[int, int, str]  # (var index, group index, description)
GRAM_TOL = 1e-12  # eigenvalues of the Gram matrix are squared singular values: 1e-12 ~ σ ratio 1e-6
LP_TOL = 1e-6
# Blocks per LP: HiGHS does not exploit block-diagonal structure; beyond a few blocks one LP
# costs more per block than separate ones (measured: 9 ms per block alone, 22 ms in 64).
LP_BLOCKS = 4


class _Context:
    """The institution's fixed structure and caches shared by every audit round."""

    def __init__(self, membership: np.ndarray, min_n: int, grouping: np.ndarray | None):
        self.membership = np.asarray(membership, dtype=bool)
        self.weights = self.membership.astype("float64")  # for BLAS products
        self.min_n = int(min_n)
        self.whole = self.membership.all(axis=1)  # the total (and anything covering every cell)
        self.grouping = infer_grouping(self.membership) if grouping is None else np.asarray(grouping)
        self.structures: dict = {}
        self.spans: dict = {}


def infer_grouping(membership: np.ndarray) -> np.ndarray:
    """Table number per group: callers list each table's groups one after another, and the
    groups of one table are disjoint, so a group that overlaps the current table starts a new one."""
    grouping = np.zeros(len(membership), dtype="int64")
    current, table = np.zeros(membership.shape[1], dtype=bool), 0
    for g, cells in enumerate(membership):
        if (cells & current).any():
            table, current = table + 1, np.zeros_like(current)
        current |= cells
        grouping[g] = table
    return grouping


def audit_jointly(membership: np.ndarray, n: np.ndarray, hidden: np.ndarray, min_n: int,
                  positives: np.ndarray | None = None, is_pct: np.ndarray | None = None, *,
                  grouping: np.ndarray | None = None) -> list[Finding]:
    """Findings (var, group, description) of all of an institution's tables together.
    `membership` groups × cells, `n` and `positives` vars × cells, `hidden` vars × groups;
    `is_pct` says which vars have positives (default: all, when `positives` is given);
    `grouping` the table of each group (default: inferred, see `infer_grouping`)."""
    ctx = _Context(membership, min_n, grouping)
    positives, is_pct = _percentages(positives, is_pct, len(n))
    return _audit(ctx, np.asarray(n), np.asarray(hidden, dtype=bool), positives, is_pct)


def protect_jointly(membership: np.ndarray, n: np.ndarray, hidden: np.ndarray, min_n: int, fixed: np.ndarray,
                    positives: np.ndarray | None = None, is_pct: np.ndarray | None = None, max_rounds: int = 50, *,
                    grouping: np.ndarray | None = None) -> tuple[np.ndarray, list[Finding]]:
    """Hide more groups until the joint audit is clean: per round and var, one more published,
    non-fixed group for its first finding that has a candidate. Returns the hidden mask and the
    findings left (empty when protected; otherwise the pack must not be written). Hidden groups
    never become published."""
    ctx = _Context(membership, min_n, grouping)
    n, hidden = np.asarray(n), np.array(hidden, dtype=bool)
    positives, is_pct = _percentages(positives, is_pct, len(n))
    fixed = np.asarray(fixed, dtype=bool)
    findings = _audit(ctx, n, hidden, positives, is_pct)
    for _ in range(max_rounds):
        picks = _covers(ctx, n, hidden, positives, is_pct, fixed, findings)
        if not picks:
            break
        rows = np.array(sorted(picks))
        hidden[rows, [picks[v] for v in rows]] = True
        fresh = _audit(ctx, n[rows], hidden[rows], _take(positives, rows), _take(is_pct, rows))
        findings = sorted([f for f in findings if f[0] not in picks] + [(int(rows[r]), g, t) for r, g, t in fresh])
    return hidden, findings


def _percentages(positives, is_pct, n_vars: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    if positives is None:
        return None, None
    is_pct = np.ones(n_vars, dtype=bool) if is_pct is None else np.asarray(is_pct, dtype=bool)
    return np.asarray(positives), is_pct


def _take(array, rows):
    return None if array is None else array[rows]


def _covers(ctx: _Context, n, hidden, positives, is_pct, fixed, findings) -> dict[int, int]:
    """Per var with findings, the group to hide next, for its first finding (v, h) that has a
    candidate: a published, non-fixed, non-empty group, not the total, that shares a cell with h
    or sits in h's own table (its complements, disjoint from it). The smallest n that resolves
    the finding on its own wins (all vars' trials in one audit), else the smallest n."""
    m = ctx.membership
    trials = []  # (var, group to hide, finding's group)
    per_var: dict[int, list[int]] = {}
    for v, g, _ in findings:
        per_var.setdefault(v, []).append(g)
    counts = _sums(n[list(per_var)], ctx.weights)
    for (v, groups), count in zip(per_var.items(), counts):
        for h in groups:
            near = (m & m[h]).any(axis=1) | (ctx.grouping == ctx.grouping[h])
            candidates = np.flatnonzero(~hidden[v] & ~fixed & ~ctx.whole & (count > 0) & near)
            if len(candidates):
                trials += [(v, int(g), h) for g in candidates[np.lexsort((candidates, count[candidates]))]]
                break
    if not trials:
        return {}
    rows, extra, target = (np.array(t) for t in zip(*trials))
    trial = hidden[rows].copy()
    trial[np.arange(len(rows)), extra] = True
    only = np.zeros_like(trial)
    only[np.arange(len(rows)), target] = True
    still = {r for r, _, _ in _audit(ctx, n[rows], trial, _take(positives, rows), _take(is_pct, rows), only)}
    picks = {}
    for v in dict.fromkeys(rows.tolist()):
        mine = np.flatnonzero(rows == v)  # in candidate order
        resolving = [r for r in mine if r not in still]
        picks[v] = int(extra[resolving[0] if resolving else mine[0]])
    return picks


def _audit(ctx: _Context, n, hidden, positives, is_pct, only=None) -> list[Finding]:
    """All three checks on rows of (n, hidden); `only` limits which groups are tested."""
    count = _sums(n, ctx.weights)
    pinned = (count == 0).astype("float64") @ ctx.weights > 0  # cells of a known-empty group
    targets = hidden & (count > 0) & ~ctx.whole
    if only is not None:
        targets &= only
    derivable = _rank_test(ctx, hidden, pinned) & targets
    findings = [(int(v), int(g), f"group {g} (n={count[v, g]}) is derivable from the published groups")
                for v, g in zip(*np.nonzero(derivable))]
    findings += _interval_test(ctx, n, count, hidden, pinned, targets & ~derivable)
    if positives is not None:
        reported = np.zeros_like(targets)
        for v, g, _ in findings:
            reported[v, g] = True
        findings += _unanimity_test(ctx, n, count, positives, is_pct, hidden, pinned, targets & ~reported)
    return sorted(findings)


def _sums(values, weights) -> np.ndarray:
    """Per row and group, the sum over its cells (a float product: BLAS, exact for counts)."""
    return np.rint(values.astype("float64") @ weights.T).astype("int64")


def _rank_test(ctx: _Context, hidden, pinned) -> np.ndarray:
    """Per row and group: its membership (over cells not pinned) is a combination of the
    published groups'. Computed once per distinct (hidden, pinned) pattern."""
    m = ctx.membership
    out = np.zeros(hidden.shape, dtype=bool)
    for v in range(len(hidden)):
        key = (hidden[v].tobytes(), pinned[v].tobytes())
        if key not in ctx.spans:
            free = ~pinned[v]
            if not free.any():
                ctx.spans[key] = np.ones(len(m), dtype=bool)
                out[v] = hidden[v]
                continue
            # Through the Gram matrix of the published groups (groups × groups, small): a vector
            # lies in their span when its squared norm equals that of its projection. Same
            # verdicts as an SVD of the groups × cells matrix at a tenth of the time.
            vectors = m[:, free].astype("float64")
            known = vectors[~hidden[v]]
            values, basis = np.linalg.eigh(known @ known.T)
            keep = values > GRAM_TOL * max(1.0, values.max(initial=0))
            coefficients = basis[:, keep].T @ (known @ vectors.T)
            projected = (coefficients**2 / values[keep][:, None]).sum(axis=0)
            norms = (vectors**2).sum(axis=1)
            ctx.spans[key] = norms - projected < 1e-7 * np.maximum(norms, 1.0)
        out[v] = ctx.spans[key] & hidden[v]
    return out


def _meets(count, up, down, min_n):
    """The site's rule: hi − lo ≥ min_n and hi ≥ min_n, with hi = n + up and lo = n − down."""
    return (up + down >= min_n) & (count + up >= min_n)


def _interval_test(ctx: _Context, n, count, hidden, pinned, targets) -> list[Finding]:
    """Hidden groups whose feasible count range breaks the rule (flow, then LP, then MILP)."""
    rows, groups = np.nonzero(targets)
    if len(rows) == 0:
        return []
    cap, own = ctx.min_n, count[rows, groups]
    ub = np.where(pinned, 0.0, np.inf)
    problem = (ctx, n, ub, hidden, pinned, rows, groups)
    inner = {True: _flow_moves(*problem, np.ones(len(rows), bool), True, cap)}
    inner[False] = np.zeros(len(rows), dtype="int64")
    short = inner[True] < cap  # a rise of min_n meets the rule whatever the fall
    inner[False][short] = _flow_moves(*problem, short, False, cap, cap - inner[True])[short]
    outer = {d: np.full(len(rows), cap) for d in (True, False)}
    open_ = ~_meets(own, inner[True], inner[False], cap)
    for exact_step in (False, True):  # LP (outer, exact where integral), then MILP (exact)
        for raising in (True, False):
            todo = open_ & (inner[raising] < outer[raising])
            if todo.any():
                value, integral = _bound_moves(*problem, todo, raising, cap, exact_step)
                outer[raising] = np.where(todo, value, outer[raising])
                inner[raising] = np.where(todo & integral, value, inner[raising])
        failing = ~_meets(own, outer[True], outer[False], cap)
        open_ &= ~failing & ~_meets(own, inner[True], inner[False], cap)
    findings = []
    for i in np.flatnonzero(failing):
        lo, hi = own[i] - outer[False][i], own[i] + outer[True][i]
        text = (f"hold at most {hi} < {cap} respondents (range {lo}–{hi})" if hi < cap
                else f"lie in {lo}–{hi}, a range narrower than {cap}")
        findings.append((int(rows[i]), int(groups[i]), f"group {groups[i]} (n={own[i]}) is known to {text}"))
    return findings


def _unanimity_test(ctx: _Context, n, count, positives, is_pct, hidden, pinned, targets) -> list[Finding]:
    """Hidden groups whose all-positive (or no-positive) answer follows from the published
    positives, every cell's n taken as known."""
    pos, w = _sums(positives, ctx.weights), ctx.weights
    answered = n > 0
    findings = []
    for all_yes in (True, False):
        unanimous = (pos == count) if all_yes else (pos == 0)
        said = ((~hidden & unanimous & (count > 0)).astype("float64") @ w > 0) | ~answered
        known = (~said).astype("float64") @ w.T == 0  # every answering cell of the group is said
        rows, groups = np.nonzero(targets & is_pct[:, None] & unanimous & ~known)
        if len(rows) == 0:
            continue
        problem = (ctx, positives, n.astype("float64"), hidden, pinned, rows, groups)
        # Away from unanimity: lower an all-positive group, raise an all-negative one.
        moved = _flow_moves(*problem, np.ones(len(rows), bool), not all_yes, 1)
        todo = moved < 1
        if todo.any():
            value, integral = _bound_moves(*problem, todo, not all_yes, 1, False)
            moved = np.where(todo & (value >= 1) & integral, 1, moved)
            open_ = todo & (value >= 1) & ~integral  # the LP moves it, maybe only fractionally
            if open_.any():
                moved = np.where(open_, _bound_moves(*problem, open_, not all_yes, 1, True)[0], moved)
        answer = "answered positive" if all_yes else "answered not positive"
        findings += [(int(v), int(g), f"group {g} (n={count[v, g]}): every respondent is known to have {answer}")
                     for v, g in zip(rows[moved == 0], groups[moved == 0])]
    return findings


def _structure(ctx: _Context, hidden_row, pinned_row, key: tuple) -> dict:
    """The flow restriction for target h: rows are h, the published groups of its own table
    (pairwise disjoint) and F (the rest: h's hidden complements and cells in none); columns are
    classes of free cells agreeing on every other published group. Moving mass between rows
    within a column keeps every published figure except the rows' own totals."""
    if key in ctx.structures:
        return ctx.structures[key]
    m, h = ctx.membership, key[2]
    cells = np.flatnonzero(~pinned_row)
    row = np.where(m[h, cells], 0, -1)
    signature = ~hidden_row & ~ctx.whole
    rows = 1
    for g in np.flatnonzero(~hidden_row & ~ctx.whole & (ctx.grouping == ctx.grouping[h])):
        if not (m[g, cells] & (row >= 0)).any():
            row[m[g, cells]] = rows
            signature[g] = False
            rows += 1
    row[row < 0] = rows
    column = np.zeros(len(cells), dtype="int64")
    if signature.any():
        column = np.unique(np.packbits(m[signature][:, cells], axis=0).T, axis=0, return_inverse=True)[1].reshape(-1)
    columns = int(column.max(initial=0)) + 1
    pairs, pair = np.unique(row * columns + column.reshape(-1), return_inverse=True)
    pair = pair.reshape(-1)
    spread = sp.csr_array((np.ones(len(cells)), (pair, np.arange(len(cells)))), shape=(len(pairs), len(cells)))
    structure = dict(cells=cells, spread=spread, pairs=pairs, pair_row=pairs // columns, pair_col=pairs % columns,
                     rows=rows + 1, columns=columns, rest=rows)
    ctx.structures[key] = structure
    return structure


def _flow_moves(ctx, z, ub, hidden, pinned, rows, groups, select, raising: bool, cap: int,
                enough: np.ndarray | None = None) -> np.ndarray:
    """Integer lower bounds (capped at `cap`; exact below `enough`, default cap) on how far each
    selected target's sum of z can rise (or fall) with 0 ≤ z ≤ ub and every published sum kept:
    one max-flow call over one copy of the restriction's network per target. Flow into a row
    raises a cell of it; flow out of a column lowers one, so every column total stays and so
    does every published row."""
    shared: dict = {}
    out = np.zeros(len(rows), dtype="int64")
    for i in np.flatnonzero(select):
        shared.setdefault((hidden[rows[i]].tobytes(), pinned[rows[i]].tobytes(), int(groups[i])), []).append(i)
    tails, heads, caps, starts, ends, order = [], [], [], [], [], []
    offset = 0
    for key, members in shared.items():
        members = np.array(members)
        s = _structure(ctx, hidden[rows[members[0]]], pinned[rows[members[0]]], key)
        zc = z[rows[members]][:, s["cells"]].astype("float64")
        fall = np.minimum(s["spread"] @ zc.T, cap).T
        rise = np.minimum(s["spread"] @ np.minimum(ub[rows[members]][:, s["cells"]] - zc, cap).T, cap).T
        # Paths of one or two steps need no max flow: within a column straight from the start
        # row to the end row, or through one published row r (taking the better, a lower bound).
        (a, b), n_rows = ((0, s["rest"]) if raising else (s["rest"], 0)), s["rows"]
        grid_rise, grid_fall = (np.zeros((len(members), n_rows * s["columns"])) for _ in range(2))
        grid_rise[:, s["pairs"]], grid_fall[:, s["pairs"]] = rise, fall
        grid_rise, grid_fall = (g.reshape(len(members), n_rows, -1) for g in (grid_rise, grid_fall))
        into, out_of = grid_rise[:, a], grid_fall[:, b]
        via = np.minimum(np.minimum(into[:, None], grid_fall[:, 1:-1]).sum(axis=2),
                         np.minimum(grid_rise[:, 1:-1], out_of[:, None]).sum(axis=2))
        short = np.maximum(np.minimum(into, out_of).sum(axis=1), via.max(axis=1, initial=0))
        out[members] = np.minimum(short, cap)
        keep = short < (cap if enough is None else enough[members])
        members, fall, rise = members[keep], fall[keep], rise[keep]
        if len(members) == 0:
            continue
        size = s["rows"] + s["columns"]
        base = offset + size * np.arange(len(members))[:, None]
        row_node, col_node = (base + s["pair_row"]).ravel(), (base + s["rows"] + s["pair_col"]).ravel()
        tails += [row_node, col_node]
        heads += [col_node, row_node]
        caps += [rise.ravel(), fall.ravel()]
        starts.append(base[:, 0] + (0 if raising else s["rest"]))
        ends.append(base[:, 0] + (s["rest"] if raising else 0))
        order.append(members)
        offset += size * len(members)
    if not order:
        return out
    source, sink = offset, offset + 1
    starts, ends = np.concatenate(starts), np.concatenate(ends)
    tail = np.concatenate(tails + [np.full(len(starts), source), ends])
    head = np.concatenate(heads + [starts, np.full(len(ends), sink)])
    cap_all = np.concatenate(caps + [np.full(2 * len(starts), cap)]).astype("int32")
    keep = cap_all > 0
    graph = sp.csr_matrix((cap_all[keep], (tail[keep], head[keep])), shape=(sink + 1, sink + 1))
    flow = maximum_flow(graph, source, sink, method="dinic").flow.tocsr()
    lo, hi = flow.indptr[source], flow.indptr[source + 1]
    sent = np.zeros(sink + 1, dtype="int64")
    sent[flow.indices[lo:hi]] = np.maximum(flow.data[lo:hi], 0)
    out[np.concatenate(order)] = sent[starts]
    return out


def _bound_moves(ctx, z, ub, hidden, pinned, rows, groups, select, raising: bool, cap: int,
                 integer: bool) -> tuple[np.ndarray, np.ndarray]:
    """How far each selected target can rise (or fall), capped at `cap`: by block-diagonal LPs
    (an outer bound; `integral` where its vertex is an integer table, then attained), or with
    `integer` by a MILP per target (exact). Cells with equal membership in every published group
    and the target are merged: their split is free."""
    m = ctx.membership
    blocks = []
    for i in np.flatnonzero(select):
        v, h = rows[i], groups[i]
        cells = np.flatnonzero(~pinned[v])
        published = ~hidden[v]
        packed = np.packbits(m[published | (np.arange(len(m)) == h)][:, cells], axis=0).T
        _, first, merged = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        merged = merged.reshape(-1)
        a = sp.csr_matrix(m[published][:, cells[first]].astype("float64"))
        zm = np.bincount(merged, z[v, cells].astype("float64"), len(first))
        # A cell no published group bounds is unbounded: cap each cell at `cap` above its count.
        # That keeps every LP bounded and can only narrow a range (more findings, never fewer).
        upper = np.minimum(np.bincount(merged, ub[v, cells], len(first)), zm + cap)
        objective = (-1.0 if raising else 1.0) * m[h, cells[first]]
        blocks.append((i, a, a @ zm, objective, upper, float(z[v, cells][m[h, cells]].sum())))
    value = np.full(len(rows), cap, dtype="int64")
    integral = np.zeros(len(rows), dtype=bool)
    if not blocks:
        return value, integral
    if integer:
        results = [milp(c, constraints=LinearConstraint(a, b, b), integrality=np.ones(len(c)), bounds=Bounds(0, upper))
                   for _, a, b, c, upper, _ in blocks]
        xs = [r.x if r.status == 0 else None for r in results]
    else:
        xs = []
        for k in range(0, len(blocks), LP_BLOCKS):
            chunk = blocks[k:k + LP_BLOCKS]
            sizes = [len(b[3]) for b in chunk]
            bounds = np.column_stack([np.zeros(sum(sizes)), np.concatenate([b[4] for b in chunk])])
            res = linprog(np.concatenate([b[3] for b in chunk]), A_eq=sp.block_diag([b[1] for b in chunk], format="csc"),
                          b_eq=np.concatenate([b[2] for b in chunk]), bounds=bounds, method="highs")
            xs += np.split(res.x, np.cumsum(sizes)[:-1]) if res.status == 0 else [None] * len(chunk)
    for (i, _, _, c, _, current), x in zip(blocks, xs):
        if x is None:
            raise RuntimeError("joint audit: a bound problem failed although the true table is feasible")
        best = -c @ x if raising else c @ x
        move = np.floor(best - current + LP_TOL) if raising else np.floor(current - best + LP_TOL)
        value[i] = min(int(move), cap)
        integral[i] = integer or bool(np.abs(x - np.round(x)).max(initial=0) < LP_TOL)
    return value, integral


if __name__ == "__main__":
    import time

    from jobmonitor.compute.disclosure import protect_tables

    def synthetic(nested: bool, seed=0, respondents=4000, n_vars=150, nonresponse=0.1, min_n=10):
        """An institution with six groupings (leerweg, niveau, domain, location, label, team:
        2, 4, 8, 3, 3, 6 values), teams nested in locations or not, a few small groups, a label
        some respondents lack, item nonresponse, each table protected alone as `breakdown` does."""
        rng = np.random.default_rng(seed)
        shares = [rng.dirichlet(np.full(k, 2.0)) for k in (2, 4, 8, 3, 6, 3)]
        shares[2][-1], shares[3][-1], shares[4][[2, 5]] = 0.0022, 0.003, [0.0032, 0.0015]
        leerweg, niveau, domain, label, team, location = [rng.choice(len(p), respondents, p=p / p.sum()) for p in shares]
        label[rng.random(respondents) < 0.05] = -1
        location = team // 2 if nested else location
        sizes, values = (2, 4, 8, 3, 3, 6), np.stack([leerweg, niveau, domain, location, label, team], axis=1)
        cells, cell = np.unique(values, axis=0, return_inverse=True)
        membership = np.array([cells[:, j] == value for j, k in enumerate(sizes) for value in range(k)]
                              + [np.ones(len(cells), bool)])
        grouping = np.repeat(np.arange(len(sizes) + 1), list(sizes) + [1])
        answered = rng.random((n_vars, respondents)) > nonresponse
        positive = answered & (rng.random((n_vars, respondents)) < rng.uniform(0.1, 0.9, (n_vars, 1)))
        n = np.array([np.bincount(cell[a], minlength=len(cells)) for a in answered])
        positives = np.array([np.bincount(cell[a], minlength=len(cells)) for a in positive])
        count = n @ membership.T
        hidden = np.zeros(count.shape, dtype=bool)
        for j in range(len(sizes)):
            table = np.concatenate([count[:, grouping == j], count[:, -1:]], axis=1)
            grid = np.stack([table, table], axis=2)
            hidden[:, grouping == j] = protect_tables(grid, grid[0] >= 0, min_n)[:, :-1, 0] | (table[:, :-1] == 0)
        return membership, n, hidden, positives, grouping

    for nested in (True, False):
        membership, n, hidden, positives, grouping = synthetic(nested)
        print(f"teams {'nested in' if nested else 'crossed with'} locations: {membership.shape[1]} cells, "
              f"{len(membership)} groups, {len(n)} vars, {int(hidden.sum())} hidden figures")
        audit_s, protect_s = [], []
        for _ in range(3):  # the best of three: the first includes one-off set-up costs
            start = time.perf_counter()
            findings = audit_jointly(membership, n, hidden, 10, positives, grouping=grouping)
            audit_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            protected, left = protect_jointly(membership, n, hidden, 10, membership.all(axis=1), positives,
                                              grouping=grouping)
            protect_s.append(time.perf_counter() - start)
        print(f"  audit {min(audit_s):.3f} s: {len(findings)} findings; protection (its audits included) "
              f"{min(protect_s):.3f} s: {int((protected & ~hidden).sum())} groups hidden more, {len(left)} findings left")
