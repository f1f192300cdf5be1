"""Which rows of the national data file stay hidden: the site's rules (DESIGN, "Disclosure
control"), and nothing the file shows narrows what the site hides, nor the other way round.

Per var and domain d the file holds a table: institutions × the opleidingen of d, whose row
totals are the site's institution × domain cells, whose column totals are the file's national
opleiding figures and whose corner is the site's domain total. The site's statuses are given and
never change here. Three steps:

1. Per domain table, stacked over the vars: primary (n < min_n) and complementary suppression
   (`disclosure.complementary_suppression_many`: every line that hides anything hides two
   figures holding ≥ min_n), a site-hidden cell hiding all its opleidingen and the site's hidden
   totals hidden from the start. (`full=True` runs `disclosure.protect_tables` here instead,
   each table's own interval and answer audits too: step 2 decides the same intervals exactly
   and re-checks the answers, so that only hides more; bench/README.md has the figures.)
2. Per var jointly: the site's institution × domain table and all the var's domain tables form
   one flow network (`compute.network`). While a hidden count's range is narrower than min_n
   (or below it), the published file figure whose hiding widens it most is hidden too; a hidden
   file figure of at least min_n whose value follows exactly from published ones is shown
   instead (hiding it protects nothing). The answer audit of each domain table runs again on
   the result. A count the file cannot widen refuses the file (`AuditFailed`).
3. The audit of record, per var: the linear programme over every hidden count, site and file
   (`network.lp_narrow`); it must find nothing.

Around steps 1–2, whole units (the linked attacker, as on the site: a unit's vars share its
respondents, so a count hidden in one var is pinned by the same unit's counts shown in the
others): an institution × opleiding, or an opleiding nationally, hidden in any var is hidden in
every var, and step 2 runs again for each var that still showed one, until none does. A figure
its own var's published figures give away exactly may still be shown (it tells nothing). This
is the safe rule, not the least one: the file has no linked programme of its own yet that
would let it show a unit hidden in one var only where linking narrows nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from jobmonitor.compute.disclosure import complementary_suppression, complementary_suppression_many, protect_tables
from jobmonitor.compute.network import Network, deficit, flow_bounds, lp_narrow, narrow_by_flow
from jobmonitor.compute.recoverability import unanimous_cells
from jobmonitor.errors import AuditFailed

log = logging.getLogger(__name__)

# Arc kinds of a var's network (`compute.network`): the site's figures, then the file's.
INSTITUTION, SITE_CELL, FILE_CELL, PROGRAMME, DOMAIN, NATIONAL = range(6)
FILE_KINDS = (FILE_CELL, PROGRAMME)
MAX_ROUNDS = 400  # joint rounds per var; each hides or shows at least one file figure
# The least value a hidden count with respondents may take in the joint audit: 0. Both the site
# and the file list their hidden units, but a unit's respondents need not have answered every
# question, so "at least 1" is not a fact about one var's count. (The site's own per-table audit
# assumes 1, the safe side within one table; across site and file it would leave nothing to
# hide: a hidden institution × domain cell of 6 with three opleidingen listed would be known to
# hold at least 3 however much else is hidden.)
FLOOR = 0
WHOLE_ROUNDS = 30  # rounds of whole units (each hides at least one more)


@dataclass(frozen=True)
class ProgrammeTables:
    """One edition's counts per var: the file's and, as given, the site's."""

    var_ids: list[str]
    categories: list[tuple]  # per var: the answer-code sets whose unanimity is audited
    programme_domain: np.ndarray  # (P,) int: each opleiding's domain
    site_n: np.ndarray  # (V, I+1, D+1) int: the site's counts, margins last
    site_hidden: np.ndarray  # (V, I+1, D+1) bool: hidden on the site
    site_present: np.ndarray  # (I+1, D+1) bool
    cell_n: np.ndarray  # (V, I, P) int: institution × opleiding
    cell_present: np.ndarray  # (I, P) bool
    programme_n: np.ndarray  # (V, P) int: opleiding nationally
    cell_answers: dict[int, np.ndarray]  # answer code → (V, I, P) respondents who gave it


@dataclass
class Protection:
    cell_hidden: np.ndarray  # (V, I, P) bool
    programme_hidden: np.ndarray  # (V, P) bool
    stats: dict = field(default_factory=dict)  # counts checked, rounds, LP findings (for the manifest)


@dataclass(frozen=True)
class DomainTable:
    """Domain d's table for every var: the institutions with a site cell in d × the opleidingen
    of d, with the site's cells as row totals, the opleiding totals as column totals and the
    site's domain total in the corner (margins last)."""

    domain: int
    rows: np.ndarray  # institutions
    cols: np.ndarray  # opleidingen
    n: np.ndarray  # (V, R+1, C+1)
    present: np.ndarray  # (R+1, C+1)
    answers: dict[int, np.ndarray]  # answer code → (V, R+1, C+1), margins by adding cells

    @classmethod
    def of(cls, tables: ProgrammeTables, d: int) -> "DomainTable":
        n_inst = tables.cell_n.shape[1]
        rows, cols = np.flatnonzero(tables.site_present[:n_inst, d]), np.flatnonzero(tables.programme_domain == d)
        present = np.ones((len(rows) + 1, len(cols) + 1), dtype=bool)
        present[:-1, :-1] = tables.cell_present[rows][:, cols]
        n = _framed(tables.cell_n, rows, cols, (tables.site_n[:, rows, d], tables.programme_n[:, cols], tables.site_n[:, -1, d]))
        answers = {}
        for code, cells in tables.cell_answers.items():
            inside = cells[:, :, cols]
            answers[code] = _framed(cells, rows, cols, (inside.sum(axis=2)[:, rows], inside.sum(axis=1), inside.sum(axis=(1, 2))))
        return cls(int(d), rows, cols, n, present, answers)

    def hidden(self, tables: ProgrammeTables, cell_hidden: np.ndarray, programme_hidden: np.ndarray,
               var: slice | list[int] = slice(None)) -> np.ndarray:
        """The hidden flags of this table: the file's given (`var`'s), the margins the site's."""
        site = tables.site_hidden[var]
        return _framed(cell_hidden, self.rows, self.cols, (site[:, self.rows, self.domain], programme_hidden[:, self.cols],
                                                           site[:, -1, self.domain]))


def _framed(values: np.ndarray, rows: np.ndarray, cols: np.ndarray, margins: tuple) -> np.ndarray:
    """A stack (V, R+1, C+1): `values` (V, I, P) at `rows` × `cols` inside, then the row totals
    (V, R), the column totals (V, C) and the corner (V,)."""
    out = np.zeros((values.shape[0], len(rows) + 1, len(cols) + 1), dtype=values.dtype)
    out[:, :-1, :-1] = values[:, rows][:, :, cols]
    out[:, :-1, -1], out[:, -1, :-1], out[:, -1, -1] = margins
    return out


def initial_protection(tables: ProgrammeTables, domains: list[DomainTable], min_n: int,
                       full: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Step 1: each domain table on its own, all vars at once: primary, the site's hidden
    cells and totals, and complementary suppression (with `full`, also each table's own
    interval and answer audits, `disclosure.protect_tables`; the joint step does both anyway)."""
    cell_hidden = np.zeros(tables.cell_n.shape, dtype=bool)
    programme_hidden = np.zeros(tables.programme_n.shape, dtype=bool)
    every = np.arange(len(tables.var_ids))
    for table in domains:
        initial = table.hidden(tables, cell_hidden, programme_hidden)
        initial[:, :-1, :-1] = initial[:, :-1, -1:]  # a site-hidden cell hides all its opleidingen
        initial &= table.present
        if full:
            hidden = protect_tables(table.n, table.present, min_n, answers=table.answers, categories=tables.categories,
                                    initial=initial)
        else:
            hidden = complementary_suppression_many(table.n, table.present, min_n, initial)
        cell_hidden[np.ix_(every, table.rows, table.cols)] = hidden[:, :-1, :-1]
        programme_hidden[:, table.cols] = hidden[:, -1, :-1]
    return cell_hidden, programme_hidden


@dataclass(frozen=True)
class Arcs:
    """The network's arcs, the same for every var: kind and position of each."""

    tail: np.ndarray
    head: np.ndarray
    kind: np.ndarray
    institution: np.ndarray  # −1 where none
    domain: np.ndarray  # −1 where none
    programme: np.ndarray  # −1 where none
    n_nodes: int

    @classmethod
    def of(cls, tables: ProgrammeTables) -> "Arcs":
        n_inst, n_dom = tables.site_present.shape[0] - 1, tables.site_present.shape[1] - 1
        n_prog = len(tables.programme_domain)
        inst_node = 2 + np.arange(n_inst)
        cell_node = 2 + n_inst + np.arange(n_inst * n_dom).reshape(n_inst, n_dom)
        prog_node = 2 + n_inst + n_inst * n_dom + np.arange(n_prog)
        dom_node = 2 + n_inst + n_inst * n_dom + n_prog + np.arange(n_dom)
        parts = []
        i = np.flatnonzero(tables.site_present[:n_inst, -1])
        parts.append((np.zeros(len(i)), inst_node[i], INSTITUTION, i, -1, -1))
        i, d = np.nonzero(tables.site_present[:n_inst, :n_dom])
        parts.append((inst_node[i], cell_node[i, d], SITE_CELL, i, d, -1))
        i, p = np.nonzero(tables.cell_present)
        parts.append((cell_node[i, tables.programme_domain[p]], prog_node[p], FILE_CELL, i, tables.programme_domain[p], p))
        p = np.arange(n_prog)
        parts.append((prog_node[p], dom_node[tables.programme_domain[p]], PROGRAMME, -1, tables.programme_domain[p], p))
        d = np.flatnonzero(tables.site_present[-1, :n_dom])
        parts.append((dom_node[d], np.ones(len(d)), DOMAIN, -1, d, -1))
        parts.append((np.ones(1), np.zeros(1), NATIONAL, -1, -1, -1))
        size = [len(np.atleast_1d(p[0])) for p in parts]
        column = [np.concatenate([np.broadcast_to(np.asarray(p[k]), (s,)) for p, s in zip(parts, size)]).astype("int64")
                  for k in range(6)]
        return cls(*column, n_nodes=int(2 + n_inst + n_inst * n_dom + n_prog + n_dom))

    def values(self, site: np.ndarray, cell: np.ndarray, programme: np.ndarray) -> np.ndarray:
        """Per arc, its value in the site's grid `site` (I+1, D+1) or the file's `cell` (I, P)
        and `programme` (P,): a var's counts or hidden flags."""
        out = site[self.institution, self.domain].copy()  # −1: the margin
        files = self.kind == FILE_CELL
        out[files] = cell[self.institution[files], self.programme[files]]
        progs = self.kind == PROGRAMME
        out[progs] = programme[self.programme[progs]]
        return out


def network(arcs: Arcs, tables: ProgrammeTables, v: int, cell_hidden: np.ndarray, programme_hidden: np.ndarray) -> Network:
    count = arcs.values(tables.site_n[v], tables.cell_n[v], tables.programme_n[v])
    hidden = arcs.values(tables.site_hidden[v], cell_hidden, programme_hidden)
    return Network(arcs.tail, arcs.head, count, hidden, arcs.n_nodes)


@dataclass(frozen=True)
class _Edition:
    """What the joint step reads, built once per edition."""

    tables: ProgrammeTables
    domains: dict[int, DomainTable]
    arcs: Arcs
    min_n: int
    labels: dict | None


def protect_programmes(tables: ProgrammeTables, min_n: int, labels: dict | None = None, full: bool = False,
                       whole_units: bool = True) -> Protection:
    """Steps 1–3 (see the module's docstring). `whole_units` (the linked attacker, as on the
    site): an institution × opleiding, or an opleiding nationally, hidden in one var is hidden
    in every var, and the vars are protected again on top of that until none hides more."""
    domains = {int(d): DomainTable.of(tables, d) for d in np.unique(tables.programme_domain)}
    edition = _Edition(tables, domains, Arcs.of(tables), min_n, labels)
    cell_hidden, programme_hidden = initial_protection(tables, list(domains.values()), min_n, full)
    stats = {"rounds": 0, "shown_known_anyway": 0, "hidden_by_joint_audit": 0}
    whole_cells = np.zeros(tables.cell_present.shape, dtype=bool)
    whole_programmes = np.zeros(tables.programme_n.shape[1], dtype=bool)
    known_cells = np.zeros(cell_hidden.shape, dtype=bool)  # whole-unit figures shown as known anyway
    known_programmes = np.zeros(programme_hidden.shape, dtype=bool)
    todo = list(range(len(tables.var_ids)))
    for round_ in range(WHOLE_ROUNDS):
        for v in todo:
            cell, programme = cell_hidden[v] | whole_cells, programme_hidden[v] | whole_programmes
            if round_:
                _line_rule(edition, v, cell, programme, np.zeros(len(edition.arcs.tail), dtype=bool), set(domains))
            given_cell, given_programme = cell.copy(), programme.copy()
            cell_hidden[v], programme_hidden[v] = _joint(edition, v, cell, programme, stats)
            known_cells[v] |= given_cell & ~cell_hidden[v]
            known_programmes[v] |= given_programme & ~programme_hidden[v]
        if not whole_units:
            break
        # A var whose pattern already hides every whole unit (or shows it as known from its own
        # published figures, which tells nothing) keeps it: it passed its checks.
        whole_cells = cell_hidden.any(axis=0) & tables.cell_present
        whole_programmes = programme_hidden.any(axis=0)
        todo = [v for v in range(len(tables.var_ids))
                if (whole_cells & ~cell_hidden[v] & ~known_cells[v]).any()
                or (whole_programmes & ~programme_hidden[v] & ~known_programmes[v]).any()]
        if not todo:
            break
    else:
        raise AuditFailed([f"national data file: whole units did not settle in {WHOLE_ROUNDS} rounds"])
    stats["whole_units"] = int(whole_cells.sum())
    protection = Protection(cell_hidden, programme_hidden, stats)
    findings = audit_programmes(tables, protection, min_n, labels)
    if findings:
        raise AuditFailed(findings)
    return protection


def _joint(edition: _Edition, v: int, cell: np.ndarray, programme: np.ndarray, stats: dict) -> tuple[np.ndarray, np.ndarray]:
    """Step 2 for one var: hide or show file figures until no count is narrow and no hidden
    cell's answer follows from the published ones (checked again only in the domain tables
    that changed since they were last found clean)."""
    tables, arcs, min_n = edition.tables, edition.arcs, edition.min_n
    forced = tables.site_hidden[v][arcs.institution, arcs.domain] & (arcs.kind == FILE_CELL)
    pinned = np.zeros(len(arcs.tail), dtype=bool)  # shown as known anyway: never hidden again
    unchecked = set(edition.domains)  # domain tables whose answers are still to be checked
    for _ in range(MAX_ROUNDS):
        stats["rounds"] += 1
        net = network(arcs, tables, v, cell, programme)
        narrow = narrow_by_flow(net, min_n, floor=FLOOR)
        changes = _changes(net, arcs, narrow, forced, pinned, min_n) if len(narrow) else \
            _answer_changes(edition, v, cell, programme, pinned, unchecked)
        if changes is None:
            return cell, programme
        shown, hidden = changes
        if not shown and not hidden:
            raise AuditFailed([f"{_describe(arcs, a, edition.labels, v)}: {_narrow_text(net, a, min_n)}; no figure of "
                               "the file can widen it" for a in narrow[:20]])
        pinned[shown] = True
        stats["shown_known_anyway"] += len(shown)
        stats["hidden_by_joint_audit"] += len(hidden)
        for arc, value in [(a, False) for a in shown] + [(a, True) for a in hidden]:
            if arcs.kind[arc] == FILE_CELL:
                cell[arcs.institution[arc], arcs.programme[arc]] = value
            else:
                programme[arcs.programme[arc]] = value
        changed = {int(arcs.domain[a]) for a in shown + hidden}
        _line_rule(edition, v, cell, programme, pinned, {int(arcs.domain[a]) for a in hidden})
        unchecked |= changed
    raise AuditFailed([f"var {tables.var_ids[v]}: the joint protection did not settle in {MAX_ROUNDS} rounds"])


def _changes(net: Network, arcs: Arcs, narrow: np.ndarray, forced: np.ndarray, pinned: np.ndarray,
             min_n: int) -> tuple[list[int], list[int]]:
    """For each narrow count (one per node region per round): show it when it is a file
    figure known anyway, else hide the published file figure that widens it most."""
    up, down = flow_bounds(net, narrow, min_n, floor=FLOOR)
    shown, hidden, touched = [], [], set()
    for a, rise, fall in zip(narrow, up, down):
        ends = {int(net.tail[a]), int(net.head[a])}
        if ends & touched:
            continue  # a change next to it this round may already have widened it
        exact = rise == 0 and fall == 0
        if (exact and arcs.kind[a] in FILE_KINDS and net.count[a] >= min_n and not forced[a] and not pinned[a]):
            shown.append(int(a))
        else:
            cover = widening_arc(net, arcs, int(a), pinned, min_n)
            if cover is None:
                continue
            if cover not in hidden:
                hidden.append(cover)
            ends |= {int(net.tail[cover]), int(net.head[cover])}
        touched |= ends
    return shown, hidden


def widening_arc(net: Network, arcs: Arcs, target: int, pinned: np.ndarray, min_n: int) -> int | None:
    """The published file figure whose hiding widens `target` most (both its ends in the
    target's region of hidden counts: any other lies on no cycle through it); else one in a
    line through it (a cell before an opleiding total, the smallest first), which the next
    round pairs with another. None when the file has no figure left there."""
    free = np.isin(arcs.kind, FILE_KINDS) & ~net.hidden & (net.count > 0) & ~pinned
    region = _region(net, target)
    inside = np.flatnonzero(free & np.isin(net.tail, region) & np.isin(net.head, region))
    own = int(net.count[target])
    if len(inside):
        up, down = flow_bounds(net, np.full(len(inside), target), min_n, extra=inside, floor=FLOOR)
        now_up, now_down = flow_bounds(net, np.array([target]), min_n, floor=FLOOR)
        short = deficit(np.full(len(inside), own), up, down, min_n)
        if short.min() < deficit(np.array([own]), now_up, now_down, min_n)[0]:
            order = np.lexsort((inside, net.count[inside], arcs.kind[inside] != FILE_CELL, short))
            return int(inside[order[0]])
    ends = [int(net.tail[target]), int(net.head[target])]
    for nodes in (ends, region):
        near = np.flatnonzero(free & (np.isin(net.tail, nodes) | np.isin(net.head, nodes)))
        if len(near):
            order = np.lexsort((near, net.count[near], arcs.kind[near] != FILE_CELL))
            return int(near[order[0]])
    return None


def _region(net: Network, target: int) -> np.ndarray:
    """The nodes joined to the target's ends by hidden counts with respondents."""
    unknown = np.flatnonzero(net.unknown)
    nodes = {int(net.tail[target]), int(net.head[target])}
    while True:
        joined = unknown[np.isin(net.tail[unknown], list(nodes)) | np.isin(net.head[unknown], list(nodes))]
        grown = nodes | set(net.tail[joined].tolist()) | set(net.head[joined].tolist())
        if grown == nodes:
            return np.array(sorted(nodes))
        nodes = grown


def _line_rule(edition: _Edition, v: int, cell: np.ndarray, programme: np.ndarray, pinned: np.ndarray,
               domains: set[int]) -> None:
    """The site's line rule again in the domain tables just changed (every line that hides
    anything hides at least two figures holding ≥ min_n); only file figures change, and
    never one shown as known anyway."""
    arcs = edition.arcs
    keep = {(int(arcs.kind[a]), int(arcs.institution[a]), int(arcs.programme[a])) for a in np.flatnonzero(pinned)}
    for d in sorted(domains & set(edition.domains)):
        table = edition.domains[d]
        rows, cols = table.rows, table.cols
        hidden = table.hidden(edition.tables, cell[None], programme[None], [v])[0]
        more = complementary_suppression(table.n[v], table.present, edition.min_n, hidden) & ~hidden
        for r, c in zip(*np.nonzero(more[:, :-1])):
            if r < len(rows) and (FILE_CELL, int(rows[r]), int(cols[c])) not in keep:
                cell[rows[r], cols[c]] = True
            elif r == len(rows) and (PROGRAMME, -1, int(cols[c])) not in keep:
                programme[cols[c]] = True


def _answer_changes(edition: _Edition, v: int, cell: np.ndarray, programme: np.ndarray, pinned: np.ndarray,
                    unchecked: set[int]) -> tuple[list[int], list[int]] | None:
    """None when no hidden cell's answer follows from published figures in the domain tables
    still to check (each found clean leaves `unchecked`); else, per table where one does, the
    published cell to hide beside the first such cell (its row or column, someone in it
    answered otherwise, the smallest first), or, with none there, every published file figure
    of that table (publishing nothing there is always safe)."""
    tables, arcs = edition.tables, edition.arcs
    categories = tables.categories[v]
    if not categories:
        return None
    hide = []
    for d in sorted(unchecked):
        table = edition.domains[d]
        rows, cols, n = table.rows, table.cols, table.n[v]
        hidden = table.hidden(tables, cell[None], programme[None], [v])[0]
        answers = {code: a[v] for code, a in table.answers.items()}
        found = unanimous_cells(n, answers, table.present, hidden, categories)
        if not found:
            unchecked.discard(d)
            continue
        (r, c), codes = found[0]
        others = n - sum(answers[code] for code in codes)
        lines = [(r, k) for k in range(len(cols))] + [(k, c) for k in range(len(rows))]
        candidates = sorted((int(n[r2, c2]), r2, c2) for r2, c2 in lines
                            if not hidden[r2, c2] and others[r2, c2] > 0 and table.present[r2, c2]
                            and not pinned[_cell_arc(arcs, rows[r2], cols[c2])])
        if candidates:
            hide.append(_cell_arc(arcs, rows[candidates[0][1]], cols[candidates[0][2]]))
            continue
        log.warning("national data file: var %s, domain %s: an answer follows from the published figures; every "
                    "figure of the domain's table is hidden", tables.var_ids[v],
                    (edition.labels or {}).get("domains", {d: d})[d])
        hide += [int(a) for a in np.flatnonzero(np.isin(arcs.kind, FILE_KINDS) & (arcs.domain == d) & ~pinned)]
    return ([], hide) if hide else None


def _cell_arc(arcs: Arcs, institution: int, programme: int) -> int:
    return int(np.flatnonzero((arcs.kind == FILE_CELL) & (arcs.institution == institution)
                              & (arcs.programme == programme))[0])


def audit_programmes(tables: ProgrammeTables, protection: Protection, min_n: int, labels: dict | None = None,
                     prune_by_flow: bool = True) -> list[str]:
    """Step 3, the audit of record: per var one LP over every hidden count of the site and the
    file; every count with respondents must keep hi − lo ≥ min_n and hi ≥ min_n."""
    arcs = Arcs.of(tables)
    findings, checked = [], 0
    for v in range(len(tables.var_ids)):
        net = network(arcs, tables, v, protection.cell_hidden[v], protection.programme_hidden[v])
        checked += int(net.unknown.sum())
        for a, lo, hi in lp_narrow(net, min_n, floor=FLOOR, prune_by_flow=prune_by_flow):
            findings.append(f"{_describe(arcs, a, labels, v)} with n={int(net.count[a])} lies in {lo:.0f}–{hi:.0f}")
    protection.stats["hidden_counts_audited"] = checked
    return findings


def _narrow_text(net: Network, a: int, min_n: int) -> str:
    up, down = flow_bounds(net, np.array([a]), min_n, floor=FLOOR)
    return f"n={int(net.count[a])} lies in {int(net.count[a] - down[0])}–{int(net.count[a] + up[0])}"


def _describe(arcs: Arcs, a: int, labels: dict | None, v: int) -> str:
    """A count named by var, kind and units (ids when labels are given)."""
    labels = labels or {}
    name = lambda key, k: labels[key][k] if key in labels and k >= 0 else str(k)  # noqa: E731
    var = name("vars", v)
    kind = int(arcs.kind[a])
    inst, dom, prog = int(arcs.institution[a]), int(arcs.domain[a]), int(arcs.programme[a])
    what = {INSTITUTION: f"institution {name('institutions', inst)}",
            SITE_CELL: f"site cell {name('institutions', inst)} × {name('domains', dom)}",
            FILE_CELL: f"file cell {name('institutions', inst)} × {name('programmes', prog)}",
            PROGRAMME: f"opleiding {name('programmes', prog)}",
            DOMAIN: f"domain {name('domains', dom)}", NATIONAL: "national total"}[kind]
    return f"var {var}, {what}"
