"""The attacker's linear programme on pooled institution report packs, the benchmark file and the site.

    python bench/attack_pooled.py --packs /tmp/packs --site site [--min-n 10] [--show 10]
    python bench/attack_pooled.py --packs /tmp/packs --site site --own I004   (or --own all)

Institutions may share their (private) report packs. Pooled: for every grouping of the national
benchmark file (Opleidingsdomein, Leerweg, Niveau, Voltijd of deeltijd) and every var, a table
institutions × group values:

- known: every institution's published group n (pack), its total n for the var (pack total
  row, else the site's institution row), the national n per value (benchmark, unless hidden),
  the national total; for Opleidingsdomein also the site's published institution × domain
  cells and domain totals (the same figures; where both publish they must agree);
- unknown (≥ 0): every hidden group n; where a pack merged values into "Overig", the count of
  every value it does not show separately inside it (the pack does not say which were merged),
  summing to the Overig n; a pack value not shown and no "Overig": 0; an institution without
  the grouping's table (or without a pack): every value unknown; a value no file lists (e.g.
  unknown) is one more column with a free national count;
- row: Σ values = institution total; column: Σ institutions = national n of the value.

Each hidden figure is minimised and maximised (`lp_tools.py`). Printed per grouping: hidden
groups (a value's row hidden in a pack), findings (range < min_n or hi < min_n, hi = 0 apart),
exact; then the same for hidden "Overig" rows, hidden totals, and the values inside an Overig
or a missing table.

`--own ID` (repeatable, or `all`): one institution's pack alone with the site, its questions
linked: per grouping of the pack the respondents R(g) ≥ 1 of every group shown, n_var(g) ≤ R(g),
Σ_g R(g) = the institution's respondents (site response table), each var's row sum; domain
groups are the site's institution × domain cells (their published n count) and R(g) is fixed
where the pack's response table prints it; theme scores linked to their items per group as in
`attack_linked.py`. Each institution is attacked on its own; the counts are summed.

Independent of `jobmonitor.compute` and `jobmonitor.reports` on purpose: it checks them.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyreadstat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attack import HIDDEN, read_results  # noqa: E402
from attack_linked import FACTS, KEYS, add_theme_rows, clean_name, line, read_response_table, read_score_items, tally  # noqa: E402
from lp_tools import INF, Builder, RangeSolver, classify, integer_range  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REST = "(niet genoemd)"  # a value no file lists (unknown and the like)
DOMAIN = "opleidingsdomein"


# --- files --------------------------------------------------------------------------------------

@dataclass
class GroupTable:
    """One grouping of one file: var → {group name: n or None (hidden)}, total per var."""
    grouping: str
    cells: dict[str, dict[str, float | None]] = field(default_factory=dict)
    total: dict[str, float | None] = field(default_factory=dict)
    overig: str | None = None  # the merged group's name, if any

    def values(self) -> set[str]:
        return {g for groups in self.cells.values() for g in groups if g != self.overig}


@dataclass
class Pack:
    institution: str
    edition: int
    tables: dict[str, GroupTable]  # grouping (casefolded) → table
    domain_respondents: dict[str, int]  # domain name (clean) → printed respondents


def _hidden_codes(meta) -> set[float]:
    labels = meta.variable_value_labels.get("status", {})
    return {code for code, label in labels.items() if label.casefold().startswith("niet gepubliceerd")}


def _is_total(name: str) -> bool:
    low = name.casefold()
    return low.startswith("totaal") or low.endswith("totaal")


def _is_overig(name: str) -> bool:
    return name.casefold().startswith("overig")


def _group_tables(frame: pd.DataFrame, meta, pattern: str) -> dict[str, GroupTable]:
    hidden = _hidden_codes(meta)
    labels = meta.variable_value_labels["tabel"]
    out: dict[str, GroupTable] = {}
    for code, part in frame.groupby("tabel"):
        match = re.search(pattern, labels.get(code, ""))
        if not match:
            continue
        grouping = match.group(1).strip()
        table = GroupTable(grouping)
        for rec in part.itertuples(index=False):
            name = str(rec.groep).strip()
            value = None if rec.status in hidden or pd.isna(rec.n) else float(rec.n)
            if _is_total(name):
                table.total[rec.vraag_id] = value
                continue
            if _is_overig(name):
                table.overig = name
            table.cells.setdefault(rec.vraag_id, {})[name] = value
        out[grouping.casefold()] = table
    return out


def read_pack(path: Path) -> Pack:
    frame, meta = pyreadstat.read_sav(str(path))
    match = re.search(r"_(\d{4})_(.+)_tabellen\.sav$", path.name)
    edition, institution = int(match.group(1)), match.group(2)
    tables = _group_tables(frame, meta, r"naar ([^:]+):")
    respondents = {}
    if "respondenten" in frame.columns and "domein" in frame.columns:
        for rec in frame[frame["respondenten"].notna() & frame["domein"].notna()].itertuples(index=False):
            if str(rec.domein).strip():
                respondents[clean_name(str(rec.domein))] = int(rec.respondenten)
    return Pack(institution, edition, tables, respondents)


def read_benchmark(path: Path) -> dict[str, GroupTable]:
    frame, meta = pyreadstat.read_sav(str(path))
    return _group_tables(frame, meta, r"naar (.+)$")


def find_files(packs: Path) -> tuple[list[Path], Path]:
    pack_files = sorted(p for p in packs.glob("*/*_tabellen.sav"))
    bench = sorted(packs.glob("landelijk/*_landelijke_vergelijking.sav")) or sorted(packs.glob("*/*_landelijke_vergelijking.sav"))
    if not pack_files or not bench:
        raise SystemExit(f"{packs}: no report packs (*/…_tabellen.sav) or no benchmark file")
    return pack_files, bench[0]


@dataclass
class Site:
    frame: pd.DataFrame  # the current edition's rows
    institutions: list[str]
    domain_id: dict[str, str]  # clean domain name → id
    domain_name: dict[str, str]  # id → shown name
    inst_total: dict[tuple[str, str], float | None]  # (institution, var) → n or None (hidden)
    cell: dict[tuple[str, str, str], float | None]  # (institution, domain id, var)
    dom_total: dict[tuple[str, str], float | None]
    national: dict[str, float]
    respondents: dict[str, int | None]  # response table, by institution id


def read_site(site: Path, edition: int) -> Site:
    frame = read_results(site / "downloads" / "resultaten.csv")
    frame = frame[frame["edition"] == edition]
    value = lambda rec: None if rec.status in HIDDEN else float(rec.n)  # noqa: E731
    inst_total, cell, dom_total, national = {}, {}, {}, {}
    for rec in frame.itertuples(index=False):
        if rec.level == "institution":
            inst_total[(rec.institution_id, rec.item_id)] = value(rec)
        elif rec.level == "institution_domain":
            cell[(rec.institution_id, rec.domain_id, rec.item_id)] = value(rec)
        elif rec.level == "domain":
            dom_total[(rec.domain_id, rec.item_id)] = value(rec)
        elif rec.level == "national" and rec.status not in HIDDEN:
            national[rec.item_id] = float(rec.n)
    doms = frame[frame["level"] == "domain"][["domain_id", "domain"]].drop_duplicates()
    insts = frame[frame["level"] == "institution"][["institution_id", "institution"]].drop_duplicates()
    names, _ = read_response_table(site / "verantwoording" / "index.html")
    by_name = {clean_name(str(n)): i for i, n in insts.itertuples(index=False)}
    respondents = {by_name[n]: v for n, v in names.items() if n in by_name}
    return Site(frame, sorted(insts["institution_id"]), {clean_name(str(n)): i for i, n in doms.itertuples(index=False)},
                dict(doms.itertuples(index=False)), inst_total, cell, dom_total, national, respondents)


# --- pooled -------------------------------------------------------------------------------------

def pooled_grouping(grouping: str, bench: GroupTable, packs: dict[str, Pack], site: Site | None, min_n: int,
                    prune: bool = True, engine: str = "auto", link: bool = False,
                    score_items: dict[str, list[str]] | None = None, facts: frozenset[str] = FACTS) -> dict:
    """One LP over every var of one grouping: institutions × values, row and column sums.

    With `link`, the vars are also tied together as in `--own`, now for every institution and
    for the national figures: respondents R per institution × value (≥ 1 for a group a pack
    shows), n ≤ R, Σ_values R = the institution's respondents (response table), Σ_i R(i, v) =
    R(v) nationally, theme scores linked to their items in every unit."""
    key = grouping.casefold()
    is_domain = key == DOMAIN and site is not None
    b = Builder()
    targets: list[dict] = []
    broken: list[str] = []

    def canon(name: str) -> str:
        """A group name as one column label (domains: the site's id where known)."""
        if is_domain:
            return site.domain_id.get(clean_name(name), name)
        return name

    bench_values = {canon(v) for v in bench.values()}
    pack_values = {canon(v) for p in packs.values() if key in p.tables for v in p.tables[key].values()}
    # Every respondent has a domain (the site's domain totals add up to the national figure);
    # other groupings get one more column for values no file lists.
    values = sorted(bench_values | pack_values | ({*site.domain_name} if is_domain else set())) + ([] if is_domain else [REST])
    institutions = sorted(set(packs) | (set(site.institutions) if site else set()))
    vars_ = sorted(set(bench.cells) | set(bench.total))

    site_cells = {(i, d) for i, d, _ in site.cell} if is_domain else set()
    # Which cells can hold anyone, and the Overig they belong to: (inst, value) → kind.
    layout: dict[tuple[str, str], str] = {}  # 'group' (shown), 'inside' (in Overig or no table)
    overig_of: dict[str, list[str]] = {}
    for inst in institutions:
        pack = packs.get(inst)
        table = pack.tables.get(key) if pack else None
        shown = {canon(g) for g in table.values()} if table else set()
        for v in values:
            possible = not is_domain or (inst, v) in site_cells  # the site lists every cell that exists
            if v in shown:
                layout[(inst, v)] = "group"
            elif table is not None and table.overig is not None and possible:
                layout[(inst, v)] = "inside"
                overig_of.setdefault(inst, []).append(v)
            elif table is None and possible:
                layout[(inst, v)] = "inside"

    term: dict[tuple, tuple] = {}  # (unit, var) → ('x', col) | ('c', n); unit: ('cell', i, v) | ('inst', i) | ('nat', v) | ('all',)

    def unknown(kind: str, inst: str, group: str, var: str) -> tuple:
        j = b.col()
        if kind:
            targets.append({"kind": kind, "inst": inst, "group": group, "var": var, "col": j})
        return ("x", j)

    for var in vars_:
        nat_total = bench.total.get(var)
        if nat_total is None and site is not None:
            nat_total = site.national.get(var)
        term[(("all",), var)] = ("c", nat_total) if nat_total is not None else unknown("", "", "", var)
        bench_cells = {canon(g): n for g, n in bench.cells.get(var, {}).items()}
        for v in values:
            n = bench_cells.get(v)
            if n is None and is_domain and v in site.domain_name:
                n = site.dom_total.get((v, var))
            term[(("nat", v), var)] = ("c", n) if n is not None else unknown(
                "national" if v in bench_cells else "", "", v, var)
        for inst in institutions:
            pack = packs.get(inst)
            table = pack.tables.get(key) if pack else None
            total = table.total.get(var) if table else None
            if total is None and site is not None:
                total = site.inst_total.get((inst, var))
            term[(("inst", inst), var)] = ("c", total) if total is not None else unknown(
                "total" if table is not None and var in table.total else "", inst, "", var)
            cells = {canon(g): n for g, n in table.cells.get(var, {}).items()} if table else {}
            for v in values:
                kind = layout.get((inst, v))
                if kind is None:
                    continue
                n = cells.get(v) if kind == "group" else None
                site_n = site.cell.get((inst, v, var)) if is_domain else None
                if n is not None and site_n is not None and n != site_n:
                    broken.append(f"{inst} {v} {var}: pack {n} ≠ site {site_n}")
                n = n if n is not None else site_n
                term[(("cell", inst, v), var)] = ("c", n) if n is not None else unknown(kind, inst, v, var)
            if table is not None and table.overig is not None:
                o = table.cells.get(var, {}).get(table.overig)
                o_term = ("c", o) if o is not None else unknown("overig", inst, table.overig, var)
                b.row([(1.0, term[(("cell", inst, v), var)]) for v in overig_of.get(inst, [])] + [(-1.0, o_term)],
                      0.0, 0.0, f"{inst} {var} Overig")
            # Row: Σ values = institution total.
            b.row([(1.0, term[(("cell", inst, v), var)]) for v in values if (inst, v) in layout]
                  + [(-1.0, term[(("inst", inst), var)])], 0.0, 0.0, f"{inst} {var} row")
        # Columns: Σ institutions = national n of the value; Σ values = national total.
        for v in values:
            b.row([(1.0, term[(("cell", i, v), var)]) for i in institutions if (i, v) in layout]
                  + [(-1.0, term[(("nat", v), var)])], 0.0, 0.0, f"{var} {v} column")
        b.row([(1.0, term[(("nat", v), var)]) for v in values] + [(-1.0, term[(("all",), var)])], 0.0, 0.0,
              f"{var} national")

    if link:
        r_term: dict[tuple, tuple] = {}
        for (inst, v), kind in layout.items():
            r_term[("cell", inst, v)] = ("x", b.col(lo=1.0 if kind == "group" else 0.0))
        for inst in institutions:
            known = site.respondents.get(inst) if site else None
            r_term[("inst", inst)] = ("x", b.col(lo=known or 0.0, hi=known if known is not None else INF))
        for v in values:
            r_term[("nat", v)] = ("x", b.col())
        r_term[("all",)] = ("x", b.col())
        if is_domain:
            for inst, pack in packs.items():
                for name, printed in pack.domain_respondents.items():
                    unit = ("cell", inst, site.domain_id.get(name, name))
                    if unit in r_term:
                        b.row([(1.0, r_term[unit])], printed, printed, f"{unit} printed respondents")
        for inst in institutions:
            b.row([(1.0, r_term[("cell", inst, v)]) for v in values if (inst, v) in layout]
                  + [(-1.0, r_term[("inst", inst)])], 0.0, 0.0, f"R {inst}")
            if overig_of.get(inst):
                b.row([(1.0, r_term[("cell", inst, v)]) for v in overig_of[inst]], 1.0, INF, f"R {inst} Overig")
        for v in values:
            b.row([(1.0, r_term[("cell", i, v)]) for i in institutions if (i, v) in layout]
                  + [(-1.0, r_term[("nat", v)])], 0.0, 0.0, f"R {v}")
        b.row([(1.0, r_term[("nat", v)]) for v in values] + [(-1.0, r_term[("all",)])], 0.0, 0.0, "R national")
        b.row([(1.0, r_term[("inst", i)]) for i in institutions] + [(-1.0, r_term[("all",)])], 0.0, 0.0, "R national")
        for (unit, var), t in term.items():  # n ≤ R
            b.row([(1.0, t), (-1.0, r_term[unit])], -INF, 0.0, f"{unit} {var} ≤ R")
        add_theme_rows(b, list(r_term), term, r_term, score_items or {}, facts)
    broken += b.broken
    start = time.perf_counter()
    solver = RangeSolver(b, engine=engine)
    found = solver.ranges([t["col"] for t in targets], min_n, prune=prune)
    for t in targets:
        rng = found[t["col"]]
        t["range"] = None if rng is None else integer_range(*rng)
    return {"targets": targets, "broken": broken, "rows": b.shape[0], "cols": b.shape[1], "solves": solver.solves,
            "seconds": time.perf_counter() - start, "values": len([v for v in values if v != REST])}


def run_pooled(packs_dir: Path, site_dir: Path | None, min_n: int = 10, show: int = 0, prune: bool = True,
               engine: str = "auto", link: bool = False, facts: frozenset[str] = FACTS, out=print) -> dict[str, dict]:
    pack_files, bench_file = find_files(packs_dir)
    packs = {p.institution: p for p in map(read_pack, pack_files)}
    bench = read_benchmark(bench_file)
    edition = next(iter(packs.values())).edition
    site = read_site(site_dir, edition) if site_dir else None
    score_items = read_score_items(site_dir / "downloads" / "vragenlijst.csv").get(edition, {}) if site_dir else {}
    out(f"{len(packs)} packs ({', '.join(sorted(packs))}), benchmark {bench_file.name}, "
        f"site {'none' if site is None else site_dir}; min_n {min_n}"
        + ("; questions linked (respondents per group, theme scores)" if link else "; row and column sums only"))
    results = {}
    shown = 0
    for key, table in bench.items():
        res = pooled_grouping(table.grouping, table, packs, site, min_n, prune, engine, link, score_items, facts)
        results[table.grouping] = res
        out(f"{table.grouping}: {res['values']} values; LP {res['cols']} unknowns × {res['rows']} constraints, "
            f"{res['solves']} solves, {res['seconds']:.1f} s")
        for problem in res["broken"][:5]:
            out(f"  inconsistent: {problem}")
        by_kind = {kind: [t["range"] for t in res["targets"] if t["kind"] == kind]
                   for kind in ("group", "overig", "total", "inside", "national")}
        out(f"  hidden groups: {line(tally(by_kind['group'], min_n))}")
        for kind, label in (("overig", "hidden Overig rows"), ("total", "hidden totals"),
                            ("inside", "values inside Overig or a missing table"), ("national", "hidden national values")):
            if by_kind[kind]:
                out(f"  {label}: {line(tally(by_kind[kind], min_n))}")
        for t in res["targets"]:
            rng = t["range"]
            if t["kind"] == "group" and rng is not None and shown < show and classify(*rng, min_n)["finding"]:
                shown += 1
                out(f"    {t['var']} [{t['inst']} × {t['group']}]: n in {rng[0]}–{rng[1]}")
    return results


# --- one institution's own pack, its questions linked --------------------------------------------

def own_pack(pack: Pack, site: Site, score_items: dict[str, list[str]], min_n: int, prune: bool = True,
             engine: str = "auto", facts: frozenset[str] = FACTS) -> dict[str, dict]:
    """Per grouping of the pack: one LP over all vars, linked through the groups' respondents."""
    inst = pack.institution
    total_r = site.respondents.get(inst)
    out = {}
    for key, table in pack.tables.items():
        is_domain = key == DOMAIN
        b = Builder()
        targets: list[dict] = []
        groups = sorted({g for cells in table.cells.values() for g in cells})
        r_col = {g: b.col(lo=1.0) for g in groups}
        r_total = b.col(lo=1.0)
        if total_r is not None:
            b.col_lo[r_total] = b.col_hi[r_total] = float(total_r)
        b.row([(1.0, ("x", c)) for c in r_col.values()] + [(-1.0, ("x", r_total))], 0.0, 0.0, "R")
        if is_domain:
            for g, c in r_col.items():
                printed = pack.domain_respondents.get(clean_name(g))
                if printed is not None:
                    b.col_lo[c] = b.col_hi[c] = float(printed)
        term: dict[tuple[str, str], tuple] = {}  # (group or '', var) → term
        for var, cells in table.cells.items():
            total = table.total.get(var)
            if total is None:
                total = site.inst_total.get((inst, var))
            if total is None:
                j = b.col()
                term[("", var)] = ("x", j)
                targets.append({"kind": "total", "inst": inst, "group": "", "var": var, "col": j})
                b.row([(1.0, ("x", j)), (-1.0, ("x", r_total))], -INF, 0.0)
            else:
                term[("", var)] = ("c", total)
                b.col_lo[r_total] = max(b.col_lo[r_total], total)
            for g, n in cells.items():
                if n is None and is_domain:
                    n = site.cell.get((inst, site.domain_id.get(clean_name(g), g), var))
                if n is None:
                    j = b.col()
                    term[(g, var)] = ("x", j)
                    kind = "overig" if g == table.overig else "group"
                    targets.append({"kind": kind, "inst": inst, "group": g, "var": var, "col": j})
                    b.row([(1.0, ("x", j)), (-1.0, ("x", r_col[g]))], -INF, 0.0)
                else:
                    term[(g, var)] = ("c", n)
                    b.col_lo[r_col[g]] = max(b.col_lo[r_col[g]], n)
            b.row([(1.0, term[(g, var)]) for g in cells] + [(-1.0, term[("", var)])], 0.0, 0.0, f"{var} row")
        if b.col_lo[r_total] > b.col_hi[r_total]:
            raise SystemExit(f"{inst}: a published n exceeds the printed respondents")
        units = [("", ("x", r_total))] + [(g, ("x", c)) for g, c in r_col.items()]
        for theme, items in score_items.items():
            if theme not in table.cells or not all(a in table.cells for a in items):
                continue
            if "__" in theme and "subsets" not in facts:
                continue
            k, h = len(items), math.ceil(len(items) / 2)
            for g, r in units:
                if (g, theme) not in term or not all((g, a) in term for a in items):
                    continue
                t = term[(g, theme)]
                item_terms = [(1.0, term[(g, a)]) for a in items]
                b.row([(float(h), t)] + [(-1.0, x) for _, x in item_terms], -INF, 0.0)
                b.row(item_terms + [(-float(k - h + 1), t), (-float(h - 1), r)], -INF, 0.0)
                if h == 1 and "item_le_theme" in facts:
                    for _, x in item_terms:
                        b.row([(1.0, x), (-1.0, t)], -INF, 0.0)
        solver = RangeSolver(b, engine=engine)
        found = solver.ranges([t["col"] for t in targets], min_n, prune=prune)
        for t in targets:
            rng = found[t["col"]]
            t["range"] = None if rng is None else integer_range(*rng)
        out[table.grouping] = {"targets": targets, "broken": b.broken, "solves": solver.solves,
                               "rows": b.shape[0], "cols": b.shape[1]}
    return out


def run_own(packs_dir: Path, site_dir: Path, which: list[str], min_n: int = 10, show: int = 0, prune: bool = True,
            engine: str = "auto", facts: frozenset[str] = FACTS, out=print) -> dict[str, dict[str, int]]:
    pack_files, _ = find_files(packs_dir)
    packs = {p.institution: p for p in map(read_pack, pack_files)}
    chosen = sorted(packs) if "all" in which else which
    missing = [i for i in chosen if i not in packs]
    if missing:
        raise SystemExit(f"no pack for {missing} in {packs_dir}")
    edition = packs[chosen[0]].edition
    site = read_site(site_dir, edition)
    score_items = read_score_items(site_dir / "downloads" / "vragenlijst.csv").get(edition, {})
    out(f"own packs, each alone with the site: {', '.join(chosen)}; min_n {min_n}")
    totals: dict[str, dict[str, dict[str, int]]] = {}
    shown = 0
    start = time.perf_counter()
    for inst in chosen:
        res = own_pack(packs[inst], site, score_items, min_n, prune, engine, facts)
        for grouping, r in res.items():
            for problem in r["broken"][:3]:
                out(f"  {inst} {grouping} inconsistent: {problem}")
            per_kind = totals.setdefault(grouping, {})
            for kind in ("group", "overig", "total"):
                counts = tally([t["range"] for t in r["targets"] if t["kind"] == kind], min_n)
                acc = per_kind.setdefault(kind, dict.fromkeys(KEYS, 0))
                for k in KEYS:
                    acc[k] += counts[k]
            for t in r["targets"]:
                rng = t["range"]
                if t["kind"] == "group" and rng is not None and shown < show and classify(*rng, min_n)["finding"]:
                    shown += 1
                    out(f"    {t['var']} [{inst} × {t['group']}]: n in {rng[0]}–{rng[1]}")
    for grouping, per_kind in totals.items():
        out(f"{grouping}: hidden groups: {line(per_kind['group'])}")
        if per_kind["overig"]["hidden"]:
            out(f"  hidden Overig rows: {line(per_kind['overig'])}")
        if per_kind["total"]["hidden"]:
            out(f"  hidden totals: {line(per_kind['total'])}")
    out(f"{time.perf_counter() - start:.1f} s")
    return {g: per_kind["group"] for g, per_kind in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packs", type=Path, default=Path("/tmp/packs"), help="built report packs (python build.py rapportages --out DIR)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site")
    parser.add_argument("--min-n", type=int, default=10)
    parser.add_argument("--show", type=int, default=0, help="print this many findings with their ranges")
    parser.add_argument("--own", action="append", default=[], metavar="ID",
                        help="one institution's own pack alone with the site (repeatable; 'all': each in turn)")
    parser.add_argument("--link", action="store_true",
                        help="pooled: also tie the vars together through each group's respondents and the theme scores")
    parser.add_argument("--no-prune", action="store_true", help="solve both LPs of every hidden figure")
    parser.add_argument("--engine", choices=("auto", "highspy", "scipy"), default="auto")
    args = parser.parse_args(argv)
    if args.own:
        run_own(args.packs, args.site, args.own, args.min_n, args.show, not args.no_prune, args.engine)
    else:
        run_pooled(args.packs, args.site, args.min_n, args.show, not args.no_prune, args.engine, args.link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
